"""A condition considered but not confirmed (provisional, differential) neither establishes nor rules out."""

from datetime import date

import pytest
from ruleset_text import text_of

from engine import Screener

AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def screener(tmp_path_factory) -> Screener:
    folder = tmp_path_factory.mktemp("rulesets")
    (folder / "NCT00000001.yaml").write_text(
        text_of(
            """
            - {id: EXC-01, kind: exclusion, text: Epilepsy, exclude if: has epilepsy}
            - {id: EXC-02, kind: exclusion, text: CNS disease, exclude if: has CNS disease}
            """
        )
    )
    return Screener.from_directory(folder)


def _verdicts(screener: Screener, *conditions: dict) -> dict[str, str]:
    patient = {"id": "p", "complete_history": ["conditions"], "conditions": list(conditions)}
    return {c.id: c.verdict for c in screener.screen(patient, as_of=AS_OF)[0].criteria}


def test_a_suspected_condition_in_a_complete_history_is_not_absent(screener):
    verdicts = _verdicts(screener, {"code": "epilepsy", "status": "suspected", "id": "dx-1"})
    assert verdicts == {"EXC-01": "needs-review", "EXC-02": "needs-review"}  # nor is its parent class ruled out


def test_the_review_says_it_is_suspected_and_what_settles_it(screener):
    result = screener.screen(
        {"id": "p", "complete_history": ["conditions"], "conditions": [{"code": "epilepsy", "status": "suspected"}]},
        as_of=AS_OF,
    )[0]
    (reason,) = result.criterion("EXC-01").reasons
    assert reason.kind == "ambiguous" and "suspected, not confirmed" in reason.message
    assert reason.settle.startswith("whether epilepsy") and reason.settle.endswith("is confirmed")


def test_a_confirmed_record_beside_a_suspected_one_decides(screener):
    verdicts = _verdicts(
        screener, {"code": "epilepsy", "status": "suspected"}, {"code": "epilepsy", "status": "present"}
    )
    assert verdicts["EXC-01"] == "ineligible"


def test_a_suspected_unrelated_condition_leaves_the_complete_history_complete(screener):
    assert _verdicts(screener, {"code": "hypertension", "status": "suspected"}) == {
        "EXC-01": "eligible",
        "EXC-02": "eligible",
    }
