"""``prescreen report`` over what ``prescreen batch`` really writes: an output directory, a JSON Lines file,
compact or full lines all give one report, and its independent counts equal the batch's own Parquet tables."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def patients(tmp_path_factory) -> Path:
    """The shipped patients and one that cannot be screened (an impossible birth date)."""
    folder = tmp_path_factory.mktemp("patients")
    for path in [ROOT / "examples" / "patient.yaml", *(ROOT / "features" / "patients").glob("*.yaml")]:
        shutil.copy(path, folder / path.name)
    text = (ROOT / "examples" / "patient.yaml").read_text(encoding="utf-8")
    (folder / "bad.yaml").write_text(text.replace("birth_date: 1992-04-17", "birth_date: 1992-02-30"), "utf-8")
    return folder


def _batch(patients: Path, out: Path, *options: str) -> Path:
    assert main(["batch", str(patients), "--as-of", "2026-11-24", "--out", str(out), *options]) == 2  # bad.yaml
    return out


def _report(results: Path, out: Path) -> dict[str, Any]:
    assert main(["report", str(results), "--out", str(out)]) == 0
    return {**json.loads(out.read_text(encoding="utf-8")), "source": None}


@pytest.fixture(scope="module")
def output(patients, tmp_path_factory) -> Path:
    return _batch(patients, tmp_path_factory.mktemp("batch") / "out")


def test_a_batch_directory_a_jsonl_file_and_compact_lines_give_one_report(patients, output, tmp_path):
    from_directory = _report(output, tmp_path / "a.json")
    from_file = _report(_batch(patients, tmp_path / "x.jsonl"), tmp_path / "b.json")
    from_compact = _report(_batch(patients, tmp_path / "compact", "--compact"), tmp_path / "c.json")
    assert from_directory == from_file == from_compact
    assert from_directory["screened"] == 8 and from_directory["errors"] == 1
    assert from_directory["error_kinds"][0]["kind"] == "field birth_date"


def test_independent_counts_and_candidates_equal_the_batch_parquet_tables(output, tmp_path):
    report = _report(output, tmp_path / "r.json")
    criteria = pq.read_table(output / "criteria").to_pylist()
    trials = pq.read_table(output / "trials").to_pylist()
    for t in report["trials"]:
        verdicts = Counter((row["criterion"], row["verdict"]) for row in criteria if row["trial"] == t["trial"])
        for step in t["attrition"]:
            assert step["ineligible_alone"] == verdicts[step["criterion"], "ineligible"], (t["trial"], step)
            assert step["review_alone"] == verdicts[step["criterion"], "needs-review"], (t["trial"], step)
        rows = [row for row in trials if row["trial"] == t["trial"]]
        assert sorted(t["candidates"]["eligible"] + t["candidates"]["needs_review"]) == sorted(
            row["patient"] for row in rows if row["overall"] != "ineligible" and row["gates"] == "met"
        )
        assert t["overall"] == {v: sum(row["overall"] == v for row in rows) for v in t["overall"]}
