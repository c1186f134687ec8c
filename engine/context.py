"""What a person adds to a patient's record for one screening: reference dates, history domains known to be
complete, and answers to the questions only a person can decide.

A FHIR Bundle carries none of these, and a native file may lack them or hold older ones. The context is
merged into the patient before any fact is read, so every trial sees the same patient:

* a reference date given here wins over the record's; a warning says so when it replaces a different date;
* a complete history domain is added to those the record declares (a domain cannot be made incomplete);
* answers are added to the record's attestations: two different answers to one question stay a review, and
  an answer names where it was given (``answers.yaml[2]``) in the evidence and in every message about it.

    from datetime import date
    from engine import Screener, ScreeningContext, load_answers
    context = ScreeningContext(
        reference_dates={"screening": date(2026, 3, 1), "first_dose": date(2026, 3, 10)},
        complete_history={"conditions", "therapies"},
        answers=load_answers("answers.yaml"),
    )
    results = screener.screen("bundle.json", as_of=date(2026, 3, 1), context=context)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from .errors import InputError
from .files import MAX_BYTES, MAX_YAML_BYTES, load_json, load_yaml, read_text
from .patient import Attestation, HistoryDomain, Patient, ReferenceName, _first_problem

__all__ = [
    "HISTORY_DOMAINS",
    "REFERENCE_NAMES",
    "ScreeningContext",
    "history_domain",
    "load_answers",
    "reference_name",
    "unknown_trial_answers",
]

REFERENCE_NAMES: tuple[str, ...] = get_args(ReferenceName)
"""The reference dates a ruleset's windows count from."""
HISTORY_DOMAINS: tuple[str, ...] = get_args(HistoryDomain)
"""The parts of a history that can be declared complete (then a record's absence means the thing is absent)."""
_PAST_ONLY = ("screening", "consent")  # these have happened by the as-of date; enrollment and first dose may not


def reference_name(text: object, field: str = "reference_dates") -> str:
    """A reference date's name (``first-dose`` and any case spell ``first_dose``), or an error naming ``field``."""
    name = text.strip().lower().replace("-", "_") if isinstance(text, str) else None
    if name not in REFERENCE_NAMES:
        raise InputError(f"unknown reference date '{text}' (known: {', '.join(REFERENCE_NAMES)})", field=field)
    return name


def history_domain(text: object, field: str = "complete_history") -> str:
    """A history domain's name, or an error naming ``field`` and the known domains."""
    name = text.strip().lower() if isinstance(text, str) else None
    if name not in HISTORY_DOMAINS:
        raise InputError(f"unknown history domain '{text}' (known: {', '.join(HISTORY_DOMAINS)})", field=field)
    return name


def _answers(data: Any, source: str, *, path: str | None) -> tuple[Attestation, ...]:
    """Validated answers, each marked with the place it was given (``source[i]``) unless it already names one;
    errors name the item and its field (``answers.yaml field '[2].by'``, or ``field 'answers[2].by'``)."""
    if isinstance(data, Mapping | str | bytes) or not isinstance(data, Iterable):
        raise InputError("expected a list of answers (trial, criterion, answer, by, date)", path=path)
    answers = []
    for i, item in enumerate(data):
        try:
            a = item if isinstance(item, Attestation) else Attestation.model_validate(item)
        except ValidationError as exc:
            where, problem = _first_problem(exc)
            item_field = f"[{i}]" + (f".{where}" if where else "")
            raise InputError(problem, path=path, field=item_field if path else f"{source}{item_field}") from None
        answers.append(a if a.given_at else a.given_in(f"{source}[{i}]"))
    return tuple(answers)


def load_answers(path: str | Path) -> tuple[Attestation, ...]:
    """Answers from a YAML or JSON file: a list of ``{trial, criterion, answer: yes|no, by, date?, note?}``,
    the shape of a patient's ``attestations``. Errors name the file, the item and the field."""
    p = Path(path)
    is_json = p.name.lower().removesuffix(".gz").endswith(".json")
    text = read_text(p, max_bytes=MAX_BYTES if is_json else MAX_YAML_BYTES)
    data = load_json(text, str(p)) if is_json else load_yaml(text, str(p))
    if data is None:
        return ()  # an empty file: no answers yet
    return _answers(data, str(p), path=str(p))


@dataclass(frozen=True)
class ScreeningContext:
    """Reference dates, complete history domains and answers given for one screening, beside the record.

    Any mapping of names (``screening``, ``consent``, ``enrollment``, ``first_dose``) to dates, any iterable
    of domains (``conditions``, ``therapies``) and any iterable of answers (:class:`Attestation` or dicts of
    its fields) are accepted and checked on construction; an error names the field."""

    reference_dates: Mapping[str, date] = field(default_factory=dict)
    complete_history: frozenset[str] = frozenset()
    answers: tuple[Attestation, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.reference_dates, Mapping):
            raise InputError("expected a mapping of reference names to dates", field="reference_dates")
        dates: dict[str, date] = {}
        for key, day in self.reference_dates.items():
            name = reference_name(key, f"reference_dates.{key}")
            if isinstance(day, datetime) or not isinstance(day, date):
                raise InputError(f"expected a date, not {type(day).__name__}", field=f"reference_dates.{key}")
            if dates.setdefault(name, day) != day:  # "first-dose" and "first_dose" both given
                raise InputError(f"{name} is given twice ({dates[name]} and {day})", field=f"reference_dates.{key}")
        domains = self.complete_history
        if isinstance(domains, str) or not isinstance(domains, Iterable):
            raise InputError("expected a set of history domains", field="complete_history")
        object.__setattr__(self, "reference_dates", dates)
        object.__setattr__(self, "complete_history", frozenset(history_domain(d) for d in domains))
        object.__setattr__(self, "answers", _answers(self.answers, "answers", path=None))

    def check(self, as_of: date) -> None:
        """Dates that cannot be right on ``as_of``: a screening or consent, or an answer, after it."""
        for name in _PAST_ONLY:
            day = self.reference_dates.get(name)
            if day is not None and day > as_of:
                raise InputError(f"{name} date {day} is after the as-of date {as_of}", field=f"reference_dates.{name}")
        for a in self.answers:
            if a.date is not None and a.date > as_of:
                raise InputError(
                    f"answer dated {a.date} is after the as-of date {as_of}", path=a.given_at, field="date"
                )

    def apply(self, patient: Patient) -> Patient:
        """The patient with this context merged in (see the module docstring); warnings say what it replaced."""
        if not (self.reference_dates or self.complete_history or self.answers):
            return patient
        record = patient.reference_dates
        replaced = tuple(
            f"reference date {name}: {day} given for this screening replaces {record[name]} from the patient record"
            for name, day in self.reference_dates.items()
            if name in record and record[name] != day  # type: ignore[index]
        )
        return patient.model_copy(
            update={
                "reference_dates": {**record, **self.reference_dates},
                "complete_history": patient.complete_history | self.complete_history,
                "attestations": patient.attestations + self.answers,
                "warnings": patient.warnings + replaced,
            }
        )


def unknown_trial_answers(patient: Patient, trials: Iterable[str]) -> tuple[str, ...]:
    """Answers naming a trial with no ruleset (a typo, or another site's trial): said, never silently dropped."""
    known = {t.casefold() for t in trials}
    return tuple(
        f"{a.where(i)}: no ruleset for trial {a.trial}; the answer is not used"
        for i, a in enumerate(patient.attestations)
        if a.trial.casefold() not in known
    )
