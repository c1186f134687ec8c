"""The five shared FHIR bundles (Synthea and mCODE) load into Patients with the facts their JSON holds.

Expected values were read from the JSON files themselves (Python json, not this mapping), so a test failure
means the mapping disagrees with the file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from engine.catalog import get_catalog
from engine.dates import DateSpan
from engine.fhir import patient_from_bundle
from engine.patient import Patient, load_patient
from engine.units import convert
from engine.vocabulary import get_vocabulary

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "fhir"
MILTON = "Milton509_Ortiz186_d66b5418-06cb-fc8a-8c13-85685b6ac939.json"
EDYTHE = "Edythe31_Morar593_9c3df38a-d3b7-2198-3898-51f9153d023d.json"
PASQUALE = "Pasquale620_Kuhn96_792a51c0-a2a4-ee26-c23c-7cb24f8a0e35.json"
MCODE1 = "mcode_TrialMatching_Patient01.json"
MCODE2 = "mcode_TrialMatching_Patient02.json"
ALL = (MILTON, EDYTHE, PASQUALE, MCODE1, MCODE2)

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared FHIR test bundles not found at {DATA}")

_cache: dict[str, Patient] = {}


def load(name: str) -> Patient:
    if name not in _cache:
        _cache[name] = load_patient(DATA / name)
    return _cache[name]


def day(text: str) -> DateSpan:
    return DateSpan.exact(date.fromisoformat(text))


def is_a(name: str, ancestor: str, domain: str = "therapy") -> bool:
    """Whether a record's name or code names a vocabulary concept at or below ``ancestor`` (an id)."""
    vocab = get_vocabulary()
    concept = vocab.resolve(name, domain)
    return concept is not None and vocab.is_a(concept.id, ancestor)


def one(records, rid: str):
    found = [r for r in records if r.id == rid]
    assert found, f"{rid} not found"
    return found


@pytest.mark.parametrize("name", ALL)
def test_every_bundle_loads_into_a_patient(name):
    p = load(name)
    assert isinstance(p, Patient)
    assert p.id
    assert p.sex in ("female", "male")
    assert p.birth_date is not None
    assert p.unmapped, "each shared bundle has codes outside the mapping tables; they must be listed"
    cat = get_catalog()
    vocab = get_vocabulary()
    for obs in p.observations:
        assert cat.resolve("observations", obs.code) == obs.code
        assert obs.id and obs.id.startswith("Observation/")
    for c in p.conditions:
        assert c.id and c.id.startswith("Condition/")
        assert vocab.resolve(c.code, "condition") is not None, c.code
    for t in p.therapies:
        assert t.id and t.id.split("/")[0] in {
            "MedicationRequest",
            "MedicationStatement",
            "MedicationAdministration",
            "Procedure",
            "Immunization",
        }
        for klass in t.classes:
            assert vocab.resolve(klass, "therapy") is not None, klass


@pytest.mark.parametrize("name", [MCODE1, MCODE2])
def test_mcode_bundle_id_with_underscore_is_a_warning_not_an_error(name):
    p = load(name)
    raw = json.loads((DATA / name).read_text())
    assert "_" in raw["id"]
    assert any(w.startswith(f"Bundle.id '{raw['id']}' is not a valid FHIR id") for w in p.warnings)


def test_milton_demographics():
    p = load(MILTON)
    assert p.id == "d66b5418-06cb-fc8a-8c13-85685b6ac939"
    assert p.sex == "male"
    assert p.birth_date == day("1997-06-11")
    assert p.race == "White"  # US Core race extension, "text" sub-extension


def test_milton_latest_creatinine_value_unit_date_and_assumed_uln():
    crea = sorted((o for o in load(MILTON).labs if o.code == "creatinine"), key=lambda o: o.date.latest)
    assert len(crea) == 12  # 12 Observations with LOINC 2160-0 in the file
    latest = crea[-1]
    assert latest.id == "Observation/594bc7b3-c9db-7f9e-3b96-51712214caf7"
    assert latest.value == 2.8464
    assert latest.unit == "mg/dL"
    assert latest.date == day("2020-12-02")  # effectiveDateTime 2020-12-02T17:05:07-05:00, local date kept
    # Synthea writes no referenceRange: the default table's male ULN is used and marked assumed.
    assert latest.reference_range is not None
    assert latest.reference_range.assumed is True
    assert latest.reference_range.high == 1.3
    assert latest.reference_range.unit == "mg/dL"


def test_milton_platelets_ucum_count_unit_converts_like_10_9_per_litre():
    plt = one(load(MILTON).labs, "Observation/384ee321-e5ab-1c6b-c54a-4bb9b45dfa68")[0]
    assert plt.code == "platelets"
    assert (plt.value, plt.unit) == (120.68, "10*3/uL")
    assert plt.date == day("2020-12-02")
    assert convert(plt.value, plt.unit, "10^9/L") == pytest.approx(120.68)
    assert plt.reference_range is None  # no default ULN for a count


def test_milton_blood_pressure_panel_components_are_read():
    bp = one(load(MILTON).measurements, "Observation/a878157c-42fd-4382-aeee-fbdfbf08919f")
    values = {o.code: (o.value, o.unit) for o in bp}
    assert values == {"systolic_bp": (129.0, "mm[Hg]"), "diastolic_bp": (79.0, "mm[Hg]")}
    assert all(o.date == day("2021-09-08") for o in bp)
    assert convert(129.0, "mm[Hg]", "mmHg") == pytest.approx(129.0)


def test_milton_pulmonary_embolism_resolved_with_abatement_date():
    (pe,) = one(load(MILTON).conditions, "Condition/be2e3926-7633-afee-494d-5894dfb8f0d8")
    assert pe.code == "pulmonary embolism"  # SNOMED 706870000 acute pulmonary embolism
    assert is_a(pe.code, "venous_thromboembolism", "condition")
    assert pe.status == "present"
    assert pe.onset == day("2020-12-02")
    assert pe.resolved == day("2020-12-02")  # clinicalStatus resolved, abatementDateTime


def test_milton_unmapped_codes_are_listed_with_source_and_display():
    p = load(MILTON)
    percentile = [u for u in p.unmapped if u.code == "59576-9"]  # BMI percentile: not in the catalog
    assert percentile and all(u.system == "http://loinc.org" and u.display for u in percentile)
    assert all(u.source.startswith("Observation/") for u in percentile)
    assert len([o for o in p.measurements if o.code == "bmi"]) == 11  # every Body Mass Index Observation: read
    egfr = [u for u in p.unmapped if u.code == "33914-3"]
    assert len(egfr) == 12  # Synthea eGFR is inconsistent with its creatinine: not mapped, but listed
    social = [u for u in p.unmapped if u.code == "160903007"]  # "Full-time employment (finding)"
    assert social and all(u.source.startswith("Condition/") for u in social)


def test_milton_medication_request_with_referenced_medication():
    p = load(MILTON)
    enox = [t for t in p.therapies if t.name.lower() == "enoxaparin"]
    assert enox, "MedicationRequest.medicationReference -> Medication resource in the bundle"
    assert any(t.id and t.id.startswith("MedicationRequest/") for t in enox)
    assert not any(u.display and "Enoxaparin" in u.display for u in p.unmapped)  # its RxNorm codes are known


def test_milton_amlodipine_daily_dose_from_rxnorm_strength_and_timing():
    p = load(MILTON)
    aml = [t for t in p.therapies if t.name == "amlodipine"]  # RxNorm 308136 "amLODIPine 2.5 MG Oral Tablet"
    assert len(aml) == 7
    assert all(t.dose is not None and (t.dose.value, t.dose.unit) == (2.5, "mg/day") for t in aml)
    assert all(t.route == "oral" for t in aml)  # from the dose form "Oral Tablet"


def test_edythe_female_creatinine_gets_the_female_default_uln():
    p = load(EDYTHE)
    assert p.sex == "female"
    assert p.birth_date == day("1974-06-18")
    crea = [o for o in p.labs if o.code == "creatinine"]
    assert len(crea) == 5  # LOINC 38483-4 (Creatinine [Mass/volume] in Blood), an extra mapping
    assert all(o.reference_range.assumed and o.reference_range.high == 1.1 for o in crea)


def test_pasquale_zoster_live_vaccine_from_cvx():
    p = load(PASQUALE)
    zoster = sorted((t for t in p.therapies if is_a(t.name, "live_vaccine")), key=lambda t: t.start.earliest)
    assert [t.id for t in zoster] == [
        "Immunization/dad148ef-3565-7e98-a0d4-8e3d0b86be02",
        "Immunization/1952d87e-78d6-bf1a-02e6-1856e62a01a4",
    ]
    assert [str(t.start) for t in zoster] == ["2019-05-06", "2020-05-11"]
    assert {t.name for t in zoster} == {"live zoster vaccine"}
    flu = [t for t in p.therapies if t.name == "inactivated influenza vaccine"]
    assert flu and all(t.classes == () and is_a(t.name, "non_live_vaccine") for t in flu)  # CVX 140: not live


def test_mcode_patient01_liver_metastases_and_therapies():
    p = load(MCODE1)
    assert (p.sex, p.birth_date) == ("female", day("1959-01-01"))
    (mets,) = [c for c in p.conditions if c.code == "liver metastasis"]
    # The Condition has verificationStatus confirmed but no clinicalStatus: present, current status unknown.
    assert mets.status == "present"
    assert mets.resolved == DateSpan(None, None)  # occurred at some time; whether it has ended is unknown
    assert any("has no clinicalStatus" in w for w in p.warnings)
    names = {t.name: t.classes for t in p.therapies}
    assert names["ribociclib"] == () and is_a("ribociclib", "cdk4_6_inhibitor")  # RxNorm 1873980
    assert names["fulvestrant"] == () and is_a("fulvestrant", "endocrine_anticancer_therapy")
    (ecog,) = [o for o in p.measurements if o.code == "ecog"]
    assert (ecog.value, ecog.date) == (1.0, day("2019-04-01"))  # valueInteger
    # The primary cancer (SNOMED 408643008) is a breast cancer; whether it is "another malignancy" is the ruleset's.
    (primary,) = [c for c in p.conditions if c.id == "Condition/mCODETrialMatchingPrimaryCancerConditionExample01"]
    assert primary.code == "invasive ductal carcinoma of breast" and is_a(primary.code, "breast_cancer", "condition")
    assert not any(u.source.startswith("Condition/") for u in p.unmapped)  # all four conditions are mapped


def test_mcode_patient02_procedures_and_chemotherapy():
    p = load(MCODE2)
    radio = [t for t in p.therapies if is_a(t.name, "radiotherapy")]
    assert len(radio) == 4  # SNOMED 53438000 x3 and 445232009 x1
    assert sorted(t.name for t in radio) == ["external beam radiotherapy", *["radiotherapy"] * 3]
    (cape,) = [t for t in p.therapies if t.name == "capecitabine"]
    assert cape.classes == () and is_a("capecitabine", "chemotherapy")
    assert cape.start == day("2019-10-01") and cape.end is None and not cape.ongoing  # completed, end unknown
    (alpelisib,) = [t for t in p.therapies if t.name == "alpelisib"]
    assert alpelisib.ongoing  # MedicationStatement status active


def test_patient_from_bundle_matches_load_patient():
    raw = json.loads((DATA / MCODE2).read_text())
    assert patient_from_bundle(raw, source=MCODE2) == load(MCODE2)
