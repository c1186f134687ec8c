"""The one unit registry of the engine, and cached parsing and conversion on it.

Every unit string the engine sees (rulesets, patient files, FHIR ``valueQuantity.code``) goes through
:func:`parse_unit`, which normalises lab spellings (``K/uL``, ``10^9/L``, ``×10⁹/L``, ``mL/min/1.73m2``,
UCUM ``10*9/L``, ``[IU]/L``, ``{score}``) and returns a pint quantity of magnitude = the unit's scale.
Results are cached: YES for parse, YES for conversion factors (per unit pair and molecular weight), so hot
paths multiply by a float. Mass <-> molar conversion uses pint's ``chemistry`` context with the analyte's
molecular weight.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

import pint

from .errors import UnitError

__all__ = ["UREG", "conversion_factor", "convert", "dimension_of", "parse_unit", "same_dimension", "spell"]

UREG = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
UREG.load_definitions(str(resources.files("engine") / "data" / "units.txt"))

# Lab-system and UCUM spellings rewritten to pint syntax before parsing. Order matters: longer forms first.
_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"/\s*\{1\.73_?m2\}", "/(1.73*m**2)"),  # UCUM eGFR normalisation, before other annotations
        (r"\{[^}]*\}", ""),  # UCUM annotations: {score}, {INR}, {cells}
        (r"\[IU\]", "IU"),
        (r"\[iU\]", "IU"),
        (r"mm\[Hg\]", "mmHg"),
        (r"\bK/(u|µ|μ)L\b", "1e3/uL"),  # "K/uL" in lab systems is 10^3 per microlitre, never kelvin
        (r"\bM/(u|µ|μ)L\b", "1e6/uL"),
        (r"(?:[x×*]\s*)?10\s*(?:\^|\*\*|\*)\s*(\d+)", r"1e\1"),  # x10^9, ×10^9, 10**9, UCUM 10*9
        (r"(?:[x×]\s*)?10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", None),  # ×10⁹ handled below
        (r"/\s*1\.73\s*m(?:\^?2|²|\*\*2)", "/(1.73*m**2)"),
        (r"\bmm3\b", "mm**3"),
        (r"\bm2\b|m²", "m**2"),
        (r"µ|μ", "u"),
        (r"\bsec\b", "s"),
        (r"\bhrs?\b", "hour"),
        (r"\bmcg\b", "ug"),
        (r"\bcc\b", "mL"),
    )
)
_NUMBER = re.compile(r"[\d.eE+\-\s]+")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def spell(text: str) -> str:
    """Rewrite a lab or UCUM unit spelling into pint syntax (pure text; no parsing)."""
    out = text.strip()
    for pattern, repl in _SPELLINGS:
        if repl is None:
            out = pattern.sub(lambda m: "1e" + m.group(1).translate(_SUPERSCRIPT), out)
        else:
            out = pattern.sub(repl, out)
    out = out.strip()
    if out.startswith("/"):  # "/uL", "/min"
        out = "1" + out
    return out or "dimensionless"


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Quantity:
    """Parse a unit string into a quantity whose magnitude is the unit's scale (``10^9/L`` -> 1e9 / L).

    Raises :class:`UnitError` naming the string when it does not parse as a unit.
    """
    if not isinstance(text, str):
        raise UnitError(f"unit must be text, got {type(text).__name__}", unit=str(text))
    try:
        q = UREG.parse_expression(spell(text))
    except Exception as exc:  # pint raises several unrelated types for bad input
        raise UnitError(f"unknown unit '{text}'", unit=text) from exc
    if not isinstance(q, pint.Quantity) or (q.unitless and _NUMBER.fullmatch(spell(text)) and spell(text) != "1"):
        raise UnitError(f"'{text}' is a number, not a unit", unit=text)
    if not math.isfinite(q.magnitude) or q.magnitude <= 0:
        raise UnitError(f"unit '{text}' has no usable scale", unit=text)
    return q


def dimension_of(text: str) -> str:
    """Dimensionality of a unit string as pint writes it, e.g. ``[mass] / [length] ** 3``."""
    return str(parse_unit(text).dimensionality) or "dimensionless"


def same_dimension(a: str, b: str, mw: float | None = None) -> bool:
    """True if a value in unit ``a`` can be expressed in unit ``b`` (with ``mw`` for mass <-> molar)."""
    try:
        conversion_factor(a, b, mw)
    except UnitError:
        return False
    return True


@lru_cache(maxsize=8192)
def conversion_factor(from_unit: str, to_unit: str, mw: float | None = None) -> float:
    """Factor f with ``value[from_unit] * f == value[to_unit]``; ``mw`` (g/mol) allows mass <-> molar.

    Raises :class:`UnitError` naming both units and their dimensions when they cannot be converted.
    """
    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    try:
        if mw is None:
            converted = src.to(dst.units)
        else:
            with UREG.context("chemistry", mw=mw * UREG("g/mol")):
                converted = src.to(dst.units)
    except pint.DimensionalityError as exc:
        hint = "" if mw is not None else " without a molecular weight"
        raise UnitError(
            f"cannot convert '{from_unit}' ({dimension_of(from_unit)}) to '{to_unit}' ({dimension_of(to_unit)}){hint}",
            unit=from_unit,
        ) from exc
    return float(converted.magnitude / dst.magnitude)


def convert(value: float, from_unit: str, to_unit: str, mw: float | None = None) -> float:
    """Convert a magnitude between unit strings (cached factor; no parsing on repeat calls)."""
    return value * conversion_factor(from_unit, to_unit, mw)
