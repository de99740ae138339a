"""events: turn news articles into a CAMEO-coded database of political events."""

__version__ = "0.1.0"
