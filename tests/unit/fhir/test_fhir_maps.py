"""The mapping tables as data: the built-in tables are valid, and a site extends or overrides them.

Condition, medication, procedure and vaccine codes are the vocabulary's: a site adds them in a site vocabulary
directory, which the FHIR reader uses like every other input (``vocabulary=`` or ``PRESCREEN_VOCABULARY``)."""

from __future__ import annotations

import pytest
import yaml

from engine.catalog import get_catalog
from engine.errors import InputError
from engine.fhir import ENV_VAR, load_fhir_map, patient_from_bundle
from engine.vocabulary import get_vocabulary, load_vocabulary
from engine.vocabulary.load import BUILTIN, ENV_VARIABLE

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


def bundle(*resources):
    pat = {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1970-01-01"}
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (pat, *resources)]}


def coded(system, code, display=None):
    return {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]}


SUBJECT = {"reference": "Patient/p1"}
SITE_LAB = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "code": coded("urn:site:lab", "HGB"),
    "subject": SUBJECT,
    "effectiveDateTime": "2026-11-01",
    "valueQuantity": {"value": 10.2, "unit": "g/dL", "system": "http://unitsofmeasure.org", "code": "g/dL"},
}
ALT = {
    "resourceType": "Observation",
    "id": "o2",
    "status": "final",
    "code": coded(LOINC, "1742-6"),
    "subject": SUBJECT,
    "effectiveDateTime": "2026-11-01",
    "valueQuantity": {"value": 50, "system": "http://unitsofmeasure.org", "code": "U/L"},
}
BRONCHITIS = {
    "resourceType": "Condition",
    "id": "c1",
    "code": coded(SNOMED, "10509002"),
    "subject": SUBJECT,
    "clinicalStatus": coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
}
ZANU = {
    "resourceType": "MedicationStatement",
    "id": "m1",
    "status": "active",
    "effectiveDateTime": "2026-11-01",
    "subject": SUBJECT,
    "medicationCodeableConcept": coded("urn:site:drugs", "Z1", "zanubrutinib 80 MG Oral Capsule"),
}

EXTENSION = {
    "systems": {"sitelab": ["urn:site:lab"]},
    "observations": {"sitelab": {"HGB": "hemoglobin"}},
    "default_uln": {"alt": {"high": 45, "unit": "U/L", "source": "Site laboratory, adult ALT reference interval"}},
}
# A site vocabulary: a drug the package does not know, with the site's RxNorm code for it (made up for the test).
SITE_VOCABULARY = """\
domain: therapy
concepts:
  zanubrutinib: {label: zanubrutinib, atc: [L01EL03], rxnorm: ["99999901"]}
"""
ZANU_CODED = dict(
    ZANU,
    id="m2",
    medicationCodeableConcept=coded("http://www.nlm.nih.gov/research/umls/rxnorm", "99999901", "Zanubrutinib 80 MG"),
)


def write(tmp_path, data, name="site_map.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_built_in_tables_load_and_cover_the_catalog_loinc_codes():
    fmap = load_fhir_map()
    cat = get_catalog()
    loinc = fmap.observations["loinc"]
    for key, spec in cat.observations.items():
        for code in spec.loinc:
            if code not in ("2708-6", "59408-5"):  # excluded on purpose: not known to be on room air
                assert loinc[code] == key
    assert loinc["38483-4"] == "creatinine"
    assert fmap.default_uln["creatinine"].for_sex("female") == 1.1
    assert all(entry.source for entry in fmap.default_uln.values())


def test_without_extension_the_defaults_apply():
    p = patient_from_bundle(bundle(SITE_LAB, ALT, BRONCHITIS, ZANU), source="b.json")
    assert [o.code for o in p.labs + p.measurements] == ["alt"]
    assert p.observations[0].reference_range.high == 36
    assert [c.code for c in p.conditions] == ["acute bronchitis"]  # a respiratory tract infection
    assert {u.code for u in p.unmapped} == {"HGB", "Z1"}
    (t,) = p.therapies
    assert (t.name, t.classes) == ("zanubrutinib 80 MG Oral Capsule", ())  # unknown drug: kept without a class


def check_extended(p):
    by_code = {o.code: o for o in p.observations}
    assert by_code["hemoglobin"].value == 10.2
    assert by_code["alt"].reference_range.high == 45 and by_code["alt"].reference_range.assumed
    assert [c.code for c in p.conditions] == ["acute bronchitis"]
    assert [u.code for u in p.unmapped] == ["Z1"]


def test_site_extension_file_extends_and_overrides(tmp_path):
    path = write(tmp_path, EXTENSION)
    check_extended(patient_from_bundle(bundle(SITE_LAB, ALT, BRONCHITIS, ZANU), source="b.json", extra_maps=path))


def test_site_extension_from_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(write(tmp_path, EXTENSION)))
    check_extended(patient_from_bundle(bundle(SITE_LAB, ALT, BRONCHITIS, ZANU), source="b.json"))
    assert len(load_fhir_map().files) == 2


def test_extension_can_map_an_excluded_catalog_code_back(tmp_path):
    path = write(tmp_path, {"observations": {"loinc": {"59408-5": "SpO2 on room air"}}})
    assert load_fhir_map(path).observations["loinc"]["59408-5"] == "spo2_room_air"


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        (
            {"observations": {"loinc": {"1234-5": "haemoglobin level"}}},
            "observations.loinc.1234-5",
            "'haemoglobin level' is not a catalog observation",
        ),
        (
            {"conditions": {"snomed": {"1": "fish allergy"}}},
            "conditions",
            "section 'conditions' is no longer read: condition codes are the vocabulary's",
        ),
        (
            {"therapies": {"rxnorm": {"1": {"name": "x", "classes": ["magic"]}}}},
            "therapies",
            "section 'therapies' is no longer read: medication, procedure and vaccine codes are the vocabulary's",
        ),
        (
            {"therapy_names": {"zorblamycin": ["tki"]}},
            "therapy_names",
            "section 'therapy_names' is no longer read",
        ),
        (
            {"observations": {"local": {"A": "hemoglobin"}}},
            "observations.local",
            "unknown code system 'local' (declare it under 'systems')",
        ),
        (
            {"default_uln": {"alt": {"high": 40, "unit": "U/L"}}},
            "default_uln.alt",
            "every default ULN needs a 'source'",
        ),
        (
            {"default_uln": {"alt": {"high": 40, "unit": "mg/dL", "source": "x"}}},
            "default_uln.alt.unit",
            "cannot convert",
        ),
        ({"colours": {}}, "colours", "unknown section 'colours'"),
    ],
)
def test_bad_extension_is_an_input_error_naming_file_and_field(tmp_path, data, field, problem):
    path = write(tmp_path, data)
    with pytest.raises(InputError) as err:
        load_fhir_map(path)
    assert err.value.path == str(path.resolve())
    assert err.value.field == field
    assert problem in err.value.problem


def test_extension_that_is_not_yaml_or_missing(tmp_path):
    with pytest.raises(InputError, match="not valid YAML"):
        load_fhir_map(write(tmp_path, "observations: [unclosed", name="bad.yaml"))
    with pytest.raises(InputError, match="FHIR map extension: cannot read file"):
        load_fhir_map(tmp_path / "missing.yaml")


def test_the_default_tables_hold_no_condition_or_therapy_codes():
    fmap = load_fhir_map()
    assert not hasattr(fmap, "conditions") and not hasattr(fmap, "therapies")
    text = (BUILTIN.parent / "fhir_map.yaml").read_text()
    assert "\nconditions:" not in text and "\ntherapies:" not in text and "\ntherapy_names:" not in text


def site_vocabulary(tmp_path):
    directory = tmp_path / "site_vocabulary"
    directory.mkdir()
    (directory / "drugs.yaml").write_text(SITE_VOCABULARY)
    return directory


def test_a_site_vocabulary_maps_its_codes_given_to_the_reader(tmp_path):
    vocab = load_vocabulary([BUILTIN, site_vocabulary(tmp_path)])
    p = patient_from_bundle(bundle(ZANU_CODED), source="b.json", vocabulary=vocab)
    (t,) = p.therapies
    assert (t.name, t.classes, t.ongoing) == ("zanubrutinib", (), True)
    assert vocab.is_a("zanubrutinib", "btk_inhibitor")  # by its ATC code, L01EL03 under L01EL
    assert p.unmapped == ()
    # Without the site vocabulary the code is unknown: the record is kept without a class and listed.
    (t,) = patient_from_bundle(bundle(ZANU_CODED), source="b.json").therapies
    assert (t.name, t.classes) == ("Zanubrutinib 80 MG", ())


def test_a_site_vocabulary_from_the_environment_maps_its_codes(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VARIABLE, str(site_vocabulary(tmp_path)))
    assert "zanubrutinib" in get_vocabulary()
    (t,) = patient_from_bundle(bundle(ZANU_CODED), source="b.json").therapies
    assert t.name == "zanubrutinib"


def test_rxnorm_tablet_strength_turns_tablets_into_a_daily_dose():
    request = {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "active",
        "intent": "order",
        "subject": SUBJECT,
        "authoredOn": "2026-11-18",
        "medicationCodeableConcept": coded(
            "http://www.nlm.nih.gov/research/umls/rxnorm", "312617", "predniSONE 5 MG Oral Tablet"
        ),
        "dosageInstruction": [
            {
                "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
                "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet"}}],
            }
        ],
    }
    (t,) = patient_from_bundle(bundle(request), source="b.json").therapies
    assert (t.name, t.classes, t.ongoing) == ("prednisone", (), True)  # named from its text
    assert (t.dose.value, t.dose.unit) == (10.0, "mg/day")


def test_extension_with_a_duplicate_key_is_an_input_error_naming_key_and_line(tmp_path):
    text = 'observations:\n  loinc:\n    "1742-6": alt\n    "1742-6": ast\n'
    path = write(tmp_path, text, name="dup.yaml")
    with pytest.raises(InputError) as err:
        load_fhir_map(path)
    assert err.value.path == str(path.resolve())
    assert "duplicate key '1742-6' (line 4)" in err.value.problem
