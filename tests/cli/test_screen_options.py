"""``prescreen screen`` with --reference-date, --complete and --answers, for a FHIR Bundle and a native file."""

import json
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "patient.yaml")
AS_OF = ["--as-of", "2026-11-23"]
TRIAL = "NCT07245251"

BUNDLE = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1990-04-17"}},
        {
            "resource": {
                "resourceType": "Observation",
                "id": "hb",
                "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
                "subject": {"reference": "Patient/p1"},
                "effectiveDateTime": "2021-03-02",
                "valueQuantity": {"value": 12.1, "unit": "g/dL", "system": "http://unitsofmeasure.org", "code": "g/dL"},
            }
        },
    ],
}
ANSWERS = """\
- {trial: nct07245251, criterion: INC-01, answer: "yes", by: Dr. A. Investigator, date: 2026-11-18}
- {trial: NCT07245251, criterion: EXC-19, answer: "no", by: Dr. A. Investigator}
"""


@pytest.fixture
def bundle(tmp_path) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(BUNDLE), encoding="utf-8")
    return str(path)


@pytest.fixture
def answers(tmp_path) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return str(path)


def screen_json(capsys, *args: str) -> dict:
    assert main(["screen", *args, *AS_OF, "--format", "json"]) == 0, capsys.readouterr().err
    [result] = json.loads(capsys.readouterr().out)
    return result


def reviews(result: dict) -> int:
    return sum(c["verdict"] == "needs-review" for c in result["criteria"])


def criterion(result: dict, cid: str) -> dict:
    return next(c for c in result["criteria"] if c["id"] == cid)


def test_a_fhir_bundle_with_dates_complete_history_and_answers_reaches_more_verdicts(capsys, bundle, answers):
    before = screen_json(capsys, bundle, "--trial", TRIAL)
    options = ["--reference-date", "screening=2026-11-20", "--reference-date", "first_dose=2026-11-25"]
    after = screen_json(
        capsys, bundle, "--trial", TRIAL, *options, "--complete", "conditions,therapies", "--answers", answers
    )
    assert reviews(after) < reviews(before)
    inc01 = criterion(after, "INC-01")
    assert inc01["verdict"] == "eligible" and inc01["evidence"][0]["source"] == f"{answers}[0]"
    assert criterion(after, "EXC-01")["verdict"] == "eligible"  # CNS leukemia: none in the complete history
    assert criterion(before, "EXC-01")["verdict"] == "needs-review"
    # the bundle's patient is ruled out on criteria the data settles:
    # renewing the 2021 results would change nothing, so no result is named as too old; the record's age is
    assert after["overall"] == "ineligible"
    assert not any("is older than" in w for w in after["warnings"])
    assert any(w.startswith("the newest record is from 2021-03-02, 5 years before") for w in after["warnings"])


def test_the_options_work_for_a_native_file_and_say_what_they_replace(capsys, answers):
    result = screen_json(
        capsys, EXAMPLE, "--trial", TRIAL, "--reference-date", "screening=2026-11-21", "--answers", answers
    )
    assert (
        "reference date screening: 2026-11-21 given for this screening replaces 2026-11-20 from the patient record"
        in result["warnings"]
    )
    # the file's answer and the record's agree: still eligible, both named
    sources = [e["source"] for e in criterion(result, "EXC-19")["evidence"]]
    assert sources == ["attestations[4]", f"{answers}[1]"] and result["overall"] == "eligible"


def test_complete_may_be_repeated(capsys, bundle):
    one = screen_json(capsys, bundle, "--trial", TRIAL, "--complete", "conditions,therapies")
    two = screen_json(capsys, bundle, "--trial", TRIAL, "--complete", "conditions", "--complete", "Therapies")
    assert one["criteria"] == two["criteria"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--reference-date", "screenin=2026-11-20"], "field '--reference-date': unknown reference date 'screenin'"),
        (["--reference-date", "randomisation=2026-11-20"], "(known: screening, consent, enrollment, first_dose)"),
        (["--reference-date", "screening"], "field '--reference-date': 'screening' is not NAME=YYYY-MM-DD"),
        (["--reference-date", "screening=2026-02-30"], "'2026-02-30' is not a calendar date"),
        (["--reference-date", "screening=2026-11"], "screening: '2026-11' is not one day (YYYY-MM-DD)"),
        (["--reference-date", "screening=20261120"], "screening: '20261120' is not a date"),
        (
            ["--reference-date", "first_dose=2026-12-01", "--reference-date", "first-dose=2026-12-02"],
            "first_dose is given twice (2026-12-01 and 2026-12-02)",
        ),
        (
            ["--reference-date", "screening=2026-11-24"],
            "field '--reference-date': screening date 2026-11-24 is after the as-of date 2026-11-23",
        ),
        (["--complete", "conditions,labs"], "field '--complete': unknown history domain 'labs'"),
        (["--complete", ""], "field '--complete': unknown history domain ''"),
        (["--answers", "missing.yaml"], "missing.yaml: cannot read file"),
    ],
)
def test_bad_options_exit_2_with_one_line_naming_the_option(capsys, bundle, options, message):
    assert main(["screen", bundle, *AS_OF, *options]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {trial: NCT07245251, criterion: INC-01, answer: 'yes'}\n", "field '[0].by': Field required"),
        ("- {trial: NCT07245251, criterion: INC-01, answer: 'yes', by: A, date: 2026-12-01}\n", "[0] field 'date'"),
        ("{trial: NCT07245251}\n", "expected a list of answers"),
        ("- [unclosed\n", ""),
    ],
)
def test_a_bad_answers_file_exits_2_naming_the_file_and_item(capsys, bundle, tmp_path, text, message):
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["screen", bundle, *AS_OF, "--answers", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}") and message in err and err.count("\n") == 1


def test_answers_for_an_unknown_trial_or_criterion_are_warnings(capsys, bundle, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "- {trial: NCT00000000, criterion: INC-01, answer: 'yes', by: A}\n"
        "- {trial: NCT07245251, criterion: INC-99, answer: 'yes', by: A}\n"
    )
    result = screen_json(capsys, bundle, "--trial", TRIAL, "--answers", str(path))
    assert f"{path}[0]: no ruleset for trial NCT00000000; the answer is not used" in result["warnings"]
    assert f"{path}[1]: NCT07245251 has no criterion INC-99; the answer is not used" in result["warnings"]


def test_trial_ids_match_in_any_case_in_screen_and_batch(capsys, tmp_path):
    assert screen_json(capsys, EXAMPLE, "--trial", "nct07245251")["trial"] == TRIAL
    out = tmp_path / "out.jsonl"
    assert main(["batch", EXAMPLE, *AS_OF, "--trial", "nct07245251", "--out", str(out)]) == 0
    [line] = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["trial"] for r in line["results"]] == [TRIAL]


def test_help_mentions_fhir_and_the_options(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["screen", "--help"]) == 0
    text = capsys.readouterr().out
    for word in ("FHIR R4 Bundle", "--reference-date", "NAME=YYYY-MM-DD", "first_dose", "--complete", "--answers"):
        assert word in text, word
