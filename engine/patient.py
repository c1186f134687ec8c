"""The patient input model: what a native patient file (JSON or YAML) holds, validated on load.

Dates may be partial (``2026-03``) where the record is imprecise; they become :class:`DateSpan`. A domain
(conditions, therapies) counts as complete only when ``complete_history`` says so: absence of a record is
not absence of a condition.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from datetime import date as Day  # a field named "date" would shadow the type inside model bodies
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .catalog import catalog_for
from .dates import DateSpan, parse_partial_date
from .errors import InputError
from .files import MAX_BYTES, MAX_YAML_BYTES, load_json, load_yaml, read_text
from .vocabulary import Vocabulary, get_vocabulary

__all__ = [
    "Attestation",
    "Condition",
    "Dose",
    "HistoryDomain",
    "Observation",
    "Patient",
    "ReferenceName",
    "Therapy",
    "UnmappedRecord",
    "load_patient",
    "patient_from_data",
]

MAX_UNIT_LENGTH = 64
"""Longer than any unit a laboratory writes (``mL/min/{1.73_m2}`` is 17 characters)."""
MAX_HALF_LIFE_DAYS = 36_500
"""A century: longer than any drug's terminal half-life, and short enough that washouts stay in the calendar."""

ReferenceName = Literal["screening", "consent", "enrollment", "first_dose"]
HistoryDomain = Literal["conditions", "therapies"]


def _to_span(value: Any) -> Any:
    if isinstance(value, DateSpan) or value is None:
        return value
    if isinstance(value, datetime):  # a timestamp's day; a datetime does not compare with a date
        return DateSpan.exact(value.date())
    if isinstance(value, date):
        return DateSpan.exact(value)
    if isinstance(value, str):
        return parse_partial_date(value)
    raise ValueError("expected a date (YYYY-MM-DD, YYYY-MM or YYYY)")


PartialDate = Annotated[
    DateSpan,
    BeforeValidator(_to_span),
    PlainSerializer(DateSpan.isoformat, return_type=str),
]


UnitText = Annotated[str, Field(max_length=MAX_UNIT_LENGTH)]


class _Input(BaseModel):
    # Text is bounded so that no field costs unbounded time downstream (a unit is parsed, a code looked up).
    model_config = ConfigDict(
        extra="forbid", frozen=True, arbitrary_types_allowed=True, str_strip_whitespace=True, str_max_length=10_000
    )


class ReferenceRange(_Input):
    """The result's own normal range; ``assumed`` marks a ULN taken from a default table, not the lab."""

    low: float | None = Field(default=None, allow_inf_nan=False)
    high: float | None = Field(default=None, allow_inf_nan=False)
    unit: UnitText | None = None
    assumed: bool = False


class Observation(_Input):
    """A lab result, measurement or finding: numeric with a unit, or categorical (positive/negative ...)."""

    code: str
    value: Annotated[float, Field(allow_inf_nan=False)] | bool | str
    unit: UnitText | None = None
    reference_range: ReferenceRange | None = None
    date: PartialDate | None = None
    id: str | None = None
    event: str | None = None
    """The record the result was measured in together with others (one ECG, one panel, one draw): results
    that a calculator combines (QT with heart rate) are paired only within one event."""

    @field_validator("value", mode="before")
    @classmethod
    def _no_nan(cls, v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError("value must be a finite number")
        return v


class Condition(_Input):
    """A diagnosis or history item, explicitly present or absent, optionally dated (onset and resolution); or
    suspected: considered but not confirmed (provisional, differential), which neither establishes nor rules out."""

    code: str
    status: Literal["present", "absent", "suspected"]
    onset: PartialDate | None = None
    resolved: PartialDate | None = None
    id: str | None = None

    @model_validator(mode="after")
    def _absent_has_no_dates(self) -> Condition:
        if self.status == "absent" and (self.onset or self.resolved):  # absent, yet it began: one of them is wrong
            raise ValueError("a condition recorded absent has no onset or resolved date")
        return self


class Dose(_Input):
    value: float = Field(gt=0, allow_inf_nan=False)  # a dose of 0 was not given
    unit: UnitText


class Therapy(_Input):
    """A drug, cell product, procedure or vaccine given to the patient, by generic name and/or class."""

    name: str
    classes: tuple[str, ...] = ()
    start: PartialDate | None = None
    end: PartialDate | None = None
    ongoing: bool = False
    dose: Dose | None = None
    route: str | None = None
    half_life_days: float | None = Field(default=None, gt=0, le=MAX_HALF_LIFE_DAYS, allow_inf_nan=False)
    id: str | None = None


class Attestation(_Input):
    """A person's answer to a criterion's judgement question ("does the statement hold for this patient?")."""

    trial: str = Field(min_length=1)
    """The trial whose criterion this answers: criterion ids repeat across trials with different questions."""
    criterion: str
    answer: Literal["yes", "no"]
    by: str = Field(min_length=1)
    """Who answered: an answer nobody gave is no answer."""
    date: Day | None = None
    note: str | None = None
    _given_in: str | None = PrivateAttr(default=None)  # not an input field: set by the screening context

    def given_in(self, place: str) -> Attestation:
        """This answer, marked as given outside the patient file (``answers.yaml[2]``: a file and its item)."""
        copy = self.model_copy()
        copy._given_in = place
        return copy

    @property
    def given_at(self) -> str | None:
        """The answers file item (or other place outside the patient file) this answer was given in, if any."""
        return self._given_in

    def where(self, index: int) -> str:
        """Where a person finds this answer: the place it was given in, else ``attestations[index]``."""
        return self._given_in or f"attestations[{index}]"


class UnmappedRecord(_Input):
    """A source record the input mapping could not place (kept so a site can map it, never dropped silently)."""

    source: str
    system: str | None = None
    code: str | None = None
    display: str | None = None


class Patient(_Input):
    """One patient's structured data as the engine reads it."""

    id: str
    sex: Literal["female", "male"] | None = None
    birth_date: PartialDate | None = None
    deceased: bool = False
    """Recorded as deceased: screened as any record is, but no trial is offered (gates not met)."""
    race: str | None = None
    reference_dates: dict[ReferenceName, date] = Field(default_factory=dict)
    labs: tuple[Observation, ...] = ()
    measurements: tuple[Observation, ...] = ()
    conditions: tuple[Condition, ...] = ()
    therapies: tuple[Therapy, ...] = ()
    complete_history: frozenset[HistoryDomain] = frozenset()
    attestations: tuple[Attestation, ...] = ()
    unmapped: tuple[UnmappedRecord, ...] = ()
    warnings: tuple[str, ...] = ()

    @field_validator("birth_date")
    @classmethod
    def _birth_has_both_ends(cls, v: DateSpan | None) -> DateSpan | None:
        if v is not None and v.is_open:
            raise ValueError(f"a birth date needs both ends (got '{v.isoformat()}'); give at least the year")
        return v

    @property
    def observations(self) -> tuple[Observation, ...]:
        return self.labs + self.measurements


# The names pydantic gives the members of a union in an error location ("value.float"): not fields.
_UNION_MEMBERS = re.compile(r"^(float|int|bool|str|constrained-\w+|[\w-]+\[.*\])$")


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first error's field and message. For a union (a value that may be a number, a boolean or text),
    the message of the member of the given value's type, else every member's expectation."""
    errors = exc.errors()

    def member(error: Any) -> str | None:
        last = error["loc"][-1] if error["loc"] else None
        union = error["type"] != "extra_forbidden" and isinstance(last, str) and _UNION_MEMBERS.match(last)
        return last if union else None

    def field_of(error: Any) -> tuple[Any, ...]:
        return tuple(error["loc"][:-1] if member(error) else error["loc"])

    field = field_of(errors[0])
    group = [e for e in errors if field_of(e) == field]
    if len(group) == 1:
        return _field_path(field), group[0]["msg"].removeprefix("Value error, ")
    given = group[0]["input"]
    kind = {bool: "bool", int: "float", float: "float", str: "str"}.get(type(given))
    for e in group:
        if kind and kind in (member(e) or ""):
            return _field_path(field), e["msg"].removeprefix("Value error, ")
    expectations = " or ".join(e["msg"].removeprefix("Input should be ") for e in group)
    return _field_path(field), f"Input should be {expectations}"


def patient_from_data(data: Any, *, source: str = "<patient>", vocabulary: Vocabulary | None = None) -> Patient:
    """Validate already-parsed data (a dict) into a :class:`Patient`; errors name the source and field.
    Condition and therapy names are checked against ``vocabulary`` (default: the package's and the site's)."""
    if not isinstance(data, dict):
        raise InputError("expected a mapping of patient fields at the top level", path=source)
    try:
        patient = Patient.model_validate(data)
    except ValidationError as exc:
        field, problem = _first_problem(exc)
        raise InputError(problem, path=source, field=field) from None
    _check_codes(patient, source, vocabulary)
    _check_order(patient, source)
    _check_records(patient, source)
    return patient


def _check_records(patient: Patient, source: str) -> None:
    """Record ids name the evidence behind a verdict: one id, one record. A default ULN is the FHIR mapping's
    to mark; a native file claiming one would make the explanation say what the lab did not."""
    seen: dict[str, str] = {}
    for section in ("labs", "measurements", "conditions", "therapies"):
        for i, record in enumerate(getattr(patient, section)):
            field = f"{section}[{i}]"
            if record.id is not None and (other := seen.setdefault(record.id, field)) != field:
                raise InputError(f"id '{record.id}' is also the id of {other}", path=source, field=f"{field}.id")
            rr = getattr(record, "reference_range", None)
            if rr is not None and rr.assumed:
                raise InputError(
                    "'assumed' marks a ULN taken from the default table; a result's own range is not assumed",
                    path=source,
                    field=f"{field}.reference_range.assumed",
                )


_EARLIEST_RECORD = date(1900, 1, 1)


def _check_order(patient: Patient, source: str) -> None:
    """Dates in an impossible order mean one of them is wrong: a therapy that ends, or a condition that
    resolves, before it began; any record, reference date or answer wholly before the patient was born, or
    before 1900."""
    pairs = [("therapies", i, "start", t.start, "end", t.end) for i, t in enumerate(patient.therapies)]
    pairs += [("conditions", i, "onset", c.onset, "resolved", c.resolved) for i, c in enumerate(patient.conditions)]
    for section, i, first, began, second, ended in pairs:
        if began is not None and ended is not None and ended.latest < began.earliest:
            raise InputError(
                f"{second} {ended} is before {first} {began}", path=source, field=f"{section}[{i}].{second}"
            )
    born = patient.birth_date
    for field, when in _dated_fields(patient):
        if born is not None and when.latest < born.earliest:
            raise InputError(f"{when} is before the birth date {born}", path=source, field=field)
        if when.latest < _EARLIEST_RECORD:  # also without a birth date: no living patient has a record this old
            raise InputError(
                f"{when} is before {_EARLIEST_RECORD.year}: not a date of this patient", path=source, field=field
            )


def _dated_fields(patient: Patient) -> Iterator[tuple[str, DateSpan]]:
    """Every date in the input except the birth date, with its field."""
    for name, day in patient.reference_dates.items():
        yield f"reference_dates.{name}", DateSpan.exact(day)
    for section in ("labs", "measurements"):
        for i, obs in enumerate(getattr(patient, section)):
            if obs.date is not None:
                yield f"{section}[{i}].date", obs.date
    for section, keys in (("conditions", ("onset", "resolved")), ("therapies", ("start", "end"))):
        for i, record in enumerate(getattr(patient, section)):
            for key in keys:
                if (span := getattr(record, key)) is not None:
                    yield f"{section}[{i}].{key}", span
    for i, answer in enumerate(patient.attestations):
        if answer.date is not None:
            yield f"attestations[{i}].date", DateSpan.exact(answer.date)


def _check_codes(patient: Patient, source: str, vocabulary: Vocabulary | None = None) -> None:
    """Every record must name a catalog fact or a vocabulary concept: an unknown one would be silently ignored."""
    vocab = vocabulary or get_vocabulary()
    cat = catalog_for(vocab)
    for section in ("labs", "measurements"):
        for i, obs in enumerate(getattr(patient, section)):
            key = cat.resolve("observations", obs.code)
            if key is None:
                raise InputError(
                    f"unknown observation '{obs.code}' (not in the catalog)", path=source, field=f"{section}[{i}].code"
                )
            kind = cat.observations[key]
            if kind.unit is None and obs.unit:  # a category or a rank has no unit: one given means a mix-up
                what = "categorical" if kind.values else "a scale"
                raise InputError(
                    f"'{obs.code}' is {what} and takes no unit (got '{obs.unit}')",
                    path=source,
                    field=f"{section}[{i}].unit",
                )
    for i, c in enumerate(patient.conditions):
        if vocab.resolve(c.code, "condition") is None:
            raise InputError(
                f"unknown condition '{c.code}'" + _did_you_mean(vocab.suggest(c.code, "condition")),
                path=source,
                field=f"conditions[{i}].code",
            )
    for i, t in enumerate(patient.therapies):
        for klass in t.classes:
            if vocab.resolve(klass, "therapy") is None:
                raise InputError(
                    f"unknown therapy '{klass}'" + _did_you_mean(vocab.suggest(klass, "therapy")),
                    path=source,
                    field=f"therapies[{i}].classes",
                )


def _did_you_mean(labels: list[str]) -> str:
    """The end of an "unknown ..." message: the closest names, or where names come from."""
    return f" (did you mean {' or '.join(repr(x) for x in labels)}?)" if labels else " (not in the vocabulary)"


def load_patient(path: str | Path, vocabulary: Vocabulary | None = None) -> Patient:
    """Load a native patient file (``.json``, ``.yaml``/``.yml``, optionally gzipped) or a FHIR R4 Bundle (JSON)."""
    p = Path(path)
    is_json = p.name.lower().removesuffix(".gz").endswith(".json")
    text = read_text(p, max_bytes=MAX_BYTES if is_json else MAX_YAML_BYTES)
    data = load_json(text, str(p)) if is_json else load_yaml(text, str(p))
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        from .fhir import patient_from_bundle  # imported on demand: native files never need the FHIR mapping

        return patient_from_bundle(data, source=str(p), vocabulary=vocabulary)
    return patient_from_data(data, source=str(p), vocabulary=vocabulary)
