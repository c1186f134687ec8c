"""Bulk Data exports that are odd or hostile: every resource reaches its own patient or is reported; none is
attached to another patient, and no patient is screened without a resource of theirs that could not be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main

from .records import candidate_bundle, hcv_positive, resources

AS_OF = "2026-12-01"
TRIAL = "NCT07245251"  # the B-ALL trial: the candidates are open for it, a positive HCV antibody rules them out


def _export(directory: Path, extra: list[tuple[str, str]] = (), patients=("A", "B")) -> Path:
    """Two candidates' resources as ``<type>.ndjson`` files, then each extra (file stem, line) appended."""
    directory.mkdir()
    lines: dict[str, list[str]] = {}
    for pid in patients:
        for res in resources(candidate_bundle(pid)):
            res = json.loads(json.dumps(res).replace(f'"urn:uuid:{pid}"', f'"Patient/{pid}"'))
            lines.setdefault(res["resourceType"], []).append(json.dumps(res))
    for stem, line in extra:
        lines.setdefault(stem, []).append(line)
    for stem, found in lines.items():
        (directory / f"{stem}.ndjson").write_text("".join(x + "\n" for x in found), encoding="utf-8")
    return directory


def _batch(export: Path, capsys) -> tuple[int, dict[str | None, list[dict]], str]:
    """Exit code, output lines by patient, and what the run said."""
    out = export.parent / "out.jsonl"
    code = main(["batch", str(export), "--as-of", AS_OF, "--out", str(out), "--trial", TRIAL])
    by_patient: dict[str | None, list[dict]] = {}
    for line in out.read_text().splitlines():
        record = json.loads(line)
        by_patient.setdefault(record["patient"], []).append(record)
    return code, by_patient, capsys.readouterr().err


def _overall(lines: list[dict]) -> list[str | None]:
    return [r["overall"] for line in lines for r in line.get("results", [])] or [None]


def test_the_plain_export_screens_both_candidates_open(tmp_path, capsys):
    code, out, _ = _batch(_export(tmp_path / "x"), capsys)
    assert code == 0 and _overall(out["A"]) == _overall(out["B"]) == ["needs-review"]


def test_a_patients_resources_split_across_files_all_count(tmp_path, capsys):
    code, out, _ = _batch(_export(tmp_path / "x", [("Observation.2", json.dumps(hcv_positive("A")))]), capsys)
    assert code == 0 and _overall(out["A"]) == ["ineligible"] and _overall(out["B"]) == ["needs-review"]


def test_resources_of_a_patient_not_in_the_export_are_reported_and_attached_to_no_one(tmp_path, capsys):
    code, out, err = _batch(_export(tmp_path / "x", [("Observation", json.dumps(hcv_positive("Z")))]), capsys)
    assert code == 2 and "patient Z has records but no Patient resource" in err
    assert out["Z"][0]["error"] and _overall(out["A"]) == _overall(out["B"]) == ["needs-review"]


def test_a_reference_with_surrounding_spaces_still_names_its_patient(tmp_path, capsys):
    """The FHIR reader takes ``"Patient/A "`` as A's: the export's grouping must too, or A's exclusion is lost."""
    line = json.dumps(hcv_positive("A", "Patient/A "))
    _code, out, _ = _batch(_export(tmp_path / "x", [("Observation", line)]), capsys)
    assert _overall(out["A"]) == ["ineligible"] and "A " not in out, out.keys()


def test_a_versioned_reference_names_its_patient(tmp_path, capsys):
    line = json.dumps(hcv_positive("A", "Patient/A/_history/3"))
    code, out, _ = _batch(_export(tmp_path / "x", [("Observation", line)]), capsys)
    assert code == 0 and _overall(out["A"]) == ["ineligible"] and _overall(out["B"]) == ["needs-review"]


def test_a_urn_uuid_subject_is_attached_to_no_one_and_said(tmp_path, capsys):
    line = json.dumps(hcv_positive("A", "urn:uuid:A"))
    _code, out, err = _batch(_export(tmp_path / "x", [("Observation", line)]), capsys)
    assert "resources naming no patient, not used: 1 Observation" in err
    assert _overall(out["B"]) == ["needs-review"] and set(out) == {"A", "B"}


def test_a_reference_to_the_patient_on_another_server_is_listed_not_read(tmp_path, capsys):
    line = json.dumps(hcv_positive("A", "https://elsewhere.test/fhir/Patient/A"))
    _code, out, _ = _batch(_export(tmp_path / "x", [("Observation", line)]), capsys)
    (result,) = out["A"][0]["results"]
    assert any("Observation/A-hcv-1" in w and "not read" in w for w in result["warnings"])


def test_a_condition_with_patient_instead_of_subject_is_listed_not_read(tmp_path, capsys):
    res = hcv_positive("A")
    res["patient"] = res.pop("subject")
    _code, out, _ = _batch(_export(tmp_path / "x", [("Observation", json.dumps(res))]), capsys)
    (result,) = out["A"][0]["results"]
    assert any(w == "Observation/A-hcv-1: has no subject; not read" for w in result["warnings"])
    assert any(u.startswith("Observation/A-hcv-1 ") for u in result["unmapped"])


def test_two_patient_resources_with_one_id_stop_that_patient_only(tmp_path, capsys):
    twin = {"resourceType": "Patient", "id": "A", "gender": "male", "birthDate": "1950-01-01"}
    code, out, _err = _batch(_export(tmp_path / "x", [("Patient", json.dumps(twin))]), capsys)
    assert code == 2 and "the bundle has 2 Patient resources" in out["A"][0]["error"]
    assert _overall(out["B"]) == ["needs-review"]


@pytest.mark.parametrize("line", ['{"resourceType": "Patient", "id": 7}', '{"resourceType": "Patient"}'])
def test_a_patient_line_without_a_usable_id_is_a_record_that_could_not_be_screened(tmp_path, line, capsys):
    """A Patient nobody can be screened as is a patient lost: an error record, not a note among the remarks."""
    code, out, err = _batch(_export(tmp_path / "x", [("Patient", line)]), capsys)
    assert code == 2 and any(r.get("error") and "Patient.ndjson:3" in r["source"] for r in out.get(None, []))
    assert "3 patients, 1 with bad input" in err


@pytest.mark.parametrize("line", ['{"foo": 1}', "[1, 2]", '"Patient"'])
def test_a_patient_line_that_is_json_but_not_a_resource_is_reported(tmp_path, line, capsys):
    code, out, err = _batch(_export(tmp_path / "x", [("Patient", line)]), capsys)
    assert code == 2 and "Patient.ndjson:3: not a FHIR resource" in err
    assert _overall(out["A"]) == _overall(out["B"]) == ["needs-review"]


def test_a_broken_line_is_charged_to_its_subject_not_to_a_patient_it_merely_mentions(tmp_path, capsys):
    """A's truncated result also names B (as performer): A must not be screened without it."""
    text = json.dumps(hcv_positive("A"))[:-1] + ', "performer": [{"reference": "Patient/B"}], '
    code, out, _err = _batch(_export(tmp_path / "x", [("Observation", text)]), capsys)
    assert code == 2 and out["A"][0]["error"] and "patient A is not screened without it" in out["A"][0]["error"]
    assert _overall(out["B"]) == ["needs-review"]


def test_duplicate_keys_in_an_export_line_are_bad_input_not_the_last_one_wins(tmp_path, capsys):
    """``subject`` twice: a reader keeping the first sees A's result, one keeping the last sees B's. The rest of
    the engine refuses duplicate keys; an export line must not be attached to whichever patient came last."""
    text = json.dumps(hcv_positive("A"))[:-1] + ', "subject": {"reference": "Patient/B"}}'
    code, out, err = _batch(_export(tmp_path / "x", [("Observation", text)]), capsys)
    assert code == 2 and "duplicate key 'subject'" in err
    assert _overall(out["B"]) != ["ineligible"]


def test_a_group_export_screens_the_patients_and_says_the_group_is_not_used(tmp_path, capsys):
    group = {"resourceType": "Group", "id": "g", "type": "person", "actual": True}
    group["member"] = [{"entity": {"reference": "Patient/A"}}, {"entity": {"reference": "Patient/B"}}]
    code, out, err = _batch(_export(tmp_path / "x", [("Group", json.dumps(group))]), capsys)
    assert code == 0 and set(out) == {"A", "B"} and "not used: 1 Group" in err


def test_a_huge_line_is_read_as_one_resource(tmp_path, capsys):
    res = hcv_positive("A")
    res["note"] = [{"text": "x" * 4_000_000}]
    code, out, _ = _batch(_export(tmp_path / "x", [("Observation", json.dumps(res))]), capsys)
    assert code == 0 and _overall(out["A"]) == ["ineligible"] and _overall(out["B"]) == ["needs-review"]


def test_a_deeply_nested_line_is_bad_input_for_its_patient(tmp_path, capsys):
    res = hcv_positive("A")
    text = json.dumps(res)[:-1] + ', "extension": ' + "[" * 3000 + "]" * 3000 + "}"
    code, out, _err = _batch(_export(tmp_path / "x", [("Observation", text)]), capsys)
    assert code == 2 and out["A"][0]["error"] and _overall(out["B"]) == ["needs-review"]
