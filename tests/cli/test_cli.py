"""The prescreen command, run in-process through main(argv)."""

import json
from datetime import date
from pathlib import Path

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "patient.yaml")


def test_screen_json_follows_the_contract(capsys):
    assert main(["screen", EXAMPLE, "--trial", "NCT07245251", "--as-of", "2026-11-23", "--format", "json"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert {"trial", "ruleset", "patient", "as_of", "overall", "criteria", "missing_data"} <= result.keys()
    assert result["trial"] == "NCT07245251" and result["overall"] == "eligible" and result["as_of"] == "2026-11-23"
    assert set(result["ruleset"]) == {"version", "hash", "path"}
    c = result["criteria"][0]
    assert {"id", "kind", "text", "verdict", "reasons", "explanation", "evidence", "changes_on"} <= c.keys()
    assert all(x["verdict"] in ("eligible", "ineligible", "needs-review") for x in result["criteria"])


def test_screen_table_shows_every_trials_verdict_first(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["screen", EXAMPLE, "--as-of", "2026-11-23"]) == 0
    lines = capsys.readouterr().out.splitlines()
    first_screen = "\n".join(lines[:25])
    assert all(len(line) <= 100 for line in lines)
    rows = [line for line in lines if line.startswith("│ NCT")]
    assert [r.split("│")[1].strip() for r in rows] == [  # candidates first, then by id
        "NCT07245251",
        "NCT06849401",
        "NCT07257640",
        "NCT07310355",
        "NCT07333573",
    ]
    verdicts = {r.split("│")[1].strip(): r.split("│")[2].strip() for r in rows}
    assert verdicts["NCT07245251"] == "eligible" and "all 55 criteria met" in first_screen
    assert verdicts["NCT07310355"] == "ineligible" and "INC-02a: sex is male: no (female)" in first_screen
    assert "STR-P004 (B-ALL)" in first_screen  # the short title people know the trial by
    assert "EXC-10a" not in first_screen  # criteria tables only with --details


def test_details_list_the_criteria_not_met_or_to_review(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["screen", EXAMPLE, "--as-of", "2026-11-23", "--trial", "NCT07310355", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "INC-02a" in out and "Not met: sex is male: no (female)." in out
    assert "NCT07310355: ineligible (37 of 56 criteria met)" in out
    assert "would settle the reviews" not in out  # an ineligible trial is decided: nothing to settle


def test_record_text_is_never_read_as_markup(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "200")
    text = Path(EXAMPLE).read_text(encoding="utf-8").replace("unit: g/L,", "unit: '[bold]g/dk[/bold]',")
    patient = tmp_path / "p.yaml"
    patient.write_text(text, encoding="utf-8")
    assert main(["screen", str(patient), "--as-of", "2026-11-23", "--trial", "NCT07245251"]) == 0
    assert "[bold]g/dk[/bold]" in capsys.readouterr().out


def test_as_of_defaults_to_today_and_says_so(capsys):
    main(["screen", EXAMPLE, "--trial", "NCT07245251", "--format", "json"])
    assert f"as of {date.today()} (today; --as-of YYYY-MM-DD screens as of another date)" in capsys.readouterr().err


def test_trials_as_json(capsys):
    assert main(["trials", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [t["trial"] for t in listed] == sorted(t["trial"] for t in listed) and len(listed) == 5
    assert {"trial", "title", "version", "hash", "criteria"} == set(listed[0])


def test_trials_lists_rulesets(capsys):
    assert main(["trials"]) == 0
    assert "NCT07245251" in capsys.readouterr().out


def test_bad_input_exits_2_with_one_line(capsys, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("id: x\nlabs:\n  - {code: hemoglobin, value: .nan, unit: g/dL}\n")
    assert main(["screen", str(bad), "--as-of", "2026-11-23"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {bad} field 'labs[0].value'") and "\n" not in err and "Traceback" not in err


def test_unknown_trial_and_bad_date_exit_2(capsys):
    assert main(["screen", EXAMPLE, "--trial", "NCT00000000", "--as-of", "2026-11-23"]) == 2
    assert "unknown trial 'NCT00000000'" in capsys.readouterr().err
    assert main(["screen", EXAMPLE, "--as-of", "23/11/2026"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_lint_reports_a_broken_ruleset(capsys, tmp_path):
    bad = tmp_path / "NCT00000001.yaml"
    bad.write_text(
        "trial: NCT00000001\ntitle: t\nsource: s\nversion: '1'\ncriteria:\n"
        "  - {id: INC-01, kind: inclusion, text: Hb ok, require: hemoglobin >= 9 parsecs}\n"
    )
    assert main(["lint", str(bad)]) == 2
    assert "INC-01 field 'require'" in capsys.readouterr().err
    assert main(["lint"]) == 0


def test_batch_screens_many_patients_in_processes_and_reports_bad_files(capsys, tmp_path):
    import shutil

    for i in range(3):
        shutil.copy(EXAMPLE, tmp_path / f"p{i}.yaml")
    (tmp_path / "broken.yaml").write_text("id: x\nlabs: [{code: unobtainium, value: 1}]\n")
    out = tmp_path / "results.jsonl"
    code = main(
        ["batch", str(tmp_path), "--trial", "NCT07245251", "--as-of", "2026-11-23", "--workers", "2", "--out", str(out)]
    )
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert code == 2 and len(lines) == 4
    by_file = {Path(x["source"]).name: x for x in lines}
    assert "unknown observation 'unobtainium'" in by_file["broken.yaml"]["error"]
    assert all(by_file[f"p{i}.yaml"]["results"][0]["overall"] == "eligible" for i in range(3))
    assert "4 patients, 1 with bad input" in capsys.readouterr().err


def test_batch_of_one_patient_says_patient(capsys, tmp_path):
    import shutil

    shutil.copy(EXAMPLE, tmp_path / "p.yaml")
    assert main(["batch", str(tmp_path), "--trial", "NCT07245251", "--as-of", "2026-11-23", "--workers", "1"]) == 0
    assert "1 patient, 0 with bad input" in capsys.readouterr().err  # reported: "1 patients"


def test_html_report_escapes_and_shows_every_criterion(capsys):
    assert main(["screen", EXAMPLE, "--trial", "NCT07245251", "--as-of", "2026-11-23", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!doctype html>") and page.count('<article class="criterion') == 55
    assert "Gilbert&#39;s syndrome" in page and "Gilbert's syndrome" not in page
    assert "<td>birth_date</td><td>1992-04-17</td>" in page and "1992-04-17</td><td>1992-04-17" not in page


def test_cds_hooks_cards_show_only_the_candidate_trials(capsys):
    assert main(["screen", EXAMPLE, "--as-of", "2026-11-23", "--format", "cds-hooks"]) == 0
    cards = json.loads(capsys.readouterr().out)["cards"]
    # five trials screened, four ruled out: one card, for the trial the example patient is eligible for
    assert [(c["summary"], c["indicator"]) for c in cards] == [("Eligible on prescreen: STR-P004 (B-ALL)", "info")]
    assert cards[0]["source"]["url"] == "https://clinicaltrials.gov/study/NCT07245251"
