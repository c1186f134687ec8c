"""The one unit registry of the engine, and cached parsing and conversion on it.

Every unit string the engine sees (rulesets, patient files, FHIR ``valueQuantity.code``) goes through
:func:`parse_unit`, which normalises lab spellings (``K/uL``, ``G/L``, ``10^9/L``, ``×10⁹/L``, ``10E9/L``,
``mL/min/1.73m2``, UCUM ``10*9/L``, ``[IU]/L``, ``{cells}/uL``) and returns a pint quantity of magnitude = the
unit's scale. A unit is only a unit: a number or arithmetic outside those scale forms (``2 g/L``, ``g/L*2``)
is refused, never multiplied into the value. ``%``, a plain ratio (``1``) and ``mmol/mol`` are three
dimensions that never convert into each other. Results are cached: YES for parse, YES for conversion factors
(per unit pair and molecular weight), so hot paths multiply by a float. Mass <-> molar conversion uses pint's
``chemistry`` context with the analyte's molecular weight.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

import pint

from .errors import UnitError

__all__ = [
    "MAX_UNIT_LENGTH",
    "UREG",
    "conversion_factor",
    "convert",
    "dimension_of",
    "parse_unit",
    "same_dimension",
    "spell",
]

UREG = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
UREG.load_definitions(str(resources.files("engine") / "data" / "units.txt"))

# Longer strings are refused before parsing: pint's parser is quadratic in the length of its input, and no
# lab unit comes near this ("mL/min/{1.73_m2}" is 16 characters).
MAX_UNIT_LENGTH = 40

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# Lab-system and UCUM spellings rewritten to pint syntax before parsing. Order matters: each rule sees the
# output of the ones above it.
_SPELLINGS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"/\s*\{1\.73_?m2\}", "/(1.73*m**2)"),  # UCUM eGFR normalisation, before other annotations
        (r"/\s*1\.73\s*m(?:\^?2|²|\*\*2)(?!\w)", "/(1.73*m**2)"),
        (r"\{[^}]*\}", ""),  # UCUM annotations: {score}, {INR}, {cells}
        (r"\[[iI]U\]", "IU"),
        (r"(?<=[A-Za-z\]])\.(?=[A-Za-z\[])", " "),  # UCUM product "ug.h/mL": a space is pint's product
        (r"mm\[Hg\]", "mmHg"),
        (r"µ|μ", "u"),
        (r"%|\bpercent\b", "pct"),  # its own dimension: never 0.01 of a ratio
        (r"\bmmol/mol\b", "mmol_per_mol"),  # HbA1c IFCC: its own dimension, never a ratio of %
        # Lab-system count prefixes: "K/uL" is 10^3 per microlitre (never kelvin), "G/L" 10^9 per litre
        # (never gauss), "T/L" 10^12 per litre (never tesla).
        (r"\bK/(?=uL\b|mm(?:3|³|\*\*3)(?!\w))", "1e3/"),
        (r"\bM/(?=uL\b|mm(?:3|³|\*\*3)(?!\w))", "1e6/"),
        (r"\bG/(?=L\b)", "1e9/"),
        (r"\bT/(?=L\b)", "1e12/"),
        # Powers of ten: 10^9, ×10^9, x10^9, 10**9, UCUM 10*9, and 10E9 (a power of ten, not 10 × 10^9).
        (r"(?<![\w.])(?:[x×]\s*)?10\s*(?:\^|\*\*|\*|[eE])\s*(\d+)(?![\w.])", r"1e\1"),
        (r"(?<![\w.])(?:[x×]\s*)?10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "1e" + m[1].translate(_SUPERSCRIPT)),
        (r"\b(k?m|[cdu]m|mm)(?:\^?([23])|([²³]))(?!\w)", lambda m: f"{m[1]}**{(m[2] or m[3]).translate(_SUPERSCRIPT)}"),
        (r"\bsec\b", "s"),
        (r"\bhrs?\b", "hour"),
        (r"\bmcg\b", "ug"),
        (r"\bcc\b", "mL"),
    )
)

# What may carry digits or operators in spelled text: a power-of-ten scale, the eGFR normalisation, a unit's
# own exponent (m**2) and the "1" of "1/uL". Anything else with a digit or operator is arithmetic.
_ALLOWED = re.compile(r"(?<![\w.])1e\d+(?![\w.])|/\(1\.73\*m\*\*2\)|(?<=[A-Za-z])\*\*[23](?![\w.])|^1(?=\s*/)|^1$")
_ARITHMETIC = re.compile(r"[\d()^*+\-.,;:=<>!&|~]")


def spell(text: str) -> str:
    """Rewrite a lab or UCUM unit spelling into pint syntax (pure text; no parsing)."""
    out = text.strip()
    for pattern, repl in _SPELLINGS:
        out = pattern.sub(repl, out)
    out = out.strip()
    if out.startswith("/"):  # "/uL", "/min"
        out = "1" + out
    return out or "dimensionless"


def parse_unit(text: str) -> pint.Quantity:
    """Parse a unit string into a quantity whose magnitude is the unit's scale (``10^9/L`` -> 1e9 / L).

    Raises :class:`UnitError` naming the string when it is not text, too long, contains a number or
    arithmetic outside a scale form, or does not parse as a unit.
    """
    if not isinstance(text, str):
        raise UnitError(f"unit must be text, got {type(text).__name__}", unit=str(text)[:MAX_UNIT_LENGTH])
    return _parse(text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> pint.Quantity:
    if len(text) > MAX_UNIT_LENGTH:
        raise UnitError(f"unit '{text[:20]}…' is longer than {MAX_UNIT_LENGTH} characters", unit=text[:MAX_UNIT_LENGTH])
    pint_text = spell(text)
    if _ARITHMETIC.search(_ALLOWED.sub(" ", pint_text)):
        raise UnitError(
            f"'{text}' is not a unit: it contains arithmetic or a number (write the number in the value)", unit=text
        )
    try:
        q = UREG.parse_expression(pint_text)
    except Exception as exc:  # pint raises several unrelated types for bad input
        raise UnitError(f"unknown unit '{text}'", unit=text) from exc
    if not isinstance(q, pint.Quantity):
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


def conversion_factor(from_unit: str, to_unit: str, mw: float | None = None) -> float:
    """Factor f with ``value[from_unit] * f == value[to_unit]``; ``mw`` (g/mol) allows mass <-> molar.

    Raises :class:`UnitError` naming both units (and their dimensions when both parse) when they cannot be
    converted; nothing else escapes, whatever pint raises or the caller passes.
    """
    try:  # the hot path: a pair seen before is one dictionary read (only good pairs are remembered)
        return _KNOWN[from_unit, to_unit, mw]
    except (KeyError, TypeError):
        pass
    parse_unit(from_unit), parse_unit(to_unit)  # type errors and bad units first, before the cache hashes them
    if mw is not None and not (isinstance(mw, int | float) and math.isfinite(mw) and mw > 0):
        raise UnitError(
            f"cannot convert '{from_unit}' to '{to_unit}': molecular weight {mw!r} is not a positive number",
            unit=from_unit,
        )
    factor = _factor(from_unit, to_unit, None if mw is None else float(mw))
    if len(_KNOWN) < _KNOWN_MAX and type(from_unit) is str and type(to_unit) is str:
        _KNOWN[from_unit, to_unit, mw] = factor
    return factor


_KNOWN: dict[tuple[str, str, float | None], float] = {}
_KNOWN_MAX = 8192  # unit spellings come from patient files: bounded like the caches below


@lru_cache(maxsize=8192)
def _factor(from_unit: str, to_unit: str, mw: float | None) -> float:
    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    where = f"'{from_unit}' ({dimension_of(from_unit)}) to '{to_unit}' ({dimension_of(to_unit)})"
    try:
        if mw is None:
            converted = src.to(dst.units)
        else:
            with UREG.context("chemistry", mw=mw * UREG("g/mol")):
                converted = src.to(dst.units)
        factor = float(converted.magnitude / dst.magnitude)
    except pint.DimensionalityError as exc:
        hint = "" if mw is not None else " without a molecular weight"
        raise UnitError(f"cannot convert {where}{hint}", unit=from_unit) from exc
    except Exception as exc:  # pint's contexts raise ZeroDivisionError and others on units they cannot join
        raise UnitError(f"cannot convert {where}", unit=from_unit) from exc
    if not math.isfinite(factor) or factor <= 0:
        raise UnitError(f"cannot convert {where}: the factor {factor} is not usable", unit=from_unit)
    return factor


def convert(value: float, from_unit: str, to_unit: str, mw: float | None = None) -> float:
    """Convert a magnitude between unit strings (cached factor; no parsing on repeat calls)."""
    return value * conversion_factor(from_unit, to_unit, mw)
