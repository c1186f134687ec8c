"""The vocabulary core: linking, closures, standard-code hierarchies, site extension, and every conflict."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import VocabularyError
from engine.vocabulary import get_vocabulary, load_vocabulary

BASE_THERAPIES = """
domain: therapy
concepts:
  therapy: {label: therapy, root: true}
  antineoplastic_agent: {label: antineoplastic agent, is_a: [therapy], atc: [L01]}
  monoclonal_antibody: {label: anticancer monoclonal antibody, atc: [L01F]}
  pd1_pdl1_inhibitor: {label: PD-1/PD-L1 inhibitor, aliases: [anti-PD-1], atc: [L01FF]}
  immune_checkpoint_inhibitor: {label: immune checkpoint inhibitor, is_a: [therapy]}
  pembrolizumab: {label: pembrolizumab, aliases: [Keytruda], atc: [L01FF02], rxnorm: [1547545]}
  immunosuppressant: {label: immunosuppressant, is_a: [therapy], atc: [L04]}
  gvhd_medication: {label: systemic GVHD medication, is_a: [therapy]}
  tacrolimus: {label: tacrolimus, is_a: [gvhd_medication], atc: [L04AD02]}
"""

BASE_CONDITIONS = """
domain: condition
concepts:
  condition: {label: clinical condition, root: true}
  malignant_neoplasm: {label: malignant neoplasm, aliases: [cancer], is_a: [condition], icd10cm: [C00-C96]}
  skin_neoplasm: {label: melanoma and other malignant neoplasms of skin, icd10cm: [C43-C44]}
  breast_cancer: {label: breast cancer, icd10cm: [C50]}
  cns_disease: {label: CNS disease, is_a: [condition]}
  epilepsy: {label: epilepsy, aliases: [seizure disorder], is_a: [cns_disease], icd10cm: [G40]}
"""


def _dir(tmp_path: Path, name: str, **files: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    for stem, text in files.items():
        (d / f"{stem}.yaml").write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return _dir(tmp_path, "base", therapies=BASE_THERAPIES, conditions=BASE_CONDITIONS)


def test_a_drug_is_below_the_classes_its_atc_code_lies_in(base):
    v = load_vocabulary([base])
    assert v.ancestors("pembrolizumab") >= {"pd1_pdl1_inhibitor", "monoclonal_antibody", "antineoplastic_agent"}
    assert "pembrolizumab" in v.descendants("antineoplastic_agent")
    assert not v.is_a("pembrolizumab", "immune_checkpoint_inhibitor")  # not said anywhere: not assumed


def test_explicit_and_code_parents_together_make_a_dag(base):
    v = load_vocabulary([base])
    assert v.ancestors("tacrolimus") == {"tacrolimus", "gvhd_medication", "immunosuppressant", "therapy"}
    assert v.descendants("therapy") >= {"tacrolimus", "pembrolizumab", "gvhd_medication"}


def test_spellings_fold_case_and_punctuation_within_a_domain(base):
    v = load_vocabulary([base])
    assert v.resolve("KEYTRUDA").id == "pembrolizumab"
    assert v.resolve("anti PD 1").id == "pd1_pdl1_inhibitor"
    assert v.resolve("Seizure-disorder", domain="condition").id == "epilepsy"
    assert v.resolve("epilepsy", domain="therapy") is None
    assert v.suggest("pembrolizumb") == ["pembrolizumab"]


def test_an_atc_code_resolves_to_the_drug_or_else_its_nearest_class(base):
    v = load_vocabulary([base])
    exact = v.by_code("atc", "l01ff02")
    assert [c.id for c in exact.concepts] == ["pembrolizumab"] and not exact.through_hierarchy
    other = v.by_code("atc", "L01FF09")  # a PD-1 inhibitor the vocabulary does not list
    assert [c.id for c in other.concepts] == ["pd1_pdl1_inhibitor"] and other.via == "L01FF"
    assert v.by_code("atc", "N02BE01") is None


def test_an_icd10cm_code_resolves_through_its_category_and_blocks(base):
    v = load_vocabulary([base])
    m = v.by_code("icd10cm", "G40909")
    assert [c.id for c in m.concepts] == ["epilepsy"] and (m.code, m.via) == ("G40.909", "G40")
    assert [c.id for c in v.by_code("icd10cm", "C50.911").concepts] == ["breast_cancer"]
    assert [c.id for c in v.by_code("icd10cm", "C44.91").concepts] == ["skin_neoplasm"]  # narrowest block first
    assert [c.id for c in v.by_code("icd10cm", "C18.9").concepts] == ["malignant_neoplasm"]
    assert v.by_code("icd10cm", "D05.1") is None  # carcinoma in situ is not a malignant neoplasm (C00-C96)
    assert v.by_code("icd10cm", "G40.99999") is None  # not a real code: never mapped to a class by prefix


def test_icd10cm_blocks_nest_by_span(base):
    v = load_vocabulary([base])
    assert v.ancestors("skin_neoplasm") == {"skin_neoplasm", "malignant_neoplasm", "condition"}
    assert v.ancestors("breast_cancer") == {"breast_cancer", "malignant_neoplasm", "condition"}


def test_a_site_extends_concepts_without_overriding(base, tmp_path):
    site = _dir(
        tmp_path,
        "site",
        local="""
domain: therapy
concepts:
  retifanlimab: {label: retifanlimab, atc: [L01FF10]}
extend:
  pembrolizumab: {is_a: [immune_checkpoint_inhibitor], aliases: [MK-3475]}
""",
    )
    v = load_vocabulary([base, site])
    assert v.is_a("pembrolizumab", "immune_checkpoint_inhibitor")
    assert v.resolve("mk 3475").id == "pembrolizumab"
    assert v["pembrolizumab"].sources == (str(base / "therapies.yaml"), str(site / "local.yaml"))
    assert v.is_a("retifanlimab", "pd1_pdl1_inhibitor")


def test_site_directories_come_from_the_environment(base, tmp_path, monkeypatch):
    site = _dir(
        tmp_path,
        "env",
        local="domain: condition\nconcepts:\n  insomnia: {label: insomnia, is_a: [condition], icd10cm: [G47.0]}\n",
    )
    monkeypatch.setenv("PRESCREEN_VOCABULARY", str(site))
    v = get_vocabulary()
    assert v.resolve("insomnia") is not None


CONFLICTS = {
    "a concept defined twice": (
        {"b": "domain: therapy\nconcepts:\n  tacrolimus: {label: FK506, is_a: [therapy]}\n"},
        ["b.yaml", "concept 'tacrolimus'", "already defined in", "therapies.yaml"],
    ),
    "one alias on two concepts": (
        {"b": "domain: therapy\nconcepts:\n  fk: {label: Keytruda!, is_a: [therapy]}\n"},
        ["concept 'fk'", "spelling 'keytruda' also names 'pembrolizumab'", "therapies.yaml"],
    ),
    "one code on two concepts": (
        {"b": "domain: therapy\nconcepts:\n  pembro2: {label: pembro copy, atc: [L01FF02]}\n"},
        ["concept 'pembro2'", "atc code L01FF02 also belongs to 'pembrolizumab'"],
    ),
    "an unknown parent": (
        {"b": "domain: therapy\nconcepts:\n  x_drug: {label: x drug, is_a: [no_such_class]}\n"},
        ["b.yaml", "concept 'x_drug'", "unknown parent 'no_such_class'"],
    ),
    "a parent in another domain": (
        {"b": "domain: therapy\nconcepts:\n  x_drug: {label: x drug, is_a: [epilepsy]}\n"},
        ["concept 'x_drug'", "parent 'epilepsy' is a condition, not a therapy"],
    ),
    "a cycle": (
        {"b": "domain: therapy\nextend:\n  therapy: {is_a: [tacrolimus]}\n"},
        ["is-a cycle", "tacrolimus", "therapy"],
    ),
    "an extension of an unknown concept": (
        {"b": "domain: therapy\nextend:\n  nivolumab: {aliases: [Opdivo]}\n"},
        ["b.yaml", "concept 'nivolumab'", "extends an unknown concept"],
    ),
    "a concept without parents": (
        {"b": "domain: condition\nconcepts:\n  orphan: {label: orphan finding}\n"},
        ["concept 'orphan'", "has no parent"],
    ),
    "a malformed code": (
        {"b": "domain: therapy\nconcepts:\n  x_drug: {label: x drug, is_a: [therapy], atc: [L1FF02]}\n"},
        ["b.yaml", "concept 'x_drug'", "'L1FF02' is not a well-formed atc code"],
    ),
    "an unknown key": (
        {"b": "domain: therapy\nconcepts:\n  x_drug: {label: x drug, is_a: [therapy], parent: therapy}\n"},
        ["b.yaml", "concept 'x_drug'", "parent"],
    ),
    "an unknown domain": ({"b": "domain: gene\nconcepts: {}\n"}, ["b.yaml", "domain"]),
    "a duplicate key": (
        {
            "b": "domain: therapy\nconcepts:\n  x_drug: {label: x, is_a: [therapy]}\n"
            "  x_drug: {label: y, is_a: [therapy]}\n"
        },
        ["b.yaml", "x_drug"],
    ),
    "not YAML": ({"b": "domain: [therapy\n"}, ["b.yaml"]),
}


@pytest.mark.parametrize("case", list(CONFLICTS), ids=list(CONFLICTS))
def test_conflicts_and_malformed_files_are_one_clear_error(base, tmp_path, case):
    files, expected = CONFLICTS[case]
    site = _dir(tmp_path, "site", **files)
    with pytest.raises(VocabularyError) as err:
        load_vocabulary([base, site])
    message = str(err.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
