"""Errors the user can act on: shown as one line, never as a traceback."""

from events.export import ExportError
from events.parse import ModelNotFound
from events.spark import SparkError
from events.store import StoreError

UserError = (StoreError, ModelNotFound, ExportError, SparkError, FileNotFoundError, PermissionError)
