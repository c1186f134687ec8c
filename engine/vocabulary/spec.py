"""The shape of a vocabulary file, validated by pydantic before any concept is linked to another.

domain: condition                 # condition | therapy: which records of a patient the concepts describe
concepts:                         # new concepts, keyed by a stable id
  epilepsy:
    label: epilepsy
    aliases: [seizure disorder]
    is_a: [cns_disease]           # parents (a DAG); only a domain's root has none (root: true)
    icd10cm: [G40]                # a class code covers every code below it; a concept whose code lies
                                  # under another concept's code is also its child (G40.A under G40)
    snomed: ["84757009"]
extend:                           # add parents, aliases or codes to concepts defined in other files
  tacrolimus: {is_a: [gvhd_prophylaxis_drug]}
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..catalog import Measure
from .codes import SYSTEMS, System, check_format

__all__ = ["ConceptSpec", "Domain", "ExtensionSpec", "VocabularyFileSpec"]

Domain = Literal["condition", "therapy", "observation"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Codes(_Spec):
    icd10cm: tuple[str, ...] = ()
    snomed: tuple[str, ...] = ()
    atc: tuple[str, ...] = ()
    rxnorm: tuple[str, ...] = ()
    cvx: tuple[str, ...] = ()
    loinc: tuple[str, ...] = ()

    @field_validator(*SYSTEMS, mode="before")
    @classmethod
    def _as_text(cls, v: object) -> object:  # YAML reads SNOMED and RxNorm codes as integers
        return tuple(str(x) for x in v) if isinstance(v, list | tuple) else v

    @model_validator(mode="after")
    def _well_formed(self) -> _Codes:
        for system in SYSTEMS:
            for code in getattr(self, system):
                if problem := check_format(system, code):
                    raise ValueError(problem)
        return self

    def codes(self) -> dict[System, tuple[str, ...]]:
        return {s: getattr(self, s) for s in SYSTEMS if getattr(self, s)}


class ConceptSpec(_Codes, Measure):
    """A clinical entity: a label people use, other spellings, its parents and its standard codes; an
    observation also says how its results are read (:class:`engine.catalog.Measure`)."""

    label: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    is_a: tuple[str, ...] = ()
    root: bool = False
    partition: tuple[str, ...] = ()
    """Children that classify every member (surgery: major or minor): a member none of them covers leaves a
    question about one of them open rather than answering it "no"."""
    route: Literal["systemic"] | None = None
    """A record counts only when given by this route (systemic corticosteroids: not an inhaled or topical one)."""
    note: str | None = None

    @model_validator(mode="after")
    def _parents(self) -> ConceptSpec:
        if self.root and self.is_a:
            raise ValueError("a root concept has no parents (is_a)")
        return self


class ExtensionSpec(_Codes):
    """Additions to a concept defined elsewhere: never a new label, never fewer parents."""

    aliases: tuple[str, ...] = ()
    is_a: tuple[str, ...] = ()


class VocabularyFileSpec(_Spec):
    domain: Domain
    concepts: dict[str, ConceptSpec] = Field(default_factory=dict)
    extend: dict[str, ExtensionSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ids(self) -> VocabularyFileSpec:
        for cid, c in self.concepts.items():
            if not _ID.match(cid):
                raise ValueError(f"concept id '{cid}' should be lower case letters, digits and _ (e.g. epilepsy)")
            kinds = sum(x is not None for x in (c.unit, c.values, c.scale))
            if self.domain != "observation" and (kinds or c.mw or c.min is not None or c.max is not None):
                raise ValueError(f"'{cid}': only observations have a unit, values, scale or bounds")
            if kinds > 1:
                raise ValueError(f"'{cid}': give one of 'unit', 'values' or 'scale'")
        return self
