"""The FHIR mapping tables for observations (``engine/data/fhir_map.yaml`` + ``default_uln.yaml``), a site
extension merged over them, checked against the catalog once and turned into dictionary look-ups.

Condition, medication, procedure and vaccine codes are not here: they are the vocabulary's codes
(``engine/data/vocabulary``), one place per code, read by :mod:`engine.fhir.reader` through
:meth:`~engine.vocabulary.Vocabulary.by_code`.

Result is cached: YES, per (extension file, ``PRESCREEN_FHIR_MAP``) pair. Every target name must resolve in
the catalog; a wrong one is an :class:`~engine.errors.InputError` naming the map file and the field.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..catalog import Catalog, get_catalog
from ..errors import InputError, UnitError
from ..files import load_yaml, read_text
from ..units import conversion_factor, parse_unit

__all__ = ["ENV_VAR", "DefaultUln", "FhirMap", "load_fhir_map"]

ENV_VAR = "PRESCREEN_FHIR_MAP"

_SECTIONS = frozenset(
    {
        "systems",
        "hierarchical",
        "use_catalog_loinc",
        "observations",
        "answers",
        "answer_texts",
        "routes",
        "dose_form_routes",
        "ucum_units",
        "default_uln",
    }
)
# Sections that older tables had: their codes are now the vocabulary's.
_MOVED = {
    "conditions": "condition codes",
    "therapies": "medication, procedure and vaccine codes",
    "therapy_names": "therapy names",
}
_QUALIFIER = re.compile(r"\s*\((qualifier value|finding)\)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def fold_text(text: str) -> str:
    """Normal form of a free-text answer or route: lower case, single spaces, no "(qualifier value)"."""
    return _SPACES.sub(" ", _QUALIFIER.sub("", text)).strip().lower()


@dataclass(frozen=True, slots=True)
class DefaultUln:
    """A default ULN for one analyte: one value, or one per sex; ``unit`` is the unit of the limits."""

    unit: str
    source: str
    high: float | None = None
    male: float | None = None
    female: float | None = None

    def for_sex(self, sex: str | None) -> float | None:
        if self.high is not None:
            return self.high
        return {"male": self.male, "female": self.female}.get(sex or "")


@dataclass(frozen=True)
class FhirMap:
    """Look-up tables keyed by (system URI, code); built by :func:`load_fhir_map`."""

    files: tuple[str, ...]
    aliases: dict[str, str]  # system URI -> short name
    hierarchical: frozenset[str]
    observations: dict[str, dict[str, str]]
    answers: dict[str, dict[str, str | float]]
    answer_texts: dict[str, str]
    routes: dict[str, dict[str, str]]
    dose_form_routes: tuple[tuple[str, str], ...]
    ucum_units: dict[str, str]
    default_uln: dict[str, DefaultUln]

    def lookup(self, table: str, codings: Iterable[tuple[str | None, str | None, str | None]]) -> Any:
        """The first mapping of any coding (system, code, display) in one table, or None."""
        section = getattr(self, table)
        for system, code, _display in codings:
            if not system or not code:
                continue
            alias = self.aliases.get(system) or self.aliases.get(system.rstrip("/"))
            if alias is None or alias not in section:
                continue
            hit = self._find(alias, section[alias], code)
            if hit is not None:
                return hit
        return None

    def _find(self, alias: str, entries: dict[str, Any], code: str) -> Any:
        key = _code_key(alias, code, self.hierarchical)
        if key in entries:
            return entries[key]
        if alias in self.hierarchical:
            for n in range(len(key) - 1, 0, -1):
                if key[:n] in entries:
                    return entries[key[:n]]
        return None


def _code_key(alias: str, code: str, hierarchical: frozenset[str]) -> str:
    code = code.strip()
    if alias in hierarchical:
        return code.replace(".", "").upper()
    return code


def _fail(problem: str, path: str, where: str) -> InputError:
    return InputError(problem, path=path, field=where)


def _read_yaml(path: Path, what: str) -> dict:
    try:
        text = read_text(path)
    except InputError as exc:
        raise InputError(f"{what}: {exc.problem}", path=str(path)) from None
    data = load_yaml(text, str(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{what} must be a mapping of sections at the top level", path=str(path))
    return data


def _merge(base: dict, extra: dict, path: str) -> None:
    """Merge an extension over the defaults: nested mappings key by key; ``null`` removes a default entry."""
    for section, value in extra.items():
        if section in _MOVED:
            raise _fail(
                f"section '{section}' is no longer read: {_MOVED[section]} are the vocabulary's (add them to a "
                "site vocabulary directory: --vocabulary DIR or PRESCREEN_VOCABULARY; see docs/vocabulary.md)",
                path,
                str(section),
            )
        if section not in _SECTIONS:
            known = ", ".join(sorted(_SECTIONS))
            raise _fail(f"unknown section '{section}' (known: {known})", path, str(section))
        if isinstance(value, dict) and isinstance(base.get(section), dict):
            _merge_mapping(base[section], value)
        elif section == "hierarchical" and isinstance(value, list):
            base[section] = sorted(set(base.get(section, [])) | {str(v) for v in value})
        else:
            base[section] = value


def _merge_mapping(base: dict, extra: dict) -> None:
    for key, value in extra.items():
        key = str(key)
        if value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict) and _is_table(base[key]):
            _merge_mapping(base[key], value)
        else:
            base[key] = value


def _is_table(value: dict) -> bool:
    """A code table (system -> codes), as opposed to one entry such as ``{high: ..., unit: ..., source: ...}``."""
    return not ({"high", "male", "female", "unit", "source"} & set(value))


def _strkeys(value: Any, path: str, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail("expected a mapping", path, where)
    return {str(k): v for k, v in value.items()}


def _build(data: dict, files: tuple[str, ...], cat: Catalog) -> FhirMap:
    where_file = files[-1] if len(files) > 1 else files[0]
    aliases: dict[str, str] = {}
    for alias, uris in _strkeys(data.get("systems"), where_file, "systems").items():
        for uri in [uris] if isinstance(uris, str) else list(uris or ()):
            aliases[str(uri).rstrip("/")] = alias
            aliases[str(uri)] = alias
    known = set(aliases.values())
    hierarchical = frozenset(str(h) for h in data.get("hierarchical") or ())

    def table(section: str) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for alias, codes in _strkeys(data.get(section), where_file, section).items():
            if alias not in known:
                raise _fail(
                    f"unknown code system '{alias}' (declare it under 'systems')", where_file, f"{section}.{alias}"
                )
            out[alias] = {
                _code_key(alias, str(k), hierarchical): v
                for k, v in _strkeys(codes, where_file, f"{section}.{alias}").items()
                if v is not None
            }
        return out

    observations: dict[str, dict[str, str]] = {}
    if data.get("use_catalog_loinc", True) and "loinc" in known:
        excluded = _strkeys(data.get("catalog_loinc_exclude"), where_file, "catalog_loinc_exclude")
        observations["loinc"] = {
            code: key for key, spec in cat.observations.items() for code in spec.loinc if code not in excluded
        }

    def catalog_keys(section: str, noun: str, into: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for alias, codes in table(section).items():
            for code, target in codes.items():
                key = cat.resolve(section, str(target))
                if key is None:
                    raise _fail(f"'{target}' is not a catalog {noun}", where_file, f"{section}.{alias}.{code}")
                into.setdefault(alias, {})[code] = key
        return into

    catalog_keys("observations", "observation", observations)

    answers: dict[str, dict[str, str | float]] = {}
    for alias, codes in table("answers").items():
        for code, value in codes.items():
            answers.setdefault(alias, {})[code] = _answer_value(value, where_file, f"answers.{alias}.{code}")
    answer_texts = {
        fold_text(k): _answer_value(v, where_file, f"answer_texts.{k}")
        for k, v in _strkeys(data.get("answer_texts"), where_file, "answer_texts").items()
        if v is not None
    }

    routes = {
        alias: {code: str(v).strip().lower() for code, v in codes.items()} for alias, codes in table("routes").items()
    }
    dose_form_routes = tuple(
        (fold_text(k), str(v).strip().lower())
        for k, v in _strkeys(data.get("dose_form_routes"), where_file, "dose_form_routes").items()
        if v is not None
    )

    ucum_units: dict[str, str] = {}
    for code, spelling in _strkeys(data.get("ucum_units"), where_file, "ucum_units").items():
        if spelling is None:
            continue
        try:
            parse_unit(str(spelling))
        except UnitError as exc:
            raise _fail(str(exc), where_file, f"ucum_units.{code}") from None
        ucum_units[code] = str(spelling)

    default_uln: dict[str, DefaultUln] = {}
    for analyte, entry in _strkeys(data.get("default_uln"), where_file, "default_uln").items():
        if entry is None:
            continue
        default_uln.update(_uln_entry(analyte, entry, cat, where_file))

    return FhirMap(
        files=files,
        aliases=aliases,
        hierarchical=hierarchical,
        observations=observations,
        answers=answers,
        answer_texts=answer_texts,
        routes=routes,
        dose_form_routes=dose_form_routes,
        ucum_units=ucum_units,
        default_uln=default_uln,
    )


def _answer_value(value: Any, path: str, where: str) -> str | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail("an answer maps to a catalog value (text) or a number", path, where)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise _fail("an answer number must be finite", path, where)
        return float(value)
    return value.strip().lower()


def _uln_entry(analyte: str, entry: Any, cat: Catalog, path: str) -> dict[str, DefaultUln]:
    where = f"default_uln.{analyte}"
    key = cat.resolve("observations", analyte)
    if key is None:
        raise _fail(f"'{analyte}' is not a catalog observation", path, where)
    spec = cat.observations[key]
    if not isinstance(entry, dict):
        raise _fail("expected {high: ..., unit: ..., source: ...}", path, where)
    unknown = set(entry) - {"high", "male", "female", "unit", "source"}
    if unknown:
        raise _fail(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}", path, where)
    if not entry.get("source"):
        raise _fail("every default ULN needs a 'source'", path, where)
    values = {k: entry.get(k) for k in ("high", "male", "female")}
    for k, v in values.items():
        if v is not None and (
            isinstance(v, bool) or not isinstance(v, int | float) or not v > 0 or not math.isfinite(v)
        ):
            raise _fail(f"'{k}' must be a positive number", path, where)
    if values["high"] is None and (values["male"] is None or values["female"] is None):
        raise _fail("give 'high', or both 'male' and 'female'", path, where)
    unit = str(entry.get("unit") or spec.unit or "1")
    if spec.unit is None:
        raise _fail(f"'{analyte}' is categorical and has no ULN", path, where)
    try:
        conversion_factor(unit, spec.unit, spec.mw)
    except UnitError as exc:
        raise _fail(str(exc), path, f"{where}.unit") from None
    return {
        key: DefaultUln(
            unit=unit,
            source=str(entry["source"]),
            high=_f(values["high"]),
            male=_f(values["male"]),
            female=_f(values["female"]),
        )
    }


def _f(v: Any) -> float | None:
    return None if v is None else float(v)


def _default_data() -> tuple[dict, str]:
    base = resources.files("engine") / "data"
    data = yaml.safe_load((base / "fhir_map.yaml").read_text(encoding="utf-8")) or {}
    uln = yaml.safe_load((base / "default_uln.yaml").read_text(encoding="utf-8")) or {}
    data["default_uln"] = dict(uln.get("analytes") or {})
    return data, str(base / "fhir_map.yaml")


def load_fhir_map(extra_maps: str | Path | None = None, catalog: Catalog | None = None) -> FhirMap:
    """The built-in tables, then the file named by ``PRESCREEN_FHIR_MAP``, then ``extra_maps``, merged in order,
    against ``catalog`` (default: the package vocabulary's; a site's own labs map by their LOINC codes)."""
    env = os.environ.get(ENV_VAR) or None
    return _load(env, str(Path(extra_maps).resolve()) if extra_maps is not None else None, catalog or get_catalog())


@lru_cache(maxsize=16)
def _load(env_path: str | None, extra_path: str | None, catalog: Catalog) -> FhirMap:
    data, default_file = _default_data()
    files = [default_file]
    for p in (env_path, extra_path):
        if p is None:
            continue
        ext = _read_yaml(Path(p), "FHIR map extension")
        if "default_uln" in ext and isinstance(ext["default_uln"], dict) and "analytes" in ext["default_uln"]:
            ext["default_uln"] = ext["default_uln"]["analytes"]
        _merge(data, ext, p)
        files.append(p)
    return _build(data, tuple(files), catalog)
