"""History: whether a condition concept was present or a therapy concept given, now, ever, or in a window.

A question about a concept is answered by records of it or of anything below it in the vocabulary; a record of
something broader leaves it open (docs/vocabulary.md).

Absence of a record is not absence of the condition: FALSE needs an explicit "absent" record or a history
declared complete; an "absent" record beside an unresolved "present" one is a conflict for review.
"Within N before REF" holds while strictly less than N has elapsed since a record ended; imprecise dates
and reference dates not yet given leave a window undecided rather than guessed. A record beginning after
the as-of date is not active now.
"""

from __future__ import annotations

import itertools
from datetime import date

from .. import calculators
from ..dates import DateSpan, Duration, shift
from ..errors import CalculatorInputError, UnitError
from ..patient import Therapy
from ..units import conversion_factor
from ..vocabulary.graph import Answering
from ..words import join_and, join_or, join_settle, none_recorded
from .index import _FAR_PAST, PatientIndex, open_reference, unknown
from .model import (
    Evidence,
    Fact,
    HistoryRequest,
    Reason,
    Window,
)
from .observations import window_bounds

__all__ = ["conditions_fact", "therapies_fact"]


def _overlap(ix: PatientIndex, start: DateSpan | None, end: DateSpan | None, ongoing: bool, w: Window | str):
    """TRUE/FALSE/None: was a record with this start and end active in the window? Also when that changes."""
    if isinstance(w, str) and w == "ever":  # a Window compared with a string is a slow dataclass __eq__
        return True, None
    s_lo = start.earliest if start else None
    # Without a start date, a record still began no later than it ended, and one on record began by today.
    s_hi = start.latest if start else (end.latest if end is not None and not ongoing else ix.as_of)
    if ongoing:
        e_lo, e_hi = ix.as_of, None
    elif end is not None:
        e_lo, e_hi = end.earliest, end.latest
    else:  # stopped at an unknown date no later than today
        e_lo, e_hi = (s_lo or _FAR_PAST), ix.as_of
    if isinstance(w, str) and w == "now":
        if s_lo is not None and s_lo > ix.as_of:
            return False, None  # begins after the as-of date: not active now
        if ongoing or (end is None):
            began = s_hi is None or s_hi <= ix.as_of  # a start date that may fall after the as-of date is undecided
            return (True if ongoing and began else None), None
        return (False if e_hi is not None and e_hi < ix.as_of else None), None
    assert isinstance(w, Window)
    lo_cut, hi_cut, missing_ref = window_bounds(ix, w)  # REF - N, placed once per patient and window
    if missing_ref is not None:
        return None, None
    ref = ix.reference(w.reference)
    assert ref is not None  # placed, so its reference date is bounded
    # "within N before REF": still active after REF - N (strictly: exactly N elapsed is outside) and begun by REF.
    clears = shift(e_hi, w.duration, sign=+1) if e_hi is not None else None
    if e_hi is not None and lo_cut is not None and e_hi <= lo_cut:
        return False, None
    if s_lo is not None and ref.latest is not None and s_lo > ref.latest:
        return False, None
    if (
        hi_cut is not None
        and e_lo > hi_cut
        and (s_hi is not None and ref.earliest is not None and s_hi <= ref.earliest)
    ):
        return True, clears
    return None, clears


def conditions_fact(ix: PatientIndex, r: HistoryRequest) -> Fact:
    """Whether condition concept ``r.name`` holds in the time asked, from records of it or anything below it.

    A record of something above it ("CNS disease" when epilepsy is asked) or an unclassified member of a
    partitioned class leaves it open; an "absent" record of it or of anything above it rules it out."""
    answering = ix.vocab.answering(r.name, r.excluding)
    if ix.condition_concepts.isdisjoint(answering.said):  # no record says anything of it: as for any patient
        complete = "conditions" in ix.patient.complete_history
        return ix.shared_fact(("conditions", r, complete), lambda: _conditions_fact(ix, r, answering))
    return _conditions_fact(ix, r, answering)


def _conditions_fact(ix: PatientIndex, r: HistoryRequest, answering: Answering) -> Fact:
    vocab = ix.vocab
    label = vocab[r.name].label
    when = f" {r.when}" if isinstance(r.when, Window) else (" ever" if r.when == "ever" else "")
    present, vague, absent, suspected = [], [], [], []
    # A kind the protocol excepts ("other malignancy except the prostate cancer under study") says nothing;
    # "malignant neoplasm" may be the excepted prostate cancer itself (vague); "no CNS disease" is also "no
    # epilepsy". The vocabulary answers these as sets, once per question.
    said = ix.condition_concepts & answering.said
    if said:  # only the records of these concepts, in record order
        for c, p, cid in ix.conditions_of(said):
            if c.status == "present":
                if cid in answering.present:
                    present.append((c, p, cid))
                elif cid in answering.vague:
                    vague.append((c, p))
            elif c.status == "suspected":
                if cid in answering.present or cid in answering.vague:
                    suspected.append((c, p))
            elif cid in answering.denies:
                absent.append((c, p))
    ev = tuple(
        Evidence(p, f"{c.code}: {c.status}", str(c.onset) if c.onset else None)
        for c, p in (*((c, p) for c, p, _ in present), *vague, *suspected, *absent)
    )
    unknown_one = None
    active = []
    for c, p, cid in present:
        truth, _clears = _overlap(ix, c.onset, c.resolved, c.resolved is None, r.when)
        if truth is True:
            active.append((c, p, cid))
        if truth is None:
            unknown_one = c
    # An "absent" record denies the condition now: an unresolved episode contradicts it, a resolved one does not.
    ongoing = [p for c, p, _ in active if c.resolved is None]
    if ongoing and absent:
        return unknown(
            "ambiguous",
            label,
            f"{label} is recorded both present ({join_and(ongoing)}) and absent ({join_and(p for _, p in absent)})",
            f"which record of {label} is right",
            ev,
        )
    if active:
        kinds = [f"{c.code} ({p})" for c, p, cid in active if cid != r.name]
        return Fact(True, f"{label}{when} recorded " + (f"as {join_and(kinds)}" if kinds else "present"), ev)
    # Considered but not confirmed (provisional, differential): neither has it nor rules it out, complete or not.
    doubtful = [
        (c, p) for c, p in suspected if _overlap(ix, c.onset, c.resolved, c.resolved is None, r.when)[0] is not False
    ]
    if doubtful:
        said = join_and(f"{c.code} ({p})" for c, p in doubtful)
        return unknown(
            "ambiguous",
            label,
            f"{said} is recorded as suspected, not confirmed",
            f"whether {said} is confirmed",
            ev,
        )
    if unknown_one is not None:
        onset = f"onset {unknown_one.onset}" if unknown_one.onset else "onset not recorded"
        resolved = f"resolved {unknown_one.resolved}" if unknown_one.resolved else "not resolved"
        return unknown(
            "ambiguous",
            label,
            f"{unknown_one.code} recorded ({onset}, {resolved}) may or may not fall{when or ' now'}",
            f"dates of the {unknown_one.code} record",
            ev,
        )
    if absent:
        return Fact(False, f"{label} recorded absent", ev)
    relevant = [
        (c, p) for c, p in vague if _overlap(ix, c.onset, c.resolved, c.resolved is None, r.when)[0] is not False
    ]
    if relevant:
        said = join_and(f"{c.code} ({p})" for c, p in relevant)
        asked = label
        if r.excluding:
            asked += " other than " + " or ".join(vocab[e].label for e in sorted(r.excluding))
        return unknown(
            "ambiguous",
            label,
            f"recorded {said}{when or ' now'} does not say whether it is {asked}",
            f"which {asked} the record {said} is, if any",
            ev,
        )
    complete = "conditions" in ix.patient.complete_history
    if present:  # every recorded episode resolved outside the time asked about
        c = present[0][0]
        episode = f"{label} recorded from {c.onset} to {c.resolved}"
        if complete:
            return Fact(False, f"{episode}; no other episode in the complete condition history", ev)
        return unknown(
            "missing",
            label,
            f"{episode}; without a complete condition history another episode{when or ' now'} cannot be ruled out",
            _present_or_absent(label, when),
            ev,
        )
    if complete:
        return Fact(False, none_recorded(label, "the complete condition history"), ev)
    return unknown("missing", label, f"{label} is not recorded as present or absent", _present_or_absent(label, when))


def _present_or_absent(label: str, when: str) -> str:
    """What would settle a condition nobody recorded, as a question that reads right for any label."""
    asked = f"any history of {label}" if when == " ever" else f"{label}{when}"
    return f"{asked}: present or absent"


def therapies_fact(ix: PatientIndex, r: HistoryRequest) -> Fact:
    """Whether therapy concept ``r.name`` was given in the time asked: records of it or anything below it count
    (except the excepted classes); a record only known as something broader leaves it open."""
    related = ix.vocab.answering(r.name, r.excluding).related
    if not ix.unmapped_therapies and ix.therapy_concepts.isdisjoint(related):  # no record of it: as for anyone
        complete = "therapies" in ix.patient.complete_history
        return ix.shared_fact(("therapies", r, complete), lambda: _therapies_fact(ix, r))
    return _therapies_fact(ix, r)


def _therapies_fact(ix: PatientIndex, r: HistoryRequest) -> Fact:
    vocab = ix.vocab
    label = vocab[r.name].label
    needs_route = any(vocab[a].route == "systemic" for a in vocab.ancestors(r.name))
    when = f" {r.when}" if isinstance(r.when, Window) else (" now" if r.when == "now" else " ever")
    hits, maybes, unmapped = [], [], []
    below_dose: list[Therapy] = []
    clears_on: list[date] = []
    for t, path, concepts in ix.therapies:
        if concepts is None:
            unmapped.append((t, path))
            continue
        if any(vocab.is_a(c, e) for c in concepts for e in r.excluding):
            continue  # fludarabine given as the protocol's lymphodepletion is not "chemotherapy" here
        relations = {vocab.relation(c, r.name) for c in concepts}
        vague = "is" not in relations and bool(relations & {"broader", "unclassified"})
        if "is" not in relations and not vague:
            continue
        member = True if vague else _route_and_dose(t, r, needs_route)
        window, unknown_half_life = _washout(r.when, t)
        truth, clears = _overlap(ix, t.start, t.end, t.ongoing, window)
        if truth is False and unknown_half_life:
            truth = None  # outside the day count, but K half-lives of an unknown half-life may be longer
        systemic = not needs_route or calculators.is_systemic_route(t.route) is True
        if member is False and truth is not False and r.dose is not None and systemic:
            below_dose.append(t)  # alone below the dose asked about; with an overlapping record it may not be
        if truth is False or member is False:
            continue
        ev = Evidence(path, _therapy_shown(t), str(t.start) if t.start else None)
        if vague:
            maybes.append((ev, f"recorded only as {join_or(vocab[c].label for c in sorted(concepts))}, not as {label}"))
        elif truth is True and member is True:
            hits.append(ev)
        elif member is None:
            maybes.append((ev, "dose or route not recorded"))
        elif truth is None and unknown_half_life:
            maybes.append((ev, f"half-life of {t.name} not known; give it on the therapy record"))
        else:
            maybes.append((ev, "dates do not settle the window"))
        if clears:
            clears_on.append(clears)
    for a, b in itertools.combinations(below_dose, 2):
        if _same_time(ix, a, b):
            for t in (a, b):
                ev = Evidence(t.id or t.name, _therapy_shown(t), str(t.start) if t.start else None)
                maybes.append((ev, "another record overlaps it: their doses may add up"))
    changes_on = max(clears_on) if clears_on else None
    if hits:
        return Fact(True, f"{label}{when}: " + "; ".join(e.value for e in hits), tuple(hits), changes_on=changes_on)
    if maybes:
        evs = tuple(e for e, _ in maybes)
        detail = "; ".join(f"{e.value} ({why})" for e, why in maybes)
        open_ref = open_reference(ix, r.when)
        if open_ref and all(why.startswith("dates") for _, why in maybes):
            after = f" (settled if on or after {changes_on})" if changes_on else ""
            return Fact(
                None,
                "",
                evs,
                Reason(
                    "missing",
                    label,
                    f"{label}{when} depends on the {open_ref} date, not yet given: {detail}",
                    f"the {open_ref} date{after}",
                ),
                changes_on,
            )
        return Fact(
            None,
            "",
            evs,
            Reason(
                "ambiguous",
                label,
                f"{label}{when} is unclear: {detail}",
                join_settle(
                    f"what exactly {e.value} was"
                    if why.startswith("recorded only as")
                    else f"exact dates, dose and route of {e.value}"
                    for e, why in maybes
                ),
            ),
            changes_on,
        )
    if "therapies" not in ix.patient.complete_history:
        return unknown(
            "missing",
            label,
            f"therapy history is not declared complete, so {label}{when} cannot be ruled out",
            f"the complete therapy history ({label}{when})",
        )
    if unmapped:
        names = join_and(t.name for t, _ in unmapped)
        return unknown(
            "ambiguous",
            label,
            f"therapy not in the vocabulary ({names}) may be {label}",
            f"the class of {names}",
            tuple(Evidence(p, t.name) for t, p in unmapped),
        )
    return Fact(False, none_recorded(f"{label}{when}", "the complete therapy history"), ())


def _same_time(ix: PatientIndex, a: Therapy, b: Therapy) -> bool:
    """Could the two records have been taken on a same day?"""

    def span(t: Therapy) -> tuple[date, date]:
        start = t.start.earliest if t.start else date.min
        end = ix.as_of if t.ongoing else t.end.latest if t.end else ix.as_of
        return start, end

    (a0, a1), (b0, b1) = span(a), span(b)
    return a0 <= b1 and b0 <= a1


def _washout(when: Window | str, t: Therapy) -> tuple[Window | str, bool]:
    """The window for one record: "N days or K half-lives, whichever is longer" needs the drug's half-life.

    Returns the window to use and whether the half-life was unknown (the day count alone then only proves
    that a record falls inside the window, never that it falls outside).
    """
    if not isinstance(when, Window) or when.half_lives is None:
        return when, False
    base = when.duration.amount * (7 if when.duration.unit == "weeks" else 1)
    half_life = t.half_life_days or calculators.HALF_LIFE_DAYS.get(t.name.strip().lower())
    days = calculators.washout_days(days=base, half_life_days=half_life, half_lives=when.half_lives)
    if days is None:
        return Window(Duration(base, "days"), when.reference), True
    return Window(Duration(days, "days"), when.reference), False


def _therapy_shown(t: Therapy) -> str:
    dose = f" {t.dose.value:g} {t.dose.unit}" if t.dose else ""
    route = f" {t.route}" if t.route else ""
    span = f" from {t.start}" if t.start else ""
    span += " (ongoing)" if t.ongoing else (f" to {t.end}" if t.end else " (end date not recorded)")
    return f"{t.name}{dose}{route}{span}"


def _route_and_dose(t: Therapy, r: HistoryRequest, needs_route: bool) -> bool | None:
    """Does this record meet the request's route and dose conditions? None when the record cannot say."""
    if needs_route:
        systemic = calculators.is_systemic_route(t.route)
        if systemic is not True:
            return systemic
    if r.dose is None:
        return True
    if t.dose is None:
        return None
    try:
        mg_day = t.dose.value * conversion_factor(t.dose.unit, "mg/day")
    except UnitError:
        return None
    try:
        if r.dose.equivalent == "prednisone":
            mg_day = calculators.prednisone_equivalent_mg(drug=t.name, dose_mg=mg_day)
        elif r.dose.equivalent == "methylprednisolone":
            mg_day = calculators.methylprednisolone_equivalent_mg(drug=t.name, dose_mg=mg_day)
    except CalculatorInputError:  # no equivalence known for this drug: a person must judge the dose
        return None
    threshold = r.dose.threshold * conversion_factor(r.dose.unit, "mg/day")
    ops = {"<": mg_day < threshold, "<=": mg_day <= threshold, ">": mg_day > threshold, ">=": mg_day >= threshold}
    return ops[r.dose.op]
