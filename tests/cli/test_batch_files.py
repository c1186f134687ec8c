"""Which files a batch reads, and options read exactly as their help says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "patient.yaml"


def test_a_batch_searches_below_a_directory_and_names_what_it_skips(tmp_path: Path, capsys):
    (tmp_path / "site" / "ward").mkdir(parents=True)
    shutil.copy(EXAMPLE, tmp_path / "site" / "ward" / "p.yaml")
    (tmp_path / "site" / "README.txt").write_text("not a patient", encoding="utf-8")
    code = main(["batch", str(tmp_path / "site"), "--trial", "NCT07245251", "--as-of", "2026-11-23"])
    out, err = capsys.readouterr()
    assert code == 0
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(tmp_path / "site" / "ward" / "p.yaml")]
    assert f"skipped: {tmp_path / 'site' / 'README.txt'} (not a patient file)" in err


def test_a_batch_with_no_patient_file_is_bad_input(tmp_path: Path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["batch", str(tmp_path / "empty"), "--as-of", "2026-11-23"]) == 2
    assert "no patient files" in capsys.readouterr().err


@pytest.mark.parametrize("as_of", ["20261123", "2026-W48-1", "2026-11-23T00:00"])
def test_as_of_is_a_calendar_date_as_written_in_the_help(as_of, capsys):
    assert main(["screen", str(EXAMPLE), "--as-of", as_of]) == 2
    assert f"'{as_of}' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_workers_are_bounded(capsys):
    assert main(["batch", str(EXAMPLE), "--workers", "500"]) == 2


def test_patient_text_in_cds_hooks_cards_is_not_markup(tmp_path: Path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "{id: lab-hbsag, code: HBsAg, value: negative", "{id: lab-hbsag, code: HBsAg, value: '<script>x</script>'"
    )
    patient = tmp_path / "p.yaml"
    patient.write_text(text, encoding="utf-8")
    assert (
        main(["screen", str(patient), "--trial", "NCT07245251", "--as-of", "2026-11-23", "--format", "cds-hooks"]) == 0
    )
    detail = json.loads(capsys.readouterr().out)["cards"][0]["detail"]
    assert "<script>" not in detail and "\\<script\\>" in detail
