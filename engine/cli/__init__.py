"""The ``prescreen`` command: parse options, call the library, pick a renderer. No screening logic here.

One module per command; importing them registers them on :data:`app`, in the order ``--help`` lists them.
"""

# isort: off
from . import screen, batch, report, serve, catalog  # noqa: F401  (registers the commands)

# isort: on
from .app import app, main

__all__ = ["app", "main"]
