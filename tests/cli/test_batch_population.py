"""``prescreen batch`` on a population: progress a person can follow, and a worker that dies costs one patient."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

from engine.cli import main
from engine.population.progress import BatchProgress
from engine.population.sources import Partition
from engine.population.work import PartOutcome
from engine.screening import Screener

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "patient.yaml"
AS_OF = ["--as-of", "2026-11-23"]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def outcome(patients: int, verdicts: dict[str, int], errors: list[str] = ()) -> PartOutcome:
    done = PartOutcome(Partition(0, "files", (), patients), None, patients=patients, verdicts=Counter(verdicts))
    done.bad, done.errors = len(errors), list(errors)
    return done


def test_progress_shows_n_of_total_rate_eta_and_the_tally_and_closes_with_the_counts(tmp_path):
    clock = Clock()
    log = tmp_path / "log.txt"
    with log.open("w") as fh:
        console = Console(file=fh, width=200, force_terminal=False)
        with BatchProgress(console, 40, clock=clock) as progress:
            clock.now += 4
            progress.advance(outcome(10, {"eligible": 5, "needs-review": 20, "ineligible": 25}, ["p.yaml: bad"]))
            assert progress.line() == (
                "10/40 patients | 12 patient-trials/s | ETA 12s | 5 eligible, 20 needs-review, 25 ineligible, 1 errors"
            )
            clock.now += 7  # a log file gets the line every 10 s
            progress.advance(outcome(10, {"eligible": 10, "ineligible": 40}))
        summary = progress.summary()
    text = log.read_text()
    assert "error: p.yaml: bad" in text
    assert (
        "screening 20/40 patients | 9 patient-trials/s | ETA 11s | 15 eligible, 20 needs-review, 65 ineligible" in text
    )
    assert summary == (
        "20 patients, 1 with bad input, 0 with an internal error; 100 patient-trials: 15 eligible, 20 needs-review, "
        "65 ineligible; this run 11s, 9 patient-trials/s"
    )


def test_a_resumed_run_counts_what_was_screened_before(tmp_path):
    clock = Clock()
    console = Console(file=(tmp_path / "log").open("w"), force_terminal=False)
    progress = BatchProgress(console, 30, (20, 2, 1, Counter({"ineligible": 85})), clock=clock)
    clock.now += 2
    progress.advance(outcome(10, {"eligible": 50}))
    assert progress.line().startswith(
        "30/30 patients | 25 patient-trials/s | 50 eligible, 0 needs-review, 85 ineligible"
    )
    assert progress.summary().startswith(
        "30 patients, 2 with bad input, 1 with an internal error (20 of them screened before this run); "
        "135 patient-trials: 50 eligible, 0 needs-review, 85 ineligible; this run 2s, 25 patient-trials/s"
    )


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers must inherit the stand-in")
def test_a_worker_that_dies_costs_its_patient_only_and_the_part_is_written_whole(tmp_path, monkeypatch, capsys):
    from engine.files import load_yaml

    base = load_yaml(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("".join(json.dumps({**base, "id": f"p{i}"}) + "\n" for i in range(7)), encoding="utf-8")
    real_screen = Screener.screen

    def screen_dying_on_p4(self, patient, **kwargs):  # a crash in native code, as the worker sees it
        if getattr(patient, "id", None) == "p4":
            os._exit(70)
        return real_screen(self, patient, **kwargs)

    monkeypatch.setattr(Screener, "screen", screen_dying_on_p4)  # forked workers inherit it
    out = tmp_path / "out"
    argv = ["batch", str(jsonl), *AS_OF, "--trial", "NCT07245251", "--workers", "2", "--partition-size", "3"]
    assert main([*argv, "--out", str(out)]) == 1
    lines = [json.loads(x) for p in sorted((out / "results").glob("*.jsonl")) for x in p.read_text().splitlines()]
    assert [line["patient"] for line in lines] == [f"p{i}" for i in range(7)]
    dead = lines[4]
    assert dead["internal"] and dead["source"] == f"{jsonl}:5" and "a worker process died" in dead["error"]
    assert all(line["results"][0]["overall"] == "eligible" for i, line in enumerate(lines) if i != 4)
    assert sorted(p.name for p in (out / "trials").iterdir()) == [f"part-0000{i}.parquet" for i in range(3)]
    assert "7 patients, 0 with bad input, 1 with an internal error" in capsys.readouterr().err


def test_ctrl_c_keeps_finished_parts_whole_and_the_same_command_resumes(tmp_path, capsys):
    import signal
    import subprocess
    import sys
    import time

    from engine.files import load_yaml

    base = load_yaml(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("".join(json.dumps({**base, "id": f"p{i:02d}"}) + "\n" for i in range(40)), encoding="utf-8")
    out = tmp_path / "out"
    argv = ["batch", str(jsonl), *AS_OF, "--trial", "NCT07245251", "--partition-size", "2", "--out", str(out)]
    prescreen = Path(sys.executable).parent / "prescreen"
    proc = subprocess.Popen([str(prescreen), *argv, "--workers", "2"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list((out / "results").glob("part-*.jsonl"))) < 2:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err
    assert "interrupted: finished parts are kept; the same command resumes" in err
    finished = sorted((out / "results").glob("part-*.jsonl"))
    assert 2 <= len(finished) < 20 and not list(out.rglob("*.tmp"))
    assert all(len(p.read_text().splitlines()) == 2 for p in finished)
    assert main(argv) == 0
    lines = [json.loads(x) for p in sorted((out / "results").glob("*.jsonl")) for x in p.read_text().splitlines()]
    assert [line["patient"] for line in lines] == [f"p{i:02d}" for i in range(40)]
    assert "40 patients, 0 with bad input, 0 with an internal error" in capsys.readouterr().err
