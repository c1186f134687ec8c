"""Ranged eGFR (race unknown), Child-Pugh from parts, PSA rises, half-life washouts, "receiving", ordinal scales."""

from datetime import date

import pytest

from engine import Screener
from engine.rules.loader import ruleset_from_text

AS_OF = date(2026, 11, 20)

RULES = """\
trial: NCT00000002
title: extensions
source: test
version: "1"
defaults:
  observations within: 28 days before screening
criteria:
  - {id: INC-01, kind: inclusion, text: eGFR by MDRD at least 50, require: "eGFR (MDRD) >= 50 mL/min/1.73m2"}
  - {id: EXC-01, kind: exclusion, text: Child-Pugh class C, exclude if: Child-Pugh class is C}
  - {id: INC-02, kind: inclusion, text: PSA progression, require: has PSA progression}
  - id: EXC-02
    kind: exclusion
    text: Anticancer therapy within 28 days or 5 half-lives prior to consent (whichever is longer)
    exclude if: received chemotherapy within 28 days or 5 half-lives before consent
  - {id: EXC-03, kind: exclusion, text: Currently receiving steroids, exclude if: receiving systemic corticosteroid}
  - id: INC-03
    kind: inclusion
    text: AXL positivity ≥50% with staining intensity ≥++
    require: {all: [AXL positivity rate >= 50 %, AXL staining intensity >= ++]}
"""


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener([ruleset_from_text(RULES, "extensions.yaml")])


def verdict(screener: Screener, cid: str, **patient) -> tuple[str, str]:
    data = {"id": "p", "reference_dates": {"screening": AS_OF, "consent": date(2026, 11, 18)}} | patient
    c = screener.screen(data, as_of=AS_OF)[0].criterion(cid)
    return c.verdict, c.explanation + " | " + "; ".join(r.message for r in c.reasons)


def creatinine(value: float) -> list[dict]:
    return [{"code": "creatinine", "value": value, "unit": "mg/dL", "date": AS_OF}]


# 60-year-old man: MDRD 175 × 1.5^-1.154 × 60^-0.203 = 47.7 (non-Black) and 57.9 (× 1.212, Black): straddles
# 50. With creatinine 1.2: 61.8 and 74.9, both ≥ 50.
@pytest.mark.parametrize(
    ("scr", "race", "expected"),
    [(1.2, None, "eligible"), (1.5, None, "needs-review"), (1.5, "White", "ineligible"), (1.5, "Black", "eligible")],
)
def test_mdrd_race_unknown_decides_only_when_both_branches_agree(screener, scr, race, expected):
    p = {"sex": "male", "birth_date": "1966-05-01", "labs": creatinine(scr)} | ({"race": race} if race else {})
    got, why = verdict(screener, "INC-01", **p)
    assert got == expected, why
    if race is None:
        assert "race" in why and "not recorded" in why


def test_child_pugh_partial_inputs_decide_when_they_cannot_change_the_class(screener):
    severe = [
        {"code": "total bilirubin", "value": 4.0, "unit": "mg/dL", "date": AS_OF},
        {"code": "albumin", "value": 2.5, "unit": "g/dL", "date": AS_OF},
        {"code": "INR", "value": 2.5, "unit": "1", "date": AS_OF},
        {"code": "ascites", "value": "moderate-severe", "date": AS_OF},
    ]
    got, why = verdict(screener, "EXC-01", labs=severe)  # 12 points + encephalopathy 1-3: class C regardless
    assert got == "ineligible" and "Child-Pugh class is C: yes (class C: 13-15 points" in why
    got, why = verdict(screener, "EXC-01", labs=severe[:2])  # 6 points known, 3 parts missing: 9-15 points
    assert got == "needs-review" and "could be more than one class" in why


def psa(*points: tuple[str, float]) -> list[dict]:
    return [{"code": "PSA", "value": v, "unit": "ng/mL", "date": d} for d, v in points]


def test_psa_progression_two_rises_a_week_apart_from_2(screener):
    rising = psa(("2026-10-20", 2.1), ("2026-10-30", 2.6), ("2026-11-10", 3.4))
    assert verdict(screener, "INC-02", labs=rising)[0] == "eligible"
    too_close = psa(("2026-10-20", 2.1), ("2026-10-24", 2.6), ("2026-11-10", 3.4))
    assert verdict(screener, "INC-02", labs=too_close)[0] == "ineligible"
    low_start = psa(("2026-10-20", 1.5), ("2026-10-30", 2.6), ("2026-11-10", 3.4))
    assert verdict(screener, "INC-02", labs=low_start)[0] == "ineligible"
    got, why = verdict(screener, "INC-02", labs=rising[:2])
    assert got == "needs-review" and "at least three" in why


@pytest.mark.parametrize(
    ("drug", "days_before_consent", "half_life", "expected"),
    [
        ("fludarabine", 20, None, "ineligible"),  # inside 28 days whatever the half-life
        ("fludarabine", 40, None, "needs-review"),  # outside 28 days, but 5 unknown half-lives may be longer
        ("fludarabine", 40, 10.0, "ineligible"),  # half-life on the record: 50 days
        ("fludarabine", 40, 1.0, "eligible"),  # 5 half-lives = 5 days: 28 days is longer
    ],
)
def test_days_or_half_lives_whichever_is_longer(screener, drug, days_before_consent, half_life, expected):
    end = date.fromordinal(date(2026, 11, 18).toordinal() - days_before_consent)
    therapy = {"name": drug, "start": end, "end": end} | ({"half_life_days": half_life} if half_life else {})
    got, why = verdict(screener, "EXC-02", therapies=[therapy], complete_history=["therapies"])
    assert got == expected, why


def test_receiving_means_ongoing_now(screener):
    on = [{"name": "prednisone", "start": "2026-10-01", "ongoing": True, "route": "oral"}]
    off = [{"name": "prednisone", "start": "2026-10-01", "end": "2026-10-20", "route": "oral"}]
    assert verdict(screener, "EXC-03", therapies=on, complete_history=["therapies"])[0] == "ineligible"
    assert verdict(screener, "EXC-03", therapies=off, complete_history=["therapies"])[0] == "eligible"
    assert verdict(screener, "EXC-03", therapies=off)[0] == "needs-review"


@pytest.mark.parametrize(
    ("intensity", "expected"), [("+++", "eligible"), ("++", "eligible"), ("+", "ineligible"), ("+/-", "needs-review")]
)
def test_staining_intensity_is_compared_by_rank(screener, intensity, expected):
    labs = [
        {"code": "AXL positivity rate", "value": 60, "unit": "%", "date": AS_OF},
        {"code": "AXL staining intensity", "value": intensity, "date": AS_OF},
    ]
    assert verdict(screener, "INC-03", labs=labs)[0] == expected


def test_at_any_time_overrides_the_default_window():
    rs = ruleset_from_text(
        RULES.replace(
            "criteria:\n",
            "criteria:\n  - {id: INC-09, kind: inclusion, text: CD73 ever positive enough,"
            " require: CD73 positivity rate >= 30 % at any time}\n",
            1,
        ),
        "any-time.yaml",
    )
    screener = Screener([rs])
    old = [{"code": "CD73 positivity rate", "value": 40, "unit": "%", "date": "2024-01-10"}]
    data = {"id": "p", "reference_dates": {"screening": AS_OF}, "labs": old}
    c = screener.screen(data, as_of=AS_OF)[0].criterion("INC-09")
    assert c.verdict == "eligible" and "at any time" in c.explanation


def test_a_therapy_with_only_an_end_date_still_falls_in_its_window(screener):
    data = {
        "id": "p",
        "reference_dates": {"screening": AS_OF, "consent": date(2026, 11, 18)},
        "therapies": [{"name": "fludarabine", "end": "2026-11-01"}],
        "complete_history": ["therapies"],
    }
    c = screener.screen(data, as_of=AS_OF)[0].criterion("EXC-02")
    assert c.verdict == "ineligible", c.explanation
