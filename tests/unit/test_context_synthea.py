"""Synthea bundles reach verdicts once a coordinator gives the reference dates and declares the history complete.

Giving information never unsettles a verdict (Kleene logic; reference dates inside the span the engine
assumed), and every criterion that turns eligible owes it to what was given: the complete history (its
explanation cites it) or a reference date that was missing (its review asked for that date).
"""

from datetime import date
from pathlib import Path

import pytest

from engine import Screener, ScreeningContext, TrialResult

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "fhir"
SYNTHEA = sorted(p for p in DATA.glob("*.json") if not p.name.startswith("mcode"))

pytestmark = pytest.mark.skipif(not SYNTHEA, reason=f"shared Synthea bundles not found at {DATA}")

# Milton509's results are of 2020-11 and 2020-12: screened then, the 28-day windows hold them; today, none do.
SCENARIOS = {
    "when the results were new": (date(2020, 12, 10), date(2020, 12, 14), date(2020, 12, 16)),
    "today": (date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 1)),
}
COMPLETE = frozenset({"conditions", "therapies"})


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


def reviews(result: TrialResult) -> int:
    return sum(c.verdict == "needs-review" for c in result.criteria)


def given(as_of: date, enrollment: date, first_dose: date) -> ScreeningContext:
    dates = {"screening": as_of, "enrollment": enrollment, "first_dose": first_dose}
    return ScreeningContext(reference_dates=dates, complete_history=COMPLETE)


def explained(before, after) -> bool:
    """An eligible verdict that was a review: by the complete history, or by a reference date it lacked."""
    by_history = "complete condition history" in after.explanation or "complete therapy history" in after.explanation
    by_date = any(r.settle in ("the enrollment date", "the first dose date") for r in before.reasons)
    return by_history or by_date


# Every bundle today; Milton509 also when its results were new (the others record diagnoses after that day).
CASES = [(p, "today") for p in SYNTHEA] + [(p, "when the results were new") for p in SYNTHEA if "Milton509" in p.name]


def case_id(x: object) -> str:
    return x.name.split("_")[0] if isinstance(x, Path) else str(x)


@pytest.mark.parametrize(("bundle", "scenario"), CASES, ids=case_id)
def test_reference_dates_and_complete_history_settle_reviews_and_nothing_else(screener, bundle, scenario):
    as_of, enrollment, first_dose = SCENARIOS[scenario]
    before = screener.screen(bundle, as_of=as_of)
    after = screener.screen(bundle, as_of=as_of, context=given(as_of, enrollment, first_dose))
    assert [reviews(a) for a in after] != [reviews(b) for b in before]
    for b, a in zip(before, after, strict=True):
        assert reviews(a) <= reviews(b), b.trial
        for cb, ca in zip(b.criteria, a.criteria, strict=True):
            if cb.verdict != "needs-review":
                assert ca.verdict == cb.verdict, (b.trial, cb.id, ca.explanation)
            elif ca.verdict == "eligible":
                assert explained(cb, ca), (b.trial, cb.id, cb.explanation, ca.explanation)
    assert sum(map(reviews, after)) < 0.7 * sum(map(reviews, before))


def test_the_dates_alone_settle_the_windows_counted_from_them(screener):
    milton = next(p for p in SYNTHEA if p.name.startswith("Milton509"))
    as_of, enrollment, first_dose = SCENARIOS["when the results were new"]
    dates = ScreeningContext(reference_dates={"screening": as_of, "enrollment": enrollment, "first_dose": first_dose})
    [before] = screener.screen(milton, as_of=as_of, trials="NCT07333573")
    [after] = screener.screen(milton, as_of=as_of, trials="NCT07333573", context=dates)
    settled = {c.id for c, d in zip(before.criteria, after.criteria, strict=True) if c.verdict != d.verdict}
    # the blood counts and chemistry "within 28 days before enrollment": 2020-12-02 results, enrollment given
    assert {"INC-08a", "INC-08b", "INC-08c", "INC-08d", "INC-08e", "INC-08f"} <= settled
    assert all(after.criterion(cid).verdict != "needs-review" for cid in settled)
