"""The sentences a criterion is written in, parsed into tree leaves at load time.

    total bilirubin <= 2 x ULN                      ×ULN of the result's own reference range
    hemoglobin >= 60 g/L                            any unit of the analyte's dimension
    age between 18 and 65 years                     inclusive at both ends
    CD19 expression is positive within 3 months before screening
    sex is female                                   categorical: "is a or b", "is not a"
    has Gilbert's syndrome                          a condition present now
    has acute GVHD within 4 weeks before screening  active at any time in the window
    received CAR-T therapy within 6 months before screening
    received gene therapy ever

Windows read "within <n> hours|days|weeks|months|years before <reference>", reference one of screening,
consent, enrollment, first dose (also "dosing", "infusion", "cell infusion"). Every fact must be in the
catalog, every condition and therapy a concept of the vocabulary, and every unit must convert to the catalog
unit of its fact: otherwise a :class:`SentenceError`.
What is not read exactly is refused, never guessed: an operator outside the list above (``=>``, ``=<``), a
threshold outside what the fact can be, a window on a fact that has no date (age, sex).
"""

from __future__ import annotations

import difflib
import math
import re
from typing import NamedTuple

from ..catalog import Catalog
from ..dates import Duration
from ..errors import UnitError
from ..evaluate.nodes import Between, Compare, Flag, Node, OneOf, round_sig
from ..facts.model import (
    DerivedRequest,
    DoseFilter,
    HistoryRequest,
    ObservationRequest,
    SexRequest,
    Window,
)
from ..units import conversion_factor
from ..vocabulary import Vocabulary, get_vocabulary

_UNWINDOWED = frozenset({"age"})  # computed from the whole record, not one window

__all__ = ["SentenceError", "parse_dose", "parse_sentence", "parse_window", "reference_name"]


class SentenceError(ValueError):
    """A sentence the language cannot read; the loader adds file, line and criterion."""


_NUM = r"-?\d+(?:\.\d+)?"
_OPS = {"<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "<": "<", ">": ">", "=": "==", "==": "=="}
_NEGATED = {"!<": ">=", "!>": "<=", "!≤": ">", "!≥": "<"}  # "not less than" is written >=
# The whole run of operator characters is the operator, so "=>" is refused rather than read as ">".
_OP = r"(?P<op>[<>=≤≥!]+)"
_FACT = r"(?P<fact>[^<>=≤≥!]+?)"
_REFERENCES = {
    "screening": "screening",
    "consent": "consent",
    "informed consent": "consent",
    "enrollment": "enrollment",
    "enrolment": "enrollment",
    "first dose": "first_dose",
    "first_dose": "first_dose",
    "dosing": "first_dose",
    "infusion": "first_dose",
    "cell infusion": "first_dose",
}
_DURATION_UNITS = {"hour": "hours", "day": "days", "week": "weeks", "month": "months", "year": "years"}
_WINDOW = re.compile(
    r"^(?:within\s+)?(?P<n>\d+)\s+(?P<unit>hours?|days?|weeks?|months?|years?)"
    r"(?:\s+or\s+(?P<k>\d+)\s+half-lives(?:,?\s+whichever is longer)?)?"
    r"\s+(?:before|prior to)\s+(?P<ref>.+?)$",
    re.IGNORECASE,
)
_WINDOW_SUFFIX = re.compile(
    r"\s+(?P<window>within\s+\d+\s+\w+(?:\s+or\s+\d+\s+half-lives(?:,?\s+whichever is longer)?)?"
    r"\s+(?:before|prior to)\s+.+)$",
    re.IGNORECASE,
)
_EXTREME = re.compile(r"^(?P<which>highest|lowest)\s+(?P<fact>.+?)\s+ever\s+(?P<rest>[<>=!≤≥].*)$", re.IGNORECASE)
_ANY_TIME = re.compile(r"\s+at any time$", re.IGNORECASE)
_SCALE_COMPARE = re.compile(rf"^{_FACT}\s*{_OP}\s*(?P<label>[^\s\d.-]\S*)$")
_COMPARE = re.compile(rf"^{_FACT}\s*{_OP}\s*(?P<num>{_NUM})\s*(?P<rest>.*)$")
_BETWEEN = re.compile(rf"^(?P<fact>.+?)\s+between\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})\s*(?P<unit>.*)$", re.I)
_IS = re.compile(r"^(?P<fact>.+?)\s+is\s+(?P<neg>not\s+)?(?:one of\s+)?(?P<values>.+)$", re.IGNORECASE)
_ULN = re.compile(r"^(?:x|×|\*|times)\s*ULN$", re.IGNORECASE)
_HISTORY = re.compile(
    r"^(?P<verb>received|has|(?:is\s+|currently\s+)?receiving)\s+(?P<what>.+?)(?:\s+(?P<ever>ever|at any time))?$",
    re.IGNORECASE,
)
_DOSE = re.compile(
    rf"^{_OP}\s*(?P<num>{_NUM})\s*(?P<unit>\S+)(?:\s+(?P<eq>prednisone|methylprednisolone)-equivalent)?$",
    re.IGNORECASE,
)


def _did_you_mean(suggestion: str | None, otherwise: str) -> str:
    """The end of an "unknown ..." message: a suggestion when there is one, else ``otherwise``."""
    return f" (did you mean '{suggestion}'?)" if suggestion else f" ({otherwise})"


def _operator(text: str) -> str:
    if text in _OPS:
        return _OPS[text]
    same_signs = [op for op in ("<=", ">=", "<", ">", "==") if set(op) == set(text)]  # "=>", ">=="
    suggestion = _NEGATED.get(text) or next(iter(same_signs), None)
    raise SentenceError(f"unknown operator '{text}'" + _did_you_mean(suggestion, "use <, <=, >, >=, = or between"))


def reference_name(text: str) -> str:
    """The canonical reference date named by ``text`` ("first dose", "cell infusion" -> ``first_dose``)."""
    key = re.sub(r"\s+", " ", text.strip().lower()).removeprefix("the ")
    if key not in _REFERENCES:
        close = difflib.get_close_matches(key, list(_REFERENCES), n=1, cutoff=0.6)
        raise SentenceError(
            f"unknown reference date '{text}'"
            + _did_you_mean(close[0] if close else None, "use screening, consent, enrollment or first dose")
        )
    return _REFERENCES[key]


def parse_window(text: str) -> Window:
    """ "within 72 hours before first dose" -> :class:`Window` (hours are whole days: 72 hours = 3 days)."""
    m = _WINDOW.match(text.strip())
    if not m:
        raise SentenceError(f"cannot read window '{text}' (expected 'within <n> <days|weeks|months> before <date>')")
    n, unit = int(m["n"]), _DURATION_UNITS[m["unit"].lower().rstrip("s")]
    if unit == "hours" and n % 24:
        raise SentenceError(f"window '{text}': hours must be whole days (dates carry no time of day)")
    half_lives = int(m["k"]) if m["k"] else None
    if half_lives is not None and unit not in ("days", "weeks"):
        raise SentenceError(f"window '{text}': with half-lives, give the fixed part in days or weeks")
    return Window(Duration(n, unit), reference_name(m["ref"]), half_lives)


def parse_dose(text: str) -> DoseFilter:
    """ ">= 10 mg/day prednisone-equivalent" -> :class:`DoseFilter`."""
    m = _DOSE.match(text.strip())
    if not m:
        raise SentenceError(f"cannot read dose '{text}' (expected e.g. '>= 10 mg/day prednisone-equivalent')")
    op = _operator(m["op"])
    if op == "==":
        raise SentenceError(f"dose '{text}': compare a dose with <, <=, > or >=")
    try:
        conversion_factor(m["unit"], "mg/day")
    except UnitError as exc:
        raise SentenceError(f"dose unit: {exc}") from None
    if float(m["num"]) < 0:
        raise SentenceError(f"dose '{text}' is below 0")
    eq = m["eq"].lower() if m["eq"] else None
    return DoseFilter(op, float(m["num"]), m["unit"], eq)  # type: ignore[arg-type]


def history_leaf(
    cat: Catalog,
    vocab: Vocabulary,
    verb: str,
    what: str,
    *,
    when: Window | str = "now",
    excluding: tuple[str, ...] = (),
    dose: DoseFilter | None = None,
    default_window: Window | None = None,
) -> Node:
    """Leaf for "received <therapy> ...", "receiving <therapy>" or "has <condition> ...": vocabulary concepts.

    A computed yes/no ("has PSA progression") reads its results through the sentence's own window, the
    ruleset's default for "now", or the whole record for "ever"."""
    receiving = "receiving" in verb.lower()
    therapy = verb.lower() == "received" or receiving
    domain = "therapy" if therapy else "condition"
    flag = cat.resolve("derived", what) if not therapy else None
    if flag is not None and cat.derived[flag].flag:
        if vocab.resolve(what, "condition") is not None:
            raise SentenceError(f"'{what}' names both a computed fact and a condition; a name must mean one thing")
        window = when if isinstance(when, Window) else default_window if when == "now" else None
        own = f" {when}" if isinstance(when, Window) else " ever" if when == "ever" else ""
        return Flag(DerivedRequest(flag, window), f"has {cat.derived[flag].label}{own}")
    concept = vocab.resolve(what, domain)
    if concept is None:
        suggestions = vocab.suggest(what, domain, n=1) or ([cat.suggest(what, "derived")] if not therapy else [])
        raise SentenceError(
            f"unknown {domain} '{what}'" + _did_you_mean(next(iter(suggestions), None), "not in the vocabulary")
        )
    excluded = []
    for e in excluding:
        k = vocab.resolve(e, domain)
        if k is None:
            raise SentenceError(
                f"unknown {domain} '{e}' in 'except'"
                + _did_you_mean(next(iter(vocab.suggest(e, domain, n=1)), None), "not in the vocabulary")
            )
        if not vocab.is_a(k.id, concept.id):
            raise SentenceError(f"'except: {e}': {k.label} is not a kind of {concept.label}")
        excluded.append(k.id)
    if not therapy and dose:
        raise SentenceError("'dose' applies to therapies only")
    if therapy and when == "now" and not receiving:
        raise SentenceError(
            f"say when: 'received {what} within <n> <unit> before <date>', '... ever', or 'receiving {what}' for now"
        )
    if receiving and when != "now":
        raise SentenceError("'receiving' means now; use 'received ... within ...' for a window")
    request = HistoryRequest(
        "therapies" if therapy else "conditions",
        concept.id,
        when,
        frozenset(excluded),
        dose,  # type: ignore[arg-type]
    )
    label = ("receiving " if receiving else "received " if therapy else "has ") + concept.label
    if excluded:
        label += " (except " + ", ".join(vocab[k].label for k in excluded) + ")"
    if dose:
        label += f" {dose}"
    if isinstance(when, Window):
        label += f" {when}"
    elif when == "ever":
        label += " ever"
    return Flag(request, label)


def parse_sentence(
    cat: Catalog, text: str, default_window: Window | None = None, vocab: Vocabulary | None = None
) -> Node:
    """Parse one criterion sentence into a leaf node, resolving facts and units against the catalog and
    conditions and therapies against the vocabulary."""
    s = re.sub(r"\s+", " ", text.strip())
    hist = _HISTORY.match(s)
    if hist:
        what, when = hist["what"], ("ever" if hist["ever"] else "now")
        w = _WINDOW_SUFFIX.search(what)
        if w:
            what, when = what[: w.start()], parse_window(w["window"])
        return history_leaf(
            cat, vocab or get_vocabulary(), hist["verb"], what, when=when, default_window=default_window
        )

    return _observation_leaf(cat, s, default_window)


def _observation_leaf(cat: Catalog, s: str, default_window: Window | None) -> Node:
    window, own = default_window, ""
    if e := _EXTREME.match(s):  # every result ever, not the latest: "highest reported QTc interval ever > 470 ms"
        if _WINDOW_SUFFIX.search(s) or _ANY_TIME.search(s):
            raise SentenceError(f"'{e['which']} … ever' reads every result; it takes no window")
        fact = _numeric(cat, e["fact"], None, "", e["which"].lower())
        if m := _COMPARE.match(f"{e['fact']} {e['rest']}"):
            op, rest = _operator(m["op"]), m["rest"].strip()
            if _ULN.match(rest):
                raise SentenceError(f"'{e['which']} … ever' compares results, not × ULN")
            _refuse_exact(op, fact.label)
            return Compare(
                fact.request, fact.label, op, fact.threshold(m["num"], rest or None), f"{m['num']} {rest}".strip()
            )
        raise SentenceError(f"cannot read '{s}' (expected e.g. 'highest reported QTc interval ever > 470 ms')")
    w = _WINDOW_SUFFIX.search(s)
    if w:
        s, window = s[: w.start()], parse_window(w["window"])
        own = f" {window}"
    elif a := _ANY_TIME.search(s):  # the latest result whatever its date, overriding the ruleset's default
        s, window, own = s[: a.start()], None, " at any time"

    if (m := _SCALE_COMPARE.match(s)) and (code := cat.resolve("observations", m["fact"])) is not None:
        op = _operator(m["op"])
        scale = cat.observations[code].scale
        if scale is None:
            raise SentenceError(f"'{m['label']}' is not a number; {cat.observations[code].label} is not on a scale")
        if m["label"] not in scale:
            raise SentenceError(
                f"'{m['label']}' is not on the {cat.observations[code].label} scale ({', '.join(scale)})"
            )
        request = ObservationRequest(code, window, ranged=True)
        return Compare(request, cat.observations[code].label + own, op, float(scale.index(m["label"])), m["label"])
    if m := _BETWEEN.match(s):
        fact = _numeric(cat, m["fact"], window, own)
        unit = m["unit"] or fact.unit
        lo, hi = (fact.threshold(m[end], m["unit"] or None) for end in ("a", "b"))
        if lo > hi:
            raise SentenceError(f"'between {m['a']} and {m['b']}': the low end is above the high end")
        return Between(fact.request, fact.label + own, lo, hi, f"{m['a']} and {m['b']} {unit}".strip())
    if m := _COMPARE.match(s):
        op, rest = _operator(m["op"]), m["rest"].strip()
        if _ULN.match(rest):
            code = _observation(cat, m["fact"])
            if not cat.observations[code].numeric:
                raise SentenceError(f"'{m['fact']}' is categorical; × ULN needs a numeric result")
            if float(m["num"]) <= 0:
                raise SentenceError(f"'{m['num']} × ULN': a multiple of the ULN must be positive")
            _refuse_exact(op, f"{cat.observations[code].label} × ULN")
            request = ObservationRequest(code, window, per_uln=True, ranged=True)
            return Compare(request, cat.observations[code].label + own, op, float(m["num"]), f"{m['num']} × ULN")
        fact = _numeric(cat, m["fact"], window, own)
        if not fact.integer:
            _refuse_exact(op, fact.label)
        threshold = fact.threshold(m["num"], rest or None)
        return Compare(fact.request, fact.label + own, op, threshold, f"{m['num']} {rest}".strip())
    if m := _IS.match(s):
        return _categorical(cat, m["fact"], m["values"], bool(m["neg"]), window, own)
    raise SentenceError(f"cannot read '{s}'")


def _unknown_fact(cat: Catalog, name: str) -> SentenceError:
    return SentenceError(
        f"unknown fact '{name}'" + _did_you_mean(cat.suggest(name, "observations", "derived"), "not in the catalog")
    )


def _observation(cat: Catalog, name: str) -> str:
    code = cat.resolve("observations", name)
    if code is None:
        raise _unknown_fact(cat, name)
    return code


def _refuse_exact(op: str, label: str) -> None:
    """Equality holds for counts and grades; a measured number equals a threshold only by accident of rounding."""
    if op == "==":
        raise SentenceError(f"'=' on {label}, a measured number, is never exact; use 'between', <= or >=")


def _undated(label: str, own: str) -> None:
    """A sentence's own window on a fact that has no date would be silently ignored: refuse it."""
    if own:
        raise SentenceError(f"{label} has no date; it takes no window ('{own.strip()}')")


class _Numeric(NamedTuple):
    """A numeric fact named in a sentence: its request, label, catalog unit, molecular weight and bounds."""

    request: ObservationRequest | DerivedRequest
    label: str
    unit: str
    mw: float | None
    low: float | None = None
    high: float | None = None
    integer: bool = False  # counts and grades: '=' is meaningful

    def threshold(self, number: str, unit: str | None) -> float:
        """``number`` in ``unit`` converted to the catalog unit; refused outside what the fact can be."""
        value = round_sig(float(number) * _factor(unit, self.unit, self.mw, self.label))
        shown = f"{number} {unit or ''}".strip()
        if not math.isfinite(value):
            raise SentenceError(f"threshold {shown} for {self.label} is not a usable number")
        if self.low is not None and value < self.low:
            raise SentenceError(
                f"threshold {shown} for {self.label} is below its smallest possible value ({self.low:g} {self.unit})"
            )
        if self.high is not None and value > self.high:
            raise SentenceError(
                f"threshold {shown} for {self.label} is above its largest possible value ({self.high:g} {self.unit})"
            )
        return value


def _numeric(cat: Catalog, name: str, window: Window | None, own: str, extreme: str | None = None) -> _Numeric:
    if (key := cat.resolve("derived", name)) is not None:
        d = cat.derived[key]
        if extreme:
            raise SentenceError(f"'{extreme} … ever' reads recorded results; {d.label} is computed")
        if d.unit is None:
            raise SentenceError(f"'{name}' is not a number; use 'is' (categories) or 'has' (yes/no)")
        if key in _UNWINDOWED:
            _undated(d.label, own)
            window = None
        return _Numeric(DerivedRequest(key, window), d.label, d.unit, None)
    code = _observation(cat, name)
    o = cat.observations[code]
    if not o.numeric:
        raise SentenceError(f"'{name}' is categorical ({', '.join(o.values or ())}); use 'is'")
    request = ObservationRequest(code, window, extreme=extreme, ranged=True)  # type: ignore[arg-type]
    label = f"{extreme} {o.label} ever" if extreme else o.label
    return _Numeric(request, label, o.unit or "1", o.mw, o.min, o.max, o.integer)


def _factor(unit: str | None, target: str, mw: float | None, label: str) -> float:
    if unit is None:
        if target != "1":  # "LVEF <= 45" must say "%": a bare number is never guessed into a unit
            raise SentenceError(f"threshold for {label} needs a unit (in {target} or the same dimension)")
        return 1.0
    try:
        return conversion_factor(unit, target, mw)
    except UnitError as exc:
        raise SentenceError(f"threshold unit does not fit {label}: {exc}") from None


def _categorical(cat: Catalog, name: str, values_text: str, negate: bool, window: Window | None, own: str) -> Node:
    wanted = [v.strip().lower() for v in re.split(r",|\bor\b", values_text) if v.strip()]
    request: ObservationRequest | DerivedRequest | SexRequest
    if normal := cat.resolve("observations", name):
        o = cat.observations[normal]
        if o.values is None:
            raise SentenceError(f"'{name}' is numeric; compare it with <, <=, >, >= or 'between'")
        allowed, request, label = o.values, ObservationRequest(normal, window), o.label
    elif (key := cat.resolve("derived", name)) and cat.derived[key].values:
        d = cat.derived[key]
        allowed, request, label = d.values, DerivedRequest(key, window), d.label  # type: ignore[assignment]
    elif name.strip().lower() == "sex":
        _undated("sex", own)
        allowed, request, label = ("female", "male"), SexRequest(), "sex"
    else:
        raise _unknown_fact(cat, name)
    spelled = {v.lower(): v for v in allowed}
    for v in wanted:
        if v not in spelled:
            raise SentenceError(f"'{v}' is not a value of {label} ({', '.join(allowed)})")
    chosen = tuple(v for v in allowed if (v.lower() in wanted) != negate)
    return OneOf(request, label + own, chosen)
