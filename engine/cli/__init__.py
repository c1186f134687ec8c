"""The ``prescreen`` command: parse options, call the library, pick a renderer. No screening logic here.

One module per command; importing them registers them on :data:`app`.
"""

from . import batch, catalog, report, screen, serve  # noqa: F401  (registers the commands)
from .app import app, main

__all__ = ["app", "main"]
