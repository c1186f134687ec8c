"""`prescreen vocabulary`: find the name to use, see where a concept sits, extend it from a site directory."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml

from engine import Screener
from engine.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["vocabulary", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_name_shows_the_concept_with_its_ancestors_kinds_and_codes(capsys):
    code, out, _ = run(capsys, "Keytruda")
    assert code == 0
    assert out.splitlines()[0] == "pembrolizumab  [therapy: pembrolizumab]"
    assert "immune checkpoint inhibitor" in out and "antineoplastic agent" in out
    assert "codes: atc L01FF02; rxnorm 1547545" in out


def test_a_code_shows_the_concept_it_resolves_to(capsys):
    assert run(capsys, "G40.909")[1].startswith("epilepsy  [condition: epilepsy]")
    assert run(capsys, "snomed 94222008")[1].startswith("bone metastasis  [condition: bone_metastasis]")


def test_a_partial_name_lists_the_matches(capsys):
    code, out, _ = run(capsys, "leukemia")
    assert code == 0 and "leukemia  [condition: leukemia]" in out  # exact name: shown in full
    out = run(capsys, "lymphoblastic")[1]
    assert "acute lymphoblastic leukemia  [condition: acute_lymphoblastic_leukemia]" in out
    assert "T-cell acute lymphoblastic leukemia  [condition: t_cell_all]" in out


def test_nothing_found_says_so(capsys):
    assert run(capsys, "zzzqqq") == (0, "no concept matches 'zzzqqq'\n", "")


def test_a_site_directory_extends_the_vocabulary(capsys, tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "local.yaml").write_text(
        "domain: therapy\nextend:\n  pembrolizumab: {aliases: [pembro-site]}\n", encoding="utf-8"
    )
    assert run(capsys, "pembro-site", "--vocabulary", str(site))[1].startswith("pembrolizumab")
    monkeypatch.setenv("PRESCREEN_VOCABULARY", str(site))
    assert run(capsys, "pembro-site")[1].startswith("pembrolizumab")


def test_a_conflicting_site_file_is_one_clear_error(capsys, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "clash.yaml").write_text(
        "domain: therapy\nconcepts:\n  my_drug: {label: Keytruda, is_a: [drug]}\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "Keytruda", "--vocabulary", str(site))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "clash.yaml" in err and "concept 'my_drug'" in err and "also names 'pembrolizumab'" in err


SITE_PRODUCT = "domain: therapy\nconcepts:\n  site_car_t_x: {label: sitecel, aliases: [SITE-CAR-19], is_a: [car_t]}\n"


def _patient_with(tmp_path: Path, therapy: str) -> Path:
    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "examples" / "patient.yaml").read_text())
    data["therapies"].append({"id": "rx-site", "name": therapy, "start": "2026-09-01", "end": "2026-09-01"})
    path = tmp_path / "patient.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_site_product_counts_as_its_class_when_screening(capsys, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "products.yaml").write_text(SITE_PRODUCT, encoding="utf-8")
    patient = _patient_with(tmp_path, "SITE-CAR-19")
    args = ["screen", str(patient), "--trial", "NCT07245251", "--as-of", "2026-11-23", "--format", "json"]
    assert main([*args, "--vocabulary", str(site)]) == 0
    with_site = {c["id"]: c for c in json.loads(capsys.readouterr().out)[0]["criteria"]}
    assert with_site["EXC-03"]["verdict"] == "ineligible"
    assert main(args) == 0  # without the site vocabulary the name is unknown: the class cannot be ruled out
    without = {c["id"]: c for c in json.loads(capsys.readouterr().out)[0]["criteria"]}
    assert without["EXC-03"]["verdict"] == "needs-review"


def test_a_site_vocabulary_extends_the_library_screener(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "products.yaml").write_text(SITE_PRODUCT, encoding="utf-8")
    rulesets = Path(__file__).resolve().parents[2] / "rulesets"
    screener = Screener.from_directory(rulesets, vocabulary=[site])
    result = screener.screen(_patient_with(tmp_path, "sitecel"), as_of=date(2026, 11, 23), trials=["NCT07245251"])
    assert result[0].criterion("EXC-03").verdict == "ineligible"


SITE_LAB = """domain: observation
concepts:
  site_ferritin:
    {label: serum ferritin, aliases: [ferritin], unit: ng/mL, min: 0, max: 100000, loinc: [2276-4], is_a: [observation]}
"""
SITE_RULESET = """trial: NCT00000009
title: a site trial
source: site protocol
version: "1"
criteria:
  - id: INC-01
    kind: inclusion
    text: Ferritin below 1000 ng/mL.
    require: ferritin < 1000 ng/mL at any time
"""


def test_a_site_adds_a_lab_that_its_rulesets_and_patients_name(capsys, tmp_path: Path):
    site, rulesets = tmp_path / "site", tmp_path / "rulesets"
    site.mkdir()
    rulesets.mkdir()
    (site / "labs.yaml").write_text(SITE_LAB, encoding="utf-8")
    (rulesets / "NCT00000009.yaml").write_text(SITE_RULESET, encoding="utf-8")
    patient = tmp_path / "p.yaml"
    patient.write_text(
        "id: p\nlabs:\n  - {code: ferritin, value: 1.2, unit: ug/mL, date: 2026-11-01}\n", encoding="utf-8"
    )
    screener = Screener.from_directory(rulesets, vocabulary=[site])
    c = screener.screen(patient, as_of=date(2026, 11, 23))[0].criterion("INC-01")
    assert c.verdict == "ineligible" and "no (1.2 µg/mL = 1200 ng/mL on 2026-11-01)" in c.explanation
    assert main(["lint", str(rulesets / "NCT00000009.yaml"), "--vocabulary", str(site)]) == 0
    assert main(["lint", str(rulesets / "NCT00000009.yaml")]) == 2  # without the site the lab is unknown
    assert "unknown fact 'ferritin'" in capsys.readouterr().err
