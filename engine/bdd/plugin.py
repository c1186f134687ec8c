"""pytest plugin entry point (``pytest11``): makes the screening steps available to every feature file."""

from .steps import *  # noqa: F403  (step definitions register themselves as fixtures)
