"""Test helpers: a FHIR Bulk Data export built from transaction bundles, as ``$export`` would write it.

Each resource becomes one line of ``<resourceType>.ndjson``; references to entries by ``urn:uuid`` fullUrl are
rewritten as ``<type>/<id>`` (an export holds resources, not bundle entries, so that is how they refer to each
other). Lines of one type keep the order of the bundles, so the patients' records interleave in every file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FHIR = ROOT.parent / "shared" / "data" / "fhir"
BUNDLES = sorted(FHIR.glob("*.json"))
AS_OF = "2026-11-23"


def _rewrite(value: Any, refs: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: (refs.get(v, v) if k == "reference" else _rewrite(v, refs)) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, refs) for v in value]
    return value


def resources_of(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """A bundle's resources with references as an export writes them."""
    entries = bundle["entry"]
    refs = {e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in entries if "fullUrl" in e}
    return [_rewrite(e["resource"], refs) for e in entries]


def write_export(directory: Path, bundles: list[dict[str, Any]]) -> Path:
    """Write the bundles' resources as one NDJSON file per resource type; return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = {}
    for bundle in bundles:
        for res in resources_of(bundle):
            lines.setdefault(res["resourceType"], []).append(json.dumps(res))
    for rtype, found in lines.items():
        (directory / f"{rtype}.ndjson").write_text("".join(line + "\n" for line in found), encoding="utf-8")
    return directory


def as_exported(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle a reader of the export sees for this patient: the patient's resources (those naming no patient,
    such as Provenance, are not theirs in an export), in the export's order: files by name, lines in order."""
    mine = [r for r in resources_of(bundle) if r["resourceType"] in ("Patient", "Medication") or _names_patient(r)]
    ordered = sorted(mine, key=lambda r: r["resourceType"])  # stable: lines of one file keep their order
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in ordered]}


def _names_patient(res: dict[str, Any]) -> bool:
    return any("Patient/" in str((res.get(k) or {}).get("reference", "")) for k in ("subject", "patient"))


def load_bundles() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in BUNDLES]


def result_lines(out: Path) -> list[dict[str, Any]]:
    """Every line of a batch output directory's results parts, in part order."""
    return [json.loads(x) for p in sorted((out / "results").glob("part-*.jsonl")) for x in p.read_text().splitlines()]
