"""Test helpers: a varied population of native patients as JSON Lines, built from the shipped patients."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from engine.files import load_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [ROOT / "examples" / "patient.yaml", *sorted((ROOT / "features" / "patients").glob("*.yaml"))]


def shipped() -> list[dict[str, Any]]:
    return [load_yaml(p.read_text(encoding="utf-8"), str(p)) for p in SHIPPED]


def varied(n: int) -> list[dict[str, Any]]:
    """``n`` patients: the shipped ones in turn, each with its own id and a lab value nudged by the number."""
    out = []
    bases = shipped()
    for i in range(n):
        p = copy.deepcopy(bases[i % len(bases)])
        p["id"] = f"{p['id']}-{i:04d}"
        for lab in p.get("labs", []):
            if isinstance(lab.get("value"), int | float) and not isinstance(lab["value"], bool):
                lab["value"] = round(lab["value"] * (0.7 + (i % 7) * 0.1), 3)
                break
        out.append(p)
    return out


def write_jsonl(path: Path, patients: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in patients), encoding="utf-8")
    return path
