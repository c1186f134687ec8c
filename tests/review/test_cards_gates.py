"""Cards only for trials a patient is not ruled out of: a settled exclusion, an absent disease or a needs-review
criterion can never end in a card that says (or suggests) more than the screening found."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from service.records import BUNDLES, load_bundle

from engine.fhir import patient_from_bundle
from engine.render.cds_hooks import render_cards
from engine.screening import Screener

from .records import candidate_bundle, hcv_positive, refuted_disease

AS_OF = date(2026, 12, 1)
TRIAL = "NCT07245251"


def _screen(screener: Screener, bundle: dict):
    patient = patient_from_bundle(bundle, source="test", vocabulary=screener.vocabulary)
    results = screener.screen(patient, as_of=AS_OF)
    return results, render_cards(results, catalog=screener.catalog, report_url="https://x.test/reports/t")["cards"]


def _with(bundle: dict, *extra: dict) -> dict:
    out = copy.deepcopy(bundle)
    out["entry"] += [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in extra]
    return out


def _card_trials(cards: list[dict]) -> set[str]:
    return {card["source"]["url"].rsplit("/", 1)[-1] for card in cards}


def test_the_candidate_gets_a_card_for_the_trial(screener):
    results, cards = _screen(screener, candidate_bundle("c1"))
    assert _card_trials(cards) == {TRIAL} and next(r for r in results if r.trial == TRIAL).gates == "open"


def test_a_settled_exclusion_means_no_card(screener):
    results, cards = _screen(screener, _with(candidate_bundle("c2"), hcv_positive("c2", "urn:uuid:c2")))
    result = next(r for r in results if r.trial == TRIAL)
    assert result.criterion("EXC-08c").verdict == "ineligible" and result.overall == "ineligible"
    assert cards == []


def test_a_disease_recorded_absent_means_no_card(screener):
    results, cards = _screen(screener, refuted_disease(candidate_bundle("c3")))
    result = next(r for r in results if r.trial == TRIAL)
    assert result.gates == "not met" and not result.candidate
    assert cards == []


def test_a_deceased_patient_gets_no_trial_card_or_one_that_says_so(screener):
    bundle = candidate_bundle("c4")
    bundle["entry"][0]["resource"]["deceasedDateTime"] = "2026-10-01"
    results, cards = _screen(screener, bundle)
    assert cards == [] and not any(r.candidate for r in results)
    assert all("the patient is recorded as deceased: no trial is offered" in r.warnings for r in results)


def _all_records() -> list[dict]:
    return [load_bundle(name) for name in BUNDLES] + [candidate_bundle("c5"), candidate_bundle("c6", 20.0)]


@pytest.mark.parametrize("bundle", _all_records(), ids=[*BUNDLES, "candidate", "candidate-high-hb"])
def test_an_eligible_card_only_when_no_criterion_needs_review(screener, bundle):
    results, cards = _screen(screener, bundle)
    by_trial = {r.trial: r for r in results}
    for card in cards:
        result = by_trial[card["source"]["url"].rsplit("/", 1)[-1]]
        assert result.candidate and result.overall != "ineligible"
        pending = [c.id for c in result.criteria if c.verdict != "eligible"]
        assert (card["indicator"] == "info") == (not pending), (result.trial, card["indicator"], pending[:5])
        assert "eligible" not in card["summary"].lower() or not pending
    assert _card_trials(cards) == {r.trial for r in results if r.candidate}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory()
