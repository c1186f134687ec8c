"""Lint of the shipped vocabulary: it loads (no duplicate spellings or codes, no cycles, no unknown parents),
each domain has one root every concept reaches, every ICD-10-CM code exists in the tabular list, and every
observation says how its results are read."""

from __future__ import annotations

import pytest

from engine.vocabulary import load_vocabulary
from engine.vocabulary.codes import is_valid_icd10cm
from engine.vocabulary.load import BUILTIN


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary([BUILTIN])


def test_each_domain_has_one_root_that_every_concept_reaches(vocabulary):
    roots = {c.domain: c.id for c in vocabulary.concepts.values() if not c.parents}
    assert set(roots) == {"condition", "therapy", "observation"}
    assert len([c for c in vocabulary.concepts.values() if not c.parents]) == 3
    for c in vocabulary.concepts.values():
        assert roots[c.domain] in vocabulary.ancestors(c.id), c.id


def test_every_icd10cm_code_is_in_the_tabular_list(vocabulary):
    unknown = [
        (c.id, code)
        for c in vocabulary.concepts.values()
        for code in c.codes.get("icd10cm", ())
        if not is_valid_icd10cm(code)
    ]
    assert not unknown


def test_every_observation_below_the_root_is_read_as_a_result(vocabulary):
    unread = [c.id for c in vocabulary.concepts.values() if c.domain == "observation" and c.parents and not c.measure]
    assert not unread
