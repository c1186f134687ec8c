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


def not_(t: Truth) -> Truth:
    if t is Truth.UNKNOWN:
        return t
    return Truth.FALSE if t is Truth.TRUE else Truth.TRUE


def all_of(values: Iterable[Truth]) -> Truth:
    """FALSE if any is FALSE; else UNKNOWN if any is UNKNOWN; else TRUE."""
    seen_unknown = False
    for v in values:
        if v is Truth.FALSE:
            return v
        seen_unknown |= v is Truth.UNKNOWN
    return Truth.UNKNOWN if seen_unknown else Truth.TRUE


def any_of(values: Iterable[Truth]) -> Truth:
    """TRUE if any is TRUE; else UNKNOWN if any is UNKNOWN; else FALSE."""
    seen_unknown = False
    for v in values:
        if v is Truth.TRUE:
            return v
        seen_unknown |= v is Truth.UNKNOWN
    return Truth.UNKNOWN if seen_unknown else Truth.FALSE
