"""The only module that touches durable-rules. It fences every measured pitfall of durable-rules 2.0.28
(see docs/durable-rules.md); each fence is named here and has a test in tests/unit/evaluate/test_durable_adapter.py.

* Facts are asserted with ``assert_fact`` (never ``post``: an event is consumed by the first rule).
* Every rule ANDs the discriminator ``{"kind": "patient"}``, so no rule can match the engine's own state fact.
* ``None`` values are stripped and strings are never compared with numbers: fields are typed before assert.
* Comparisons are against constants only (×ULN is a precomputed ratio), each guarded by ``$ex``.
* ``$or`` fires once per true branch: fired rule names are collected into a set.
* Floats are rounded to ``COMPARE_DIGITS`` (12) significant digits by the same function on both sides
  (thresholds when a node is built, values here and in the reference evaluation), then written exactly: the
  core reads numbers with ``atof``, so both evaluations compare the very same doubles.
* A fact holds at most 250 properties: each trial sends only the fields its rules use, checked at compile.
* The network is walked with a 64-entry stack (error 303 when a fact matches more tests at once): criteria
  are split into groups behind a test on a field of their own, with the stack each can use bounded at compile.
* Rules are compiled by the C core from the adapter's own JSON (``create_ruleset``), never through
  ``Host.set_rulesets``, whose ``json.dumps`` writes small and large thresholds with exponents and which
  mutates its argument.
* A ruleset name is compiled once: names are ``<trial>@<content hash>`` and their handles cached.
* Errors inside the engine surface as :class:`EvaluationError`, never swallowed.
* A catch-all rule always matches, so an assert is never "not handled" (which would make delete_state crash).
* Numbers are written without exponents, in rules and facts: durable-rules' JSON reader rejects ``1e-05``
  (error 204). Every finite float has such a form; a non-finite one is a compile error.
* Deleting a session with actions still pending segfaults: the action queue is always run to its end first.
* One live session at a time, under a lock, with ``delete_state`` in ``finally``: no sid collisions, no
  1024-sid limit, no state leaking between patients.
* No ``Host`` is created: every stock Host starts background threads that run actions on their own thread
  and crash on deleted state.

Actions are drained here through the engine's own action queue rather than through ``Closure`` objects:
the rule name is all a verdict needs, and skipping the per-action JSON round trip is ~10x faster.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar

import durable_rules_engine as _core

from ..errors import EvaluationError
from ..facts.model import Fact, FactRequest, Range
from .logic import Truth
from .nodes import Node, bound_fields, round_sig

__all__ = ["MAX_FIELDS", "DurableSession", "check_compilable", "to_json"]


def _number(v: float) -> str:
    # durable-rules' JSON reader rejects exponents ("1e-05" is error 204) and reads the rest with atof: the
    # shortest round-trip decimal, written in full, gives back the very same double.
    text = _NUMBERS.get(v)
    if text is not None:
        return text
    text = _write_number(v)
    if v and len(_NUMBERS) < _WRITTEN_MAX:  # never 0: 0.0 and -0.0 are one key but two texts
        _NUMBERS[v] = text
    return text


def _write_number(v: float) -> str:
    if not math.isfinite(v):
        raise EvaluationError(f"the number {v} cannot be given to durable-rules")
    text = repr(v)
    if "e" not in text:
        return text
    text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def _json(value: object) -> str:
    # Strings unescaped beyond JSON's needs (ensure_ascii=False) in rules and facts alike, so that a
    # non-ASCII category is written the same way on both sides.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_json(str(k))}:{_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_json(v) for v in value) + "]"
    raise EvaluationError(f"a {type(value).__name__} cannot be given to durable-rules")


def to_json(message: dict) -> str:
    """The patient fact as JSON durable-rules can read (flat: strings, integers, floats written in full).

    The hot path of every screening: a flat loop, three times faster than the general writer the rules use.
    """
    parts = []
    for key, value in message.items():  # keys are the adapter's own field names: no escaping needed
        if isinstance(value, float):
            parts.append(f'"{key}":{_number(value)}')
        elif isinstance(value, int):
            parts.append(f'"{key}":{value}')
        else:
            parts.append(f'"{key}":{_string(value)}')
    return "{" + ",".join(parts) + "}"


# Numbers and strings as written, remembered: results repeat across patients (a hemoglobin of 12.3 g/dL,
# an age of 59, "positive"), and writing a float in full costs ten dictionary reads. Bounded for memory.
_WRITTEN_MAX = 65536
_NUMBERS: dict[float, str] = {}
_STRINGS: dict[str, str] = {}


def _string(value: str) -> str:
    text = _STRINGS.get(value)
    if text is None:
        text = json.dumps(value, ensure_ascii=False)
        if len(_STRINGS) < _WRITTEN_MAX:
            _STRINGS[value] = text
    return text


def _rules_json(name: str, rules: dict) -> str:
    """The rules as durable-rules JSON; a threshold it cannot read (not a finite number) is a compile error."""
    try:
        return _json(rules)
    except EvaluationError as exc:
        raise EvaluationError(f"{name}: {exc}") from None


MAX_FIELDS = 240  # durable-rules fails above ~250 properties per fact (error 302); keep a margin
_STACK = 64  # durable-rules walks its alpha network with a fixed stack of 64 nodes (events.c; error 303 past it)
_GROUP_STACK = 32  # what one group of criteria may use of it, below the group's own node
_SID = "1"
_TRUE, _FALSE, _UNKNOWN = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
_DISCRIMINATOR = {"kind": "patient"}
_CATCH_ALL = "_seen"


class _Alpha:
    """A node of durable-rules' alpha network, built as its compiler builds it (rete.c ``createAlpha``): a
    test joins the parent's child with the same test, an ``$and`` chains, an ``$or`` starts every branch at
    the parent and adds a join node that each branch's last node links to."""

    __slots__ = ("_stack", "children", "links")

    def __init__(self) -> None:
        self.children: dict[str, _Alpha] = {}
        self.links: list[_Alpha] = []
        self._stack = 0

    def add(self, formula: dict) -> _Alpha:
        """Add a condition below this node; returns the node where it ends."""
        (key, value), *_ = formula.items()
        if key == "$and":
            node = self
            for part in value:
                node = node.add(part)
            return node
        if key == "$or":
            join = _Alpha()
            for branch in value:
                self.add(branch).links.append(join)
            return join
        # repr tells formulas apart exactly as their JSON does (1, 1.0 and True stay three), five times faster
        return self.children.setdefault(repr(formula), _Alpha())

    def stack(self) -> int:
        """The most entries the traversal stack holds from this node down, when every test matches: a popped
        node pushes all its matching children, and the ones not yet taken wait below the one taken next."""
        if not self._stack:
            below = [*self.children.values(), *self.links]
            self._stack = len(below) - 1 + max(c.stack() for c in below) if below else 1
        return self._stack


def _group_stack(formulas: list[tuple[dict, dict]]) -> int:
    node = _Alpha()
    for true, false in formulas:
        node.add(true), node.add(false)
    return node.stack()


def _compile(name: str, criteria: Mapping[str, Node], requests: tuple[FactRequest, ...]) -> tuple[dict, int, str]:
    """(fields, number of groups, rules JSON) for durable-rules, or :class:`EvaluationError` saying why not.

    Remembered per name, criteria (the very nodes) and requests: loading a ruleset checks what the session
    then compiles."""
    fields, groups, rules = _compiled(name, tuple(criteria.items()), requests)
    return dict(fields), groups, rules


@lru_cache(maxsize=64)
def _compiled(
    name: str, criteria: tuple[tuple[str, Node], ...], requests: tuple[FactRequest, ...]
) -> tuple[dict, int, str]:
    """:func:`_compile` (a criterion tree is hashed by identity: the nodes of one compiled ruleset).

    A patient fact matching many tests at once overflows durable-rules' traversal stack, so criteria are
    split into groups, each behind a test on its own always-present field (``g<k>: 1``), with the stack they
    can use bounded from the network they compile to.
    """
    fields = {r: f"f{i}" for i, r in enumerate(requests)}
    groups: list[list[tuple[str, tuple[dict, dict]]]] = [[]]
    for cid, node in criteria:
        pair = node.formulas(fields.__getitem__)
        if groups[-1] and _group_stack([p for _, p in groups[-1]] + [pair]) > _GROUP_STACK:
            groups.append([])
        groups[-1].append((cid, pair))
    width = sum(2 if getattr(r, "ranged", False) else 1 for r in requests) + len(groups)
    if width > MAX_FIELDS:
        raise EvaluationError(f"{name}: {width} fields exceed the {MAX_FIELDS} a durable-rules fact holds")
    deepest = max(_group_stack([p for _, p in g]) for g in groups) if criteria else 0
    if len(groups) - 1 + deepest > _STACK:
        raise EvaluationError(f"{name}: the criteria are too many or too wide for durable-rules' network")
    rules: dict[str, dict] = {_CATCH_ALL: {"all": [{"m": _DISCRIMINATOR}]}}
    for k, group in enumerate(groups):
        for cid, pair in group:
            for suffix, formula in zip("TF", pair, strict=True):
                rules[f"{cid}|{suffix}"] = {"all": [{"m": {"$and": [_DISCRIMINATOR, {f"g{k}": 1}, formula]}}]}
    return fields, len(groups), _rules_json(name, rules)


def check_compilable(name: str, criteria: Mapping[str, Node], requests: tuple[FactRequest, ...]) -> None:
    """Raise :class:`EvaluationError` for what durable-rules cannot compile (too many fields, a threshold it
    cannot read, a network too wide), so that a ruleset fails when it is loaded, not when a patient is screened."""
    _compile(name, criteria, requests)


class DurableSession:
    """Compiled durable-rules rules for one trial's criteria, evaluated one patient at a time.

    ``criteria`` maps a criterion id to its condition tree. ``evaluate`` returns the truth of every
    condition as durable-rules decides it (TRUE rule fired, FALSE rule fired, or neither = UNKNOWN).
    """

    _registered: ClassVar[dict[str, int]] = {}
    _lock = threading.Lock()

    def __init__(self, name: str, criteria: Mapping[str, Node], requests: tuple[FactRequest, ...]) -> None:
        self.name = name
        self.fields, groups, self.rules_json = _compile(name, criteria, requests)
        self._group_fields = {f"g{k}": 1 for k in range(groups)}
        self.criteria = tuple(criteria)
        self._plan = tuple((request, field, *bound_fields(field, request)) for request, field in self.fields.items())
        self._rule_names = tuple((cid, f"{cid}|T", f"{cid}|F") for cid in self.criteria)
        with self._lock:
            if name not in self._registered:
                try:
                    self._registered[name] = _core.create_ruleset(name, self.rules_json)
                except Exception as exc:  # the C core raises its own error type
                    raise EvaluationError(f"{name}: durable-rules cannot compile the rules: {exc}") from exc
            self._handle = self._registered[name]

    def message(self, facts: Mapping[FactRequest, Fact]) -> dict:
        """The one fact asserted for a patient: typed values only, None stripped, floats rounded."""
        out: dict = {"kind": "patient", "sid": _SID, **self._group_fields}
        for request, field, lo, hi in self._plan:
            v = facts[request].value
            if v is None:
                continue
            if type(v) is float:  # the common case first; subclasses take the general branches below
                out[lo] = out[hi] = round_sig(v)
            elif isinstance(v, bool):
                out[field] = 1 if v else 0
            elif isinstance(v, float | Range):
                out[lo] = round_sig(v.low if isinstance(v, Range) else v)
                out[hi] = round_sig(v.high if isinstance(v, Range) else v)
            elif isinstance(v, str):
                out[field] = v
            else:
                raise EvaluationError(f"{self.name}: fact {request} has untyped value {v!r}")
        return out

    def _drain(self, state: int, fired: set[str], quiet: bool = False) -> None:
        """Run the action queue to its end, collecting rule names (actions are nothing more)."""
        try:
            pending = _core.start_action_for_state(self._handle, state)
            action = pending[1] if pending else None
            while action:
                fired.add(action[2 : action.index('"', 2)])  # '{"<rule name>": {...}}'
                action = _core.complete_and_start_action(self._handle, state)
        except Exception:
            if not quiet:
                raise

    def evaluate(self, facts: Mapping[FactRequest, Fact]) -> dict[str, Truth]:
        """Assert one patient's facts, collect the fired rules, and always delete the session state."""
        payload = to_json(self.message(facts))
        fired: set[str] = set()
        with self._lock:
            state = None
            try:
                result = _core.assert_fact(self._handle, payload)
                state = result[1]
                if result[0] not in (0, 3):  # 1: not handled, 2: observed before (both impossible with catch-all)
                    raise EvaluationError(f"{self.name}: durable-rules rejected the patient fact (code {result[0]})")
                self._drain(state, fired)
            except EvaluationError:
                raise
            except Exception as exc:  # the C core raises its own error type
                raise EvaluationError(f"{self.name}: durable-rules failed: {exc}") from exc
            finally:
                if state is not None:  # deleting a session that was never created fails (error 309)
                    self._drain(state, set(), quiet=True)  # deleting with actions pending segfaults
                    _core.delete_state(self._handle, _SID)
        if _CATCH_ALL not in fired:
            raise EvaluationError(f"{self.name}: the catch-all rule did not fire; the patient fact was not seen")
        verdicts = {}
        for cid, true_rule, false_rule in self._rule_names:
            t, f = true_rule in fired, false_rule in fired
            if t and f:
                raise EvaluationError(f"{self.name}: {cid} fired both TRUE and FALSE rules")
            verdicts[cid] = _TRUE if t else _FALSE if f else _UNKNOWN
        return verdicts
