"""Small rules of English every sentence a person reads follows: articles, plurals, lists, negation, quantities
with their units, evidence. Pure functions of strings and numbers, importable from every stage (facts, evaluate,
explain, render) without importing any of them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "OTHER_PARTS",
    "SETTLE_SEP",
    "a",
    "article",
    "count",
    "evidence_text",
    "join_and",
    "join_or",
    "join_settle",
    "none_recorded",
    "plural",
    "quantity",
    "settle_items",
    "unit_text",
    "units_in_text",
    "unmapped_kinds",
]

# Letters whose spoken name starts with a vowel sound: "an ALT", "an HIV test", "an SpO2", but "a CD7".
_VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")
# Words spelt with a vowel but spoken with a consonant ("a unit", "a one-off"), or the reverse ("an hour").
_CONSONANT_SOUND = ("uni", "use", "usu", "uri", "ure", "uro", "eu", "one", "once")
_VOWEL_SOUND = ("hour", "honest", "honor", "honour", "heir")
_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year"})
_IRREGULAR = {"criterion": "criteria", "analysis": "analyses", "child": "children", "person": "people"}
_UCUM_SHOWN = {"mm[Hg]": "mmHg", "[iU]/L": "IU/L", "[IU]/L": "IU/L", "cm[H2O]": "cmH₂O", "{beats}/min": "bpm"}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

OTHER_PARTS = "Other parts:"
"""Leads the statements of an explanation that did not decide its verdict (they follow those that did)."""

SETTLE_SEP = "; "
"""Joins the items that would settle one fact (a calculator's missing inputs); :func:`settle_items` splits them."""


def article(noun: str) -> str:
    """The indefinite article for a noun phrase by how it is spoken: "an" before a vowel sound, else "a"."""
    word = noun.strip().split(" ")[0].strip("(\"'")
    if not word:
        return "a"
    if word[0].isdigit():  # "an 8-week", "an 11-day", "an 18-year-old"; "a 68Ga-PSMA-11 PET"
        digits = re.match(r"\d+", word).group()  # type: ignore[union-attr]
        return "an" if digits.startswith("8") or digits in ("11", "18") else "a"
    if _is_acronym(word):  # read letter by letter
        return "an" if word[0].upper() in _VOWEL_SOUND_LETTERS else "a"
    lower = word.lower()
    if lower.startswith(_VOWEL_SOUND):
        return "an"
    if lower.startswith(_CONSONANT_SOUND):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def _is_acronym(word: str) -> bool:
    """ALT, HBsAg, SpO2, CD7, QTc: an upper-case letter after the first, or one upper-case letter alone."""
    letters = word.split("-")[0]
    return letters[:1].isupper() and (len(letters) == 1 or any(ch.isupper() or ch.isdigit() for ch in letters[1:]))


def a(noun: str) -> str:
    """The noun phrase with its indefinite article: "an AXL positivity rate result"."""
    return f"{article(noun)} {noun}"


def plural(word: str, n: float = 2) -> str:
    """The word in the number that agrees with ``n`` (1 takes the singular)."""
    if n == 1:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def count(n: int, word: str) -> str:
    """ "1 result", "3 results", "0 results"."""
    return f"{n} {plural(word, n)}"


def join_and(items: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c" (each item once, in order)."""
    return _join(items, "and")


def join_or(items: Iterable[str]) -> str:
    """ "a", "a or b", "a, b or c" (each item once, in order)."""
    return _join(items, "or")


def _join(items: Iterable[str], word: str) -> str:
    unique = list(dict.fromkeys(items))
    if len(unique) <= 1:
        return "".join(unique)
    return f"{', '.join(unique[:-1])} {word} {unique[-1]}"


def unit_text(unit: str | None, value: float | None = None) -> str:
    """A unit as people write it: "× 10⁹/L" for 10^9/L (or x10^9/L), "months" after a number other than 1,
    nothing for a dimensionless "1"."""
    return _unit_text(unit, value == 1 if value is not None else None)


@lru_cache(maxsize=4096)  # a few dozen units, read for every result shown
def _unit_text(unit: str | None, one: bool | None) -> str:
    if unit is None or unit.strip() in ("", "1"):
        return ""
    u = _UCUM_SHOWN.get(unit.strip(), unit.strip())
    u = re.sub(r"\{[^}]*\}", "", u).strip()  # UCUM annotations ("{INR}", "{ratio}") name, they do not measure
    if not u:
        return ""
    u = re.sub(r"(?<![A-Za-z])u(?=(?:L|g|mol)\b)", "µ", u)  # uL, ug/mL, umol/L as printed: µ
    power = re.fullmatch(r"(?:[x×*]\s*)?10\s*(?:\^|\*\*|\*)\s*(-?\d+)\s*(/.*)?", u)
    if power:
        return f"× 10{power.group(1).translate(_SUPERSCRIPT)}{power.group(2) or ''}"
    if u in _TIME_UNITS and one is not None:
        return plural(u, 1 if one else 2)
    return u


def quantity(value: float | int | str, unit: str | None) -> str:
    """A number (or one already formatted) with its unit: "64 × 10⁹/L", "12 months", "25%", "1.2 mg/dL"."""
    number = f"{value:g}" if isinstance(value, float) else str(value)
    shown = unit_text(unit, float(number) if _NUMBER.fullmatch(number) else None)
    if not shown:
        return number
    return f"{number}{shown}" if shown == "%" else f"{number} {shown}"


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_SQUARE = re.compile(r"(\d)\s?m2\b")  # "1.73m2" in a ruleset's "mL/min/1.73m2"
_PERCENT = re.compile(r"(\d) %")
_IN_TEXT = re.compile(r"(?P<num>\d)?(?P<sp>\s*)(?:[x×*]\s*)?10\^(?P<pow>-?\d+)")


def units_in_text(text: str) -> str:
    """Units written the machine way in a phrase made elsewhere (a ruleset's threshold as written, "≥ 1.0 x10^9/L",
    "> 25 %") shown as people write them ("≥ 1.0 × 10⁹/L", "> 25%")."""

    def shown(m: re.Match[str]) -> str:
        sup = "10" + m.group("pow").translate(_SUPERSCRIPT)
        return f"{m.group('num')} × {sup}" if m.group("num") else f"{m.group('sp')}{sup}"

    return _SQUARE.sub(r"\1 m²", _PERCENT.sub(r"\1%", _IN_TEXT.sub(shown, text)))


def none_recorded(label: str, where: str) -> str:
    """A negative finding that reads right whatever the label starts with ("no …", "another …"):
    "none recorded (label) in where" would be clumsy, so the label goes after a colon when "no" cannot lead."""
    lead = label.split(" ")[0].lower()
    if lead in ("no", "not", "non", "another", "other", "any", "a", "an", "the", "none"):
        return f"{label}: none in {where}"
    return f"no {label} in {where}"


def join_settle(items: Iterable[str]) -> str:
    """Several things that would settle one fact, each once."""
    return SETTLE_SEP.join(dict.fromkeys(i for i in items if i))


def settle_items(settle: str) -> list[str]:
    """The single items a settle sentence joined by :func:`join_settle` names."""
    return [s for s in settle.split(SETTLE_SEP) if s]


def evidence_text(source: str, value: str, date: str | None = None) -> str:
    """One piece of evidence as a line: "lab-plt: 64 × 10⁹/L (2026-11-19)"; a date equal to the value (a birth
    date) is not said twice."""
    return f"{source}: {value}" + (f" ({date})" if date and date != value else "")


def unmapped_kinds(unmapped: Iterable[str]) -> list[str]:
    """Records not mapped to the vocabulary, one line per code with how many records carry it (a FHIR patient
    may have hundreds of records of a few codes): "http://snomed.info/sct|160903007 Full-time employment
    (finding): 12 Condition records"."""
    groups: dict[tuple[str, str], int] = {}
    for u in unmapped:
        source, _, what = u.partition(" ")
        kind = source.split("/")[0] + " " if "/" in source else ""  # a FHIR resource type; a native path has none
        key = (what or source, kind)
        groups[key] = groups.get(key, 0) + 1
    return [f"{what}: {count(n, f'{kind}record')}" for (what, kind), n in groups.items()]
