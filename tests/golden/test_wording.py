"""Every sentence a person reads, for every fixture patient, follows the rules of engine/words.py and
engine/explain.py: checks that would have caught each wording fault users reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_golden import ROOT, _fixtures, _results, render_table_text

from engine.facts.model import JudgementRequest
from engine.results import TrialResult
from engine.words import unmapped_kinds

# (pattern, what is wrong): each from a sentence users reported.
_FAULTS = [
    (re.compile(r"\ba [aeioAEIO]"), "'a' before a vowel sound ('a AXL', 'a absolute neutrophil count')"),
    (re.compile(r"\ban [bcdgjkpqtvwz]"), "'an' before a consonant"),
    (re.compile(r"10\^"), "a power of ten written the machine way ('64 10^9/L')"),
    (re.compile(r"\bno (no|another) "), "a double negation ('no no remission', 'no another malignancy')"),
    (re.compile(r"(?<![\d.,])1 (patient|result|day|week|month|year|hour|criteria|record|warning)s\b"), "'1 patients'"),
    (re.compile(r"\b(\d*[02-9]|1\d) (day|week|month|year|hour|result|record)\b(?![-\w])"), "'12 month'"),
    (re.compile(r"\(s\)"), "'result(s)'"),
]


def _texts(results: list[TrialResult]) -> list[tuple[str, str]]:
    """(where, text) of every sentence made for a person: explanations, reasons, what would settle a trial."""
    out = []
    for r in results:
        out += [(f"{r.trial} missing_data", m) for m in r.missing_data]
        for c in r.criteria:
            out.append((f"{r.trial}/{c.id} explanation", c.explanation))
            out += [(f"{r.trial}/{c.id} reason", f"{x.message} | {x.settle}") for x in c.reasons]
    return out


@pytest.mark.parametrize("patient", _fixtures(), ids=lambda p: p.stem)
def test_every_sentence_reads_as_english(patient: Path) -> None:
    faults = [
        f"{where}: {why}: …{text[max(0, m.start() - 40) : m.end() + 40]}…"
        for where, text in _texts(_results(patient))
        for pattern, why in _FAULTS
        if (m := pattern.search(text))
    ]
    assert not faults, "\n".join(faults[:20])


@pytest.mark.parametrize("patient", _fixtures(), ids=lambda p: p.stem)
def test_each_question_for_a_person_is_asked_once(patient: Path) -> None:
    screener_questions = {
        q
        for rs in __import__("test_golden")._screener().rulesets.values()
        for q in (r.question for r in rs.requests if isinstance(r, JudgementRequest))
    }
    for r in _results(patient):
        for c in r.criteria:
            for q in screener_questions:
                assert c.explanation.count(q) <= 1, f"{r.trial}/{c.id} asks '{q}' twice: {c.explanation}"


@pytest.mark.parametrize("patient", _fixtures(), ids=lambda p: p.stem)
def test_what_would_settle_is_only_for_a_trial_a_review_can_change_and_says_each_item_once(patient: Path) -> None:
    for r in _results(patient):
        if r.overall != "needs-review":  # an ineligible trial stays so whatever is settled; an eligible one is done
            assert r.missing_data == (), r.trial
            continue
        items = list(r.missing_data)
        assert items and len(items) == len(set(items)), r.trial
        assert all("; " not in i for i in items), "a joined item is split into its parts"
        open_reasons = [x for c in r.criteria if c.verdict == "needs-review" for x in c.reasons]
        assert all(any(i in x.settle for x in open_reasons) for i in items)  # nothing invented


def test_the_example_names_each_settle_item_once_in_the_table() -> None:
    results = _results(ROOT / "examples" / "patient.yaml")
    text = render_table_text(results)
    assert "what would settle the reviews" not in text  # the example is eligible or ruled out for every trial
    ruled_out = [r for r in results if r.overall == "ineligible"]
    assert ruled_out and all(r.missing_data == () for r in ruled_out)


def test_a_fhir_patients_unmapped_records_and_warnings_are_counted_then_listed() -> None:
    bundles = [p for p in _fixtures() if p.parent.name == "fhir" and "mcode" in p.name]
    if not bundles:
        pytest.skip("../shared/data/fhir is absent")
    results = _results(bundles[0])
    unmapped, warnings = set(results[0].unmapped), {w for r in results for w in r.warnings}
    assert unmapped and warnings
    summary = render_table_text(results, details=False)
    assert f"{len(unmapped)} records not mapped to the vocabulary; {len(warnings)} warnings" in summary
    assert "(--details lists them)" in summary
    details = " ".join(render_table_text(results, width=400).split())
    assert all(" ".join(u.split()) in details for u in unmapped_kinds(unmapped))
    assert all(" ".join(w.split()) in details for w in warnings)


def test_an_open_criterion_tells_the_record_not_the_subject_twice() -> None:
    results = {r.trial: r for r in _results(ROOT / "examples" / "patient.yaml")}
    age = results["NCT06849401"].criterion("INC-01").explanation
    assert age == "Not met: age between 2 and 18 years: no (34 years at screening on 2026-11-20)."
    sex = results["NCT07310355"].criterion("INC-02a").explanation
    assert sex == "Not met: sex is male: no (female)."
    leukemia = results["NCT07257640"].criterion("INC-02").explanation
    assert "has eosinophilic leukemia: no (none in the complete condition history)" in leukemia


def test_an_ineligible_trial_is_summed_up_by_what_ruled_it_out() -> None:
    bundle = ROOT / "features" / "patients" / "NCT07257640-ineligible.yaml"
    results = {r.trial: r for r in _results(bundle)}
    hbv = results["NCT07257640"].criterion("EXC-02b").explanation
    # HBe antibody positive decides; HBeAg negative did not, and is said after it
    assert hbv.startswith("Exclusion applies: HBe antibody is positive: yes (positive on 2026-11-05); ")
    assert "Other parts: HBeAg is positive: no (negative on 2026-11-05)" in hbv
