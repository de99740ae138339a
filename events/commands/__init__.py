"""CLI command groups: one module each, all thin wrappers over the Python API."""
