"""Read one FHIR R4 Bundle into a :class:`~engine.patient.Patient`.

Only resources about the bundle's one Patient are read (``subject``/``patient`` resolved against its id and
fullUrl); any other is listed in ``Patient.unmapped`` and ``Patient.warnings`` with the reason. Each resource
the mapping reads is first validated with the ``fhir.resources`` R4B model of its type (R4B and R4 agree on
every resource read here); the others (Encounter, Claim, ...) are counted, not validated. Harmless defects
are tolerated and reported in ``Patient.warnings``: an invalid ``Bundle.id`` or resource id, elements the
model does not know. A resource that fails validation otherwise, or holds a code outside its FHIR value set
(a status, an intent), is not read and is listed with the reason; only an unusable bundle (not a Bundle, no
Patient or several, an invalid Patient or gender) raises :class:`~engine.errors.InputError`. Values are then
read from the validated JSON.

Condition, medication, procedure and vaccine codes are looked up in the clinical vocabulary
(:meth:`~engine.vocabulary.Vocabulary.by_code`): a code a concept carries, or one below a concept's ICD-10-CM or
ATC class code (then a warning says through which code). With no code the vocabulary knows, the text or a
coding's display naming a concept (a label or alias) maps it, with a warning.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fhir.resources.R4B import get_fhir_model_class  # the R4B models validate every resource read
from pydantic import ValidationError

from ..catalog import Catalog, catalog_for
from ..dates import DateSpan, parse_partial_date
from ..errors import InputError, UnitError
from ..patient import Condition, Dose, Observation, Patient, ReferenceRange, Therapy, UnmappedRecord
from ..units import conversion_factor, parse_unit
from ..vocabulary import Concept, Vocabulary, get_vocabulary
from ..vocabulary.codes import system_of_uri
from ..vocabulary.spec import Domain
from .maps import FhirMap, fold_text, load_fhir_map

__all__ = ["patient_from_bundle"]

UCUM = "http://unitsofmeasure.org"
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
# Which way a qualitative answer and an interpretation code point: a result whose interpretation points the
# other way is contradictory (read as neither).
_POLARITY = {"positive": "positive", "detected": "positive", "negative": "negative", "not detected": "negative"}
_INTERPRETATION_POLARITY = {"POS": "positive", "DET": "positive", "NEG": "negative", "ND": "negative"}
US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
BUNDLE_TYPES = ("transaction", "collection", "searchset", "batch", "document")
READ_TYPES = frozenset(
    {
        "Patient",
        "Observation",
        "Condition",
        "MedicationStatement",
        "MedicationAdministration",
        "MedicationRequest",
        "Procedure",
        "Immunization",
    }
)
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_HISTORY = re.compile(r"/_history/[^/]+$")
_SHOWN = 60  # characters of an input value quoted in a message
GENDERS = ("male", "female", "other", "unknown")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")
_COUNT_UNITS = frozenset(
    {
        "tab",
        "tabs",
        "tablet",
        "tablets",
        "tbl",
        "cap",
        "caps",
        "capsule",
        "capsules",
        "each",
        "ea",
        "dose",
        "doses",
        "unit",
        "units",
    }
)
# RxNorm clinical drug names: "<ingredient> <strength> MG <dose form>"; one strength only, per tablet/capsule.
_RXNORM_STRENGTH = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(MG|MCG|G)\s+(?:Oral\s+|Sublingual\s+)?(?:Tablet|Capsule)\b", re.IGNORECASE
)
_ANY_STRENGTH = re.compile(r"\b\d+(?:\.\d+)?\s*(?:MG|MCG|G|UNT|MEQ)\b", re.IGNORECASE)
_PERIOD_DAYS = {"h": 1 / 24, "d": 1.0, "wk": 7.0}
_CHEMO = "chemotherapy"  # vocabulary ids
_INTRATHECAL_CHEMO = "intrathecal_chemotherapy"
_DRUG = "drug"
_SYSTEM_NAMES = {
    "icd10cm": "ICD-10-CM",
    "snomed": "SNOMED CT",
    "atc": "ATC",
    "rxnorm": "RxNorm",
    "cvx": "CVX",
    "loinc": "LOINC",
}
# SNOMED CT semantic tags ending a display ("Anemia (disorder)"): not part of the name.
_SEMANTIC_TAG = re.compile(
    r"\s*\((?:disorder|finding|procedure|situation|qualifier value|regime/therapy|morphologic abnormality|"
    r"clinical drug|medicinal product|product|substance|event|observable entity|disease)\)\s*$",
    re.IGNORECASE,
)
_MIN_NAME = 4  # a drug name shorter than this (ASA, ATG) is not looked for inside a medication's text

# Observation statuses (R4 value set observation-status). Only results are read; a status outside the value set
# is not guessed at: the record is not read.
_RESULT = frozenset({"final", "amended", "corrected", "appended"})
_SKIPPED_RESULT = frozenset({"entered-in-error", "cancelled"})
_NOT_A_RESULT = {
    "preliminary": "not a final result",
    "registered": "no result yet",
    "unknown": "not known to be a final result",
}
_VERIFICATION = frozenset({"unconfirmed", "provisional", "differential", "confirmed", "refuted", "entered-in-error"})
_CLINICAL = frozenset({"active", "recurrence", "relapse", "inactive", "remission", "resolved"})
_INTENTS = frozenset(
    {"proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"}
)
_NOT_AN_ORDER = frozenset({"proposal", "plan", "option"})

# The R4 status value set of each therapy resource; records with a status in `_SKIP` are not used (listed in the
# warnings); `_ONGOING` statuses mean the therapy continues now.
_STATUSES = {
    "MedicationStatement": frozenset(
        {"active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"}
    ),
    "MedicationAdministration": frozenset(
        {"in-progress", "not-done", "on-hold", "completed", "entered-in-error", "stopped", "unknown"}
    ),
    "MedicationRequest": frozenset(
        {"active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown"}
    ),
    "Procedure": frozenset(
        {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "entered-in-error", "unknown"}
    ),
    "Immunization": frozenset({"completed", "entered-in-error", "not-done"}),
}
_SKIP = {
    "MedicationStatement": frozenset({"entered-in-error", "not-taken", "intended"}),
    "MedicationAdministration": frozenset({"entered-in-error", "not-done"}),
    "MedicationRequest": frozenset({"entered-in-error", "cancelled", "draft"}),
    "Procedure": frozenset({"entered-in-error", "not-done", "preparation"}),
    "Immunization": frozenset({"entered-in-error", "not-done"}),
}
_ONGOING = {
    "MedicationStatement": frozenset({"active"}),
    "MedicationAdministration": frozenset({"in-progress"}),
    "MedicationRequest": frozenset({"active"}),
    "Procedure": frozenset({"in-progress"}),
    "Immunization": frozenset(),
}

Coding = tuple[str | None, str | None, str | None]


def patient_from_bundle(
    data: Any,
    source: str = "<bundle>",
    *,
    extra_maps: str | Path | None = None,
    vocabulary: Vocabulary | None = None,
) -> Patient:
    """Map a FHIR R4 Bundle (already parsed JSON) to a :class:`Patient`.

    ``extra_maps`` names a site's YAML extension of the observation mapping tables, merged over the built-in
    tables and over the file named by the ``PRESCREEN_FHIR_MAP`` environment variable. ``vocabulary`` is the
    clinical vocabulary whose codes map conditions and therapies (default: the package's plus the site
    directories of ``PRESCREEN_VOCABULARY``). Raises :class:`InputError` naming ``source`` and the field when
    the bundle cannot be used at all.
    """
    vocab = vocabulary if vocabulary is not None else get_vocabulary()
    catalog = catalog_for(vocab)
    return _Reader(source, load_fhir_map(extra_maps, catalog), catalog, vocab).read(data)


@dataclass(frozen=True, slots=True)
class _Hit:
    """What a record maps to in the vocabulary, and how (for warnings, names and refuted records)."""

    concepts: tuple[Concept, ...]  # the most specific ones: none lies above another
    exact: bool  # every concept is named by the record's text or a display (not only by a code)
    notes: tuple[str, ...]  # warnings: "mapped through <class code>", "mapped by its text"
    broad: frozenset[str] = frozenset()  # ids reached only through a class code above the record's code


def _strip_tag(text: str) -> str:
    return _SEMANTIC_TAG.sub("", text).strip()


@lru_cache(maxsize=8)
def _drug_names(vocab: Vocabulary) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern finding individual drugs (concepts under *drug* with nothing below them) by label or alias as
    whole words in a medication's text, and folded spelling -> concept id."""
    names: dict[str, str] = {}
    for c in vocab.concepts.values():
        if c.domain != "therapy" or vocab.children(c.id) or _DRUG not in vocab or not vocab.is_a(c.id, _DRUG):
            continue
        for spelling in (c.label, *c.aliases):
            if len(spelling) >= _MIN_NAME:
                names.setdefault(fold_text(spelling), c.id)
    if not names:
        return None, names
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in ordered) + r")(?![\w-])",
        re.IGNORECASE,
    )
    return pattern, names


def _codings(cc: Any) -> list[Coding]:
    if not isinstance(cc, dict) or not isinstance(cc.get("coding"), list):
        return []
    out = []
    for c in cc["coding"]:
        if isinstance(c, dict):
            out.append((_str(c.get("system")), _str(c.get("code")), _str(c.get("display"))))
    return out


def _str(v: Any) -> str | None:
    """Text as given; anything else (a number, a list: invalid FHIR, reported by validation) is no text."""
    return v if isinstance(v, str) else None


def _text(cc: Any) -> str | None:
    """The human text of a CodeableConcept: its text, else the first display, else the first code."""
    if not isinstance(cc, dict):
        return None
    if isinstance(cc.get("text"), str) and cc["text"].strip():
        return cc["text"].strip()
    for _system, _code, display in _codings(cc):
        if display:
            return str(display)
    codes = [code for _s_, code, _d in _codings(cc) if code]
    return codes[0] if codes else None


def _status_code(cc: Any) -> str | None:
    codes = [code for _system, code, _display in _codings(cc) if code]
    return codes[0] if codes else None


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        return None
    try:
        f = float(v)
    except (ValueError, OverflowError):  # OverflowError: an integer beyond the float range
        return None
    return f if math.isfinite(f) else None


def _shown(value: Any) -> str:
    """A value as quoted in a message, shortened: input text may be megabytes long."""
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 1]}…"


def _clipped(message: str) -> str:
    """A warning shortened to a readable line (it may quote long input text)."""
    return message if len(message) <= 4 * _SHOWN else f"{message[: 4 * _SHOWN - 1]}…"


def _instant(text: Any) -> str | None:
    """The moment a dateTime with a time of day names, in UTC (ISO 8601); None for a date alone or no date."""
    if not isinstance(text, str) or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
        return (moment.astimezone(UTC) if moment.tzinfo else moment).isoformat()
    except (ValueError, OverflowError):
        return None


class _Reader:
    """One pass over one bundle; collects records, unmapped codes and warnings."""

    def __init__(self, source: str, fmap: FhirMap, catalog: Catalog, vocabulary: Vocabulary) -> None:
        self.source = source
        self.fmap = fmap
        self.cat = catalog
        self.vocab = vocabulary
        self.warnings: list[str] = []
        self.unmapped: list[UnmappedRecord] = []
        self.labs: list[Observation] = []
        self.measurements: list[Observation] = []
        self.conditions: list[Condition] = []
        self.therapies: list[Therapy] = []
        self.by_ref: dict[str, dict] = {}
        self.sex: str | None = None
        self.assumed_uln: Counter[str] = Counter()
        self.patient_refs: set[str] = set()
        self.patient_id = ""
        self.patient_res: dict = {}
        self.events: dict[str, str] = {}
        self._invalid: dict[int, str | None] = {}
        self.contained_seen: set[str] = set()  # "<container id>#<id>" of contained records read or listed

    # --- envelope --------------------------------------------------------------------------------------

    def _error(self, problem: str, field: str | None = None) -> InputError:
        return InputError(problem, path=self.source, field=field)

    def read(self, data: Any) -> Patient:
        if not isinstance(data, dict):
            raise self._error(f"expected a FHIR Bundle (a JSON object), got {type(data).__name__}")
        rtype = data.get("resourceType")
        if rtype != "Bundle":
            raise self._error(f"expected a FHIR Bundle, got resourceType {_shown(rtype)}", "resourceType")
        btype = data.get("type")
        if btype not in BUNDLE_TYPES:
            raise self._error(
                f"Bundle.type {_shown(btype)} is not supported (expected one of {', '.join(BUNDLE_TYPES)})", "type"
            )
        bid = data.get("id")
        if bid is not None and (not isinstance(bid, str) or not _FHIR_ID.match(bid)):
            self.warnings.append(
                f"Bundle.id {bid!r} is not a valid FHIR id (letters, digits, '-' and '.', at most 64); ignored"
            )
        entries = data.get("entry")
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise self._error("Bundle.entry must be a list of entries", "entry")

        items: list[tuple[int, str | None, dict]] = []
        for i, entry in enumerate(entries):
            res = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(res, dict) or not isinstance(res.get("resourceType"), str):
                self.warnings.append(f"entry[{i}] has no resource; skipped")
                continue
            full_url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
            items.append((i, full_url, res))
            if full_url:
                self.by_ref[full_url] = res
            if isinstance(res.get("id"), str):
                self.by_ref[f"{res['resourceType']}/{res['id']}"] = res

        patients = [(i, url, res) for i, url, res in items if res["resourceType"] == "Patient"]
        if not patients:
            raise self._error("the bundle has no Patient resource", "entry")
        if len(patients) > 1:  # even with one id: two versions of one patient would leave one of them unread
            raise self._error(
                f"the bundle has {len(patients)} Patient resources; one patient per bundle is expected", "entry"
            )
        demographics = self._patient(*patients[0])

        handlers = {
            "Observation": self._observation,
            "Condition": self._condition,
            "MedicationStatement": self._medication_statement,
            "MedicationAdministration": self._medication_administration,
            "MedicationRequest": self._medication_request,
            "Procedure": self._procedure,
            "Immunization": self._immunization,
            "DiagnosticReport": self._report_results,
        }
        ignored: Counter[str] = Counter()
        todo: list[tuple[dict, str]] = []
        reports: list[tuple[dict, str]] = []
        seen: set[str] = set()
        superseded = self._superseded([(i, url, res) for i, url, res in items if res["resourceType"] != "Patient"])
        for i, url, res in items:
            rtype = res["resourceType"]
            if rtype == "Patient" or id(res) in superseded:
                continue
            rid = self._rid(res, url, i)
            if rid in seen:  # only copies of one version are left: read once
                self.warnings.append(f"{rid} appears again in entry[{i}] with the same content; read once")
                continue
            seen.add(rid)
            if rtype not in READ_TYPES:
                if not _is_resource_type(rtype):
                    self.warnings.append(f"entry[{i}]: resourceType {rtype!r} is not a FHIR resource type; not read")
                    continue
                if rtype == "DiagnosticReport" and self._groups_results(res):
                    reports.append((res, rid))
                if rtype != "Medication":  # read through the references that name it
                    ignored[rtype] += 1
                continue
            problem = self._subject_problem(res)
            if problem is not None:
                self._not_read(rid, res, problem)
                continue
            problem = self._invalid_reason(res, rid)
            if problem is not None:
                self._unmapped(rid, self._main_codings(res), None, f"not read: invalid FHIR ({problem})")
                continue
            todo.append((res, rid))

        self.events = self._events([(res, rid) for res, rid in todo if res["resourceType"] == "Observation"], reports)
        for res, rid in [*todo, *reports]:
            rtype = res["resourceType"]
            try:
                handlers[rtype](res, rid)
            except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError) as exc:  # beyond validation
                self._unmapped(rid, self._main_codings(res), None, f"not read: {type(exc).__name__}: {exc}")
                self.warnings.append(f"{rid} could not be read ({type(exc).__name__}: {exc}); not used")

        self._unread_contained([(res, self._rid(res, url, i)) for i, url, res in items if id(res) not in superseded])
        if ignored:
            listed = ", ".join(f"{n} {t}" for t, n in sorted(ignored.items()))
            self.warnings.append(f"resources not used for screening: {listed}")
        if self.assumed_uln:
            listed = ", ".join(f"{self.cat.observations[k].label} ({n})" for k, n in sorted(self.assumed_uln.items()))
            self.warnings.append(
                "results without a reference range were given the default ULN "
                f"(engine/data/default_uln.yaml, marked assumed): {listed}"
            )
        try:
            return Patient.model_validate(
                {
                    **demographics,
                    "labs": tuple(self.labs),
                    "measurements": tuple(self.measurements),
                    "conditions": tuple(self.conditions),
                    "therapies": tuple(self.therapies),
                    "unmapped": tuple(self.unmapped),
                    "warnings": tuple(_clipped(w) for w in self.warnings),
                }
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            raise self._error(first["msg"], _loc(first["loc"])) from None

    @staticmethod
    def _rid(res: dict, url: str | None, i: int) -> str:
        if isinstance(res.get("id"), str) and res["id"]:
            return f"{res['resourceType']}/{res['id']}"
        return url or f"{res['resourceType']}/entry[{i}]"

    def _superseded(self, items: list[tuple[int, str | None, dict]]) -> set[int]:
        """The records (by ``id()``) not to read because the bundle holds another version of them.

        Versions (one id, different content) are ordered by ``meta.versionId`` when every one is a whole number,
        else by ``meta.lastUpdated``; only the latest is read, so that a later entered-in-error or cancelled
        version retracts the earlier result. Versions that cannot be ordered are none of them read (listed)."""
        groups: dict[str, list[dict]] = {}
        for i, url, res in items:
            groups.setdefault(self._rid(res, url, i), []).append(res)
        out: set[int] = set()
        for rid, group in groups.items():
            versions: list[dict] = []
            for res in group:
                if res not in versions:
                    versions.append(res)
            if len(versions) < 2:
                continue
            latest = _latest_version(versions)
            if latest is None:
                out.update(id(res) for res in group)
                self.warnings.append(
                    f"{rid}: {len(versions)} versions with different content, not ordered by meta.versionId or "
                    "meta.lastUpdated; none read"
                )
                self._unmapped(rid, self._main_codings(versions[-1]), None, "not read: versions that cannot be ordered")
                continue
            out.update(id(res) for res in group if res != latest)
            shown = _version_label(latest)
            self.warnings.append(f"{rid}: {len(versions)} versions in the bundle; only the latest ({shown}) read")
        return out

    def _invalid_reason(self, res: dict, rid: str) -> str | None:
        """None when the resource validates (tolerating a bad id and unknown elements), else the first error."""
        key = id(res)
        if key in self._invalid:
            return self._invalid[key]
        try:
            model = get_fhir_model_class(res["resourceType"])
        except Exception:  # an unknown resource type
            self._invalid[key] = "unknown resource type"
            return self._invalid[key]
        reason = None
        try:
            model.model_validate(res)
        except ValidationError as exc:
            errors = exc.errors()
            harmless = [e for e in errors if e["loc"][:1] == ("id",) or e["type"] == "extra_forbidden"]
            if len(harmless) == len(errors):
                for e in harmless:
                    what = "invalid id" if e["loc"][:1] == ("id",) else f"unknown element '{_loc(e['loc'])}'"
                    self.warnings.append(f"{rid}: {what} ignored")
            else:
                first = next(e for e in errors if e not in harmless)
                reason = f"{_loc(first['loc'])}: {first['msg']}"
                self.warnings.append(f"{rid} is not valid FHIR ({reason}); not read")
        self._invalid[key] = reason
        return reason

    def _subject_problem(self, res: dict, *, contained: bool = False) -> str | None:
        """None when the resource is about the bundle's Patient, else why it is not.

        A contained resource without a subject belongs to its container, which was checked. An Observation
        whose ``focus`` is someone else (a fetus, a donor, a family member) is about that focus, not the patient.
        """
        field = "patient" if res.get("resourceType") == "Immunization" else "subject"
        ref = res.get(field)
        problem = self._reference_problem(field, ref) if ref is not None else None if contained else f"has no {field}"
        if problem is None and res.get("resourceType") == "Observation" and res.get("focus") is not None:
            focus = res["focus"] if isinstance(res["focus"], list) else [res["focus"]]
            problem = next((p for p in (self._reference_problem("focus", f) for f in focus) if p), None)
        return problem

    def _reference_problem(self, field: str, ref: Any) -> str | None:
        """None when the Reference ``ref`` names the bundle's Patient, else why it does not."""
        if not isinstance(ref, dict):
            return f"{field} is not a Reference"
        reference = ref.get("reference")
        if reference is None or (isinstance(reference, str) and not reference.strip()):
            return f"{field} has no reference"
        if not isinstance(reference, str):
            return f"{field}.reference is not text"
        if self._is_patient(reference.strip()):
            return None
        return f"{field} is {reference.strip()}, not this bundle's patient"

    def _is_patient(self, reference: str) -> bool:
        """Whether a reference names the bundle's Patient: its fullUrl or ``Patient/<id>`` (any version), or an
        entry of the bundle that is that Patient. An absolute URL on another server is another record, even when
        it ends in ``Patient/<id>``: only the Patient's own fullUrl (its base + ``Patient/<id>``) names it."""
        reference = _HISTORY.sub("", reference)
        if reference in self.patient_refs:
            return True
        target = self.by_ref.get(reference)
        return target is not None and target is self.patient_res

    def _groups_results(self, report: dict) -> bool:
        """Whether a DiagnosticReport's ``result`` list says which of this patient's results go together (only
        that grouping is read from a report; one in error or about someone else says nothing)."""
        return report.get("status") not in ("entered-in-error", "cancelled") and self._subject_problem(report) is None

    def _not_read(self, rid: str, res: dict, problem: str) -> None:
        """List a record that is not about this patient: in the warnings and, with its codes, in the unmapped."""
        self.warnings.append(f"{rid}: {problem}; not read")
        self._unmapped(rid, self._main_codings(res), None, f"not read: {problem}")

    def _events(self, observations: list[tuple[dict, str]], reports: list[tuple[dict, str]]) -> dict[str, str]:
        """The event of each observation record id: what it was measured together with.

        Records are joined when they are components of one Observation, members of one panel (``hasMember``)
        or one DiagnosticReport (``result``), or taken at one instant (an effective dateTime with a time of day;
        a date alone joins nothing). A group is named by its report or panel, else by the Observation whose
        components it holds, else by the instant (UTC); a record in no group has no event.
        """
        parent: dict[str, str] = {}
        names: dict[str, tuple[int, int, str]] = {}  # node -> (rank, order, name): the lowest names its group
        rid_of = {id(res): rid for res, rid in observations}

        def find(node: str) -> str:
            parent.setdefault(node, node)
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        def join(a: str, b: str) -> None:
            parent[find(a)] = find(b)

        def name(node: str, rank: int, shown: str) -> None:
            names.setdefault(node, (rank, len(names), shown))

        def member(holder: dict, ref: Any) -> tuple[str, dict | None] | None:
            if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
                return None
            target = ref["reference"]
            if target.startswith("#"):
                inner = _contained(holder, target[1:])
                return (target, inner) if inner is not None else None
            found = self.by_ref.get(target)
            return (rid_of[id(found)], None) if found is not None and id(found) in rid_of else None

        def visit(res: dict, rid: str) -> None:
            find(rid)
            if isinstance(res.get("component"), list) and res["component"]:
                name(rid, 1, rid)
            moment = _instant(res.get("effectiveDateTime")) or _instant(res.get("effectiveInstant"))
            if moment is not None:
                join(rid, f"@{moment}")
                name(f"@{moment}", 2, moment)
            gather(res, rid, res.get("hasMember"))

        def gather(holder: dict, rid: str, refs: Any) -> None:
            """A panel's members or a report's results share the holder's event."""
            if not isinstance(refs, list) or not refs:
                return
            name(rid, 0, rid)
            for ref in refs:
                hit = member(holder, ref)
                if hit is None:
                    continue
                target, inner = hit
                if inner is not None:  # contained: read as "<panel or report>#<id>"
                    visit(inner, f"{rid}{target}")
                    target = f"{rid}{target}"
                join(target, rid)

        for res, rid in observations:
            visit(res, rid)
        for res, rid in reports:
            gather(res, rid, res.get("result"))
        best: dict[str, tuple[int, int, str]] = {}
        for node, label in names.items():
            root = find(node)
            if root not in best or label < best[root]:
                best[root] = label
        return {node: best[find(node)][2] for node in parent if not node.startswith("@") and find(node) in best}

    # --- Patient ---------------------------------------------------------------------------------------

    def _patient(self, i: int, url: str | None, res: dict) -> dict[str, Any]:
        where = f"entry[{i}].resource"
        try:
            get_fhir_model_class("Patient").model_validate(res)
        except ValidationError as exc:
            real = [e for e in exc.errors() if e["loc"][:1] != ("id",) and e["type"] != "extra_forbidden"]
            if real:
                raise self._error(
                    f"the Patient resource is not valid FHIR: {real[0]['msg']}", f"{where}.{_loc(real[0]['loc'])}"
                ) from None
        pid = res.get("id") if isinstance(res.get("id"), str) and res.get("id") else None
        if pid is not None and not _FHIR_ID.match(pid):
            self.warnings.append(f"Patient.id {pid!r} is not a valid FHIR id; kept as the patient id")
        if pid is None:
            pid = (url or "").rsplit(":", 1)[-1].rsplit("/", 1)[-1] or Path(self.source).stem or "patient"
        self.patient_id = pid
        self.patient_res = res
        self.patient_refs = {f"Patient/{pid}"} | ({_HISTORY.sub("", url)} if url else set())
        gender = res.get("gender")
        if gender is not None and gender not in GENDERS:
            raise self._error(
                f"{_shown(gender)} is not a FHIR administrative gender ({', '.join(GENDERS)})", f"{where}.gender"
            )
        self.sex = gender if gender in ("male", "female") else None
        if gender not in (None, "male", "female"):
            self.warnings.append(f"Patient.gender is '{gender}': sex is not recorded for sex-specific criteria")
        birth = self._date(res.get("birthDate"), f"Patient/{pid}", "birthDate")
        deceased = res.get("deceasedBoolean") is True or bool(res.get("deceasedDateTime"))
        return {"id": pid, "sex": self.sex, "birth_date": birth, "race": _race(res), "deceased": deceased}

    def _date(self, text: Any, rid: str, what: str) -> DateSpan | None:
        if not isinstance(text, str):
            return None
        m = _DATE.match(text.strip())
        try:
            return parse_partial_date(m.group(0)) if m else None
        except ValueError:
            self.warnings.append(f"{rid}: {what} '{text}' is not a date; ignored")
            return None

    # --- Observation -----------------------------------------------------------------------------------

    def _observation(self, res: dict, rid: str) -> None:
        status = res.get("status")
        if status in _SKIPPED_RESULT:
            self.warnings.append(f"{rid} has status {status}; skipped")
            return
        if status in _NOT_A_RESULT:
            self.warnings.append(f"{rid} has status {status} ({_NOT_A_RESULT[status]}); not used")
            return
        if status not in _RESULT:
            self.warnings.append(f"{rid}: status {status!r} is not a FHIR Observation status; not read")
            return
        codings = _codings(res.get("code"))
        key = self.fmap.lookup("observations", codings)
        when = self._effective(res, rid)
        lab = any(code == "laboratory" for cc in res.get("category") or () for _s_, code, _d in _codings(cc))
        section = self.labs if lab else self.measurements
        has_value = any(k.startswith("value") for k in res)
        parts = bool(res.get("component") or res.get("hasMember"))
        if key is not None:
            if has_value or not parts:
                self._add_observation(key, res, rid, when, section)
        elif has_value or not parts:
            self._unmapped(rid, codings, res.get("code"))
        for comp in res.get("component") or ():
            if not isinstance(comp, dict):
                continue
            ccodings = _codings(comp.get("code"))
            ckey = self.fmap.lookup("observations", ccodings)
            if ckey is None:
                self._unmapped(rid, ccodings, comp.get("code"), "component")
            else:
                self._add_observation(ckey, comp, rid, when, section)
        for member in res.get("hasMember") or ():
            ref = member.get("reference") if isinstance(member, dict) else None
            if isinstance(ref, str) and ref.startswith("#"):
                inner = _contained(res, ref[1:])
                if inner is not None and inner.get("resourceType") == "Observation":
                    self._contained_observation(inner, f"{rid}{ref}")
                    continue
            if not isinstance(ref, str) or ref not in self.by_ref:
                self.warnings.append(f"{rid}: panel member {ref!r} is not in the bundle")

    def _effective(self, res: dict, rid: str) -> DateSpan | None:
        """The date the result was measured (the specimen's): ``effectiveDateTime``, ``effectivePeriod`` (start,
        else end), ``effectiveInstant``, else the latest ``effectiveTiming.event``. ``issued`` is when the report
        was released, possibly long after: a result with no effective date has no date (a warning says so)."""
        period = res.get("effectivePeriod") if isinstance(res.get("effectivePeriod"), dict) else {}
        when = (
            self._date(res.get("effectiveDateTime"), rid, "effectiveDateTime")
            or self._date(period.get("start"), rid, "effectivePeriod.start")
            or self._date(period.get("end"), rid, "effectivePeriod.end")
            or self._date(res.get("effectiveInstant"), rid, "effectiveInstant")
        )
        timing = res.get("effectiveTiming") if isinstance(res.get("effectiveTiming"), dict) else {}
        events = timing.get("event") if isinstance(timing.get("event"), list) else []
        if when is None and events:
            dates = [d for d in (self._date(e, rid, "effectiveTiming.event") for e in events) if d is not None]
            when = max(dates, key=lambda d: (d.latest, d.earliest), default=None)
        if when is None and res.get("issued"):
            self.warnings.append(
                f"{rid}: no effective date, only issued (when the report was released, not the specimen date); "
                "the result has no date"
            )
        return when

    def _report_results(self, report: dict, rid: str) -> None:
        """Read the results a DiagnosticReport of this patient holds contained (``result`` naming ``#id``): they
        are about the report's subject. Results it names in the bundle are read as entries of their own."""
        results = report.get("result")
        for ref in results if isinstance(results, list) else ():
            target = ref.get("reference") if isinstance(ref, dict) else None
            if isinstance(target, str) and target.startswith("#"):
                inner = _contained(report, target[1:])
                if inner is not None and inner.get("resourceType") == "Observation":
                    self._contained_observation(inner, f"{rid}{target}")

    def _contained_observation(self, inner: dict, rid: str) -> None:
        """Read an Observation contained in a panel or report of this patient (``rid`` is ``<container>#<id>``)."""
        self.contained_seen.add(rid)
        problem = self._subject_problem(inner, contained=True)
        if problem is not None:
            self._not_read(rid, inner, problem)
            return
        problem = self._invalid_reason(inner, rid)
        if problem is not None:
            self._unmapped(rid, self._main_codings(inner), None, f"not read: invalid FHIR ({problem})")
            return
        self._observation(inner, rid)

    def _unread_contained(self, holders: list[tuple[dict, str]]) -> None:
        """List every contained record of a readable type that was not read as a member or result of its
        container (in the Patient, in a report about someone else, in a panel that does not name it): a record
        is never dropped without a word. A result of a known kind held by a record of this patient that is not
        retracted is also kept as a result to review (its text says why), so that an older result of the same
        kind cannot settle a criterion alone."""
        for res, rid in holders:
            contained = res.get("contained")
            for n, inner in enumerate(contained if isinstance(contained, list) else ()):
                if not isinstance(inner, dict) or inner.get("resourceType") not in READ_TYPES:
                    continue
                cid = inner.get("id") if isinstance(inner.get("id"), str) else f"contained[{n}]"
                crid = f"{rid}#{cid}"
                if crid in self.contained_seen:
                    continue
                self.contained_seen.add(crid)
                why = f"contained in {rid}, not as a result of it that is read"
                self._not_read(crid, inner, why)
                ours = res is self.patient_res or self._subject_problem(res) is None
                ours = ours and self._subject_problem(inner, contained=True) is None
                retracted = res.get("status") in _SKIPPED_RESULT or inner.get("status") in _SKIPPED_RESULT
                if inner.get("resourceType") == "Observation" and ours and not retracted:
                    self._review_only(inner, crid, why)

    def _review_only(self, res: dict, rid: str, why: str) -> None:
        """Keep each result of a known kind in ``res`` as text for review (no value is trusted)."""
        lab = any(code == "laboratory" for cc in res.get("category") or () for _s_, code, _d in _codings(cc))
        section = self.labs if lab else self.measurements
        parts = [res, *(c for c in res.get("component") or () if isinstance(c, dict))]
        when = self._effective(res, rid)
        for part in parts:
            key = self.fmap.lookup("observations", _codings(part.get("code")))
            if key is not None:
                section.append(Observation(code=key, value=f"not read: {why}", date=when, id=rid))

    def _add_observation(self, key: str, holder: dict, rid: str, when: DateSpan | None, section: list) -> None:
        spec = self.cat.observations[key]
        value, unit = self._value(key, holder, rid)
        if value is None:
            return
        rr = self._reference_range(key, holder, unit, rid) if isinstance(value, float) and spec.numeric else None
        section.append(
            Observation(
                code=key, value=value, unit=unit, reference_range=rr, date=when, id=rid, event=self.events.get(rid)
            )
        )

    def _value(self, key: str, holder: dict, rid: str) -> tuple[float | bool | str | None, str | None]:
        spec = self.cat.observations[key]
        label = spec.label
        given = next((k for k in holder if k.startswith("value")), None)
        if given is not None and holder.get("dataAbsentReason") is not None:
            absent = _text(holder["dataAbsentReason"]) or "no reason given"
            return self._unreadable(rid, key, f"{given} contradicts its dataAbsentReason ({absent}): not a value")
        if "valueQuantity" in holder:
            q = holder["valueQuantity"] or {}
            v = _num(q.get("value"))
            if v is None:
                self.warnings.append(f"{rid}: {label} has no numeric value; not used")
                return None, None
            disagree = self._units_disagree(q)
            if disagree is not None:
                return self._unreadable(rid, key, f"unit code '{disagree[0]}' and unit '{disagree[1]}' disagree")
            unit = self._unit(q, rid, label)
            if q.get("comparator"):
                shown = f"{q['comparator']}{v:g}" + (f" {unit}" if unit else "")
                self.warnings.append(f"{rid}: {label} is '{shown}' (a bound, not a value): kept as text for review")
                return shown, None
            return v, unit
        if "valueInteger" in holder:
            v = _num(holder["valueInteger"])
            return (v, None) if v is not None else (None, None)
        if "valueCodeableConcept" in holder:
            cc = holder["valueCodeableConcept"]
            texts = [t for t in [_text(cc), *(d for _s_, _c, d in _codings(cc) if d)] if t]
            # Every coding, the text and every display must say one thing: codes that disagree, or a text saying
            # "Positive" on a negative code, are not settled by picking one of them.
            by_code = [a for c in _codings(cc) if (a := self.fmap.lookup("answers", [c])) is not None]
            by_text = [a for t in texts if (a := self.fmap.answer_texts.get(fold_text(t))) is not None]
            said, coded = list(dict.fromkeys(by_code + by_text)), bool(by_code)
            if len(said) > 1:
                shown = " / ".join(str(a) for a in said)
                return self._unreadable(rid, key, f"its codes and text contradict each other ({shown})")
            # Without a known code, the answer rests on text alone: a text saying something else ("Reactive,
            # confirm" beside a display "Negative") leaves it open.
            unclear = [t for t in dict.fromkeys(texts) if fold_text(t) not in self.fmap.answer_texts]
            if said and not coded and unclear:
                return self._unreadable(rid, key, f"its text '{unclear[0]}' contradicts '{said[0]}'")
            return self._interpreted(key, holder, rid, said[0] if said else None, texts[0] if texts else "(no text)")
        if "valueString" in holder:
            text = str(holder["valueString"])
            return self._interpreted(key, holder, rid, self.fmap.answer_texts.get(fold_text(text)), text)
        if "valueBoolean" in holder:
            return bool(holder["valueBoolean"]), None
        other = next((k for k in holder if k.startswith("value")), None)
        if other is not None:
            self.unmapped.append(
                UnmappedRecord(source=rid, system=None, code=key, display=f"{label}: {other} is not supported")
            )
            self.warnings.append(f"{rid}: {label} given as {other}, which the mapping cannot read; not used")
            return None, None
        absent = _text(holder.get("dataAbsentReason"))
        self.warnings.append(f"{rid}: {label} has no value" + (f" (data absent: {absent})" if absent else ""))
        return None, None

    def _interpreted(
        self, key: str, holder: dict, rid: str, answer: str | float | None, text: str
    ) -> tuple[float | str | None, None]:
        """A qualitative result, unless its ``interpretation`` points the other way (POS on "negative")."""
        polarity = _POLARITY.get(answer) if isinstance(answer, str) else None
        flags = holder.get("interpretation") if isinstance(holder.get("interpretation"), list) else []
        for flag in flags:
            for system, code, _display in _codings(flag):
                other = _INTERPRETATION_POLARITY.get(code or "") if system in (None, V3_INTERPRETATION) else None
                if polarity is not None and other is not None and other != polarity:
                    return self._unreadable(rid, key, f"'{text}' contradicts its interpretation {code}")
        return self._answer(self.cat.observations[key], answer, text), None

    def _unreadable(self, rid: str, key: str, why: str) -> tuple[None, None]:
        """A result that says two things is neither: not read, listed in the unmapped and the warnings."""
        label = self.cat.observations[key].label
        self.unmapped.append(UnmappedRecord(source=rid, system=None, code=key, display=f"{label}: not read: {why}"))
        self.warnings.append(f"{rid}: {label}: {why}; not read")
        return None, None

    def _units_disagree(self, q: dict) -> tuple[str, str] | None:
        """(code, unit) when a Quantity's UCUM code and its display unit are different units (g/dL and g/L);
        None when they agree, when one is missing, or when the display is not a unit at all (free text)."""
        code, shown = q.get("code"), q.get("unit")
        if not (isinstance(code, str) and code.strip() and isinstance(shown, str) and shown.strip()):
            return None
        if q.get("system") not in (None, UCUM):
            return None
        a, b = (self.fmap.ucum_units.get(u.strip(), u.strip()) for u in (code, shown))
        try:
            return None if math.isclose(conversion_factor(b, a), 1.0, rel_tol=1e-9) else (code.strip(), shown.strip())
        except UnitError:
            try:
                parse_unit(a), parse_unit(b)
            except UnitError:
                return None
            return code.strip(), shown.strip()

    @staticmethod
    def _answer(spec: Any, answer: str | float | None, text: str) -> float | str:
        if spec.values is not None:
            return answer if isinstance(answer, str) and answer in spec.values else text
        return answer if isinstance(answer, float) else text

    def _unit(self, q: dict, rid: str, label: str) -> str | None:
        code, system, shown = q.get("code"), q.get("system"), q.get("unit")
        if isinstance(code, str) and code.strip() and system in (None, UCUM):
            unit = code.strip()
        elif isinstance(shown, str) and shown.strip():
            unit = shown.strip()
            self.warnings.append(f"{rid}: {label} unit taken from display text '{unit}' (no UCUM code)")
        else:
            return None
        unit = self.fmap.ucum_units.get(unit, unit)
        try:
            parse_unit(unit)
        except UnitError:
            self.warnings.append(f"{rid}: {label} unit '{unit}' is not understood")
        return unit

    def _reference_range(self, key: str, holder: dict, unit: str | None, rid: str) -> ReferenceRange | None:
        """The lab's normal range with an upper limit; else, when the lab gave none, the default ULN (assumed).

        A lab range that cannot be read, or several normal ranges with different upper limits (by sex, by age:
        ``appliesTo``), give no ULN at all: neither one of them nor the default is picked.
        """
        label = self.cat.observations[key].label
        found: list[ReferenceRange] = []
        ranges = holder.get("referenceRange")
        for rr in ranges if isinstance(ranges, list) else ():
            high = rr.get("high") if isinstance(rr, dict) else None
            if not isinstance(high, dict) or not _normal_range(rr):  # therapeutic, treatment... ranges: not a ULN
                continue
            hv = _num(high.get("value"))
            if hv is None:
                self.warnings.append(f"{rid}: {label} reference range high is not a usable number; no ULN")
                return None
            hunit = self._unit(high, rid, f"{label} ULN") if (high.get("code") or high.get("unit")) else unit
            low = rr.get("low") if isinstance(rr.get("low"), dict) else {}
            lv = _num(low.get("value"))
            lunit = low.get("code") or low.get("unit")
            lunit = self.fmap.ucum_units.get(lunit, lunit) if isinstance(lunit, str) else None
            found.append(
                ReferenceRange(low=lv if lv is not None and lunit in (None, hunit) else None, high=hv, unit=hunit)
            )
        if len({(r.high, r.unit) for r in found}) > 1:
            self.warnings.append(
                f"{rid}: {label} has {len(found)} reference ranges with different upper limits; none used"
            )
            return None
        if found:
            return found[0]
        default = self.fmap.default_uln.get(key)
        if default is None:
            return None
        high = default.for_sex(self.sex)
        if high is None:
            self.warnings.append(
                f"{rid}: {label} has no reference range and its default ULN depends on sex, "
                "which is not recorded; no ULN assumed"
            )
            return None
        self.assumed_uln[key] += 1
        return ReferenceRange(high=high, unit=default.unit, assumed=True)

    # --- vocabulary -----------------------------------------------------------------------------------

    def _map(self, cc: Any, domain: Domain, *, names_in_text: bool = False) -> _Hit | None:
        """The vocabulary concepts a CodeableConcept names: by its codes (the most specific concepts any coding
        maps to), else by its text or a display naming a concept, else (``names_in_text``, medications) by
        individual drug names found as whole words in its text; None when nothing maps."""
        codings = _codings(cc)
        texts = list(dict.fromkeys(t for t in [_text(cc), *(d for _s_, _c, d in codings if d)] if t))
        named = {c.id for t in texts if (c := self.vocab.resolve(_strip_tag(t), domain)) is not None}
        found: dict[str, str | None] = {}  # concept id -> "mapped through" note (None: the code is its own)
        for system, code, _display in codings:
            vs = system_of_uri(system)
            if vs is None or not code or not code.strip():
                continue
            match = self.vocab.by_code(vs, code)
            if match is None:
                continue
            for c in match.concepts:
                if c.domain != domain:
                    continue
                note = None
                if match.through_hierarchy:
                    note = f"{_SYSTEM_NAMES[vs]} {match.code} mapped to {c.label} through {match.via}"
                if found.get(c.id, "") is not None:  # an own code wins over a class code for one concept
                    found[c.id] = note
        if found:
            ids = [i for i in found if not any(j != i and self.vocab.is_a(j, i) for j in found)]
            notes = tuple(n for i in ids if (n := found[i]) is not None)
            broad = frozenset(i for i in ids if found[i] is not None and i not in named)
            return _Hit(tuple(self.vocab[i] for i in ids), all(i in named for i in ids), notes, broad)
        for t in texts:
            c = self.vocab.resolve(_strip_tag(t), domain)
            if c is not None:
                return _Hit((c,), True, (f"'{t}' has no code the vocabulary knows; mapped to {c.label} by its text",))
        if names_in_text:
            pattern, spellings = _drug_names(self.vocab)
            joined = " | ".join(texts)
            if pattern is not None and joined:
                ids = list(dict.fromkeys(spellings[fold_text(m.group(0))] for m in pattern.finditer(joined)))
                if ids:
                    shown = " / ".join(self.vocab[i].label for i in ids)
                    note = f"therapy '{texts[0]}' has no code the vocabulary knows; named '{shown}' from its text"
                    return _Hit(tuple(self.vocab[i] for i in ids), False, (note,))
        return None

    def _noted(self, rid: str, hit: _Hit) -> None:
        self.warnings.extend(f"{rid}: {note}" for note in hit.notes)

    # --- Condition -------------------------------------------------------------------------------------

    def _condition(self, res: dict, rid: str) -> None:
        verification = _status_code(res.get("verificationStatus"))
        clinical = _status_code(res.get("clinicalStatus"))
        codings = _codings(res.get("code"))
        # A status that cannot be read leaves the record in doubt, never dropped: with a complete history a
        # dropped diagnosis would read as absent.
        statuses = (("verification", verification, _VERIFICATION), ("clinical", clinical, _CLINICAL))
        doubt = next(
            (
                f"has {what}Status '{code}', which is not a Condition {what}Status code"
                for what, code, valid in statuses
                if code is not None and code not in valid
            ),
            None,
        )
        if verification in ("unconfirmed", "provisional", "differential"):
            doubt = f"is {verification}, not confirmed"
        if verification == "entered-in-error" and doubt is None:
            self.warnings.append(f"{rid} has verificationStatus entered-in-error; skipped")
            return
        hit = self._map(res.get("code"), "condition")
        if hit is None:
            self._unmapped(rid, codings, res.get("code"))
            return
        self._noted(rid, hit)
        labels = [c.label for c in hit.concepts]
        label = " / ".join(labels)
        onset = self._date(res.get("onsetDateTime"), rid, "onsetDateTime") or self._date(
            (res.get("onsetPeriod") or {}).get("start"), rid, "onsetPeriod.start"
        )
        abated = self._date(res.get("abatementDateTime"), rid, "abatementDateTime") or self._date(
            (res.get("abatementPeriod") or {}).get("start"), rid, "abatementPeriod.start"
        )
        if doubt is not None:
            self.warnings.append(f"{rid}: {label} {doubt}; read as suspected (neither present nor ruled out)")
            self.conditions.extend(Condition(code=c, status="suspected", onset=onset, id=rid) for c in labels)
            return
        if verification == "refuted":
            if not hit.exact:
                # Ruling out a concept rules out everything below it: only a record that names the concept
                # itself (its text or display) can do that, not a code that may mean something narrower.
                self._unmapped(rid, codings, res.get("code"), f"refuted; its code may be narrower than {label}")
                self.warnings.append(
                    f"{rid}: refuted, but nothing in it names {label} itself (its code may mean something "
                    f"narrower); not read as ruling {label} out"
                )
                return
            self.conditions.extend(Condition(code=c, status="absent", id=rid) for c in labels)
            return
        resolved: DateSpan | None
        if clinical in ("active", "recurrence", "relapse"):
            resolved = None
            if abated is not None:
                self.warnings.append(f"{rid}: {label} is {clinical} but has an abatement date; read as {clinical}")
        elif clinical in ("inactive", "remission", "resolved") and abated is not None:
            resolved = abated
        else:
            # Resolved at an unknown date, or current status unknown: present at onset, and whether it is
            # present now (or in a window after onset) is unknown. Never read as absent: it did occur.
            resolved = DateSpan(onset.earliest if onset and onset.earliest else date.min, None)
            why = f"is {clinical} with no abatement date" if clinical else "has no clinicalStatus"
            self.warnings.append(f"{rid}: {label} {why}; recorded as present since onset with an unknown end")
        self.conditions.extend(
            Condition(code=c, status="present", onset=onset, resolved=resolved, id=rid) for c in labels
        )

    # --- therapies -------------------------------------------------------------------------------------

    def _medication_statement(self, res: dict, rid: str) -> None:
        dosage = (res.get("dosage") or [None])[0]
        start, end = self._period(res, rid, "effective")
        self._medication(res, rid, start, end, dosage)

    def _medication_administration(self, res: dict, rid: str) -> None:
        start, end = self._period(res, rid, "effective")
        self._medication(res, rid, start, end, res.get("dosage"))

    def _medication_request(self, res: dict, rid: str) -> None:
        intent = res.get("intent")
        if intent not in _INTENTS:
            self.warnings.append(f"{rid}: intent {intent!r} is not a FHIR MedicationRequest intent; not read")
            return
        if intent in _NOT_AN_ORDER:
            self.warnings.append(f"{rid} is a {intent}, not an order; skipped")
            return
        dosage = (res.get("dosageInstruction") or [None])[0]
        bounds = (((dosage or {}).get("timing") or {}).get("repeat") or {}).get("boundsPeriod") or {}
        start = self._date(bounds.get("start"), rid, "boundsPeriod.start") or self._date(
            res.get("authoredOn"), rid, "authoredOn"
        )
        end = self._date(bounds.get("end"), rid, "boundsPeriod.end")
        self._medication(res, rid, start, end, dosage)

    def _procedure(self, res: dict, rid: str) -> None:
        if self._skipped(res, rid):
            return
        start, end = self._period(res, rid, "performed")
        target = self._therapy_target(rid, res.get("code"), _text(res.get("code")) or "procedure")
        if target is None:
            self._unmapped(rid, _codings(res.get("code")), res.get("code"))
            return
        name, classes = target
        self._add_therapy(res, rid, name, classes, start, end, None, "")

    def _immunization(self, res: dict, rid: str) -> None:
        if self._skipped(res, rid):
            return
        when = self._date(res.get("occurrenceDateTime"), rid, "occurrenceDateTime")
        text = _text(res.get("vaccineCode")) or "vaccine"
        target = self._therapy_target(rid, res.get("vaccineCode"), text)
        if target is None:
            # An unknown vaccine may be live: kept as a therapy with no class, so the engine cannot rule it out.
            self._unmapped(rid, _codings(res.get("vaccineCode")), res.get("vaccineCode"))
            self.therapies.append(Therapy(name=text, start=when, end=when, id=rid))
            return
        name, classes = target
        self._add_therapy(res, rid, name, classes, when, when, None, text)

    def _skipped(self, res: dict, rid: str) -> bool:
        status = res.get("status")
        if status not in _STATUSES[res["resourceType"]]:
            self.warnings.append(f"{rid}: status {status!r} is not a FHIR {res['resourceType']} status; not read")
            return True
        if status in _SKIP[res["resourceType"]]:
            self.warnings.append(f"{rid} has status {status}; skipped")
            return True
        return False

    def _period(self, res: dict, rid: str, prefix: str) -> tuple[DateSpan | None, DateSpan | None]:
        single = self._date(res.get(f"{prefix}DateTime"), rid, f"{prefix}DateTime")
        if single is not None:
            return single, single if res["resourceType"] != "MedicationStatement" else None
        period = res.get(f"{prefix}Period") or {}
        return (
            self._date(period.get("start"), rid, f"{prefix}Period.start"),
            self._date(period.get("end"), rid, f"{prefix}Period.end"),
        )

    def _medication(self, res: dict, rid: str, start: DateSpan | None, end: DateSpan | None, dosage: Any) -> None:
        if self._skipped(res, rid):
            return
        dosage = dosage if isinstance(dosage, dict) else None
        cc = res.get("medicationCodeableConcept")
        if cc is None:
            cc = self._referenced_medication(res, rid)
            if cc is None:  # listed as unmapped; kept without a class, since it could be any drug
                shown = (res.get("medicationReference") or {}).get("display") or "unidentified medication"
                self._add_therapy(res, rid, str(shown), (), start, end, dosage, str(shown))
                return
        text = _text(cc) or "medication"
        target = self._therapy_target(rid, cc, text, names_in_text=True)
        if target is None:
            self._unmapped(rid, _codings(cc), cc)
            self._add_therapy(res, rid, text, (), start, end, dosage, text)
            return
        name, classes = target
        self._add_therapy(res, rid, name, classes, start, end, dosage, text)

    def _referenced_medication(self, res: dict, rid: str) -> dict | None:
        ref = (res.get("medicationReference") or {}).get("reference")
        med = None
        if isinstance(ref, str) and ref.startswith("#"):
            med = _contained(res, ref[1:])
        elif isinstance(ref, str):
            med = self.by_ref.get(ref)
        if med is None or med.get("resourceType") != "Medication":
            shown = (res.get("medicationReference") or {}).get("display")
            note = f"medication {ref!r} not found in the bundle" + (f" ({shown})" if shown else "")
            self._unmapped(rid, [], None, note)
            return None
        problem = self._invalid_reason(med, f"{rid} -> {ref}")
        if problem is not None:
            note = f"referenced Medication invalid ({problem})"
            self._unmapped(rid, _codings(med.get("code")), med.get("code"), note)
            return None
        return med.get("code") or {}

    def _therapy_target(
        self, rid: str, cc: Any, text: str, *, names_in_text: bool = False
    ) -> tuple[str, tuple[str, ...]] | None:
        """(name, classes) of a therapy record from the vocabulary, else None.

        The name is the label of the concept the record names; a record known only through a class code (an
        ATC group) keeps its own text as the name, with the class in ``classes``; further concepts (a
        combination product) are classes too."""
        hit = self._map(cc, "therapy", names_in_text=names_in_text)
        if hit is None:
            return None
        self._noted(rid, hit)
        own = [c.label for c in hit.concepts if c.id not in hit.broad]
        broad = [c.label for c in hit.concepts if c.id in hit.broad]
        if own:
            return own[0], tuple(own[1:] + broad)
        return _strip_tag(text), tuple(broad)

    def _add_therapy(
        self,
        res: dict,
        rid: str,
        name: str,
        classes: tuple[str, ...],
        start: DateSpan | None,
        end: DateSpan | None,
        dosage: dict | None,
        text: str,
    ) -> None:
        status = res.get("status")
        ongoing = status in _ONGOING[res["resourceType"]] and end is None
        route = self._route(dosage, text)
        if route == "intrathecal" and self._is_chemotherapy(name, classes):
            classes = (*classes, self.vocab[_INTRATHECAL_CHEMO].label)
        dose = self._dose(dosage, text, rid) if dosage else None
        self.therapies.append(
            Therapy(name=name, classes=classes, start=start, end=end, ongoing=ongoing, dose=dose, route=route, id=rid)
        )

    def _is_chemotherapy(self, name: str, classes: tuple[str, ...]) -> bool:
        """Whether the record's name or one of its classes is chemotherapy or a kind of it (and the vocabulary
        has an intrathecal chemotherapy concept to add)."""
        if _CHEMO not in self.vocab or _INTRATHECAL_CHEMO not in self.vocab:
            return False
        concepts = (self.vocab.resolve(x, "therapy") for x in (name, *classes))
        return any(c is not None and self.vocab.is_a(c.id, _CHEMO) for c in concepts)

    def _route(self, dosage: dict | None, text: str) -> str | None:
        cc = (dosage or {}).get("route")
        if isinstance(cc, dict):
            hit = self.fmap.lookup("routes", _codings(cc))
            if hit is not None:
                return hit
            shown = _text(cc)
            if shown:
                return re.sub(r"\s+route$", "", fold_text(shown))
        folded = fold_text(text or "")
        return next((route for form, route in self.fmap.dose_form_routes if form in folded), None)

    def _dose(self, dosage: dict, text: str, rid: str) -> Dose | None:
        rate = (dosage.get("doseAndRate") or [{}])[0]
        q = (rate or {}).get("doseQuantity") or dosage.get("dose")
        if not isinstance(q, dict):
            return None
        value = _num(q.get("value"))
        if value is None or value < 0:
            return None
        unit = q.get("code") or q.get("unit")
        unit = self.fmap.ucum_units.get(unit, unit) if isinstance(unit, str) else None
        if unit is None or _is_count(unit):
            strength = _rxnorm_strength(text)
            if strength is None:
                return None
            value, unit = value * strength[0], strength[1]
        try:
            per_time = "[time]" in str(parse_unit(unit).dimensionality)
        except UnitError:
            self.warnings.append(f"{rid}: dose unit '{unit}' is not understood; dose not used")
            return None
        per_day = _per_day(dosage)
        if per_day is not None and not per_time:
            value, unit = value * per_day, f"{unit}/day"
        if not math.isfinite(value):
            self.warnings.append(f"{rid}: dose is beyond the representable range; dose not used")
            return None
        return Dose(value=round(value, 9), unit=unit)

    # --- unmapped --------------------------------------------------------------------------------------

    @staticmethod
    def _main_codings(res: dict) -> list[Coding]:
        for key in ("code", "vaccineCode", "medicationCodeableConcept"):
            if isinstance(res.get(key), dict):
                return _codings(res[key])
        return []

    def _unmapped(self, rid: str, codings: list[Coding], cc: Any, note: str | None = None) -> None:
        known = [c for c in codings if c[0] in self.fmap.aliases or system_of_uri(c[0])] or codings
        system, code, display = known[0] if known else (None, None, None)
        display = display or _text(cc)
        if note:
            display = f"{display} [{note}]" if display else f"[{note}]"
        self.unmapped.append(UnmappedRecord(source=rid, system=system, code=code, display=display))


def _contained(holder: dict, cid: str) -> dict | None:
    """The resource contained in ``holder`` with id ``cid`` (a ``#cid`` reference), or None."""
    found = holder.get("contained")
    return (
        next((c for c in found if isinstance(c, dict) and c.get("id") == cid), None)
        if isinstance(found, list)
        else None
    )


def _meta(res: dict, key: str) -> Any:
    meta = res.get("meta")
    return meta.get(key) if isinstance(meta, dict) else None


def _latest_version(versions: list[dict]) -> dict | None:
    """The latest of several versions of one record: by whole-number ``meta.versionId``, else by
    ``meta.lastUpdated`` (an instant with a time zone); None when neither orders them all strictly."""
    ids = [_meta(v, "versionId") for v in versions]
    if all(isinstance(v, str) and v.strip().isdigit() for v in ids) and len({int(v) for v in ids}) == len(ids):
        return max(zip(ids, versions, strict=True), key=lambda pair: int(pair[0]))[1]
    stamps: list[datetime] = []
    for v in versions:
        text = _meta(v, "lastUpdated")
        try:
            stamp = datetime.fromisoformat(text.strip()) if isinstance(text, str) else None
        except ValueError:
            stamp = None
        if stamp is None or stamp.tzinfo is None:
            return None
        stamps.append(stamp)
    if len(set(stamps)) < len(stamps):
        return None
    return max(zip(stamps, versions, strict=True), key=lambda pair: pair[0])[1]


def _version_label(res: dict) -> str:
    version, updated = _meta(res, "versionId"), _meta(res, "lastUpdated")
    return f"version {version}" if isinstance(version, str) else f"lastUpdated {updated}"


def _normal_range(rr: dict) -> bool:
    """Whether a referenceRange is the normal range: its ``type`` is absent or says ``normal``."""
    if rr.get("type") is None:
        return True
    return any(code == "normal" for _system, code, _display in _codings(rr["type"]))


@lru_cache(maxsize=256)
def _is_resource_type(name: str) -> bool:
    try:
        get_fhir_model_class(name)
    except ValueError:  # an unknown name
        return False
    return True


def _race(res: dict) -> str | None:
    for ext in res.get("extension") or ():
        if not isinstance(ext, dict) or ext.get("url") != US_CORE_RACE:
            continue
        parts = [e for e in ext.get("extension") or () if isinstance(e, dict)]
        text = next((e.get("valueString") for e in parts if e.get("url") == "text" and e.get("valueString")), None)
        if text:
            return str(text)
        shown = [
            (e.get("valueCoding") or {}).get("display") for e in parts if e.get("url") in ("ombCategory", "detailed")
        ]
        shown = [s for s in shown if s]
        if shown:
            return ", ".join(shown)
    return None


def _is_count(unit: str) -> bool:
    """A unit that counts dose units (tablets, capsules) rather than measuring an amount."""
    word = unit.strip().strip("{}").lower()
    if word in _COUNT_UNITS or word == "1":
        return True
    try:
        return parse_unit(unit).dimensionless
    except UnitError:
        return False


def _rxnorm_strength(text: str) -> tuple[float, str] | None:
    """The per-tablet strength of a single-ingredient RxNorm tablet/capsule name ("predniSONE 5 MG Oral Tablet")."""
    if not text or len(_ANY_STRENGTH.findall(text)) != 1 or "/" in text:
        return None
    m = _RXNORM_STRENGTH.search(text)
    if not m:
        return None
    return float(m.group(1)), {"MG": "mg", "MCG": "ug", "G": "g"}[m.group(2).upper()]


def _per_day(dosage: dict) -> float | None:
    """Doses per day from ``timing.repeat`` (frequency per period), or None when as needed or not stated."""
    if dosage.get("asNeededBoolean") or dosage.get("asNeededCodeableConcept"):
        return None
    repeat = (dosage.get("timing") or {}).get("repeat") or {}
    freq, period, unit = _num(repeat.get("frequency")), _num(repeat.get("period")), repeat.get("periodUnit")
    if freq is None or period is None or period <= 0 or unit not in _PERIOD_DAYS:
        return None
    return freq / (period * _PERIOD_DAYS[unit])
