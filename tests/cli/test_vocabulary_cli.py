"""`prescreen vocabulary`: find the name to use, see where a concept sits, extend it from a site directory."""

from __future__ import annotations

from pathlib import Path

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
