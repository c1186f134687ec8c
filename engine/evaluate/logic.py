"""Three-valued (Kleene) truth: the only place where AND, OR and NOT over unknowns are defined."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

__all__ = ["Truth", "all_of", "any_of", "not_"]


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    def __bool__(self) -> bool:  # an unknown must never silently act as False
        raise TypeError("Truth has three values; compare with Truth.TRUE / FALSE / UNKNOWN explicitly")


# The members as module globals: an Enum member read through its class costs ~10x a global on the hot path.
_TRUE, _FALSE, _UNKNOWN = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def not_(t: Truth) -> Truth:
    if t is _UNKNOWN:
        return t
    return _FALSE if t is _TRUE else _TRUE


def all_of(values: Iterable[Truth]) -> Truth:
    """FALSE if any is FALSE; else UNKNOWN if any is UNKNOWN; else TRUE."""
    seen_unknown = False
    for v in values:
        if v is _FALSE:
            return v
        if v is _UNKNOWN:
            seen_unknown = True
    return _UNKNOWN if seen_unknown else _TRUE


def any_of(values: Iterable[Truth]) -> Truth:
    """TRUE if any is TRUE; else UNKNOWN if any is UNKNOWN; else FALSE."""
    seen_unknown = False
    for v in values:
        if v is _TRUE:
            return v
        if v is _UNKNOWN:
            seen_unknown = True
    return _UNKNOWN if seen_unknown else _FALSE
