"""A FHIR Bulk Data export screens to the same results as the bundles it was written from."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from engine.cli import main
from engine.results import to_jsonable
from engine.screening import Screener

from .bulk_export import AS_OF, BUNDLES, as_exported, load_bundles, result_lines, write_export

WHEN = date.fromisoformat(AS_OF)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory()


def _verdicts(results: list[dict]) -> list[tuple]:
    """What a coordinator acts on, whatever order the records came in: verdicts, gates, reasons, missing data."""
    return [
        (
            r["trial"],
            r["overall"],
            r["gates"],
            sorted(r["missing_data"]) if len(r["missing_data"]) < 2 else len(r["missing_data"]),
            [(c["id"], c["verdict"], [x["kind"] for x in c["reasons"]], c["changes_on"]) for c in r["criteria"]],
        )
        for r in results
    ]


def test_bulk_ndjson_screens_to_the_results_of_the_bundles(tmp_path: Path, screener: Screener, capsys):
    bundles = load_bundles()
    export = write_export(tmp_path / "export", bundles)
    (export / "manifest.json").write_text("{}")  # what $export answered: not data, named as skipped
    assert len(bundles) == len(BUNDLES) >= 5
    out = tmp_path / "out"
    assert main(["batch", str(export), "--as-of", AS_OF, "--out", str(out), "--partition-size", "2"]) == 0
    lines = result_lines(out)
    by_patient = {line["patient"]: line for line in lines}
    assert len(lines) == len(by_patient) == len(bundles)
    for path, bundle in zip(BUNDLES, bundles, strict=True):
        original = to_jsonable(screener.screen(path, as_of=WHEN))
        got = by_patient[original[0]["patient"]]
        # the very results of the patient's resources as a bundle, in the order the export holds them
        assert got["results"] == to_jsonable(screener.screen(as_exported(bundle), as_of=WHEN)), path.name
        # and the verdicts of the original bundle (evidence and messages list records in the order they come)
        assert _verdicts(got["results"]) == _verdicts(original), path.name
        assert got["source"].startswith(str(export / "Patient.ndjson") + ":")
    captured = capsys.readouterr()
    assert f"{len(bundles)} patients, 0 with bad input, 0 with an internal error" in captured.err
    assert "resources naming no patient, not used: 3 Provenance" in captured.err
    assert f"skipped: {export / 'manifest.json'} (not NDJSON, not read with the export)" in captured.err


def test_a_medication_shared_by_the_export_is_read_through_the_reference(tmp_path: Path, screener: Screener):
    """Medication resources name no patient: each patient's bundle gets the ones its records refer to."""
    bundles = [b for b in load_bundles() if any(e["resource"]["resourceType"] == "Medication" for e in b["entry"])]
    assert bundles, "a source bundle holds Medication resources"
    export = write_export(tmp_path / "export", bundles)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(export), "--as-of", AS_OF, "--out", str(out)]) == 0
    line = json.loads(out.read_text().splitlines()[0])
    assert line["results"] == to_jsonable(screener.screen(as_exported(bundles[0]), as_of=WHEN))
    assert not any("not found in the bundle" in u for r in line["results"] for u in r["unmapped"])
    without = tmp_path / "without"
    write_export(without, bundles)
    (without / "Medication.ndjson").unlink()
    assert main(["batch", str(without), "--as-of", AS_OF, "--out", str(tmp_path / "w.jsonl")]) == 0
    unmapped = json.loads((tmp_path / "w.jsonl").read_text())["results"][0]["unmapped"]
    assert any("not found in the bundle" in u for u in unmapped), "the test would notice a missing Medication"


def test_a_line_separator_inside_a_resource_is_text_not_a_new_line(tmp_path: Path, screener: Screener):
    """U+2028 may stand unescaped in JSON: an export line holding one is still one resource."""
    bundle = load_bundles()[-1]
    resources = [e["resource"] for e in bundle["entry"]]
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    patient["name"] = [{"family": "Line\u2028Separated", "given": ["Para\u2029Graph"]}]
    export = write_export(tmp_path / "export", [bundle])
    text = (export / "Patient.ndjson").read_text(encoding="utf-8")
    (export / "Patient.ndjson").write_text(text.replace("\\u2028", "\u2028").replace("\\u2029", "\u2029"), "utf-8")
    assert "\u2028" in (export / "Patient.ndjson").read_text(encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(export), "--as-of", AS_OF, "--out", str(out)]) == 0
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").split("\n") if x]
    assert line["results"] == to_jsonable(screener.screen(as_exported(bundle), as_of=WHEN))
