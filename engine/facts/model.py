"""What the rules read: fact requests (compiled from a ruleset) and the facts answering them.

A request says *which* fact a criterion needs and under what window; a :class:`Fact` is the answer for one
patient: a typed value, or ``None`` with a :class:`Reason`, plus the evidence it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..dates import Duration

__all__ = [
    "RANGED",
    "DerivedRequest",
    "DoseFilter",
    "Evidence",
    "Fact",
    "FactRequest",
    "HistoryRequest",
    "JudgementRequest",
    "ObservationRequest",
    "Range",
    "Reason",
    "ReasonKind",
    "SexRequest",
    "Window",
]

ReasonKind = Literal["missing", "stale", "judgement", "ambiguous"]


def _hash_once(cls):
    """Requests are dictionary keys on the hot path: hash each once, not on every look-up."""
    fields = tuple(cls.__dataclass_fields__)

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:
            h = hash((cls.__name__, *(getattr(self, f) for f in fields)))
            object.__setattr__(self, "_hash", h)
            return h

    cls.__hash__ = __hash__
    return cls


@_hash_once
@dataclass(frozen=True)
class Window:
    """Within <duration> [or <k> half-lives, whichever is longer] before <reference>."""

    duration: Duration
    reference: str
    half_lives: int | None = None

    def __str__(self) -> str:
        longer = f" or {self.half_lives} half-lives (whichever is longer)" if self.half_lives else ""
        return f"within {self.duration}{longer} before {self.reference.replace('_', ' ')}"


@_hash_once
@dataclass(frozen=True)
class ObservationRequest:
    """The latest value of an observation inside the window; ``per_uln`` asks for value / ULN; ``extreme`` asks
    for the highest or lowest result ever recorded instead ("history of QTc prolongation" reads every ECG).

    ``ranged`` is True for numbers and ranks: results that could each be the latest and disagree give a
    :class:`Range` (set when the sentence is compiled, from the catalog)."""

    code: str
    window: Window | None = None
    per_uln: bool = False
    extreme: Literal["highest", "lowest"] | None = None
    ranged: bool = False


RANGED = frozenset({"egfr_mdrd", "egfr_mdrd_186"})  # calculators that give a range when an input (race) is unknown


@_hash_once
@dataclass(frozen=True)
class DerivedRequest:
    """A value computed by a named calculator from other facts, each read inside ``window``."""

    name: str
    window: Window | None = None

    @property
    def ranged(self) -> bool:
        """True when the value may be a :class:`Range` rather than one number."""
        return self.name in RANGED


@_hash_once
@dataclass(frozen=True)
class SexRequest:
    """The patient's sex (female / male)."""


@_hash_once
@dataclass(frozen=True)
class DoseFilter:
    """Only doses ``op threshold`` count, in ``unit`` (optionally as an equivalent of a reference drug)."""

    op: str
    threshold: float
    unit: str
    equivalent: Literal["prednisone", "methylprednisolone"] | None = None

    def __str__(self) -> str:
        eq = f" {self.equivalent}-equivalent" if self.equivalent else ""
        return f"at a dose {self.op} {self.threshold:g} {self.unit}{eq}"


@_hash_once
@dataclass(frozen=True)
class HistoryRequest:
    """Whether a condition was present / a therapy class given: now, ever, or inside a window."""

    domain: Literal["conditions", "therapies"]
    name: str
    when: Window | Literal["now", "ever"] = "now"
    excluding: frozenset[str] = frozenset()
    dose: DoseFilter | None = None


@_hash_once
@dataclass(frozen=True)
class JudgementRequest:
    """A question only a person can answer; settled by an attestation for the criterion."""

    criterion: str
    question: str


FactRequest = ObservationRequest | DerivedRequest | SexRequest | HistoryRequest | JudgementRequest


@dataclass(frozen=True, slots=True)
class Range:
    """A number known only to lie in [low, high] (MDRD eGFR with and without the race coefficient; results
    that could each be the latest but disagree)."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Evidence:
    """One source record a fact was read from: where, what it said, and when."""

    source: str
    value: str
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a fact is unknown, and what data would settle it."""

    kind: ReasonKind
    fact: str
    message: str
    settle: str
    results: tuple[str, ...] = ()
    """Observation concepts a new result of which would settle it (what a lab order would bring)."""


@dataclass(frozen=True, slots=True)
class Fact:
    """The answer to a request for one patient: ``value`` is None exactly when ``reason`` says why."""

    value: float | str | bool | Range | None
    shown: str
    evidence: tuple[Evidence, ...] = ()
    reason: Reason | None = None
    changes_on: date | None = None

    def __post_init__(self) -> None:
        # A Range also carries the reason it may not decide a comparison (the input that would narrow it).
        if (self.value is None or isinstance(self.value, Range)) != (self.reason is not None):
            raise ValueError("a fact has a value or a reason (both only for a Range), never neither")
