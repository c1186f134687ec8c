"""Resource-by-resource mapping rules, on small bundles built here (statuses, units, panels, ULNs, errors)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fhir_builders import (
    ATC,
    CVX,
    ICD10CM,
    LOINC,
    RXNORM,
    SNOMED,
    bundle,
    cc,
    condition,
    med_statement,
    obs,
    patient,
    qty,
    read,
)

from engine.dates import DateSpan
from engine.errors import InputError
from engine.fhir import patient_from_bundle
from engine.patient import load_patient
from engine.units import convert
from engine.vocabulary import get_vocabulary

# --- envelope and bad input ---------------------------------------------------------------------------------


def test_not_a_bundle_is_an_input_error_naming_the_field():
    with pytest.raises(InputError) as err:
        patient_from_bundle({"resourceType": "Patient", "id": "x"}, source="x.json")
    assert str(err.value) == "x.json field 'resourceType': expected a FHIR Bundle, got resourceType 'Patient'"


def test_bundle_without_patient_is_an_input_error():
    data = bundle()
    data["entry"] = [e for e in data["entry"] if e["resource"]["resourceType"] != "Patient"]
    data["entry"].append({"resource": obs("o1", "718-7", valueQuantity=qty(12, "g/dL"))})
    with pytest.raises(InputError) as err:
        patient_from_bundle(data, source="nopatient.json")
    assert str(err.value) == "nopatient.json field 'entry': the bundle has no Patient resource"


def test_two_patients_are_an_input_error():
    data = bundle(patient(id="p2"))
    with pytest.raises(InputError, match="2 Patient resources"):
        patient_from_bundle(data, source="two.json")


def test_unsupported_bundle_type_is_an_input_error():
    with pytest.raises(InputError, match=r"Bundle\.type 'history' is not supported"):
        read(btype="history")


def test_invalid_patient_resource_names_the_field():
    with pytest.raises(InputError) as err:
        read(pat=patient(birthDate="1980-13-45"))
    assert "field 'entry[0].resource.birthDate'" in str(err.value)


def test_malformed_json_file_is_an_input_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"resourceType": "Bundle", "type": "collection", "entry": [')
    with pytest.raises(InputError) as err:
        load_patient(path)
    assert str(err.value).startswith(f"{path}: not valid JSON")


def test_bundle_file_without_patient_via_load_patient(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": []}))
    with pytest.raises(InputError, match="the bundle has no Patient resource"):
        load_patient(path)


def test_invalid_ids_are_warnings():
    p = read(obs("o_1", "718-7", valueQuantity=qty(12.5, "g/dL")), bid="bad_id")
    assert "Bundle.id 'bad_id' is not a valid FHIR id" in p.warnings[0]
    assert any("Observation/o_1: invalid id ignored" in w for w in p.warnings)
    assert p.labs[0].id == "Observation/o_1"


def test_resource_failing_validation_goes_to_unmapped_not_an_error():
    bad = obs("o2", "718-7", valueQuantity=qty("twelve", "g/dL"))
    good = obs("o3", "777-3", valueQuantity=qty(64, "10*3/uL"))
    p = read(bad, good)
    assert [o.code for o in p.labs] == ["platelets"]
    (u,) = [u for u in p.unmapped if u.source == "Observation/o2"]
    assert u.code == "718-7" and "invalid FHIR" in u.display and "valueQuantity.value" in u.display


def test_searchset_and_transaction_bundles_are_read():
    for btype in ("searchset", "transaction", "collection"):
        p = read(obs("o1", "718-7", valueQuantity=qty(12.5, "g/dL")), btype=btype)
        assert [o.code for o in p.labs] == ["hemoglobin"]


def test_other_patients_records_are_skipped():
    other = obs("o9", "718-7", valueQuantity=qty(9.0, "g/dL"))
    other["subject"] = {"reference": "Patient/someone-else"}
    p = read(other)
    assert p.labs == ()
    assert "Observation/o9: subject is Patient/someone-else, not this bundle's patient; not read" in p.warnings


# --- Patient ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gender", "sex"), [("female", "female"), ("male", "male"), ("other", None), ("unknown", None)]
)
def test_gender_to_sex(gender, sex):
    assert read(pat=patient(gender=gender)).sex == sex


def test_race_from_us_core_omb_category_when_no_text():
    ext = {
        "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
        "extension": [
            {
                "url": "ombCategory",
                "valueCoding": {
                    "system": "urn:oid:2.16.840.1.113883.6.238",
                    "code": "2054-5",
                    "display": "Black or African American",
                },
            }
        ],
    }
    assert read(pat=patient(extension=[ext])).race == "Black or African American"
    assert read().race is None


def test_partial_birth_date_is_kept_partial():
    p = read(pat=patient(birthDate="1980-05"))
    assert str(p.birth_date) == "between 1980-05-01 and 1980-05-31"


# --- Observation ------------------------------------------------------------------------------------------


def test_ucum_count_units_give_the_same_value_as_10_9_per_litre():
    p = read(obs("o1", "777-3", valueQuantity=qty(64, "10*3/uL")), obs("o2", "751-8", valueQuantity=qty(1.5, "10*9/L")))
    plt, anc = p.labs
    assert convert(plt.value, plt.unit, "10^9/L") == pytest.approx(64)
    assert convert(anc.value, anc.unit, "10^9/L") == pytest.approx(1.5)


def test_display_unit_used_only_without_a_code_and_warned():
    p = read(obs("o1", "777-3", valueQuantity=qty(64, unit="K/uL")))
    (plt,) = p.labs
    assert plt.unit == "K/uL"
    assert convert(plt.value, plt.unit, "10^9/L") == pytest.approx(64)  # K/uL means 10^3/uL, never kelvin
    assert "Observation/o1: platelets unit taken from display text 'K/uL' (no UCUM code)" in p.warnings


def test_ucum_code_wins_over_display_text():
    p = read(obs("o1", "2160-0", valueQuantity=qty(88, "umol/L", unit="mg/dL (sic)")))
    assert p.labs[0].unit == "umol/L"


def test_lab_reference_range_is_used_and_not_assumed():
    rr = [{"low": qty(0.5, "mg/dL"), "high": qty(1.2, "mg/dL")}]
    p = read(obs("o1", "1975-2", valueQuantity=qty(1.0, "mg/dL"), referenceRange=rr))
    r = p.labs[0].reference_range
    assert (r.low, r.high, r.unit, r.assumed) == (0.5, 1.2, "mg/dL", False)


MEANING = "http://terminology.hl7.org/CodeSystem/referencerange-meaning"


def test_only_a_normal_range_gives_the_uln():
    rr = [
        {"high": qty(3.0, "{INR}"), "type": cc(MEANING, "therapeutic")},
        {"high": qty(1.1, "{INR}"), "type": cc(MEANING, "normal")},
    ]
    r = read(obs("o1", "6301-6", valueQuantity=qty(1.0, "{INR}"), referenceRange=rr)).labs[0].reference_range
    assert (r.high, r.assumed) == (1.1, False)


def test_ranges_with_different_upper_limits_give_no_uln_and_no_default():
    rr = [
        {"high": qty(1.1, "mg/dL"), "appliesTo": [cc(SNOMED, "248152002", "Female")]},
        {"high": qty(1.3, "mg/dL"), "appliesTo": [cc(SNOMED, "248153007", "Male")]},
    ]
    p = read(obs("o1", "2160-0", valueQuantity=qty(1.2, "mg/dL"), referenceRange=rr))
    assert p.labs[0].reference_range is None
    assert (
        "Observation/o1: serum creatinine has 2 reference ranges with different upper limits; none used" in p.warnings
    )


def test_an_unreadable_upper_limit_gives_no_uln_and_no_default():
    rr = [{"high": {"value": 10**400, "system": "http://unitsofmeasure.org", "code": "U/L"}}]
    p = read(obs("o1", "1742-6", valueQuantity=qty(50, "U/L"), referenceRange=rr))
    assert p.labs[0].reference_range is None
    assert any(w.startswith("Observation/o1: ALT reference range high is not a usable number") for w in p.warnings)


def test_default_uln_is_marked_assumed_and_reported():
    p = read(obs("o1", "1742-6", valueQuantity=qty(50, "U/L")))
    r = p.labs[0].reference_range
    assert (r.high, r.unit, r.assumed) == (36.0, "U/L", True)
    assert any(
        w.startswith("results without a reference range were given the default ULN") and "ALT (1)" in w
        for w in p.warnings
    )


def test_sex_specific_default_uln_needs_a_recorded_sex():
    p = read(obs("o1", "2160-0", valueQuantity=qty(1.0, "mg/dL")), pat=patient(gender="unknown"))
    assert p.labs[0].reference_range is None
    assert any("default ULN depends on sex" in w for w in p.warnings)


def test_value_with_comparator_is_kept_as_text_for_review():
    p = read(obs("o1", "1975-2", valueQuantity=qty(0.2, "mg/dL", comparator="<")))
    assert p.labs[0].value == "<0.2 mg/dL"
    assert any("a bound, not a value" in w for w in p.warnings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"valueCodeableConcept": cc(SNOMED, "260385009", "Negative (qualifier value)")}, "negative"),
        ({"valueCodeableConcept": cc(LOINC, "LA6576-8", "Positive")}, "positive"),
        ({"valueCodeableConcept": {"text": "Non-reactive"}}, "negative"),
        ({"valueString": "NEGATIVE"}, "negative"),
        ({"valueString": "weakly reactive, repeat"}, "weakly reactive, repeat"),  # kept: the engine says ambiguous
        (
            {"valueCodeableConcept": cc(SNOMED, "260373001", "Detected (qualifier value)")},
            "Detected (qualifier value)",
        ),  # "detected" is not one of HBsAg's values: kept as text
    ],
)
def test_categorical_answers(value, expected):
    p = read(obs("o1", "5196-1", **value))
    assert p.labs[0].code == "hbsag"
    assert p.labs[0].value == expected


def test_ecog_from_loinc_answer_code():
    p = read(obs("o1", "89247-1", lab=False, valueCodeableConcept=cc(LOINC, "LA9624-3", "Ambulatory...")))
    assert (p.measurements[0].code, p.measurements[0].value) == ("ecog", 2.0)


@pytest.mark.parametrize("status", ["entered-in-error", "cancelled"])
def test_observation_in_error_or_cancelled_is_skipped_and_warned(status):
    p = read(obs("o1", "718-7", status=status, valueQuantity=qty(12, "g/dL")))
    assert p.labs == ()
    assert f"Observation/o1 has status {status}; skipped" in p.warnings


def test_effective_period_and_issued_dates():
    a = obs("o1", "718-7", valueQuantity=qty(12, "g/dL"))
    del a["effectiveDateTime"]
    a["effectivePeriod"] = {"start": "2026-10-02T08:00:00Z", "end": "2026-10-02T09:00:00Z"}
    b = obs("o2", "777-3", valueQuantity=qty(100, "10*3/uL"))
    del b["effectiveDateTime"]
    b["issued"] = "2026-10-03T10:00:00.000+02:00"
    p = read(a, b)
    assert [str(o.date) for o in p.labs] == ["2026-10-02", "None"]  # issued is the release, not the specimen


def test_blood_pressure_components_and_unmapped_component():
    bp = obs(
        "bp",
        "85354-9",
        lab=False,
        component=[
            {"code": cc(LOINC, "8480-6"), "valueQuantity": qty(142, "mm[Hg]")},
            {"code": cc(LOINC, "8462-4"), "valueQuantity": qty(91, "mm[Hg]")},
            {"code": cc(LOINC, "8478-0", "Mean blood pressure"), "valueQuantity": qty(108, "mm[Hg]")},
        ],
    )
    p = read(bp)
    assert {(o.code, o.value) for o in p.measurements} == {("systolic_bp", 142.0), ("diastolic_bp", 91.0)}
    assert all(o.id == "Observation/bp" for o in p.measurements)
    assert [(u.source, u.code) for u in p.unmapped] == [("Observation/bp", "8478-0")]  # the panel code is not


def test_panel_has_member_contained_and_missing():
    panel = obs(
        "panel",
        "58410-2",
        hasMember=[{"reference": "#m1"}, {"reference": "Observation/nowhere"}],
        contained=[obs("m1", "777-3", valueQuantity=qty(210, "10*3/uL"))],
    )
    p = read(panel)
    assert [(o.code, o.id) for o in p.labs] == [("platelets", "Observation/panel#m1")]
    assert "Observation/panel: panel member 'Observation/nowhere' is not in the bundle" in p.warnings


def test_unsupported_value_type_is_listed():
    p = read(obs("o1", "718-7", valueRatio={"numerator": {"value": 1}, "denominator": {"value": 2}}))
    assert p.labs == ()
    assert p.unmapped[0].display == "hemoglobin: valueRatio is not supported"


def test_spo2_codes_without_room_air_are_not_mapped():
    p = read(obs("o1", "59408-5", lab=False, valueQuantity=qty(95, "%")))
    assert p.measurements == ()
    assert p.unmapped[0].code == "59408-5"


# --- Condition --------------------------------------------------------------------------------------------


def test_condition_statuses():
    p = read(
        condition("c1", "22298006", onsetDateTime="2026-09-01"),  # active MI
        condition("c2", "27503000", display="Gilbert syndrome (disorder)", verification="refuted"),  # -> absent
        condition("c3", "94381002", verification="entered-in-error"),  # liver mets in error -> skipped
        condition("c4", "4557003", verification="provisional"),  # unstable angina provisional -> suspected
        condition(
            "c5", "840539006", clinical="resolved", onsetDateTime="2026-01-05", abatementDateTime="2026-01-20"
        ),  # COVID-19 resolved
        condition("c6", "I26.99", system=ICD10CM, clinical="inactive", onsetDateTime="2025-03"),  # PE, no end date
    )
    by_id = {c.id: c for c in p.conditions}
    assert set(by_id) == {"Condition/c1", "Condition/c2", "Condition/c4", "Condition/c5", "Condition/c6"}
    assert (by_id["Condition/c1"].code, by_id["Condition/c1"].status, by_id["Condition/c1"].resolved) == (
        "myocardial infarction",
        "present",
        None,
    )
    assert (by_id["Condition/c2"].code, by_id["Condition/c2"].status) == ("Gilbert's syndrome", "absent")
    assert str(by_id["Condition/c5"].resolved) == "2026-01-20"
    pe = by_id["Condition/c6"]
    assert pe.code == "pulmonary embolism"  # ICD-10-CM I26.99 lies under the vocabulary's I26
    assert "Condition/c6: ICD-10-CM I26.99 mapped to pulmonary embolism through I26" in p.warnings
    assert pe.status == "present"
    assert pe.resolved == DateSpan(date(2025, 3, 1), None)
    assert "Condition/c3 has verificationStatus entered-in-error; skipped" in p.warnings
    # considered, not confirmed: neither present nor ruled out (a complete history must not read it as absent)
    assert (by_id["Condition/c4"].code, by_id["Condition/c4"].status) == ("unstable angina", "suspected")
    assert any(w.startswith("Condition/c4: unstable angina is provisional, not confirmed") for w in p.warnings)
    assert not any(
        c.status == "present" and c.code in ("liver metastasis", "Gilbert's syndrome", "unstable angina")
        for c in p.conditions
    )


def test_code_below_a_concepts_icd10cm_class_maps_and_says_through_which_code():
    p = read(condition("c1", "C50.911", system=ICD10CM, display="Malignant neoplasm of right female breast"))
    (c,) = p.conditions
    assert (c.code, c.status) == ("breast cancer", "present")
    assert "Condition/c1: ICD-10-CM C50.911 mapped to breast cancer through C50" in p.warnings


def test_a_code_the_vocabulary_carries_itself_gives_no_through_warning():
    p = read(condition("c1", "G40", system=ICD10CM))
    assert [c.code for c in p.conditions] == ["epilepsy"]
    assert not any("through" in w for w in p.warnings)


def test_mistyped_icd10cm_code_maps_to_nothing_rather_than_to_its_class():
    p = read(condition("c1", "C50.999", system=ICD10CM))  # not in the ICD-10-CM tabular list
    assert p.conditions == ()
    assert [(u.source, u.code) for u in p.unmapped] == [("Condition/c1", "C50.999")]


def test_the_most_specific_of_several_codings_is_kept():
    res = condition("c1", "408643008")
    res["code"]["coding"].append({"system": ICD10CM, "code": "C50.911"})  # breast cancer, through C50
    (c,) = read(res).conditions
    assert c.code == "invasive ductal carcinoma of breast"


def test_condition_without_a_known_code_is_mapped_by_its_text_with_a_warning():
    res = condition("c1", "1234567890", display="Ischaemic stroke (disorder)")
    p = read(res)
    assert [c.code for c in p.conditions] == ["ischemic stroke"]
    assert any(w.startswith("Condition/c1: 'Ischaemic stroke (disorder)' has no code") for w in p.warnings)


def test_a_therapy_code_on_a_condition_is_not_read_as_a_condition():
    p = read(condition("c1", "53438000"))  # radiation therapy (procedure)
    assert p.conditions == ()
    assert [u.code for u in p.unmapped] == ["53438000"]


def test_refuted_rules_a_concept_out_only_when_the_record_names_it():
    # Refuting a record whose code may be narrower than its concept must not rule the whole concept out.
    p = read(
        condition(
            "c1", "C50.911", system=ICD10CM, display="Malignant neoplasm of right female breast", verification="refuted"
        ),
        condition(
            "c2", "94181007", verification="refuted"
        ),  # axillary lymph node metastasis, on "lymph node metastasis"
        condition("c3", "94381002", display="Secondary malignant neoplasm of liver (disorder)", verification="refuted"),
        condition("c4", "9999999999", display="Epilepsy", verification="refuted"),  # named by its text
    )
    assert sorted((c.id, c.code, c.status) for c in p.conditions) == [
        ("Condition/c3", "liver metastasis", "absent"),
        ("Condition/c4", "epilepsy", "absent"),
    ]
    assert any(w.startswith("Condition/c1: refuted, but nothing in it names breast cancer itself") for w in p.warnings)
    assert any(w.startswith("Condition/c2: refuted") for w in p.warnings)
    assert {u.source for u in p.unmapped} == {"Condition/c1", "Condition/c2"}


def test_unmapped_condition_is_listed():
    p = read(condition("c1", "160903007", onsetDateTime="2020-01-01"))  # full-time employment: no concept
    assert p.conditions == ()
    assert [(u.source, u.system, u.code) for u in p.unmapped] == [("Condition/c1", SNOMED, "160903007")]


# --- therapies --------------------------------------------------------------------------------------------


def test_steroid_with_daily_dose_and_route_from_dosage():
    dosage = {
        "route": cc(SNOMED, "26643006", "Oral route"),
        "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": qty(10, "mg")}],
    }
    p = read(
        med_statement(
            "m1",
            cc(RXNORM, "8640", "prednisone"),
            dosage=dosage,
            effectivePeriod={"start": "2026-11-01", "end": "2026-11-10"},
        )
    )
    (t,) = p.therapies
    assert (t.name, t.classes, t.route) == ("prednisone", (), "oral")  # RxNorm 8640, a systemic corticosteroid
    assert (t.dose.value, t.dose.unit) == (20.0, "mg/day")
    assert (str(t.start), str(t.end), t.ongoing) == ("2026-11-01", "2026-11-10", False)


def test_medication_named_from_text_when_code_unknown_and_dose_from_strength():
    dosage = {
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": {"value": 2}}],
    }
    p = read(
        med_statement(
            "m1",
            cc(RXNORM, "999999", "dexamethasone 4 MG Oral Tablet"),
            status="active",
            dosage=dosage,
            effectiveDateTime="2026-11-20",
        )
    )
    (t,) = p.therapies
    assert (t.name, t.classes, t.ongoing, t.route) == ("dexamethasone", (), True, "oral")
    assert (t.dose.value, t.dose.unit) == (8.0, "mg/day")
    assert any("named 'dexamethasone' from its text" in w for w in p.warnings)


def test_intrathecal_chemotherapy_class_from_route():
    dosage = {"route": cc(SNOMED, "72607000", "Intrathecal route"), "doseAndRate": [{"doseQuantity": qty(12, "mg")}]}
    admin = {
        "resourceType": "MedicationAdministration",
        "id": "a1",
        "status": "completed",
        "medicationCodeableConcept": cc(RXNORM, "6851", "methotrexate"),
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-11-15",
        "dosage": {k: v for k, v in dosage.items() if k == "route"} | {"dose": qty(12, "mg")},
    }
    p = read(admin)
    (t,) = p.therapies
    assert (t.name, t.classes) == ("methotrexate", ("intrathecal chemotherapy",))
    assert (str(t.start), str(t.end), t.route) == ("2026-11-15", "2026-11-15", "intrathecal")
    assert (t.dose.value, t.dose.unit) == (12.0, "mg")  # one administration: no daily rate is invented


def test_atc_drug_code_maps_to_its_concept():
    concept = {"coding": [{"system": ATC, "code": "L01EA02", "display": "dasatinib"}]}
    req = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "stopped",
        "intent": "order",
        "medicationCodeableConcept": concept,
        "subject": {"reference": "Patient/p1"},
        "authoredOn": "2026-10-30",
    }
    (t,) = read(req).therapies
    assert (t.name, t.classes, str(t.start), t.end, t.ongoing) == ("dasatinib", (), "2026-10-30", None, False)


def test_atc_code_below_a_class_keeps_its_display_as_name_and_the_class_as_class():
    concept = cc(ATC, "L01EX99", "investigational kinase inhibitor XY-1")
    p = read(med_statement("m1", concept, effectiveDateTime="2026-10-01"))
    (t,) = p.therapies
    assert (t.name, t.classes) == ("investigational kinase inhibitor XY-1", ("protein kinase inhibitor",))
    assert "MedicationStatement/m1: ATC L01EX99 mapped to protein kinase inhibitor through L01E" in p.warnings


def test_contained_medication_reference():
    req = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "active",
        "intent": "order",
        "contained": [{"resourceType": "Medication", "id": "med", "code": cc(RXNORM, "3002", "cyclophosphamide")}],
        "medicationReference": {"reference": "#med"},
        "subject": {"reference": "Patient/p1"},
        "authoredOn": "2026-11-01",
    }
    (t,) = read(req).therapies
    assert (t.name, t.classes, t.ongoing) == ("cyclophosphamide", (), True)


@pytest.mark.parametrize("status", ["entered-in-error", "not-taken", "intended"])
def test_medication_statement_skipped_statuses(status):
    p = read(med_statement("m1", cc(RXNORM, "8640", "prednisone"), status=status, effectiveDateTime="2026-11-01"))
    assert p.therapies == ()
    assert f"MedicationStatement/m1 has status {status}; skipped" in p.warnings


def test_unmapped_medication_is_listed_and_kept_without_class():
    p = read(med_statement("m1", cc(RXNORM, "9999991", "Ondansetron 4 MG Oral Tablet"), effectiveDateTime="2026-11-01"))
    (t,) = p.therapies
    assert (t.name, t.classes) == ("Ondansetron 4 MG Oral Tablet", ())
    assert [(u.source, u.code) for u in p.unmapped] == [("MedicationStatement/m1", "9999991")]


def test_combination_product_named_from_its_text_keeps_every_ingredient():
    concept = cc(RXNORM, "9999992", "carboplatin 10 MG/ML / paclitaxel 6 MG/ML Injection")
    (t,) = read(med_statement("m1", concept, effectiveDateTime="2026-11-01")).therapies
    assert (t.name, t.classes) == ("carboplatin", ("paclitaxel",))


def test_rxnorm_product_code_of_a_synthea_bundle_maps_to_its_ingredient():
    (t,) = read(
        med_statement("m1", cc(RXNORM, "834357", "3 ML Amiodarone hydrocholoride 50 MG/ML Prefilled Syringe"))
    ).therapies
    assert (t.name, t.classes) == ("amiodarone", ())


def test_procedures_transfusion_and_not_done():
    proc = {
        "resourceType": "Procedure",
        "id": "x1",
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "code": cc(SNOMED, "116859006"),
        "performedPeriod": {"start": "2026-11-02", "end": "2026-11-02"},
    }
    skipped = dict(proc, id="x2", status="not-done")
    p = read(proc, skipped)
    (t,) = p.therapies
    assert (t.name, t.classes, str(t.start)) == ("transfusion", (), "2026-11-02")
    assert "Procedure/x2 has status not-done; skipped" in p.warnings


def test_a_procedure_is_not_named_from_words_inside_its_text():
    proc = {
        "resourceType": "Procedure",
        "id": "x1",
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "code": cc(SNOMED, "430193006", "Medication Reconciliation (procedure)"),
        "performedDateTime": "2026-11-02",
    }
    p = read(proc)
    assert p.therapies == ()
    assert [u.code for u in p.unmapped] == ["430193006"]


def test_immunizations_live_inactivated_and_unknown():
    def imm(rid, code):
        return {
            "resourceType": "Immunization",
            "id": rid,
            "status": "completed",
            "patient": {"reference": "Patient/p1"},
            "occurrenceDateTime": "2026-10-20",
            "vaccineCode": cc(CVX, code, f"CVX {code}"),
        }

    p = read(imm("i1", "03"), imm("i2", "187"), imm("i3", "999"), imm("i4", "206"))
    named = {t.id: (t.name, t.classes) for t in p.therapies}
    assert named == {
        "Immunization/i1": ("measles, mumps and rubella vaccine", ()),
        "Immunization/i2": ("recombinant zoster vaccine", ()),
        "Immunization/i3": ("CVX 999", ()),
        "Immunization/i4": ("non-replicating smallpox and mpox vaccine", ()),
    }
    vocab = get_vocabulary()
    assert vocab.is_a(vocab.resolve(named["Immunization/i1"][0]).id, "live_vaccine")
    assert vocab.is_a(vocab.resolve(named["Immunization/i2"][0]).id, "non_live_vaccine")
    assert vocab.is_a(vocab.resolve(named["Immunization/i4"][0]).id, "non_live_vaccine")  # JYNNEOS does not replicate
    assert [u.source for u in p.unmapped] == ["Immunization/i3"]  # unknown vaccine: could be live


def test_missing_referenced_medication_is_unmapped_and_kept_without_class():
    req = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "active",
        "intent": "order",
        "medicationReference": {"reference": "Medication/absent", "display": "study drug X"},
        "subject": {"reference": "Patient/p1"},
        "authoredOn": "2026-11-01",
    }
    p = read(req)
    (t,) = p.therapies
    assert (t.name, t.classes, t.ongoing) == ("study drug X", (), True)
    assert p.unmapped[0].display == "[medication 'Medication/absent' not found in the bundle (study drug X)]"
