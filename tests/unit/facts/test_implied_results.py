"""A result of one observation that is also a result of another (a quantifiable HBV-DNA is a detectable one)."""

from __future__ import annotations

from datetime import date

import pytest

from engine.catalog import CatalogSpec, get_catalog
from engine.facts.extract import PatientIndex
from engine.facts.observations import observation
from engine.patient import patient_from_data

AS_OF = date(2026, 11, 20)


def _lod(*labs: dict):
    ix = PatientIndex(patient_from_data({"id": "p", "labs": list(labs)}), get_catalog(), AS_OF)
    return observation(ix, "hbv_dna_above_lod", None, False)


def test_a_newer_quantifiable_result_is_a_detectable_one():
    fact = _lod(
        {"code": "HBV DNA (LOD)", "value": "not detected", "date": "2026-10-25"},
        {"id": "q", "code": "HBV DNA", "value": "detected", "date": "2026-11-15"},
    )
    assert fact.value == "detected" and [e.source for e in fact.evidence] == ["q"]


def test_an_older_quantifiable_result_does_not_outvote_a_newer_undetectable_one():
    fact = _lod(
        {"code": "HBV DNA", "value": "detected", "date": "2026-10-25"},
        {"code": "HBV DNA (LOD)", "value": "not detected", "date": "2026-11-15"},
    )
    assert fact.value == "not detected"


def test_a_newer_measured_level_is_a_detectable_result():
    fact = _lod(
        {"code": "HBV DNA (LOD)", "value": "not detected", "date": "2026-11-05"},
        {"id": "level", "code": "HBV DNA level", "value": 150, "unit": "IU/mL", "date": "2026-11-15"},
    )
    assert fact.value == "detected" and [e.source for e in fact.evidence] == ["level"]


def test_a_level_of_zero_says_nothing_about_detection():
    fact = _lod({"code": "HBV DNA level", "value": 0, "unit": "IU/mL", "date": "2026-11-15"})
    assert fact.value is None and fact.reason.kind == "missing"


def test_below_quantification_says_nothing_about_detection():
    fact = _lod({"code": "HBV DNA", "value": "not detected", "date": "2026-11-15"})
    assert fact.value is None and fact.reason.kind == "missing"


def test_same_day_disagreement_is_a_review():
    fact = _lod(
        {"code": "HBV DNA (LOD)", "value": "not detected", "date": "2026-11-15"},
        {"code": "HBV DNA", "value": "detected", "date": "2026-11-15"},
    )
    assert fact.value is None and fact.reason.kind == "ambiguous"


@pytest.mark.parametrize(
    ("implied_by", "problem"),
    [({"no_such": "detected"}, "not a result"), ({"hbv_dna": "positive"}, "not a result")],
)
def test_an_implication_must_name_a_real_result(implied_by, problem):
    observations = {
        "hbv_dna": {"label": "HBV-DNA quantifiable", "values": ["detected", "not detected"]},
        "lod": {"label": "HBV-DNA detectable", "values": ["detected", "not detected"], "implied_by": implied_by},
    }
    spec = {"observations": observations, "derived": {}}
    with pytest.raises(ValueError, match=problem):
        CatalogSpec.model_validate(spec)
