"""Errors the user can act on: shown as one line, never as a traceback.

They live here, apart from the modules that raise them, so the command line can catch them without importing
heavy modules (Arrow datasets, Spark) for commands that never use them."""

from events.parse import ModelNotFound
from events.store import StoreError


class ExportError(Exception):
    """An export problem the user can act on (bad option, output folder not writable)."""


class SparkError(Exception):
    """A Spark engine problem the user can act on (pyspark or Java missing, executors on another coder)."""


UserError = (StoreError, ModelNotFound, ExportError, SparkError, FileNotFoundError, PermissionError)
