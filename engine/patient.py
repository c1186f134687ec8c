"""The patient input model: what a native patient file (JSON or YAML) holds, validated on load.

Dates may be partial (``2026-03``) where the record is imprecise; they become :class:`DateSpan`. A domain
(conditions, therapies) counts as complete only when ``complete_history`` says so: absence of a record is
not absence of a condition.
"""

from __future__ import annotations

import json
import math
from datetime import date
from datetime import date as Day  # a field named "date" would shadow the type inside model bodies
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
)

from .catalog import get_catalog
from .dates import DateSpan, parse_partial_date
from .errors import InputError

__all__ = [
    "Attestation",
    "Condition",
    "Dose",
    "Observation",
    "Patient",
    "ReferenceName",
    "Therapy",
    "UnmappedRecord",
    "load_patient",
    "patient_from_data",
]

ReferenceName = Literal["screening", "consent", "enrollment", "first_dose"]


def _to_span(value: Any) -> Any:
    if isinstance(value, DateSpan) or value is None:
        return value
    if isinstance(value, date):
        return DateSpan.exact(value)
    if isinstance(value, str):
        return parse_partial_date(value)
    raise ValueError("expected a date (YYYY-MM-DD, YYYY-MM or YYYY)")


PartialDate = Annotated[
    DateSpan,
    BeforeValidator(_to_span),
    PlainSerializer(lambda s: str(s) if s.is_exact else f"{s.earliest or '..'}/{s.latest or '..'}", return_type=str),
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, str_strip_whitespace=True)


class ReferenceRange(_Input):
    """The result's own normal range; ``assumed`` marks a ULN taken from a default table, not the lab."""

    low: float | None = Field(default=None, allow_inf_nan=False)
    high: float | None = Field(default=None, allow_inf_nan=False)
    unit: str | None = None
    assumed: bool = False


class Observation(_Input):
    """A lab result, measurement or finding: numeric with a unit, or categorical (positive/negative ...)."""

    code: str
    value: Annotated[float, Field(allow_inf_nan=False)] | bool | str
    unit: str | None = None
    reference_range: ReferenceRange | None = None
    date: PartialDate | None = None
    id: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _no_nan(cls, v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError("value must be a finite number")
        return v


class Condition(_Input):
    """A diagnosis or history item, explicitly present or absent, optionally dated (onset and resolution)."""

    code: str
    status: Literal["present", "absent"]
    onset: PartialDate | None = None
    resolved: PartialDate | None = None
    id: str | None = None


class Dose(_Input):
    value: float = Field(ge=0, allow_inf_nan=False)
    unit: str


class Therapy(_Input):
    """A drug, cell product, procedure or vaccine given to the patient, by generic name and/or class."""

    name: str
    classes: tuple[str, ...] = ()
    start: PartialDate | None = None
    end: PartialDate | None = None
    ongoing: bool = False
    dose: Dose | None = None
    route: str | None = None
    half_life_days: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    id: str | None = None


class Attestation(_Input):
    """A person's answer to a criterion's judgement question ("does the statement hold for this patient?")."""

    criterion: str
    answer: Literal["yes", "no"]
    trial: str | None = None
    by: str
    date: Day | None = None
    note: str | None = None


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
    race: str | None = None
    reference_dates: dict[ReferenceName, date] = Field(default_factory=dict)
    labs: tuple[Observation, ...] = ()
    measurements: tuple[Observation, ...] = ()
    conditions: tuple[Condition, ...] = ()
    therapies: tuple[Therapy, ...] = ()
    complete_history: frozenset[Literal["conditions", "therapies"]] = frozenset()
    attestations: tuple[Attestation, ...] = ()
    unmapped: tuple[UnmappedRecord, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def observations(self) -> tuple[Observation, ...]:
        return self.labs + self.measurements


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def patient_from_data(data: Any, *, source: str = "<patient>") -> Patient:
    """Validate already-parsed data (a dict) into a :class:`Patient`; errors name the source and field."""
    if not isinstance(data, dict):
        raise InputError("expected a mapping of patient fields at the top level", path=source)
    try:
        patient = Patient.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            first["msg"].removeprefix("Value error, "), path=source, field=_field_path(first["loc"])
        ) from None
    _check_codes(patient, source)
    return patient


def _check_codes(patient: Patient, source: str) -> None:
    """Every record must name a catalog fact: an unknown code would otherwise be silently ignored."""
    cat = get_catalog()
    for section in ("labs", "measurements"):
        for i, obs in enumerate(getattr(patient, section)):
            if cat.resolve("observations", obs.code) is None:
                raise InputError(
                    f"unknown observation '{obs.code}' (not in the catalog)", path=source, field=f"{section}[{i}].code"
                )
    for i, c in enumerate(patient.conditions):
        if cat.resolve("conditions", c.code) is None:
            raise InputError(
                f"unknown condition '{c.code}' (not in the catalog)", path=source, field=f"conditions[{i}].code"
            )
    for i, t in enumerate(patient.therapies):
        for klass in t.classes:
            if cat.resolve("therapy_classes", klass) is None:
                raise InputError(
                    f"unknown therapy class '{klass}' (not in the catalog)",
                    path=source,
                    field=f"therapies[{i}].classes",
                )


def load_patient(path: str | Path) -> Patient:
    """Load a native patient file (``.json``, ``.yaml``/``.yml``) or a FHIR R4 Bundle (JSON)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=str(p)) from None
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'}: {exc}", path=str(p)) from None
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        from .fhir import patient_from_bundle  # imported on demand: native files never need the FHIR mapping

        return patient_from_bundle(data, source=str(p))
    return patient_from_data(data, source=str(p))
