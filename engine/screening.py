"""The flow of DESIGN.md in one place: patient -> facts for a trial -> durable-rules verdicts -> results.

The Python evaluation of the same criterion trees runs beside durable-rules: it is the reference the
rules engine is checked against on every call, and the trace every explanation is written from.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from .catalog import catalog_for
from .context import ScreeningContext, unknown_trial_answers
from .dates import Duration, shift
from .errors import EvaluationError, InputError, RulesetError, UnknownTrialError
from .evaluate.durable_adapter import DurableSession
from .evaluate.logic import Truth
from .evaluate.nodes import Trace
from .explain import explain, missing_data
from .facts.extract import PatientIndex, extract_facts
from .facts.model import HistoryRequest
from .facts.staleness import distant_reference_dates, old_record, stale_results
from .patient import Patient, load_patient, patient_from_data
from .results import CriterionResult, GateStatus, RulesetInfo, TrialResult, Verdict
from .rules.loader import CompiledCriterion, CompiledRuleset, load_ruleset
from .vocabulary import Vocabulary, get_vocabulary

__all__ = ["DEFAULT_RULESETS", "Screener", "as_patient", "as_vocabulary"]

DEFAULT_RULESETS = Path(__file__).resolve().parent.parent / "rulesets"
MAX_AGE_YEARS = 130
"""Older than anyone has lived: a birth date before this is a typo, not a patient."""


VocabularyLike = Vocabulary | str | Path | Iterable[str | Path] | None


def as_vocabulary(vocabulary: VocabularyLike) -> Vocabulary:
    """A vocabulary, or site directories extending the package's (``$PRESCREEN_VOCABULARY`` also applies)."""
    if isinstance(vocabulary, Vocabulary):
        return vocabulary
    if vocabulary is None:
        return get_vocabulary()
    return get_vocabulary([vocabulary] if isinstance(vocabulary, str | Path) else list(vocabulary))


def as_patient(patient: Patient | dict | str | Path, vocabulary: Vocabulary | None = None) -> Patient:
    """Accept a Patient, a dict (native patient fields or a FHIR R4 Bundle), or a path to either as a file."""
    if isinstance(patient, Patient):
        return patient
    if isinstance(patient, dict) and patient.get("resourceType") == "Bundle":
        from .fhir import patient_from_bundle  # only FHIR input needs the FHIR mapping

        return patient_from_bundle(patient, source="<bundle>", vocabulary=vocabulary)
    if isinstance(patient, dict):
        return patient_from_data(patient, vocabulary=vocabulary)
    if isinstance(patient, str | Path):
        return load_patient(patient, vocabulary)
    raise InputError(f"cannot screen a {type(patient).__name__}; give a Patient, a dict or a file path")


class Screener:
    """Compiled rulesets, ready to screen patients. Build once; safe to share between threads."""

    def __init__(self, rulesets: Iterable[CompiledRuleset], vocabulary: VocabularyLike = None) -> None:
        """``vocabulary`` must be the one the rulesets were compiled with (:meth:`from_directory` sees to it)."""
        self.vocabulary = as_vocabulary(vocabulary)
        self.catalog = catalog_for(self.vocabulary)
        self.rulesets: dict[str, CompiledRuleset] = {}
        self._sessions: dict[str, DurableSession] = {}
        for rs in rulesets:
            if rs.trial in self.rulesets:
                raise RulesetError(f"trial {rs.trial} is also defined in {self.rulesets[rs.trial].path}", path=rs.path)
            self.rulesets[rs.trial] = rs
            self._sessions[rs.trial] = DurableSession(rs.name, {c.id: c.condition for c in rs.criteria}, rs.requests)
        self._lock = threading.Lock()

    @classmethod
    def from_directory(cls, directory: str | Path = DEFAULT_RULESETS, vocabulary: VocabularyLike = None) -> Screener:
        """Load every ``*.yaml`` ruleset in a directory (named by NCT id), naming concepts of ``vocabulary``
        (default: the package's, extended by ``$PRESCREEN_VOCABULARY``; or site directories to add)."""
        paths = sorted(Path(directory).glob("*.yaml"))
        if not paths:
            raise InputError("no rulesets (*.yaml) found", path=str(directory))
        vocab = as_vocabulary(vocabulary)
        return cls((load_ruleset(p, catalog_for(vocab), vocab) for p in paths), vocab)

    @property
    def trials(self) -> list[str]:
        return sorted(self.rulesets)

    def screen(
        self,
        patient: Patient | dict | str | Path,
        *,
        as_of: date,
        trials: Sequence[str] | str | None = None,
        context: ScreeningContext | None = None,
    ) -> list[TrialResult]:
        """Screen one patient against the named trials (all when None; each once), as of a date.

        ``context`` adds what the record lacks for this screening: reference dates (they win over the
        record's), complete history domains and answers (see :mod:`engine.context`)."""
        as_of = _as_date(as_of)
        chosen = self.select_trials(trials)
        p = as_patient(patient, self.vocabulary)
        _check_dates(p, as_of, str(patient) if isinstance(patient, str | Path) else None)
        if context is not None:
            context.check(as_of)
            p = context.apply(p)
        said = unknown_trial_answers(p, self.rulesets) + old_record(p, as_of) + distant_reference_dates(p, as_of)
        if p.deceased:
            said += ("the patient is recorded as deceased: no trial is offered",)
        if said:
            p = p.model_copy(update={"warnings": p.warnings + said})
        index = PatientIndex(p, self.catalog, as_of, self.vocabulary)
        return [self._screen_one(index, self.rulesets[t], self._sessions[t]) for t in chosen]

    def select_trials(self, trials: Sequence[str] | str | None) -> list[str]:
        """The named trials in order, each once, matched case-insensitively; all when None or empty."""
        if not trials:
            return self.trials
        if isinstance(trials, str):  # one id, not a sequence of one-letter ids
            trials = [trials]
        if not isinstance(trials, Iterable):
            raise InputError(
                f"trials must be a trial id or a list of them, not {type(trials).__name__}", field="trials"
            )
        by_name = {t.casefold(): t for t in self.rulesets}
        chosen: dict[str, None] = {}
        for t in trials:
            if not isinstance(t, str) or t.strip().casefold() not in by_name:
                raise UnknownTrialError(str(t), self.trials)
            chosen[by_name[t.strip().casefold()]] = None
        return list(chosen)

    def _screen_one(self, index: PatientIndex, rs: CompiledRuleset, session: DurableSession) -> TrialResult:
        facts = extract_facts(index, rs.requests, rs.trial)
        engine_truths = session.evaluate(facts)
        traces = [c.condition.evaluate(facts) for c in rs.criteria]
        for c, trace in zip(rs.criteria, traces, strict=True):
            if trace.truth is not engine_truths[c.id]:
                raise EvaluationError(
                    f"{rs.trial}/{c.id}: durable-rules says {engine_truths[c.id].value}, "
                    f"reference evaluation says {trace.truth.value}"
                )
        return _trial_result(index, rs, traces)


def _trial_result(index: PatientIndex, rs: CompiledRuleset, traces: list[Trace]) -> TrialResult:
    """The trial's result from the reference traces of its criteria (their verdicts already checked)."""
    results = []
    unrecorded = set()
    gated = rs.gated
    for c, trace in zip(rs.criteria, traces, strict=True):
        result, leaves = _criterion_result(c, trace, gated)
        results.append(result)
        if result.gate and result.verdict == "needs-review" and _says_nothing(leaves):
            unrecorded.add(c.id)
    overall: Verdict = (
        "ineligible"
        if any(r.verdict == "ineligible" for r in results)
        else "needs-review"
        if any(r.verdict == "needs-review" for r in results)
        else "eligible"
    )
    return TrialResult(
        trial=rs.trial,
        title=rs.title,
        ruleset=RulesetInfo(version=rs.version, hash=rs.content_hash, path=rs.path),
        patient=index.patient.id,
        as_of=index.as_of,
        overall=overall,
        criteria=tuple(results),
        missing_data=missing_data(overall, results),
        unmapped=tuple(
            f"{u.source} {u.system or ''}|{u.code or ''} {u.display or ''}".strip() for u in index.patient.unmapped
        ),
        # old data matters only where a review is still open: a trial ruled out stays so whatever is renewed
        warnings=index.patient.warnings
        + _stray_answers(index.patient, rs)
        + (stale_results(index, rs) if overall != "ineligible" else ()),
        gates="not met" if index.patient.deceased else _gate_status(results, unrecorded),
        short_title=rs.short_title,
    )


def _gate_status(results: list[CriterionResult], unrecorded: set[str]) -> GateStatus:
    gates = [r for r in results if r.gate]
    if any(r.verdict == "ineligible" for r in gates):
        return "not met"
    if unrecorded:
        return "unrecorded"
    return "open" if any(r.verdict == "needs-review" for r in gates) else "met"


def _says_nothing(leaves: tuple[Trace, ...]) -> bool:
    """Whether the record says nothing of any condition a criterion names (no record of it, of its kinds or of
    its absence): a person could ask, but nobody has reason to think this patient has the disease."""
    requests = ((leaf, getattr(leaf.node, "request", None)) for leaf in leaves)
    conditions = [leaf.fact for leaf, r in requests if isinstance(r, HistoryRequest) and r.domain == "conditions"]
    return bool(conditions) and all(
        f is not None and f.reason is not None and f.reason.kind == "missing" and not f.evidence for f in conditions
    )


def _stray_answers(patient: Patient, rs: CompiledRuleset) -> tuple[str, ...]:
    """Answers for this trial that no criterion asks for: said, never silently dropped."""
    ids = {c.id.casefold() for c in rs.criteria}
    return tuple(
        f"{a.where(i)}: {rs.trial} has no criterion {a.criterion}; the answer is not used"
        for i, a in enumerate(patient.attestations)
        if a.trial.casefold() == rs.trial.casefold() and a.criterion.casefold() not in ids
    )


def _as_date(as_of: object) -> date:
    """``as_of`` as a calendar day: a datetime counts as its date (comparing the two raises); nothing else does."""
    if isinstance(as_of, datetime):
        return as_of.date()
    if not isinstance(as_of, date):
        raise InputError(f"as_of must be a date, not {type(as_of).__name__}", field="as_of")
    return as_of


def _check_dates(p: Patient, as_of: date, source: str | None) -> None:
    # What is on record happened by the as-of date: a diagnosis or an answer dated later means a wrong date.
    for i, c in enumerate(p.conditions):
        for key in ("onset", "resolved"):
            span = getattr(c, key)
            if span is not None and span.earliest > as_of:
                raise InputError(
                    f"{key} {span} is after the as-of date {as_of}", path=source, field=f"conditions[{i}].{key}"
                )
    for i, a in enumerate(p.attestations):
        if a.date is not None and a.date > as_of:
            raise InputError(
                f"answer dated {a.date} is after the as-of date {as_of}", path=source, field=f"attestations[{i}].date"
            )
    for name, d in p.reference_dates.items():
        if name in ("screening", "consent") and d > as_of:
            raise InputError(
                f"{name} date {d} is after the as-of date {as_of}", path=source, field=f"reference_dates.{name}"
            )
    if p.birth_date is not None and p.birth_date.earliest > as_of:
        raise InputError(f"birth date {p.birth_date} is after the as-of date {as_of}", path=source, field="birth_date")
    if p.birth_date is not None and p.birth_date.earliest < shift(as_of, Duration(MAX_AGE_YEARS, "years")):
        raise InputError(
            f"birth date {p.birth_date} would make the patient older than {MAX_AGE_YEARS} years on {as_of}",
            path=source,
            field="birth_date",
        )


_TRUE, _UNKNOWN = Truth.TRUE, Truth.UNKNOWN  # globals: read once per criterion


def _criterion_result(c: CompiledCriterion, trace: Trace, gated: bool) -> tuple[CriterionResult, tuple[Trace, ...]]:
    """The criterion's result, and every leaf of its trace."""
    holds = trace.truth
    if holds is _UNKNOWN:
        verdict: Verdict = "needs-review"
    elif (holds is _TRUE) == (c.kind == "inclusion"):
        verdict = "eligible"
    else:
        verdict = "ineligible"
    said = explain(c.kind, verdict, trace)
    result = CriterionResult(  # positional: keywords cost a third more, 55 times per trial
        c.id,
        c.kind,
        c.text,
        verdict,
        said.reasons,
        said.explanation,
        said.evidence,
        said.changes_on,
        c.gate if gated else c.kind == "inclusion",
    )
    return result, said.leaves
