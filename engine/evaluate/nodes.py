"""The compiled criterion tree. Each node is evaluated two independent ways:

* ``evaluate(facts)``: plain Python in Kleene logic, recording a :class:`Trace` (the reference evaluation
  and the source of every explanation);
* ``formulas(field)``: two durable-rules conditions, one true exactly when the node is TRUE and one exactly
  when it is FALSE, both positive formulas with existence guards; neither firing means UNKNOWN.
"""

from __future__ import annotations

import math
import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from ..facts.model import Fact, FactRequest, Range
from ..words import join_or, units_in_text
from .logic import Truth, all_of, any_of, not_

__all__ = [
    "COMPARE_DIGITS",
    "All",
    "Any",
    "Between",
    "Compare",
    "Flag",
    "Node",
    "Not",
    "OneOf",
    "Trace",
    "bound_fields",
    "round_sig",
]

Formula = dict
FieldOf = Callable[[FactRequest], str]

_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "==": "$eq", "!=": "$neq"}
_SHOWN_OP = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}
_PY_OP: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


# Significant digits every compared number is rounded to, in both evaluations. A float unit conversion is off
# by ~1e-16 relative per operation, so 12 digits absorb it (1.5 mg/dL to µmol/L and back is 1.4999999999999998,
# compared as 1.5), while a measured value is never moved across a threshold: it would have to differ from
# the threshold only in its 13th significant digit (2.400002 mg/dL / ULN 1.2 = 2.0000017 stays above 2).
COMPARE_DIGITS = 12


def round_sig(x: float, digits: int = COMPARE_DIGITS) -> float:
    """Round to significant digits (default: the digits every comparison uses)."""
    if x == 0 or not math.isfinite(x):
        return x
    if digits == COMPARE_DIGITS and type(x) is float:  # every compared number: results repeat across patients
        rounded = _ROUNDED.get(x)
        if rounded is None:
            rounded = round(x, digits - 1 - math.floor(math.log10(abs(x))))
            if len(_ROUNDED) < _ROUNDED_MAX:
                _ROUNDED[x] = rounded
        return rounded
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


_ROUNDED: dict[float, float] = {}  # x -> round_sig(x); zero (signed) and non-finite numbers never enter
_ROUNDED_MAX = 65536


@dataclass(slots=True)
class Trace:
    """What one node saw and concluded; children for groups, the fact for leaves."""

    node: Node
    truth: Truth
    children: tuple[Trace, ...] = ()
    fact: Fact | None = None


_TRUE, _FALSE, _UNKNOWN = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN  # module globals: read on every leaf


def _exists(f: str) -> Formula:
    return {"$ex": {f: 1}}


class Node(ABC):
    """A criterion-tree node: evaluated in Python, and compiled to durable-rules formulas."""

    @abstractmethod
    def evaluate(self, facts: Mapping[FactRequest, Fact]) -> Trace: ...

    @abstractmethod
    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        """(condition for TRUE, condition for FALSE) over the patient fact's fields."""

    @abstractmethod
    def requests(self) -> Iterator[FactRequest]: ...

    @abstractmethod
    def describe(self) -> str:
        """The node as a person would read it, e.g. "total bilirubin ≤ 2 × ULN"."""


@dataclass(frozen=True, eq=False)
class _Leaf(Node):
    request: FactRequest
    label: str

    def requests(self) -> Iterator[FactRequest]:
        yield self.request

    def evaluate(self, facts: Mapping[FactRequest, Fact]) -> Trace:
        fact = facts[self.request]
        value = fact.value
        return Trace(self, _UNKNOWN if value is None else self._test(value), (), fact)

    @abstractmethod
    def _test(self, value: float | str | bool) -> Truth: ...


def bound_fields(field: str, request: FactRequest) -> tuple[str, str]:
    """The (low, high) fields of a numeric fact: one field twice, or two for a fact that may be a Range."""
    return (field + "l", field + "h") if getattr(request, "ranged", False) else (field, field)


def _bounds(value: float | Range) -> tuple[float, float]:
    """The compared (low, high) of a number or Range, rounded exactly as the durable-rules fact is."""
    if isinstance(value, Range):
        return round_sig(float(value.low)), round_sig(float(value.high))
    x = round_sig(float(value))
    return x, x


@dataclass(frozen=True, eq=False)
class Compare(_Leaf):
    """``fact op threshold`` on a number in the fact's canonical unit. A Range value decides the comparison
    only when every number in it agrees (e.g. eGFR with and without the race coefficient)."""

    op: str
    threshold: float
    shown_threshold: str

    def __post_init__(self) -> None:  # both evaluations compare against the same rounded constant
        object.__setattr__(self, "threshold", round_sig(float(self.threshold)))

    def _test(self, value: float | str | bool | Range) -> Truth:
        lo, hi = _bounds(value)  # type: ignore[arg-type]
        c, holds = self.threshold, _PY_OP[self.op]
        if self.op == "==":
            return _TRUE if lo == hi == c else _FALSE if c < lo or c > hi else _UNKNOWN
        at_lo, at_hi = holds(lo, c), holds(hi, c)  # the comparison is monotone over [lo, hi]
        return _TRUE if at_lo and at_hi else _FALSE if not (at_lo or at_hi) else _UNKNOWN

    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        lo, hi = bound_fields(field_of(self.request), self.request)
        c = self.threshold
        guard = [_exists(lo), _exists(hi)] if lo != hi else [_exists(lo)]
        if self.op == "==":
            true = [{"$eq": {lo: c}}, {"$eq": {hi: c}}]
            false = [{"$or": [{"$gt": {lo: c}}, {"$lt": {hi: c}}]}]
        else:  # x < c holds for all of [lo, hi] iff it holds at hi; it fails for all iff it fails at lo
            decides_true, decides_false = (hi, lo) if self.op in ("<", "<=") else (lo, hi)
            true = [{_DURABLE_OP[self.op]: {decides_true: c}}]
            false = [{_DURABLE_OP[_NEGATE[self.op]]: {decides_false: c}}]
        return {"$and": [*guard, *true]}, {"$and": [*guard, *false]}

    @cache  # noqa: B019  (nodes live as long as their compiled ruleset)
    def describe(self) -> str:
        return f"{self.label} {_SHOWN_OP[self.op]} {units_in_text(self.shown_threshold)}"


@dataclass(frozen=True, eq=False)
class Between(_Leaf):
    """``low ≤ fact ≤ high`` (both ends included, as protocols mean "between 18 and 65")."""

    low: float
    high: float
    shown_range: str

    def __post_init__(self) -> None:  # both evaluations compare against the same rounded constants
        object.__setattr__(self, "low", round_sig(float(self.low)))
        object.__setattr__(self, "high", round_sig(float(self.high)))

    def _test(self, value: float | str | bool | Range) -> Truth:
        lo, hi = _bounds(value)  # type: ignore[arg-type]
        if self.low <= lo and hi <= self.high:
            return _TRUE
        return _FALSE if hi < self.low or lo > self.high else _UNKNOWN

    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        lo, hi = bound_fields(field_of(self.request), self.request)
        guard = [_exists(lo), _exists(hi)] if lo != hi else [_exists(lo)]
        inside = {"$and": [*guard, {"$gte": {lo: self.low}}, {"$lte": {hi: self.high}}]}
        outside = {"$and": [*guard, {"$or": [{"$lt": {hi: self.low}}, {"$gt": {lo: self.high}}]}]}
        return inside, outside

    @cache  # noqa: B019  (nodes live as long as their compiled ruleset)
    def describe(self) -> str:
        return f"{self.label} between {units_in_text(self.shown_range)}"


@dataclass(frozen=True, eq=False)
class OneOf(_Leaf):
    """A categorical fact equals one of the listed values."""

    values: tuple[str, ...]

    def _test(self, value: float | str | bool) -> Truth:
        return _TRUE if value in self.values else _FALSE

    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        f = field_of(self.request)
        is_one = [{f: v} for v in self.values]
        is_none = [{"$neq": {f: v}} for v in self.values]
        true = is_one[0] if len(is_one) == 1 else {"$or": is_one}
        return {"$and": [_exists(f), true]}, {"$and": [_exists(f), *is_none]}

    @cache  # noqa: B019  (nodes live as long as their compiled ruleset)
    def describe(self) -> str:
        return f"{self.label} is {join_or(self.values)}"


@dataclass(frozen=True, eq=False)
class Flag(_Leaf):
    """A yes/no fact: a history item in a window, a condition, an attested judgement."""

    def _test(self, value: float | str | bool) -> Truth:
        return _TRUE if value is True else _FALSE

    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        f = field_of(self.request)
        return {f: 1}, {f: 0}

    def describe(self) -> str:
        return self.label


@dataclass(frozen=True, eq=False)
class All(Node):
    children: tuple[Node, ...]

    def evaluate(self, facts: Mapping[FactRequest, Fact]) -> Trace:
        traces = tuple([c.evaluate(facts) for c in self.children])
        return Trace(self, all_of([t.truth for t in traces]), traces)

    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        pairs = [c.formulas(field_of) for c in self.children]
        return {"$and": [t for t, _ in pairs]}, {"$or": [f for _, f in pairs]}

    def requests(self) -> Iterator[FactRequest]:
        for c in self.children:
            yield from c.requests()

    def describe(self) -> str:
        return "all of: " + "; ".join(c.describe() for c in self.children)


@dataclass(frozen=True, eq=False)
class Any(Node):
    children: tuple[Node, ...]

    def evaluate(self, facts: Mapping[FactRequest, Fact]) -> Trace:
        traces = tuple([c.evaluate(facts) for c in self.children])
        return Trace(self, any_of([t.truth for t in traces]), traces)

    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        pairs = [c.formulas(field_of) for c in self.children]
        return {"$or": [t for t, _ in pairs]}, {"$and": [f for _, f in pairs]}

    def requests(self) -> Iterator[FactRequest]:
        for c in self.children:
            yield from c.requests()

    def describe(self) -> str:
        return "any of: " + "; ".join(c.describe() for c in self.children)


@dataclass(frozen=True, eq=False)
class Not(Node):
    child: Node

    def evaluate(self, facts: Mapping[FactRequest, Fact]) -> Trace:
        inner = self.child.evaluate(facts)
        return Trace(self, not_(inner.truth), (inner,))

    def formulas(self, field_of: FieldOf) -> tuple[Formula, Formula]:
        t, f = self.child.formulas(field_of)
        return f, t

    def requests(self) -> Iterator[FactRequest]:
        yield from self.child.requests()

    def describe(self) -> str:
        return f"not ({self.child.describe()})"
