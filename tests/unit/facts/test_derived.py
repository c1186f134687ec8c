"""Every calculator in the catalog is reachable from a ruleset by name, and gives the published numbers
through the engine (units converted on the way in), with its inputs as evidence."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.catalog import get_catalog
from engine.facts.extract import PatientIndex, extract_facts
from engine.facts.model import Range
from engine.patient import patient_from_data
from engine.rules.language import parse_sentence

AS_OF = date(2026, 11, 20)


def fact(sentence: str, **patient):
    cat = get_catalog()
    node = parse_sentence(cat, sentence)
    data = {"id": "p", "reference_dates": {"screening": AS_OF}} | patient
    return extract_facts(PatientIndex(patient_from_data(data), cat, AS_OF), [node.request], "T")[node.request]


def labs(**values):
    units = {"creatinine": "mg/dL", "weight": "kg", "height": "cm", "qt": "ms", "heart_rate": "bpm"}
    return [
        {
            "code": k,
            "value": v[0] if isinstance(v, tuple) else v,
            "unit": v[1] if isinstance(v, tuple) else units[k],
            "date": AS_OF,
        }
        | ({"event": "ecg-1"} if k in ("qt", "heart_rate") else {})  # QT pairs only with its own ECG's rate
        for k, v in values.items()
    ]


def born(age: int) -> str:
    return f"{AS_OF.year - age - 1}-12-31"


def test_every_derived_fact_in_the_catalog_has_a_calculator():
    cat = get_catalog()
    everything = {
        "sex": "female",
        "birth_date": born(50),
        "race": "White",
        "labs": labs(creatinine=1.0, weight=70, height=170, qt=400, heart_rate=60)
        + [
            {"code": "PSA", "value": v, "unit": "ng/mL", "date": d}
            for v, d in ((2.1, "2026-09-01"), (2.5, "2026-09-10"), (3.0, "2026-09-20"))
        ]
        + [
            {"code": c, "value": v, "unit": u, "date": AS_OF}
            for c, v, u in (("total bilirubin", 1.0, "mg/dL"), ("albumin", 4.0, "g/dL"), ("INR", 1.0, "1"))
        ]
        + [
            {"code": "ascites", "value": "none", "date": AS_OF},
            {"code": "hepatic encephalopathy", "value": "none", "date": AS_OF},
        ],
    }
    for key, d in cat.derived.items():
        sentence = (
            f"has {d.label}" if d.flag else f"{d.label} is {d.values[0]}" if d.values else f"{d.label} > 0 {d.unit}"
        )
        f = fact(sentence, **everything)
        assert f.value is not None, (key, f.reason)


@pytest.mark.parametrize(
    ("sex", "age", "weight", "creatinine", "expected"),
    [
        ("male", 65, 70, (1.4, "mg/dL"), 52.1),
        ("female", 45, 60, (0.9, "mg/dL"), 74.8),
        ("male", 60, 80, (1.2, "mg/dL"), 74.1),
        ("male", 65, 70, (123.76, "µmol/L"), 52.1),
    ],
)
def test_cockcroft_gault_published_checks_through_the_engine(sex, age, weight, creatinine, expected):
    # Checks from shared/notes/clinical-references.md (Cockcroft & Gault 1976); the last gives Scr in µmol/L.
    f = fact(
        "creatinine clearance (Cockcroft-Gault) >= 60 mL/min",
        sex=sex,
        birth_date=born(age),
        labs=labs(creatinine=creatinine, weight=(weight, "kg")),
    )
    assert f.value == pytest.approx(expected, abs=0.05)
    assert {e.source for e in f.evidence} >= {"labs[0]", "labs[1]", "birth_date", "sex"}


def test_missing_input_names_it():
    f = fact(
        "creatinine clearance (Cockcroft-Gault) >= 60 mL/min",
        sex="male",
        birth_date=born(60),
        labs=labs(creatinine=1.2),
    )
    assert f.value is None and f.reason.kind == "missing" and "body weight" in f.reason.message


def test_impossible_input_is_ambiguous_never_a_number():
    f = fact("QTcB >= 480 ms", labs=labs(qt=400, heart_rate=(0.0, "bpm")))
    assert f.value is None and f.reason.kind == "ambiguous"


def test_bazett_from_qt_and_heart_rate():
    # RR = 60/75 = 0.8 s; QTcB = 400 / sqrt(0.8) = 447.2 ms
    assert fact("QTcB >= 480 ms", labs=labs(qt=400, heart_rate=75)).value == pytest.approx(447.2, abs=0.05)


def test_mdrd_race_unknown_is_a_range_with_its_reason():
    f = fact("eGFR (MDRD) >= 50 mL/min/1.73m2", sex="male", birth_date=born(60), labs=labs(creatinine=1.5))
    assert isinstance(f.value, Range) and f.value.high == pytest.approx(f.value.low * 1.212, rel=1e-4)
    assert f.reason.fact == "race"


@settings(max_examples=60, deadline=None)
@given(st.floats(0.4, 4.0), st.floats(0.4, 4.0))
def test_clearance_falls_as_creatinine_rises_and_ignores_the_unit(a, b):
    lo, hi = sorted((round(a, 2), round(b, 2)))
    common = {"sex": "female", "birth_date": born(50)}
    at_lo = fact(
        "creatinine clearance (Cockcroft-Gault) >= 60 mL/min", **common, labs=labs(creatinine=lo, weight=70)
    ).value
    at_hi = fact(
        "creatinine clearance (Cockcroft-Gault) >= 60 mL/min", **common, labs=labs(creatinine=hi, weight=70)
    ).value
    in_si = fact(
        "creatinine clearance (Cockcroft-Gault) >= 60 mL/min",
        **common,
        labs=labs(creatinine=(lo * 88.4016973, "µmol/L"), weight=(70000, "g")),
    ).value
    assert at_lo >= at_hi
    assert in_si == pytest.approx(at_lo, rel=1e-5)
