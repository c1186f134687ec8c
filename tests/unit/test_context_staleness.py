"""Data-age warnings: results older than the windows a trial reads them through, and records years old."""

from datetime import date
from pathlib import Path

import pytest
import yaml

from engine import Screener, ScreeningContext
from engine.facts.model import DerivedRequest
from engine.facts.staleness import calculator_observations
from engine.results import to_jsonable
from engine.rules.loader import ruleset_from_text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "fhir"
AS_OF = date(2026, 11, 23)
TRIAL = "NCT07245251"

RULES = """\
trial: NCT00000003
title: windows
source: test
version: "1"
defaults:
  observations within: 28 days before screening
criteria:
  - {id: INC-01, kind: inclusion, text: Hb at least 9, require: hemoglobin >= 9 g/dL}
  - {id: INC-02, kind: inclusion, text: Hb at most 20, require: hemoglobin <= 20 g/dL}
  - {id: INC-03, kind: inclusion, text: Hb in the week, require: hemoglobin >= 8 g/dL within 1 week before first dose}
  - {id: INC-04, kind: inclusion, text: CrCl, require: creatinine clearance (Cockcroft-Gault) >= 60 mL/min}
"""


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


@pytest.fixture(scope="module")
def windows() -> Screener:
    return Screener([ruleset_from_text(RULES, "windows.yaml")])


def example() -> dict:
    return yaml.safe_load((ROOT / "examples" / "patient.yaml").read_text(encoding="utf-8"))


def stale(results) -> list[str]:
    return [w for r in results for w in r.warnings if ": the newest result (" in w]


def test_a_result_older_than_its_window_is_warned_about_once_in_words(screener):
    data = example()
    data["labs"] = [dict(lab, date="2021-03-02") if lab["code"] == "hemoglobin" else lab for lab in data["labs"]]
    [result] = screener.screen(data, as_of=AS_OF, trials=TRIAL)
    assert stale([result]) == [
        "hemoglobin: the newest result (2021-03-02) is older than the 28 days before screening that INC-07a needs"
    ]
    assert [r.kind for r in result.criterion("INC-07a").reasons] == ["stale"]  # the warning and the verdict agree
    [listed] = to_jsonable([result])  # every format reads the result's warnings
    assert stale([result])[0] in listed["warnings"]


def test_fresh_results_give_no_warning(screener):
    results = screener.screen(example(), as_of=AS_OF)
    assert stale(results) == [] and not any("the newest record" in w for r in results for w in r.warnings)


def test_several_criteria_and_windows_are_named_in_one_warning(windows):
    data = {
        "id": "p",
        "sex": "female",
        "birth_date": "1970-01-01",
        "reference_dates": {"screening": "2026-11-20", "first_dose": "2026-11-25"},
        "labs": [
            {"code": "hemoglobin", "value": 11, "unit": "g/dL", "date": "2026-09-01"},
            {"code": "creatinine", "value": 0.9, "unit": "mg/dL", "date": "2026-11-01"},
        ],
        "measurements": [{"code": "body weight", "value": 60, "unit": "kg", "date": "2026-10-01"}],
    }
    [result] = windows.screen(data, as_of=AS_OF)
    assert stale([result]) == [
        "hemoglobin: the newest result (2026-09-01) is older than the 28 days before screening that INC-01 and "
        "INC-02 need and the week before first dose that INC-03 needs",
        # a calculator's inputs are read through its criterion's window too
        "body weight: the newest result (2026-10-01) is older than the 28 days before screening that INC-04 needs",
    ]


def test_an_undated_or_newer_result_is_left_to_the_review(windows):
    base = {"id": "p", "reference_dates": {"screening": "2026-11-20", "first_dose": "2026-11-25"}}
    old = {"code": "hemoglobin", "value": 11, "unit": "g/dL", "date": "2026-01-01"}
    undated = {"code": "hemoglobin", "value": 11, "unit": "g/dL"}
    assert stale(windows.screen(base | {"labs": [old, undated]}, as_of=AS_OF)) == []
    newer = dict(old, date="2026-11-22")  # after the screening: not inside its window, not older than it either
    assert stale(windows.screen(base | {"labs": [old, newer]}, as_of=AS_OF)) == []


def test_a_window_counted_from_a_date_not_given_warns_only_when_old_whatever_the_date(windows):
    # No first dose given: it lies on or after the as-of date, so a result older than a week before the as-of
    # date is stale wherever it falls; one inside that week may or may not be.
    base = {"id": "p", "reference_dates": {"screening": "2026-11-20"}}
    lab = {"code": "hemoglobin", "value": 11, "unit": "g/dL"}
    [old] = windows.screen(base | {"labs": [lab | {"date": "2026-11-10"}]}, as_of=AS_OF)
    assert stale([old]) == [
        "hemoglobin: the newest result (2026-11-10) is older than the week before first dose that INC-03 needs"
    ]
    [recent] = windows.screen(base | {"labs": [lab | {"date": "2026-11-19"}]}, as_of=AS_OF)
    assert stale([recent]) == []


def test_a_record_years_old_is_warned_about_once_per_result(screener):
    results = screener.screen(example(), as_of=date(2029, 1, 10))
    for r in results:
        [old] = [w for w in r.warnings if w.startswith("the newest record")]
        assert old == (
            "the newest record is from 2026-11-27, 2 years before the as-of date 2029-01-10: newer results, "
            "diagnoses or therapies may be missing"
        )
        assert len(r.warnings) == len(set(r.warnings))
    # the prednisone course ends on 2026-11-27: the newest record
    [one] = screener.screen(example(), as_of=date(2027, 11, 27), trials=TRIAL)
    assert "the newest record is from 2026-11-27, 1 year before the as-of date 2027-11-27" in one.warnings[0]
    [none] = screener.screen(example(), as_of=date(2027, 11, 26), trials=TRIAL)
    assert not any(w.startswith("the newest record") for w in none.warnings)


def test_a_reference_date_given_in_the_context_moves_the_warnings(screener):
    context = ScreeningContext(reference_dates={"screening": date(2026, 12, 30), "first_dose": date(2027, 1, 5)})
    [result] = screener.screen(example(), as_of=date(2027, 1, 2), trials=TRIAL, context=context)
    warned = {w.split(":")[0] for w in stale([result])}
    assert {"hemoglobin", "platelets", "ALT", "AST"} <= warned
    assert all("INC-" in w or "EXC-" in w for w in stale([result]))


def test_every_calculator_a_ruleset_uses_names_its_observations(screener):
    names = {r.name for rs in screener.rulesets.values() for r in rs.requests if isinstance(r, DerivedRequest)}
    for name in names - {"age"}:
        codes = calculator_observations(name)
        assert codes and all(c in screener.catalog.observations for c in codes), name


BUNDLES = sorted(DATA.glob("*.json"))


@pytest.mark.skipif(not BUNDLES, reason=f"shared FHIR test bundles not found at {DATA}")
def test_every_stale_review_of_a_result_has_its_warning_while_the_trial_is_open(screener):
    labels = {o.label for o in screener.catalog.observations.values()}
    seen = 0
    for path in BUNDLES:
        for r in screener.screen(path, as_of=AS_OF):
            warnings = stale([r])
            if r.overall == "ineligible":  # ruled out on settled criteria: renewing old data changes nothing
                assert not warnings
                continue
            assert len(warnings) == len(set(warnings))
            for c in r.criteria:
                for reason in c.reasons:
                    if reason.kind == "stale" and reason.fact in labels:
                        seen += 1
                        assert any(w.startswith(f"{reason.fact}: ") and c.id in w for w in warnings), (r.trial, c.id)
    assert seen > 20  # the Synthea bundles' results are years old
