"""Standard code systems the vocabulary is anchored on, and the hierarchy each one has of its own.

ICD-10-CM and ATC carry their hierarchy in the code itself (ICD-10-CM: subcategories under their category,
categories inside blocks; ATC: its fixed levels L, L01, L01F, L01FF, L01FF02), so a concept that names a
class code covers every code below it. Whether a record's ICD-10-CM code exists at all is checked against the
tabular list the ``simple-icd-10-cm`` package ships. SNOMED CT, RxNorm, CVX and LOINC are matched exactly: no
hierarchy of theirs is available offline.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from functools import cache
from typing import Any, Literal

__all__ = [
    "SYSTEMS",
    "CodeIndex",
    "System",
    "ancestors_or_self",
    "check_format",
    "code_owners",
    "icd10cm_block",
    "icd10cm_position",
    "is_valid_icd10cm",
    "normal_code",
    "system_of_uri",
]

System = Literal["icd10cm", "snomed", "atc", "rxnorm", "cvx", "loinc"]
SYSTEMS: tuple[System, ...] = ("icd10cm", "snomed", "atc", "rxnorm", "cvx", "loinc")

# FHIR coding.system URIs of each code system (the ones FHIR R4 names, plus common variants).
_URIS: dict[str, System] = {
    "http://hl7.org/fhir/sid/icd-10-cm": "icd10cm",
    "http://hl7.org/fhir/sid/icd-10": "icd10cm",
    "http://snomed.info/sct": "snomed",
    "http://www.whocc.no/atc": "atc",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "rxnorm",
    "http://hl7.org/fhir/sid/cvx": "cvx",
    "http://loinc.org": "loinc",
}

_FORMAT: dict[System, re.Pattern[str]] = {
    # a category (C50), subcategory (C50.911, with or without the dot) or a block (C00-C96)
    "icd10cm": re.compile(r"^[A-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?$|^[A-Z]\d[0-9A-Z]-[A-Z]\d[0-9A-Z]$"),
    "snomed": re.compile(r"^\d{6,18}$"),
    "atc": re.compile(r"^[A-Z](?:\d\d(?:[A-Z](?:[A-Z](?:\d\d)?)?)?)?$"),
    "rxnorm": re.compile(r"^\d{1,9}$"),
    "cvx": re.compile(r"^\d{1,3}$"),
    "loinc": re.compile(r"^\d{1,7}-\d$"),
}
_ATC_LEVELS = (1, 3, 4, 5, 7)


def system_of_uri(uri: str | None) -> System | None:
    """The code system a FHIR ``coding.system`` URI names, or None when the vocabulary does not use it."""
    return _URIS.get((uri or "").strip().rstrip("/")) if uri else None


def normal_code(system: System, code: str) -> str:
    """One spelling per code: upper case; ICD-10-CM with its dot after the category (``c50911`` -> ``C50.911``)."""
    c = code.strip().upper()
    if system == "icd10cm" and "-" not in c:
        c = c.replace(".", "")
        c = c if len(c) <= 3 else f"{c[:3]}.{c[3:]}"
    return c


def check_format(system: System, code: str) -> str | None:
    """A problem with the code's shape (None when it looks like a code of that system)."""
    if not _FORMAT[system].match(code.strip().upper()):
        return f"'{code}' is not a well-formed {system} code"
    return None


@cache
def is_valid_icd10cm(code: str) -> bool:
    """True when the code (category, subcategory or block) exists in the ICD-10-CM tabular list that the
    ``simple-icd-10-cm`` package ships (loaded on first use, ~2 s: only record codes and lint need it)."""
    with warnings.catch_warnings():  # the package reads its data through a deprecated importlib API
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as cm

    return bool(cm.is_valid_item(normal_code("icd10cm", code)))


@cache
def ancestors_or_self(system: System, code: str) -> tuple[str, ...]:
    """The code and every class code above it by the code's own structure, most specific first.

    ICD-10-CM: C50.911 -> C50.91 -> C50.9 -> C50 (blocks such as C00-C96 are spans: see :func:`icd10cm_block`);
    ATC: L01FF02 -> L01FF -> L01F -> L01 -> L; SNOMED CT, RxNorm, CVX, LOINC: the code alone."""
    c = normal_code(system, code)
    if system == "atc":
        return tuple(c[:n] for n in reversed(_ATC_LEVELS) if n <= len(c))
    if system == "icd10cm" and "-" not in c:
        flat = c.replace(".", "")
        return tuple(normal_code("icd10cm", flat[:n]) for n in range(len(flat), 2, -1))
    return (c,)


def icd10cm_block(code: str) -> tuple[int, int] | None:
    """The categories a block code spans (``C00-C96`` -> positions of C00 and C96), else None."""
    c = normal_code("icd10cm", code)
    if "-" not in c:
        return None
    lo, hi = c.split("-")
    return _position(lo), _position(hi)


def icd10cm_position(code: str) -> int:
    """The position of a code's category in the tabular order (letter, then two characters)."""
    return _position(normal_code("icd10cm", code)[:3])


def _position(category: str) -> int:
    return ord(category[0]) * 1000 + int(category[1:3], 36)


def code_owners(concepts: Iterable[Any]) -> dict[tuple[System, str], tuple[str, ...]]:
    """(system, code) -> ids of the concepts carrying it; each concept has ``id`` and ``codes``."""
    owners: dict[tuple[System, str], tuple[str, ...]] = {}
    for c in concepts:
        for system, codes in c.codes.items():
            for code in dict.fromkeys(normal_code(system, x) for x in codes):
                owners[system, code] = (*owners.get((system, code), ()), c.id)
    return owners


class CodeIndex:
    """Which concepts carry each code, and the nearest carried code at or above any code."""

    def __init__(self, owners: dict[tuple[System, str], tuple[str, ...]]) -> None:
        self.owners = owners
        # ICD-10-CM blocks by span, narrowest first, so the most specific block answers first.
        self._blocks = sorted(
            ((span, code) for (system, code) in owners if system == "icd10cm" and (span := icd10cm_block(code))),
            key=lambda b: (b[0][1] - b[0][0], b[0]),
        )

    def nearest(self, system: System, code: str, *, above: bool = False) -> tuple[str, tuple[str, ...]] | None:
        """(carried code, its concepts) for ``code`` itself, or (``above``) only for the classes above it."""
        own = normal_code(system, code)
        chain = ancestors_or_self(system, own)
        for candidate in chain[1:] if above else chain:
            if ids := self.owners.get((system, candidate)):
                return candidate, ids
        if system != "icd10cm":
            return None
        span = icd10cm_block(own)
        lo, hi = span if span else (icd10cm_position(own),) * 2
        for (b_lo, b_hi), block in self._blocks:
            if block != own and b_lo <= lo and hi <= b_hi:
                return block, self.owners[system, block]
        return None
