"""The catalog of facts a ruleset may name: the vocabulary's observations and the calculators of
``engine/data/catalog.yaml``, built once per vocabulary.

Names are matched by a normal form (lower case, punctuation and spaces folded to ``_``), so a ruleset can
write "total bilirubin", "Total Bilirubin" or ``total_bilirubin`` and mean the same fact.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from .errors import InputError, RulesetError
from .files import load_yaml, read_text
from .units import conversion_factor

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

__all__ = [
    "Catalog",
    "CatalogSpec",
    "DerivedDef",
    "Measure",
    "ObservationDef",
    "catalog_for",
    "get_catalog",
    "normal_name",
]

_FOLD = re.compile(r"[^a-z0-9+]+")


def normal_name(text: str) -> str:
    """Fold a human spelling to a catalog key: "Gilbert's syndrome" -> ``gilbert_s_syndrome``."""
    return _FOLD.sub("_", text.strip().lower().replace("'", "")).strip("_")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Measure(_Strict):
    """How an observation is read: numeric (``unit``), categorical (``values``) or ordinal (``scale``, labels
    from lowest to highest, e.g. staining intensity 0, +, ++, +++; compared by rank), with the bounds a real
    value lies in. Written on the vocabulary's observation concepts."""

    unit: str | None = None
    values: tuple[str, ...] | None = None
    scale: tuple[str, ...] | None = None
    mw: float | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    implied_by: dict[str, str] = {}
    """Results of other observations that are also results of this one: ``{hbv_dna: detected}`` on detectable
    HBV-DNA says a quantifiable HBV-DNA is a detectable one, and ``{hbv_dna_level: detected}`` that a measured
    level above zero is too, so the newest of them decides."""

    def measured(self) -> bool:
        """True when the concept is read as a result (not only a grouping of others)."""
        return any(x is not None for x in (self.unit, self.values, self.scale))


class ObservationDef(Measure):
    """A lab, measurement or finding a ruleset compares: the vocabulary concept's label, spellings and LOINC
    codes with its :class:`Measure`."""

    label: str
    loinc: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_kind(self) -> ObservationDef:
        if sum(x is not None for x in (self.unit, self.values, self.scale)) != 1:
            raise ValueError(f"{self.label}: give exactly one of 'unit', 'values' or 'scale'")
        if self.unit is not None:
            conversion_factor(self.unit, self.unit)  # fails loudly on a unit pint cannot read
        return self

    @property
    def numeric(self) -> bool:
        """Numbers (a unit) or ranks (a scale): compared with <, <=, >, >=."""
        return self.values is None


class DerivedDef(_Strict):
    """A value computed by a calculator: a number (``unit``), a category (``values``) or a yes/no ``flag``."""

    label: str
    unit: str | None = None
    values: tuple[str, ...] | None = None
    flag: bool = False
    inputs: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_kind(self) -> DerivedDef:
        if sum((self.unit is not None, self.values is not None, self.flag)) != 1:
            raise ValueError(f"{self.label}: give exactly one of 'unit', 'values' or 'flag: true'")
        return self


class CatalogSpec(_Strict):
    """The catalog file as validated on load."""

    observations: dict[str, ObservationDef]
    derived: dict[str, DerivedDef]

    @model_validator(mode="after")
    def _check_references(self) -> CatalogSpec:
        for name, o in self.observations.items():
            for other, value in o.implied_by.items():
                source = self.observations.get(other)
                if source is None or (source.values is not None and value not in source.values):
                    raise ValueError(f"observation '{name}' is implied by '{other}: {value}', which is not a result")
                if o.values is None or value not in o.values:
                    raise ValueError(f"observation '{name}' is implied by '{value}', which is not one of its values")
        return self


class Catalog:
    """The validated catalog with its look-up indexes, built once; look-ups are dictionary reads."""

    def __init__(self, spec: CatalogSpec) -> None:
        self.observations = spec.observations
        self.derived = spec.derived
        self._names = {kind: _spellings(kind, getattr(spec, kind)) for kind in _NAMED}
        _refuse_clashes(self._names)  # a fact in a sentence is an observation or a derived value: one name, one entry
        # source observation -> (observation its result also is, value): "hbv_dna detected" is detectable too
        self.implies: dict[str, tuple[tuple[str, str], ...]] = {}
        for name, o in spec.observations.items():
            for other, value in o.implied_by.items():
                self.implies[other] = (*self.implies.get(other, ()), (name, value))
        self._seen: dict[tuple[str, str], str | None] = {}  # spelling -> key, so input spellings fold once

    def resolve(self, kind: str, spelling: str) -> str | None:
        """Canonical key of ``spelling`` in a section (observations or derived)."""
        try:
            return self._seen[kind, spelling]
        except KeyError:
            key = self._seen[kind, spelling] = self._names[kind].get(normal_name(spelling))
            return key

    def suggest(self, spelling: str, *kinds: str) -> str | None:
        """The label of the entry in ``kinds`` spelled most like ``spelling``, if one is close (for "did you mean")."""
        names = {name: (kind, key) for kind in kinds for name, key in self._names[kind].items()}
        close = difflib.get_close_matches(normal_name(spelling), list(names), n=1, cutoff=0.7)
        if not close:
            return None
        kind, key = names[close[0]]
        return getattr(self, kind)[key].label


_NAMED = ("observations", "derived")


def _spellings(kind: str, section: dict) -> dict[str, str]:
    """Normal name -> key; two entries whose names fold to one normal name are an error naming both."""
    index: dict[str, str] = {}
    spelled: dict[str, str] = {}
    for key, entry in section.items():
        for spelling in (key, entry.label, *entry.aliases):
            name = normal_name(spelling)
            if index.setdefault(name, key) != key:
                raise RulesetError(
                    f"'{spelling}' of {kind} '{key}' and '{spelled[name]}' of {kind} '{index[name]}' "
                    f"are the same name ('{name}'); a name must mean one entry"
                )
            spelled.setdefault(name, spelling)
    return index


def _refuse_clashes(indexes: dict[str, dict[str, str]]) -> None:
    owner: dict[str, tuple[str, str]] = {}
    for kind, index in indexes.items():
        for name, key in index.items():
            if name in owner and owner[name] != (kind, key):
                other_kind, other_key = owner[name]
                raise RulesetError(
                    f"'{name}' names both {other_kind} '{other_key}' and {kind} '{key}'; a name must mean one entry"
                )
            owner[name] = (kind, key)


_SECTIONS = ("observations", "derived")


def merge_catalog_files(paths: list[Path]) -> dict:
    """Merge catalog files section by section; a name defined twice is an error naming both files."""
    merged: dict[str, dict] = {k: {} for k in _SECTIONS}
    origin: dict[tuple[str, str], str] = {}
    for path in paths:
        try:
            data = load_yaml(read_text(path), str(path)) or {}
        except InputError as exc:
            raise RulesetError(exc.problem, path=str(path)) from None
        if not isinstance(data, dict):
            raise RulesetError("expected a mapping of catalog sections", path=str(path))
        unknown = set(data) - set(_SECTIONS)
        if unknown:
            raise RulesetError(f"unknown catalog section(s): {', '.join(sorted(unknown))}", path=str(path))
        for section, entries in data.items():
            if not isinstance(entries or {}, dict):
                raise RulesetError(f"section {section} must be a mapping of names to entries", path=str(path))
            for key, entry in (entries or {}).items():
                if (section, key) in origin:
                    raise RulesetError(
                        f"'{key}' in {section} is already defined in {origin[section, key]}", path=str(path)
                    )
                origin[section, key] = str(path)
                merged[section][key] = entry
    return merged


@cache
def _derived() -> dict:
    path = Path(str(resources.files("engine") / "data" / "catalog.yaml"))
    return merge_catalog_files([path])["derived"]


@cache
def catalog_for(vocabulary: Vocabulary) -> Catalog:
    """The facts a ruleset compares, for one vocabulary: its observation concepts (with a site's own labs)
    and the calculators of ``data/catalog.yaml``. Built once per vocabulary."""
    observations = {
        c.id: ObservationDef(label=c.label, aliases=c.aliases, loinc=c.codes.get("loinc", ()), **dict(c.measure))
        for c in vocabulary.concepts.values()
        if c.domain == "observation" and c.measure is not None
    }
    path = str(resources.files("engine") / "data" / "catalog.yaml")
    try:
        spec = CatalogSpec.model_validate({"observations": observations, "derived": _derived()})
        return Catalog(spec)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RulesetError(err["msg"], path=path, field=".".join(str(x) for x in err["loc"])) from None
    except RulesetError as exc:
        raise RulesetError(exc.problem, path=path) from None


def get_catalog() -> Catalog:
    """The catalog of the package's vocabulary (extended by ``$PRESCREEN_VOCABULARY``)."""
    from .vocabulary import get_vocabulary  # the vocabulary reads names the way the catalog does: import late

    return catalog_for(get_vocabulary())
