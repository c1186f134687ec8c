"""Bad input through the prescreen command: exit 2 with one line naming file and field, never a traceback;
a batch screens every good file whatever the bad ones hold, and stops cleanly on Ctrl-C."""

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.cli import main
from engine.screening import Screener

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "patient.yaml"
PRESCREEN = Path(sys.executable).parent / "prescreen"
AS_OF = ["--as-of", "2026-11-23"]


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def without_trial_on_attestations(tmp_path: Path) -> Path:
    path = tmp_path / "unscoped.yaml"
    path.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("{trial: NCT07245251, criterion: INC-01", "{criterion: INC-01"),
        encoding="utf-8",
    )
    return path


def test_unscoped_attestation_exits_2_naming_file_and_field(capsys, tmp_path):
    path = without_trial_on_attestations(tmp_path)
    assert main(["screen", str(path), *AS_OF]) == 2
    assert one_error_line(capsys) == f"error: {path} field 'attestations[0].trial': Field required"


def test_a_latin1_file_exits_2_without_traceback_in_a_real_process(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").replace("example-001", "exemple-é").encode("latin-1"))
    run = subprocess.run(
        [str(PRESCREEN), "screen", str(path), *AS_OF], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().startswith(f"error: {path}: not UTF-8 text (byte 0xe9 at offset ")
    assert "\n" not in run.stderr.strip() and "Traceback" not in run.stderr


def test_empty_as_of_is_an_error_not_today(capsys):
    assert main(["screen", str(EXAMPLE), "--as-of", ""]) == 2
    assert one_error_line(capsys) == "error: field '--as-of': '' is not a date (YYYY-MM-DD)"


def test_a_trial_named_twice_is_screened_once(capsys):
    argv = ["screen", str(EXAMPLE), "--trial", "NCT07245251", "--trial", "nct07245251", *AS_OF, "--format", "json"]
    assert main(argv) == 0
    assert [r["trial"] for r in json.loads(capsys.readouterr().out)] == ["NCT07245251"]


def test_unknown_trial_keeps_its_clear_error(capsys):
    assert main(["screen", str(EXAMPLE), "--trial", "NCT0724525", *AS_OF]) == 2
    assert one_error_line(capsys).startswith("error: unknown trial 'NCT0724525' (known: NCT06849401, ")


@pytest.fixture
def mixed_directory(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Two good patients and one of each kind of bad file, with the start of each file's error line."""
    folder = tmp_path / "patients"
    folder.mkdir()
    for name in ("a-good.yaml", "z-good.yaml"):
        shutil.copy(EXAMPLE, folder / name)
    bad = {
        "latin1.yaml": "not UTF-8 text (byte 0xe9",
        "duplicate.json": "duplicate key 'id' (line 2)",
        "unscoped.yaml": "field 'attestations[0].trial': Field required",
        "fifo.yaml": "cannot read file (not a regular file)",
        "nested.json": "nested deeper than 100 levels",
        "open-birth.yaml": "field 'birth_date': a birth date needs both ends",
    }
    (folder / "latin1.yaml").write_bytes("id: café\n".encode("latin-1"))
    (folder / "duplicate.json").write_text('{"id": "a",\n "id": "b"}')
    shutil.move(without_trial_on_attestations(tmp_path), folder / "unscoped.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "nested.json").write_text('{"id": ' + "[" * 500 + "]" * 500 + "}")
    (folder / "open-birth.yaml").write_text("id: p\nbirth_date: ../1980\n")
    return folder, {str(folder / name): start for name, start in bad.items()}


@pytest.mark.parametrize("workers", [1, 3])
def test_batch_reports_every_bad_file_and_screens_all_the_others(capsys, tmp_path, mixed_directory, workers):
    folder, bad = mixed_directory
    out = tmp_path / "out.jsonl"
    argv = ["batch", str(folder), "--trial", "NCT07245251", *AS_OF, "--workers", str(workers), "--out", str(out)]
    assert main(argv) == 2
    lines = {x["source"]: x for x in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert len(lines) == len(bad) + 2
    for name in ("a-good.yaml", "z-good.yaml"):
        assert lines[str(folder / name)]["results"][0]["overall"] == "eligible"
    err = capsys.readouterr().err
    for path, start in bad.items():
        assert lines[path]["error"].startswith(f"{path}") and start in lines[path]["error"]
        assert f"error: {lines[path]['error']}" in err
    assert "8 patients, 6 with bad input, 0 with an internal error" in err and "Traceback" not in err


def test_an_unexpected_failure_on_one_file_is_an_internal_error_line(capsys, tmp_path, monkeypatch):
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        shutil.copy(EXAMPLE, tmp_path / name)
    real_screen = Screener.screen

    def screen_failing_on_b(self, patient, **kwargs):  # a stand-in for a bug met on one file only
        if Path(patient).name == "b.yaml":
            raise ZeroDivisionError("float division by zero")
        return real_screen(self, patient, **kwargs)

    monkeypatch.setattr(Screener, "screen", screen_failing_on_b)
    assert main(["batch", str(tmp_path), "--trial", "NCT07245251", *AS_OF]) == 1
    captured = capsys.readouterr()
    lines = [json.loads(x) for x in captured.out.splitlines()]
    assert [Path(x["source"]).name for x in lines] == ["a.yaml", "b.yaml", "c.yaml"]
    assert lines[1] == {
        "source": str(tmp_path / "b.yaml"),
        "patient": None,
        "error": f"{tmp_path / 'b.yaml'}: internal error (ZeroDivisionError: float division by zero)",
        "internal": True,
    }
    assert lines[0]["results"][0]["overall"] == lines[2]["results"][0]["overall"] == "eligible"
    assert "3 patients, 0 with bad input, 1 with an internal error" in captured.err


@pytest.mark.parametrize(
    ("out", "problem"),
    [
        ("missing-dir/out.jsonl", "field '--out': directory {tmp}/missing-dir does not exist"),
        (".", "field '--out': is a directory that holds other files, not a batch output (no manifest.json)"),
        ("x.jsonl", "field '--out': is a directory, not a file"),
    ],
)
def test_batch_checks_out_before_any_work(capsys, tmp_path, out, problem):
    target = tmp_path / out
    (tmp_path / "x.jsonl").mkdir()  # the directory of --out . holds something, and x.jsonl is not a file
    missing = tmp_path / "missing.yaml"  # screening it would add its own error line: there must be none
    assert main(["batch", str(EXAMPLE), str(missing), *AS_OF, "--out", str(target)]) == 2
    assert one_error_line(capsys) == f"error: {target} " + problem.format(tmp=tmp_path)


def test_ctrl_c_stops_a_parallel_batch_promptly_with_whole_lines(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        shutil.copy(EXAMPLE, folder / f"p{i:03d}.yaml")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [str(PRESCREEN), "batch", str(folder), *AS_OF, "--workers", "4", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size == 0):
        time.sleep(0.05)  # interrupt mid-run, once the workers are producing
    proc.send_signal(signal.SIGINT)
    interrupted = time.monotonic()
    try:
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert time.monotonic() - interrupted < 5
    assert proc.returncode == 130 and "Traceback" not in err and "interrupted" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(lines) < 400
    assert all(json.loads(line)["results"] for line in lines)


def test_a_reader_that_goes_away_stops_the_batch_quietly(tmp_path):
    for i in range(60):
        shutil.copy(EXAMPLE, tmp_path / f"p{i:02d}.yaml")
    proc = subprocess.Popen(
        [str(PRESCREEN), "batch", str(tmp_path), *AS_OF, "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert json.loads(proc.stdout.readline())["results"]  # like `| head -1`
    proc.stdout.close()
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1 and "Traceback" not in err and "Exception ignored" not in err, (proc.returncode, err)


def test_a_bug_in_screen_is_one_line_and_exit_1_not_a_traceback(capsys, monkeypatch):
    def failing_screen(self, patient, **kwargs):  # a stand-in for a bug met on this patient
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(Screener, "screen", failing_screen)
    assert main(["screen", str(EXAMPLE), *AS_OF]) == 1
    assert one_error_line(capsys) == "error: internal error (ZeroDivisionError: float division by zero)"


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers must inherit the stand-in")
def test_a_worker_that_dies_costs_one_file_and_the_batch_goes_on(capsys, tmp_path, monkeypatch):
    for name in ("a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml"):
        shutil.copy(EXAMPLE, tmp_path / name)
    real_screen = Screener.screen

    def screen_dying_on_b(self, patient, **kwargs):  # a crash in native code, as the worker sees it
        if Path(patient).name == "b.yaml":
            os._exit(70)
        return real_screen(self, patient, **kwargs)

    monkeypatch.setattr(Screener, "screen", screen_dying_on_b)  # forked workers inherit it
    assert main(["batch", str(tmp_path), "--trial", "NCT07245251", *AS_OF, "--workers", "2"]) == 1
    lines = {Path(x["source"]).name: x for x in map(json.loads, capsys.readouterr().out.splitlines())}
    assert sorted(lines) == ["a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml"]
    failed = sorted(name for name, line in lines.items() if "error" in line)
    assert "b.yaml" in failed and all(lines[name].get("internal") for name in failed)
    assert lines["d.yaml"]["results"][0]["overall"] == lines["e.yaml"]["results"][0]["overall"] == "eligible"
