"""The only module that touches durable-rules. It fences every measured pitfall of durable-rules 2.0.28
(see docs/durable-rules.md); each fence is named here and has a test in tests/unit/evaluate/test_durable_adapter.py.

* Facts are asserted with ``assert_fact`` (never ``post``: an event is consumed by the first rule).
* Every rule ANDs the discriminator ``{"kind": "patient"}``, so no rule can match the engine's own state fact.
* ``None`` values are stripped and strings are never compared with numbers: fields are typed before assert.
* Comparisons are against constants only (×ULN is a precomputed ratio), each guarded by ``$ex``.
* ``$or`` fires once per true branch: fired rule names are collected into a set.
* Floats are rounded to 6 significant digits on both sides (thresholds at compile time, values here).
* A fact holds at most 250 properties: each trial sends only the fields its rules use, checked at compile.
* ``set_rulesets`` mutates its argument: it receives a deep copy.
* A ruleset name cannot be registered twice: names are ``<trial>@<content hash>`` and cached per host.
* Errors inside the engine surface as :class:`EvaluationError`, never swallowed.
* A catch-all rule always matches, so an assert is never "not handled" (which would make delete_state crash).
* Numbers are written without exponents: durable-rules' JSON reader rejects ``1e-05`` (error 204).
* Deleting a session with actions still pending segfaults: the action queue is always run to its end first.
* One live session at a time, under a lock, with ``delete_state`` in ``finally``: no sid collisions, no
  1024-sid limit, no state leaking between patients.
* The host starts no background threads (they run actions on their own thread and crash on deleted state).

Actions are drained here through the engine's own action queue rather than through ``Closure`` objects:
the rule name is all a verdict needs, and skipping the per-action JSON round trip is ~10x faster.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import durable_rules_engine as _core
from durable import engine as _engine

from ..errors import EvaluationError
from ..facts.model import Fact, FactRequest, Range
from .logic import Truth
from .nodes import Node, bound_fields, round_sig

__all__ = ["MAX_FIELDS", "DurableSession", "to_json"]


def _number(v: float) -> str:
    # durable-rules' JSON reader rejects exponents ("1e-05" is error 204): write every number in full.
    text = repr(v)
    if "e" not in text:
        return text
    text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def to_json(message: dict) -> str:
    """The patient fact as JSON durable-rules can read (flat: strings, integers, floats written in full)."""
    parts = []
    for key, value in message.items():  # keys are the adapter's own field names: no escaping needed
        if isinstance(value, float):
            parts.append(f'"{key}":{_number(value)}')
        elif isinstance(value, int):
            parts.append(f'"{key}":{value}')
        else:
            parts.append(f'"{key}":{json.dumps(value)}')
    return "{" + ",".join(parts) + "}"


def _check_constants(name: str, rules: dict) -> None:
    """Thresholds too small or large for durable-rules' JSON (it reads no exponents) are a compile error."""
    for number in re.findall(r"-?\d+(?:\.\d+)?[eE][-+]?\d+", json.dumps(rules)):
        raise EvaluationError(f"{name}: threshold {number} cannot be read by durable-rules; use another unit")


MAX_FIELDS = 240  # durable-rules fails above ~250 properties per fact (error 302); keep a margin
_SID = "1"
_DISCRIMINATOR = {"kind": "patient"}
_CATCH_ALL = "_seen"


class _QuietHost(_engine.Host):
    """A Host without the background dispatch threads every stock Host starts."""

    def _run(self) -> None:
        return None


def _never_called(_closure: object) -> None:  # actions are drained by the adapter, never dispatched
    raise EvaluationError("durable-rules dispatched an action on its own; the adapter drains actions itself")


class DurableSession:
    """Compiled durable-rules rules for one trial's criteria, evaluated one patient at a time.

    ``criteria`` maps a criterion id to its condition tree. ``evaluate`` returns the truth of every
    condition as durable-rules decides it (TRUE rule fired, FALSE rule fired, or neither = UNKNOWN).
    """

    _host = _QuietHost()
    _registered: ClassVar[dict[str, int]] = {}
    _lock = threading.Lock()

    def __init__(self, name: str, criteria: Mapping[str, Node], requests: tuple[FactRequest, ...]) -> None:
        width = sum(2 if getattr(r, "ranged", False) else 1 for r in requests)
        if width > MAX_FIELDS:
            raise EvaluationError(f"{name}: {width} fields exceed the {MAX_FIELDS} a durable-rules fact holds")
        self.name = name
        self.fields = {r: f"f{i}" for i, r in enumerate(requests)}
        rules: dict[str, dict] = {
            _CATCH_ALL: {"all": [{"m": _DISCRIMINATOR}], "run": _never_called},
        }
        for cid, node in criteria.items():
            true, false = node.formulas(self.fields.__getitem__)
            for suffix, formula in (("T", true), ("F", false)):
                rules[f"{cid}|{suffix}"] = {"all": [{"m": {"$and": [_DISCRIMINATOR, formula]}}], "run": _never_called}
        self.criteria = tuple(criteria)
        _check_constants(name, {k: v["all"] for k, v in rules.items()})
        with self._lock:
            if name not in self._registered:
                self._host.set_rulesets({name: copy.deepcopy(rules)})
                self._registered[name] = self._host.get_ruleset(name)._handle
            self._handle = self._registered[name]

    def message(self, facts: Mapping[FactRequest, Fact]) -> dict:
        """The one fact asserted for a patient: typed values only, None stripped, floats rounded."""
        out: dict = {"kind": "patient", "sid": _SID}
        for request, field in self.fields.items():
            v = facts[request].value
            if v is None:
                continue
            if isinstance(v, bool):
                out[field] = 1 if v else 0
            elif isinstance(v, float | Range):
                lo, hi = bound_fields(field, request)
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
        for cid in self.criteria:
            t, f = f"{cid}|T" in fired, f"{cid}|F" in fired
            if t and f:
                raise EvaluationError(f"{self.name}: {cid} fired both TRUE and FALSE rules")
            verdicts[cid] = Truth.TRUE if t else Truth.FALSE if f else Truth.UNKNOWN
        return verdicts
