"""Batch outputs: Parquet tables equal the JSON Lines they come from; --compact; malformed records mid-stream
are reported and every other patient is screened; a killed run resumed gives the output of an uninterrupted one."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from engine.cli import main

from .bulk_export import load_bundles, result_lines, write_export
from .population import varied, write_jsonl

AS_OF = "2026-11-23"
PRESCREEN = Path(sys.executable).parent / "prescreen"


def batch(*args: str) -> int:
    return main(["batch", *args, "--as-of", AS_OF])


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("pop") / "patients.jsonl", varied(24))


@pytest.fixture(scope="module")
def output(population: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "out"
    assert batch(str(population), "--out", str(out), "--partition-size", "5") in (0, 2)
    return out


def test_the_output_directory_holds_the_agreed_layout(output: Path, population: Path):
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["as_of"] == AS_OF and len(manifest["trials"]) == 5
    assert set(manifest["rulesets"][manifest["trials"][0]]) == {"version", "hash"}
    assert manifest["inputs"] == [
        {"kind": "jsonl", "path": str(population.resolve()), "bytes": population.stat().st_size}
    ]
    names = {p.relative_to(output).as_posix() for p in output.rglob("*")}
    parts = [f"part-{i:05d}" for i in range(5)]  # 24 patients, 5 a part
    assert names == {
        "manifest.json",
        "results",
        "trials",
        "criteria",
        *(f"results/{p}.jsonl" for p in parts),
        *(f"trials/{p}.parquet" for p in parts),
        *(f"criteria/{p}.parquet" for p in parts),
    }
    lines = result_lines(output)
    assert [line["source"] for line in lines] == [f"{population}:{i}" for i in range(1, 25)]
    assert [line["patient"] for line in lines] == [p["id"] for p in varied(24)]


def test_parquet_tables_equal_the_json_lines_they_come_from(output: Path):
    trials, criteria = [], []
    for line in result_lines(output):
        for r in line.get("results", []):
            verdicts = Counter(c["verdict"] for c in r["criteria"])
            candidate = r["overall"] != "ineligible" and r["gates"] in ("met", "open")
            counts = (verdicts["eligible"], verdicts["ineligible"], verdicts["needs-review"])
            trials.append((r["patient"], r["trial"], r["overall"], r["gates"], candidate, *counts))
            criteria += [
                (
                    r["patient"],
                    r["trial"],
                    c["id"],
                    c["kind"],
                    c["gate"],
                    c["verdict"],
                    [x["settle"] for x in c["reasons"]],
                )
                for c in r["criteria"]
            ]
    table = pq.read_table(output / "trials").to_pylist()
    assert [tuple(row.values()) for row in table] == trials and len(trials) > 50
    assert list(table[0]) == ["patient", "trial", "overall", "gates", "candidate", "met", "not_met", "review"]
    rows = pq.read_table(output / "criteria").to_pylist()
    assert [tuple(row.values()) for row in rows] == criteria
    assert list(rows[0]) == ["patient", "trial", "criterion", "kind", "gate", "verdict", "reasons"]
    assert {row["overall"] for row in table} >= {"eligible", "ineligible"}
    assert any(row["reasons"] for row in rows)


def test_compact_lines_omit_explanation_and_evidence_of_eligible_criteria_only(output, population, tmp_path):
    compact = tmp_path / "compact.jsonl"
    assert batch(str(population), "--out", str(compact), "--compact") in (0, 2)
    full = result_lines(output)
    short = [json.loads(x) for x in compact.read_text().splitlines()]
    assert len(full) == len(short)
    seen = Counter()
    for f, s in zip(full, short, strict=True):
        assert f.keys() == s.keys() and f.get("error") == s.get("error")
        for fr, sr in zip(f.get("results", []), s.get("results", []), strict=True):
            for fc, sc in zip(fr["criteria"], sr["criteria"], strict=True):
                seen[fc["verdict"]] += 1
                if fc["verdict"] == "eligible":
                    assert "explanation" not in sc and "evidence" not in sc
                    assert {k: v for k, v in fc.items() if k not in ("explanation", "evidence")} == sc
                else:
                    assert sc == fc
    assert seen["eligible"] and seen["ineligible"] and seen["needs-review"]


def test_malformed_records_mid_stream_are_reported_and_every_other_patient_is_screened(tmp_path: Path, capsys):
    good = [p for p in varied(7) if "06849401" not in p["id"]]  # that one has answers dated after AS_OF
    impossible = {**good[1], "id": "impossible-date", "birth_date": "1960-02-30"}
    odd_unit = json.loads(json.dumps(good[0]))
    odd_unit["id"] = "odd-unit"
    hb = next(lab for lab in odd_unit["labs"] if lab["code"] == "hemoglobin")
    hb["unit"] = "zorkmids/L"
    text = "".join(json.dumps(p) + "\n" for p in good[:2])
    text += '{"id": "broken", "sex": \n'  # a line cut short
    text += json.dumps(impossible) + "\n" + json.dumps(odd_unit) + "\n"
    text += "".join(json.dumps(p) + "\n" for p in good[2:])
    jsonl = tmp_path / "patients.jsonl"
    jsonl.write_text(text, encoding="utf-8")
    # and a bulk export with a broken Observation line in the middle of its file, and an impossible birth date
    bundles = load_bundles()[-2:]
    export = write_export(tmp_path / "export", bundles)
    observations = (export / "Observation.ndjson").read_text().splitlines()
    middle = len(observations) // 2
    owner = json.loads(observations[middle])["subject"]["reference"].removeprefix("Patient/")
    observations[middle] = observations[middle][:-40]  # cut: not JSON any more, but it names its patient
    (export / "Observation.ndjson").write_text("\n".join(observations) + "\n")
    out = tmp_path / "out"
    assert batch(str(jsonl), str(export), "--out", str(out), "--trial", "NCT07245251", "--partition-size", "3") == 2
    lines = result_lines(out)
    by_source = {line["source"]: line for line in lines}
    assert len(lines) == 9 + 2
    cut = by_source[f"{jsonl}:3"]
    assert cut["patient"] is None and cut["error"].startswith(f"{jsonl}:3: not valid JSON") and not cut["internal"]
    date = by_source[f"{jsonl}:4"]
    assert (
        date["patient"] == "impossible-date" and "field 'birth_date'" in date["error"] and "1960-02-30" in date["error"]
    )
    unit = by_source[f"{jsonl}:5"]["results"][0]
    hb_criteria = [c for c in unit["criteria"] if any("zorkmids" in r["message"] for r in c["reasons"])]
    assert unit["overall"] != "eligible" and hb_criteria and hb_criteria[0]["verdict"] == "needs-review"
    broken = [line for line in lines if line["patient"] == owner]
    assert len(broken) == 1 and "error" in broken[0]
    assert broken[0]["source"] == f"{export / 'Observation.ndjson'}:{middle + 1}"
    assert "not valid JSON" in broken[0]["error"] and f"patient {owner} is not screened" in broken[0]["error"]
    screened = [line for line in lines if "results" in line]
    assert len(screened) == 6 + 1 + 1  # the good ones, the odd unit, the other bundle's patient
    err = capsys.readouterr().err
    assert f"error: {cut['error']}" in err and f"error: {broken[0]['error']}" in err
    assert "11 patients, 3 with bad input, 0 with an internal error" in err and "Traceback" not in err


def _parts(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("part-*"))}


def test_a_killed_run_resumed_gives_the_output_of_an_uninterrupted_one(tmp_path: Path, population: Path, capsys):
    whole = tmp_path / "whole"
    assert batch(str(population), "--out", str(whole), "--partition-size", "2") in (0, 2)
    out = tmp_path / "resumed"
    argv = [str(PRESCREEN), "batch", str(population), "--as-of", AS_OF, "--out", str(out), "--partition-size", "2"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list((out / "results").glob("part-*.jsonl"))) < 2:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)  # no chance to tidy up: parts being written stay half written
    finally:
        proc.wait(timeout=30)
    finished = len(list((out / "results").glob("part-*.jsonl")))
    assert 2 <= finished < 12, "killed mid-run"
    capsys.readouterr()
    assert batch(str(population), "--out", str(out), "--partition-size", "2") in (0, 2)
    err = capsys.readouterr().err
    assert f"resuming {out}: {finished} parts already finished" in err
    assert "24 patients, " in err and f"({2 * finished} of them screened before this run)" in err
    assert _parts(out) == _parts(whole)
    assert (out / "manifest.json").read_bytes() == (whole / "manifest.json").read_bytes()
    assert not list(out.rglob("*.tmp")) and not (out / ".work").exists()


@pytest.mark.parametrize(
    ("change", "differs"),
    [(["--as-of", "2026-11-24"], "as_of"), (["--trial", "NCT07245251"], "trials"), (["--compact"], "compact")],
)
def test_resuming_another_batch_is_refused_naming_what_differs(output, population, change, differs, capsys):
    before = _parts(output)
    argv = ["batch", str(population), "--out", str(output), "--partition-size", "5", "--as-of", AS_OF, *change]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {output} field '--out': holds the output of another batch (its {differs}")
    assert "Traceback" not in err and _parts(output) == before


def test_an_output_directory_holding_other_files_is_refused(population, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert batch(str(population), "--out", str(tmp_path)) == 2
    assert "not a batch output (no manifest.json)" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
