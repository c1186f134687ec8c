"""Records that must not be read as a plain value: contained results, dates that are not the specimen's,
retracted versions, contradictory coded results, units that disagree, and subjects on another server."""

from __future__ import annotations

from fhir_builders import LOINC, SNOMED, bundle, cc, obs, patient, qty, read

from engine.fhir import patient_from_bundle

INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def _report(*contained, result=None, subject="Patient/p1", rid="r1"):
    return {
        "resourceType": "DiagnosticReport",
        "id": rid,
        "status": "final",
        "code": cc(LOINC, "58410-2"),
        "subject": {"reference": subject},
        "contained": list(contained),
        "result": result if result is not None else [{"reference": f"#{c['id']}"} for c in contained],
    }


def _inner(rid, loinc, value, unit, when="2026-11-20"):
    res = obs(rid, loinc, when=when, valueQuantity=qty(value, unit))
    del res["subject"]
    return res


# --- 1. contained results ---------------------------------------------------------------------------------


def test_a_result_contained_in_this_patients_report_is_read():
    p = read(obs("hb", "718-7", valueQuantity=qty(9.8, "g/dL")), _report(_inner("hb2", "718-7", 5.0, "g/dL")))
    assert sorted((o.value, str(o.date)) for o in p.labs) == [(5.0, "2026-11-20"), (9.8, "2026-11-01")]
    assert [o.id for o in p.labs if o.value == 5.0] == ["DiagnosticReport/r1#hb2"]


def test_a_result_contained_in_another_patients_report_is_not_read_and_is_listed():
    p = read(_report(_inner("hb2", "718-7", 5.0, "g/dL"), subject="Patient/p2"))
    assert p.labs == ()
    assert [u.source for u in p.unmapped] == ["DiagnosticReport/r1#hb2"]
    assert "not read" in (p.unmapped[0].display or "")


def test_a_result_contained_in_the_patient_is_listed_not_lost():
    p = read(pat=patient(contained=[_inner("hb2", "718-7", 5.0, "g/dL")]))
    assert [o.value for o in p.labs] == ["not read: contained in Patient/p1, not as a result of it that is read"]
    assert [u.source for u in p.unmapped] == ["Patient/p1#hb2"]
    assert "contained" in (p.unmapped[0].display or "")
    assert any("Patient/p1#hb2" in w and "not read" in w for w in p.warnings)


def test_a_result_contained_in_a_panel_but_not_a_member_is_listed():
    panel = obs("panel", "58410-2", contained=[_inner("hb2", "718-7", 5.0, "g/dL")])
    p = read(panel)
    assert all(isinstance(o.value, str) and o.value.startswith("not read") for o in p.labs)
    assert "Observation/panel#hb2" in [u.source for u in p.unmapped]


# --- 2. dates ---------------------------------------------------------------------------------------------


def _dated(**effective):
    res = obs("o1", "718-7", valueQuantity=qty(12, "g/dL"), issued="2026-11-22T10:00:00Z")
    del res["effectiveDateTime"]
    return read({**res, **effective}).labs[0]


def test_effective_period_end_and_timing_event_come_before_issued():
    assert str(_dated(effectivePeriod={"end": "2026-10-02"}).date) == "2026-10-02"
    timing = {"event": ["2026-09-01", "2026-09-30T08:00:00Z", "2026-09-15"]}
    assert str(_dated(effectiveTiming=timing).date) == "2026-09-30"


def test_issued_alone_is_not_a_specimen_date():
    res = obs("o1", "718-7", valueQuantity=qty(12, "g/dL"), issued="2026-11-22T10:00:00Z")
    del res["effectiveDateTime"]
    p = read(res)
    assert p.labs[0].date is None
    assert any("Observation/o1" in w and "issued" in w for w in p.warnings)


# --- 3. versions ------------------------------------------------------------------------------------------


def _version(status, value, **meta):
    return obs("o1", "718-7", status=status, valueQuantity=qty(value, "g/dL"), meta=meta)


def test_the_latest_version_is_honoured_by_version_id():
    p = read(_version("final", 12, versionId="1"), _version("entered-in-error", 12, versionId="2"))
    assert p.labs == ()
    p = read(_version("final", 5, versionId="10"), _version("final", 12, versionId="9"))
    assert [o.value for o in p.labs] == [5.0]


def test_the_latest_version_is_honoured_by_last_updated():
    p = read(
        _version("cancelled", 12, lastUpdated="2026-11-21T10:00:00Z"),
        _version("final", 12, lastUpdated="2026-11-20T10:00:00Z"),
    )
    assert p.labs == ()


def test_versions_that_cannot_be_ordered_are_not_read():
    p = read(_version("final", 12), _version("entered-in-error", 12))
    assert p.labs == ()
    assert any("Observation/o1" in w and "versions" in w for w in p.warnings)
    assert "Observation/o1" in [u.source for u in p.unmapped]


# --- 4. contradictory coded results ---------------------------------------------------------------------


def _hbsag(**value):
    return obs("s1", "5196-1", **value)


def _ambiguous(p) -> None:
    assert [o for o in p.labs if o.code == "hbsag"] == []
    assert "Observation/s1" in [u.source for u in p.unmapped]
    assert any("Observation/s1" in w and "contradict" in w for w in p.warnings)


def test_codings_that_disagree_are_ambiguous():
    concept = {"coding": [{"system": SNOMED, "code": "260385009"}, {"system": SNOMED, "code": "10828004"}]}
    _ambiguous(read(_hbsag(valueCodeableConcept=concept)))


def test_text_or_display_that_disagrees_with_the_code_is_ambiguous():
    _ambiguous(read(_hbsag(valueCodeableConcept=cc(SNOMED, "260385009", text="Positive"))))
    _ambiguous(read(_hbsag(valueCodeableConcept=cc(SNOMED, "260385009", display="Positive (qualifier value)"))))


def test_agreeing_code_and_text_are_read():
    p = read(_hbsag(valueCodeableConcept=cc(SNOMED, "260385009", display="Negative", text="negative")))
    assert [o.value for o in p.labs] == ["negative"]


def test_a_value_against_its_interpretation_is_ambiguous():
    _ambiguous(read(_hbsag(valueString="negative", interpretation=[cc(INTERPRETATION, "POS")])))
    p = read(_hbsag(valueString="negative", interpretation=[cc(INTERPRETATION, "NEG")]))
    assert [o.value for o in p.labs] == ["negative"]


def test_a_value_with_a_data_absent_reason_is_not_a_value():
    absent = cc("http://terminology.hl7.org/CodeSystem/data-absent-reason", "error")
    _ambiguous(read(_hbsag(valueString="negative", dataAbsentReason=absent)))
    p = read(obs("o1", "718-7", valueQuantity=qty(12, "g/dL"), dataAbsentReason=absent))
    assert p.labs == ()


# --- 5. units ---------------------------------------------------------------------------------------------


def test_a_quantity_whose_code_and_unit_disagree_is_not_read():
    p = read(obs("o1", "718-7", valueQuantity=qty(9.8, "g/dL", unit="g/L")))
    assert p.labs == ()
    assert any("Observation/o1" in w and "'g/dL'" in w and "'g/L'" in w for w in p.warnings)
    assert "Observation/o1" in [u.source for u in p.unmapped]


def test_a_display_unit_that_spells_the_code_differently_is_read():
    p = read(obs("o1", "777-3", valueQuantity=qty(64, "10*3/uL", unit="x10^3/uL")))
    assert [o.value for o in p.labs] == [64.0]
    p = read(obs("o1", "718-7", valueQuantity=qty(9.8, "g/dL", unit="g/dl")))
    assert [o.value for o in p.labs] == [9.8]


# --- 6. subject on another server ------------------------------------------------------------------------


def test_a_subject_on_another_server_is_not_this_patient():
    o = obs("o1", "718-7", valueQuantity=qty(9.8, "g/dL"))
    o["subject"] = {"reference": "http://other.example/fhir/Patient/p1"}
    p = read(o)
    assert p.labs == ()
    assert any("other.example" in w and "not read" in w for w in p.warnings)


def test_an_absolute_subject_on_the_patients_own_server_is_this_patient():
    data = bundle(obs("o1", "718-7", valueQuantity=qty(9.8, "g/dL")))
    data["entry"][0]["fullUrl"] = "https://ehr.example/fhir/Patient/p1"
    data["entry"][1]["resource"]["subject"] = {"reference": "https://ehr.example/fhir/Patient/p1/_history/3"}
    p = patient_from_bundle(data, source="t.json")
    assert [o.value for o in p.labs] == [9.8]
    data["entry"][1]["resource"]["subject"] = {"reference": "https://ehr.example/other/Patient/p1"}
    assert patient_from_bundle(data, source="t.json").labs == ()


def test_an_unread_contained_result_of_this_patient_is_kept_for_review_not_outweighed():
    p = read(
        obs("hb", "718-7", valueQuantity=qty(9.8, "g/dL")), pat=patient(contained=[_inner("hb2", "718-7", 5.0, "g/dL")])
    )
    kept = [o for o in p.labs if o.id == "Patient/p1#hb2"]
    assert [(o.code, str(o.date)) for o in kept] == [("hemoglobin", "2026-11-20")]
    assert isinstance(kept[0].value, str) and "not read" in kept[0].value
    other = read(_report(_inner("hb2", "718-7", 5.0, "g/dL"), subject="Patient/p2"))
    assert other.labs == ()  # about someone else: listed only


def test_an_answer_read_from_text_alone_needs_every_text_to_agree():
    local = {
        "text": "Reactive, confirm",
        "coding": [{"system": "http://lab.local", "code": "X1", "display": "Negative"}],
    }
    _ambiguous(read(_hbsag(valueCodeableConcept=local)))
    local = {"coding": [{"system": "http://lab.local", "code": "X1", "display": "Negative"}]}
    assert [o.value for o in read(_hbsag(valueCodeableConcept=local)).labs] == ["negative"]
