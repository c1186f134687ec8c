"""Condition, medication, procedure and vaccine codes live in the vocabulary, one place per code.

The codes the FHIR tables used to hold, and the codes of the shared test bundles, map to the concept the code
means; a Condition or therapy record carrying one is read as that concept.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from fhir_builders import ATC, CVX, ICD10CM, RXNORM, SNOMED, condition, med_statement, read

from engine.fhir import patient_from_bundle
from engine.vocabulary import get_vocabulary

URIS = {"snomed": SNOMED, "icd10cm": ICD10CM, "rxnorm": RXNORM, "atc": ATC, "cvx": CVX}

# (system, code, display, concept id): conditions. Displays are the code's own (SNOMED CT FSN, ICD-10-CM title).
CONDITION_CODES = [
    ("snomed", "94381002", "Secondary malignant neoplasm of liver", "liver_metastasis"),
    ("snomed", "22298006", "Myocardial infarction", "myocardial_infarction"),
    ("snomed", "57054005", "Acute myocardial infarction", "myocardial_infarction"),
    ("snomed", "4557003", "Preinfarction syndrome", "unstable_angina"),
    ("snomed", "706870000", "Acute pulmonary embolism", "pulmonary_embolism"),
    ("snomed", "59282003", "Pulmonary embolism", "pulmonary_embolism"),
    ("snomed", "128053003", "Deep venous thrombosis", "deep_vein_thrombosis"),
    ("snomed", "27503000", "Gilbert-Meulengracht syndrome", "gilbert_syndrome"),
    ("snomed", "84757009", "Epilepsy", "epilepsy"),
    ("snomed", "128613002", "Seizure disorder", "epilepsy"),
    ("snomed", "230690007", "Cerebrovascular accident", "stroke"),
    ("snomed", "432504007", "Cerebral infarction", "ischemic_stroke"),
    ("snomed", "266257000", "Transient ischemic attack", "transient_ischemic_attack"),
    ("snomed", "840539006", "COVID-19", "covid19"),
    ("snomed", "233604007", "Pneumonia", "pneumonia"),
    ("snomed", "301011002", "Escherichia coli urinary tract infection", "urinary_tract_infection"),
    ("snomed", "195662009", "Acute viral pharyngitis", "acute_pharyngitis"),
    ("snomed", "444814009", "Viral sinusitis", "acute_sinusitis"),
    ("snomed", "10509002", "Acute bronchitis", "acute_bronchitis"),
    ("snomed", "91302008", "Sepsis", "sepsis"),
    ("snomed", "429007001", "History of cardiac arrest", "cardiac_arrest"),
    ("snomed", "386661006", "Fever", "fever"),
    ("snomed", "49727002", "Cough", "cough"),
    ("icd10cm", "C78.7", "Secondary malignant neoplasm of liver and intrahepatic bile duct", "liver_metastasis"),
    ("icd10cm", "I21.4", "Non-ST elevation myocardial infarction", "myocardial_infarction"),
    ("icd10cm", "I22.9", "Subsequent myocardial infarction of unspecified site", "myocardial_infarction"),
    ("icd10cm", "I20.0", "Unstable angina", "unstable_angina"),
    ("icd10cm", "I26.99", "Other pulmonary embolism without acute cor pulmonale", "pulmonary_embolism"),
    ("icd10cm", "I80.10", "Phlebitis and thrombophlebitis of unspecified femoral vein", "deep_vein_thrombosis"),
    ("icd10cm", "I82.401", "Acute embolism and thrombosis of unspecified deep veins of right lower extremity",
     "deep_vein_thrombosis"),
    ("icd10cm", "E80.4", "Gilbert syndrome", "gilbert_syndrome"),
    ("icd10cm", "G40.909", "Epilepsy, unspecified, not intractable, without status epilepticus", "epilepsy"),
    ("icd10cm", "G45.9", "Transient cerebral ischemic attack, unspecified", "transient_ischemic_attack"),
    ("icd10cm", "I61.9", "Nontraumatic intracerebral hemorrhage, unspecified", "intracerebral_hemorrhage"),
    ("icd10cm", "I63.9", "Cerebral infarction, unspecified", "ischemic_stroke"),
    ("icd10cm", "D89.810", "Acute graft-versus-host disease", "acute_gvhd"),
    ("icd10cm", "U07.1", "COVID-19", "covid19"),
    ("icd10cm", "A41.9", "Sepsis, unspecified organism", "sepsis"),
    ("icd10cm", "J18.9", "Pneumonia, unspecified organism", "pneumonia"),
]  # fmt: skip

# (system, code, display, concept id): medications, procedures and vaccines.
THERAPY_CODES = [
    ("rxnorm", "8640", "prednisone", "prednisone"),
    ("rxnorm", "10759", "triamcinolone", "triamcinolone"),
    ("rxnorm", "3002", "cyclophosphamide", "cyclophosphamide"),
    ("rxnorm", "6851", "methotrexate", "methotrexate"),
    ("rxnorm", "40048", "carboplatin", "carboplatin"),
    ("rxnorm", "121191", "rituximab", "rituximab"),
    ("rxnorm", "1163443", "leuprolide Injectable Product", "leuprorelin"),
    ("rxnorm", "1946828", "abemaciclib Oral Product", "abemaciclib"),
    ("rxnorm", "309362", "Clopidogrel 75 MG Oral Tablet", "clopidogrel"),
    ("rxnorm", "854235", "0.4 ML Enoxaparin sodium 100 MG/ML Prefilled Syringe", "enoxaparin"),
    ("rxnorm", "308136", "amLODIPine 2.5 MG Oral Tablet", "amlodipine"),
    ("rxnorm", "311995", "NITROFURANTOIN, MACROCRYSTALS 50 MG Oral Capsule", "nitrofurantoin"),
    ("rxnorm", "757594", "Jolivette 28 Day Pack", "norethisterone_contraceptive"),
    ("rxnorm", "1605257", "Liletta 52 MG Intrauterine System", "levonorgestrel_intrauterine_system"),
    ("atc", "H02AB02", "dexamethasone", "dexamethasone"),
    ("atc", "L01EA01", "imatinib", "imatinib"),
    ("atc", "L01XL04", "tisagenlecleucel", "tisagenlecleucel"),
    ("snomed", "53438000", "Radiation therapy procedure or service", "radiotherapy"),
    ("snomed", "367336001", "Chemotherapy", "chemotherapy"),
    ("snomed", "116863004", "Transfusion of red blood cells", "red_cell_transfusion"),
    ("snomed", "232717009", "Coronary artery bypass grafting", "coronary_artery_bypass_graft"),
    ("snomed", "415070008", "Percutaneous coronary intervention", "coronary_revascularisation"),
    ("snomed", "36969009", "Placement of stent in coronary artery", "coronary_stent"),
    ("snomed", "371908008", "Oxygen administration by mask", "oxygen_therapy"),
    ("cvx", "02", "poliovirus vaccine, live, oral", "oral_polio_vaccine"),
    ("cvx", "94", "MMRV", "mmrv_vaccine"),
    ("cvx", "116", "rotavirus, pentavalent", "rotavirus_vaccine"),
    ("cvx", "115", "Tdap", "dtap_tdap_vaccine"),
    ("cvx", "165", "HPV9", "hpv_vaccine"),
    ("cvx", "140", "Influenza, seasonal, injectable, preservative free", "inactivated_influenza_vaccine"),
]

LIVE = {"02", "03", "19", "21", "25", "37", "75", "94", "111", "116", "119", "121", "149", "174"}
NOT_LIVE = {"08", "10", "20", "33", "43", "52", "62", "83", "113", "114", "115", "133", "140", "141", "150", "165"}
NOT_LIVE |= {"187", "206", "207", "208"}


@pytest.mark.parametrize(("system", "code", "display", "concept"), CONDITION_CODES)
def test_condition_codes_map_to_the_concept_they_mean(system, code, display, concept):
    vocab = get_vocabulary()
    (c,) = read(condition("c1", code, system=URIS[system], display=display)).conditions
    assert vocab.resolve(c.code, "condition").id == concept


@pytest.mark.parametrize(("system", "code", "display", "concept"), THERAPY_CODES)
def test_therapy_codes_map_to_the_concept_they_mean(system, code, display, concept):
    vocab = get_vocabulary()
    (t,) = read(med_statement("m1", {"coding": [{"system": URIS[system], "code": code}]})).therapies
    assert vocab.resolve(t.name, "therapy").id == concept, display


def test_every_cvx_vaccine_code_is_live_or_not_live_as_the_cdc_lists_it():
    vocab = get_vocabulary()
    for code in LIVE | NOT_LIVE:
        match = vocab.by_code("cvx", code)
        assert match is not None, code
        (concept,) = match.concepts
        expected = "live_vaccine" if code in LIVE else "non_live_vaccine"
        assert vocab.is_a(concept.id, expected), (code, concept.id)


# --- the shared bundles -----------------------------------------------------------------------------------------

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "fhir"
SYNTHEA = sorted(DATA.glob("*_*_*-*.json")) if DATA.is_dir() else []

# Condition codes of the Synthea bundles that are no clinical entity a criterion asks about (social findings),
# or not a diagnosis ("suspected COVID-19"), or too minor for any concept (a sprain).
NOT_CLINICAL = {
    "160903007",  # Full-time employment (finding)
    "160904001",  # Part-time employment (finding)
    "741062008",  # Not in labor force (finding)
    "224299000",  # Received higher education (finding)
    "5251000175109",  # Received certificate of high school equivalency (finding)
    "73595000",  # Stress (finding)
    "423315002",  # Limited social contact (finding)
    "422650009",  # Social isolation (finding)
    "105531004",  # Housing unsatisfactory (finding)
    "706893006",  # Victim of intimate partner abuse (finding)
    "266948004",  # Has a criminal record (finding)
    "160968000",  # Risk activity involvement (finding)
    "840544004",  # Suspected COVID-19
    "70704007",  # Sprain of wrist
}


@pytest.mark.skipif(not SYNTHEA, reason=f"shared FHIR test bundles not found at {DATA}")
@pytest.mark.parametrize("path", SYNTHEA, ids=lambda p: p.name.split("_")[0])
def test_synthea_clinical_conditions_and_every_medication_map(path):
    p = patient_from_bundle(json.loads(path.read_text()), source=path.name)
    unmapped = Counter((u.source.split("/")[0], u.code) for u in p.unmapped)
    conditions = {code for (kind, code) in unmapped if kind == "Condition"}
    assert conditions <= NOT_CLINICAL, conditions - NOT_CLINICAL
    assert not [k for k in unmapped if k[0].startswith("Medication") or k[0] == "Immunization"]
    assert all(t.classes == () for t in p.therapies if t.id.startswith("Medication"))  # named by their concept
