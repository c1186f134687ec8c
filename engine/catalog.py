"""The catalog of facts a ruleset may name (``engine/data/catalog.yaml``), loaded and checked once.

Names are matched by a normal form (lower case, punctuation and spaces folded to ``_``), so a ruleset can
write "total bilirubin", "Total Bilirubin" or ``total_bilirubin`` and mean the same fact.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from .errors import RulesetError
from .units import conversion_factor

__all__ = ["Catalog", "CatalogSpec", "DerivedDef", "ObservationDef", "TherapyClassDef", "get_catalog", "normal_name"]

_FOLD = re.compile(r"[^a-z0-9+]+")


def normal_name(text: str) -> str:
    """Fold a human spelling to a catalog key: "Gilbert's syndrome" -> ``gilbert_s_syndrome``."""
    return _FOLD.sub("_", text.strip().lower().replace("'", "")).strip("_")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ObservationDef(_Strict):
    """A lab, measurement or finding: numeric (``unit``), categorical (``values``) or ordinal (``scale``,
    labels from lowest to highest, e.g. staining intensity 0, +, ++, +++; compared by rank)."""

    label: str
    unit: str | None = None
    values: tuple[str, ...] | None = None
    scale: tuple[str, ...] | None = None
    mw: float | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
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


class ConditionDef(_Strict):
    label: str
    aliases: tuple[str, ...] = ()


class TherapyClassDef(_Strict):
    label: str
    includes: tuple[str, ...] = ()
    route: Literal["systemic"] | None = None
    aliases: tuple[str, ...] = ()


class CatalogSpec(_Strict):
    """The catalog file as validated on load."""

    observations: dict[str, ObservationDef]
    derived: dict[str, DerivedDef]
    conditions: dict[str, ConditionDef]
    therapy_classes: dict[str, TherapyClassDef]
    therapies: dict[str, tuple[str, ...]]

    @model_validator(mode="after")
    def _check_references(self) -> CatalogSpec:
        for drug, classes in self.therapies.items():
            for c in classes:
                if c not in self.therapy_classes:
                    raise ValueError(f"therapy '{drug}' names unknown class '{c}'")
        for name, tc in self.therapy_classes.items():
            for c in tc.includes:
                if c not in self.therapy_classes:
                    raise ValueError(f"therapy class '{name}' includes unknown class '{c}'")
        return self


class Catalog:
    """The validated catalog with its look-up indexes, built once; look-ups are dictionary reads."""

    def __init__(self, spec: CatalogSpec) -> None:
        self.observations = spec.observations
        self.derived = spec.derived
        self.conditions = spec.conditions
        self.therapy_classes = spec.therapy_classes
        self.therapies = spec.therapies
        self._names = {
            kind: _spellings(getattr(spec, kind))
            for kind in ("observations", "derived", "conditions", "therapy_classes")
        }
        self._drugs = {normal_name(k): v for k, v in spec.therapies.items()}
        self._closure = {name: self._walk(name, frozenset({name})) for name in spec.therapy_classes}
        self._seen: dict[tuple[str, str], str | None] = {}  # spelling -> key, so input spellings fold once

    def _walk(self, name: str, seen: frozenset[str]) -> frozenset[str]:
        out = {name}
        for child in self.therapy_classes[name].includes:
            if child not in seen:
                out |= self._walk(child, seen | {child})
        return frozenset(out)

    def resolve(self, kind: str, spelling: str) -> str | None:
        """Canonical key of ``spelling`` in a section (observations, derived, conditions, therapy_classes)."""
        try:
            return self._seen[kind, spelling]
        except KeyError:
            key = self._seen[kind, spelling] = self._names[kind].get(normal_name(spelling))
            return key

    def subclasses(self, klass: str) -> frozenset[str]:
        """``klass`` and every class it includes, transitively."""
        return self._closure[klass]

    def classes_of_drug(self, name: str) -> tuple[str, ...] | None:
        """Classes of a generic drug or product name, or None when the catalog does not know it."""
        return self._drugs.get(normal_name(name))


def _spellings(section: dict) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, entry in section.items():
        for spelling in (key, entry.label, *entry.aliases):
            index.setdefault(normal_name(spelling), key)
    return index


_SECTIONS = ("observations", "derived", "conditions", "therapy_classes", "therapies")


def merge_catalog_files(paths: list[Path]) -> dict:
    """Merge catalog files section by section; a name defined twice is an error naming both files."""
    merged: dict[str, dict] = {k: {} for k in _SECTIONS}
    origin: dict[tuple[str, str], str] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        unknown = set(data) - set(_SECTIONS)
        if unknown:
            raise RulesetError(f"unknown catalog section(s): {', '.join(sorted(unknown))}", path=str(path))
        for section, entries in data.items():
            for key, entry in (entries or {}).items():
                if (section, key) in origin:
                    raise RulesetError(
                        f"'{key}' in {section} is already defined in {origin[section, key]}", path=str(path)
                    )
                origin[section, key] = str(path)
                merged[section][key] = entry
    return merged


@cache
def get_catalog() -> Catalog:
    """The built-in catalog: ``data/catalog.yaml`` plus every ``data/catalog.d/*.yaml`` (parsed once)."""
    data_dir = Path(str(resources.files("engine") / "data"))
    paths = [data_dir / "catalog.yaml", *sorted((data_dir / "catalog.d").glob("*.yaml"))]
    try:
        return Catalog(CatalogSpec.model_validate(merge_catalog_files(paths)))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RulesetError(
            err["msg"], path=str(data_dir / "catalog.yaml"), field=".".join(str(x) for x in err["loc"])
        ) from None
