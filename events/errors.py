"""Errors the user can act on: shown as one line, never as a traceback."""

from events.parse import ModelNotFound
from events.store import StoreError

UserError = (StoreError, ModelNotFound, FileNotFoundError, PermissionError)
