"""The population view of batch results: per trial its candidates and attrition, the worklist, the errors.

:func:`build_report` reads RESULTS once, line by line, into counters (memory grows with trials, criteria,
worklist items and candidate ids, not with patients); :func:`report_jsonable` gives the documented JSON shape
(docs/population.md, "Report") and :func:`render_report_html` one self-contained page.

- Candidates of a trial: eligible patients, and needs-review patients whose gates are met (docs/ruleset-
  language.md, "Gates").
- The worklist: what would settle the most reviews, each item (a reason's ``settle`` text) counted once per
  patient, over the trials that patient is still open for and worth a person's time for (needs-review, with
  gates met or open: not ruled out by a settled criterion, and not a patient whose record never mentions the
  trial's disease), most patients first.
- Errors: records that could not be screened, by problem kind (the field named, else the problem's first words).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from pydantic import TypeAdapter

from ..errors import InputError
from .attrition import CriterionStep, TrialTally
from .report_input import BatchLine, read_results

__all__ = [
    "CANDIDATES_SHOWN",
    "PopulationReport",
    "build_report",
    "render_report_html",
    "report_jsonable",
]

REPORT_VERSION = "1"
CANDIDATES_SHOWN = 50
"""Candidate ids listed per trial in the HTML page (the count is always there; the JSON lists every id)."""
WORKLIST_SHOWN = 100
"""Worklist items shown in the HTML page, most patients first (the JSON has them all)."""
ERROR_EXAMPLES = 3
"""Messages kept per error kind, to show what the kind means."""


@dataclass(frozen=True, slots=True)
class Candidates:
    count: int
    eligible: tuple[str, ...]
    needs_review: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TrialReport:
    trial: str
    title: str
    short_title: str
    ruleset: dict[str, str]
    screened: int
    overall: dict[str, int]
    gates: dict[str, int]
    candidates: Candidates
    attrition: tuple[CriterionStep, ...]
    remaining: int


@dataclass(frozen=True, slots=True)
class WorkTrial:
    trial: str
    patients: int
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkItem:
    settle: str
    kinds: tuple[str, ...]
    patients: int
    candidates: int
    trials: tuple[WorkTrial, ...]


@dataclass(frozen=True, slots=True)
class ErrorKind:
    kind: str
    internal: bool
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PopulationReport:
    """What ``prescreen report`` shows; its JSON shape is documented in docs/population.md."""

    report_version: str
    source: str
    as_of: tuple[str, ...]
    records: int
    screened: int
    errors: int
    error_kinds: tuple[ErrorKind, ...]
    trials: tuple[TrialReport, ...]
    worklist: tuple[WorkItem, ...]


@dataclass
class _WorkTrial:
    patients: int = 0
    criteria: set[str] = field(default_factory=set)


@dataclass
class _Work:
    kinds: set[str] = field(default_factory=set)
    patients: int = 0
    candidates: int = 0
    trials: dict[str, _WorkTrial] = field(default_factory=dict)


class _Population:
    """All the counters of one report, fed a line at a time."""

    def __init__(self, trials: Sequence[str] | None) -> None:
        self.wanted = {t.strip().casefold() for t in trials} if trials else None
        self.tallies: dict[str, TrialTally] = {}
        self.seen: set[str] = set()  # every trial in the results, asked for or not
        self.work: dict[str, _Work] = {}
        self.errors: Counter[tuple[str, bool]] = Counter()  # (kind, internal) -> records
        self.examples: dict[tuple[str, bool], list[str]] = {}
        self.as_of: set[str] = set()
        self.records = 0
        self.screened = 0

    def add(self, where: str, line: BatchLine) -> None:
        self.records += 1
        if line.error is not None:
            kind = (_problem_kind(line), line.internal)
            self.errors[kind] += 1
            examples = self.examples.setdefault(kind, [])
            if len(examples) < ERROR_EXAMPLES:
                examples.append(line.error)
            return
        self.screened += 1
        # item -> trial -> criteria, for this patient: each item counts once per patient however many trials.
        needs: dict[str, dict[str, set[str]]] = {}
        for_candidate: set[str] = set()
        for r in line.results or ():
            self.seen.add(r.trial)
            if self.wanted is not None and r.trial.casefold() not in self.wanted:
                continue
            tally = self.tallies.get(r.trial)
            if tally is None:
                tally = self.tallies[r.trial] = TrialTally(r)
            tally.add(r, where)
            self.as_of.add(r.as_of.isoformat())
            # eligible has nothing to settle, ineligible is decided; an unrecorded disease is nobody's task
            if r.overall != "needs-review" or r.gates not in ("met", "open"):
                continue
            for c in r.criteria:
                if c.verdict != "needs-review":
                    continue
                for reason in c.reasons:
                    needs.setdefault(reason.settle, {}).setdefault(r.trial, set()).add(c.id)
                    self.work.setdefault(reason.settle, _Work()).kinds.add(reason.kind)
                    if r.gates == "met":
                        for_candidate.add(reason.settle)
        for item, trials in needs.items():
            work = self.work[item]
            work.patients += 1
            work.candidates += item in for_candidate
            for trial, criteria in trials.items():
                concerned = work.trials.setdefault(trial, _WorkTrial())
                concerned.patients += 1
                concerned.criteria |= criteria

    def report(self, source: str, trials: Sequence[str] | None) -> PopulationReport:
        return PopulationReport(
            report_version=REPORT_VERSION,
            source=source,
            as_of=tuple(sorted(self.as_of)),
            records=self.records,
            screened=self.screened,
            errors=self.errors.total(),
            error_kinds=tuple(
                ErrorKind(kind, internal, count, tuple(self.examples[kind, internal]))
                for (kind, internal), count in sorted(self.errors.items(), key=lambda e: (-e[1], e[0]))
            ),
            trials=tuple(_trial_report(self.tallies[t]) for t in self._order(trials)),
            worklist=tuple(
                _work_item(item, work) for item, work in sorted(self.work.items(), key=lambda w: (-w[1].patients, w[0]))
            ),
        )

    def _order(self, trials: Sequence[str] | None) -> list[str]:
        """The trials asked for, in the order asked (each must be in the results), else every trial found."""
        if not trials:
            return sorted(self.tallies)
        found = {t.casefold(): t for t in self.tallies}
        missing = [t for t in trials if t.strip().casefold() not in found]
        if missing:
            present = ", ".join(sorted(self.seen)) or "none"
            raise InputError(f"no results for {', '.join(missing)} (trials in the results: {present})", field="--trial")
        return list(dict.fromkeys(found[t.strip().casefold()] for t in trials))


def build_report(results: Path, trials: Sequence[str] | None = None) -> PopulationReport:
    """Read RESULTS (a JSON Lines file or a batch output directory) into the population report of ``trials``
    (all trials found when None). Bad input raises :class:`InputError` naming the file, line and field."""
    population = _Population(trials)
    for where, line in read_results(results):
        population.add(where, line)
    return population.report(str(results), trials)


def _trial_report(t: TrialTally) -> TrialReport:
    steps = t.steps()
    return TrialReport(
        trial=t.trial,
        title=t.title,
        short_title=t.short_title,
        ruleset={"version": t.version, "hash": t.hash},
        screened=t.screened,
        overall={v: t.overall[v] for v in ("eligible", "needs-review", "ineligible")},
        gates={g: t.gates[g] for g in ("met", "open", "unrecorded", "not met")},
        candidates=Candidates(
            count=len(t.eligible) + len(t.review_gates_met),
            eligible=tuple(t.eligible),
            needs_review=tuple(t.review_gates_met),
        ),
        attrition=tuple(steps),
        remaining=steps[-1].after if steps else t.screened,
    )


def _work_item(item: str, work: _Work) -> WorkItem:
    trials = sorted(work.trials.items(), key=lambda kv: (-kv[1].patients, kv[0]))
    return WorkItem(
        settle=item,
        kinds=tuple(sorted(work.kinds)),
        patients=work.patients,
        candidates=work.candidates,
        trials=tuple(WorkTrial(trial, t.patients, tuple(sorted(t.criteria))) for trial, t in trials),
    )


_FIELD = re.compile(r"field '([^']+)'")
_LOCATION = re.compile(r"^\S+?:(?:\d+:?)?\s")  # a leading "file:" or "file:line:" (no spaces in it)


def _problem_kind(line: BatchLine) -> str:
    """What kind of problem an error line reports: the field named (list positions dropped), else the first
    words of the problem (``not valid JSON``), else ``internal error``."""
    if line.internal:
        return "internal error"
    message = line.error or ""
    source = line.source or line.file or ""
    named = _FIELD.search(message)
    if named:
        return "field " + re.sub(r"\[\d+\]", "[]", named.group(1))
    rest = message[len(source) :] if source and message.startswith(source) else _LOCATION.sub("", message, count=1)
    problem = re.split(r"[:(]", rest.lstrip(": "), maxsplit=1)[0].strip()
    return problem or "unknown problem"


_JSONABLE = TypeAdapter(PopulationReport)


def report_jsonable(report: PopulationReport) -> dict[str, Any]:
    """The report as JSON-ready data (the shape documented in docs/population.md, "Report")."""
    return _JSONABLE.dump_python(report, mode="json")


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("engine", "render/templates"),
        autoescape=True,  # every text from results or patients is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report_html(report: PopulationReport) -> str:
    """One self-contained HTML page (inline CSS, no scripts or external assets) for a population report."""
    return (
        _templates()
        .get_template("population.html.j2")
        .render(report=report, shown=CANDIDATES_SHOWN, worklist_shown=WORKLIST_SHOWN, percent=_percent)
    )


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0
