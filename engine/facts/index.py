"""A patient's records indexed by catalog key (observations) and vocabulary concept (conditions, therapies),
built once per patient and shared by every trial's facts.

Also the helpers every fact reader shares: unknown facts with their reason, number formatting, the
patient's sex, and reference dates (given dates are exact; screening defaults to the as-of date; an
unknown enrollment or first dose lies on or after screening and the as-of date, open-ended).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple
from weakref import WeakKeyDictionary

from ..catalog import Catalog
from ..dates import DateSpan
from ..errors import InputError
from ..evaluate.nodes import round_sig
from ..patient import Condition, Observation, Patient, Therapy
from ..vocabulary import Vocabulary, get_vocabulary
from .model import (
    Evidence,
    Fact,
    Reason,
    Window,
)

__all__ = ["PatientIndex", "fmt", "open_reference", "sex_fact", "unknown"]

_FAR_PAST = date(1, 1, 1)

# Facts that read no record of the patient ("no hemoglobin result", "no CNS disease in the complete condition
# history") are the same for every patient: frozen, so computed once per catalog and vocabulary and shared.
_SHARED: WeakKeyDictionary[Catalog, WeakKeyDictionary[Vocabulary, dict[tuple, Fact]]] = WeakKeyDictionary()


def unknown(
    kind: str,
    fact: str,
    message: str,
    settle: str,
    evidence: tuple[Evidence, ...] = (),
    results: tuple[str, ...] = (),
) -> Fact:
    """A fact that is not known, why (``message``), what would settle it, and which results would (``results``)."""
    return Fact(None, message, evidence, Reason(kind, fact, message, settle, results))  # type: ignore[arg-type]


def fmt(x: float) -> str:
    return f"{round_sig(x, 4):g}"


class _Reading(NamedTuple):  # a tuple: built for every result of every patient
    """An observation resolved to a catalog code, with its record path for provenance."""

    obs: Observation
    path: str


def _implies(obs: Observation, value: str) -> bool:
    """Does this result also say ``value`` of another observation? The same category, or a level above zero."""
    if isinstance(obs.value, str):
        return obs.value.strip().lower() == value
    return isinstance(obs.value, float) and not isinstance(obs.value, bool) and obs.value > 0


class PatientIndex:
    """A patient's records grouped by catalog key, built once per patient and shared by every trial."""

    def __init__(self, patient: Patient, catalog: Catalog, as_of: date, vocabulary: Vocabulary | None = None) -> None:
        self.patient = patient
        self.catalog = catalog
        self.vocab = vocabulary or get_vocabulary()
        self.as_of = as_of
        self.readings: dict[str, list[_Reading]] = defaultdict(list)
        for section in ("labs", "measurements"):
            for i, obs in enumerate(getattr(patient, section)):
                code = catalog.resolve("observations", obs.code)
                if code is not None:
                    path = obs.id or f"{section}[{i}]"
                    self.readings[code].append(_Reading(obs, path))
                    for other, value in catalog.implies.get(code, ()):
                        if _implies(obs, value):
                            implied = obs.model_copy(update={"value": value, "unit": None, "reference_range": None})
                            self.readings[other].append(_Reading(implied, path))
        self.conditions: list[tuple[Condition, str, str]] = []  # (record, path, concept id)
        for i, c in enumerate(patient.conditions):
            concept = self.vocab.resolve(c.code, "condition")
            if concept is None:  # input validation names it first; a Patient built by hand must not lose it
                raise InputError(f"unknown condition '{c.code}' (not in the vocabulary)", field=f"conditions[{i}].code")
            self.conditions.append((c, c.id or f"conditions[{i}]", concept.id))
        self.condition_concepts = frozenset(cid for _, _, cid in self.conditions)
        self._condition_rows: dict[str, list[int]] = defaultdict(list)  # concept id -> its records' positions
        for row, (_, _, cid) in enumerate(self.conditions):
            self._condition_rows[cid].append(row)
        self.therapies = [(t, t.id or f"therapies[{i}]", self._concepts(t)) for i, t in enumerate(patient.therapies)]
        self.therapy_concepts = frozenset(c for _, _, cs in self.therapies for c in cs or ())
        self.unmapped_therapies = any(cs is None for _, _, cs in self.therapies)
        self.attested = frozenset((a.trial.casefold(), a.criterion.casefold()) for a in patient.attestations)
        self.shared = _SHARED.setdefault(catalog, WeakKeyDictionary()).setdefault(self.vocab, {})
        self._references: dict[str, DateSpan | None] = {}
        self.memo: dict[object, Fact] = {}  # facts read once per patient, whichever trial asks
        self.bounds: dict[
            Window, tuple[date | None, date | None, str | None]
        ] = {}  # facts shared by several requests (creatinine for ×ULN and CrCl)

    def _concepts(self, t: Therapy) -> frozenset[str] | None:
        """The concepts a therapy record is: its name's, if the vocabulary knows it, and the classes it names
        (fludarabine given as lymphodepleting chemotherapy is both). None: an unknown name could be anything."""
        named = self.vocab.resolve(t.name, "therapy")
        explicit = {c.id for c in (self.vocab.resolve(x, "therapy") for x in t.classes) if c}
        if named is None and not explicit:
            return None
        return frozenset({named.id} if named else set()) | explicit

    def reference(self, name: str) -> DateSpan | None:
        """The span a reference date lies in, or None when it cannot be bounded (consent not given)."""
        try:
            return self._references[name]
        except KeyError:
            span = self._references[name] = self._reference(name)
            return span

    def conditions_of(self, concepts: Iterable[str]) -> list[tuple[Condition, str, str]]:
        """The condition records of these concepts, in record order."""
        rows = sorted(row for cid in concepts for row in self._condition_rows.get(cid, ()))
        return [self.conditions[row] for row in rows]

    def shared_fact(self, key: tuple, read: Callable[[], Fact]) -> Fact:
        """A fact that reads no record of this patient: ``read()`` once per catalog and vocabulary, then shared.
        ``key`` names everything the fact depends on (the reader and its request)."""
        fact = self.shared.get(key)
        if fact is None:
            fact = self.shared[key] = read()
        return fact

    def _reference(self, name: str) -> DateSpan | None:
        given = self.patient.reference_dates
        if name in given:
            return DateSpan.exact(given[name])  # type: ignore[index]
        screening = given.get("screening", self.as_of)
        if name == "screening":
            return DateSpan.exact(screening)
        if name in ("enrollment", "first_dose"):
            return DateSpan(max(screening, self.as_of), None)
        return None


def sex_fact(ix: PatientIndex) -> Fact:
    """The patient's sex as a fact (a criterion subject and a calculator input)."""
    sex = ix.patient.sex
    if sex is None:
        return unknown("missing", "sex", "sex is not recorded", "the patient's sex")
    return Fact(sex, f"sex {sex}", (Evidence("sex", sex),))


def open_reference(ix: PatientIndex, when: Window | str) -> str | None:
    """The name of the window's reference date when the patient file does not give it (and it is open-ended)."""
    if isinstance(when, Window) and when.reference not in ix.patient.reference_dates and when.reference != "screening":
        return when.reference.replace("_", " ")
    return None
