"""'highest <result> ever' reads every result on record: a history is not hidden by a normal latest value."""

from __future__ import annotations

from datetime import date

import pytest

from engine import RulesetError, Screener
from engine.rules.loader import ruleset_from_text

RULESET = """
trial: NCT00000001
title: history of a result
source: test
version: "1"
defaults:
  observations within: 28 days before screening
criteria:
  - id: EXC-01
    kind: exclusion
    text: History of QT interval prolongation
    exclude if: {sentence}
"""
AS_OF = date(2026, 11, 20)


def _screen(sentence: str, *qtc: tuple[float, str | None]) -> tuple[str, str]:
    screener = Screener([ruleset_from_text(RULESET.format(sentence=sentence), "history.yaml")])
    measurements = [{"code": "QTc", "value": v, "unit": "ms", **({"date": d} if d else {})} for v, d in qtc]
    result = screener.screen({"id": "p", "measurements": measurements}, as_of=AS_OF)[0].criteria[0]
    return result.verdict, result.explanation


def test_a_prolonged_qtc_last_year_still_excludes_after_a_normal_one():
    verdict, why = _screen("highest reported QTc interval ever > 470 ms", (530, "2025-05-10"), (420, "2026-11-15"))
    assert verdict == "ineligible"
    assert "ever > 470 ms: yes (530 ms dated 2025-05-10 (measurements[0]), of 2 results)" in why


def test_the_default_window_does_not_apply_to_a_history():
    assert _screen("highest reported QTc interval ever > 470 ms", (430, "2020-01-01"))[0] == "eligible"


def test_an_undated_result_counts_for_ever():
    assert _screen("highest reported QTc interval ever > 470 ms", (420, "2026-11-15"), (500, None))[0] == "ineligible"


def test_an_unusable_result_leaves_the_history_open():
    verdict, why = _screen("highest reported QTc interval ever > 470 ms", (420, "2026-11-15"), (5000, "2024-01-01"))
    assert verdict == "needs-review" and "outside the possible range" in why


def test_no_result_is_missing():
    verdict, why = _screen("highest reported QTc interval ever > 470 ms")
    assert verdict == "needs-review"
    assert "highest reported QTc interval ever > 470 ms: unknown (no result on record)" in why


def test_the_lowest_reads_the_other_end():
    assert (
        _screen("lowest reported QTc interval ever < 400 ms", (390, "2019-03-01"), (450, "2026-11-15"))[0]
        == "ineligible"
    )


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("highest reported QTc interval ever > 470 ms within 3 months before screening", "takes no window"),
        ("highest age ever > 3 years", "age is computed"),
        ("highest ALT ever > 2 x ULN", "not × ULN"),
        ("highest reported QTc interval ever is high", "unknown fact"),
        ("highest reported QTc interval ever = 470 ms", "never exact"),
    ],
)
def test_what_a_history_sentence_cannot_say_is_a_ruleset_error(sentence, problem):
    with pytest.raises(RulesetError, match=problem):
        ruleset_from_text(RULESET.format(sentence=sentence), "history.yaml")
