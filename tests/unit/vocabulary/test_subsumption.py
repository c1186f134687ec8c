"""The shipped vocabulary answers the clinical review's findings: medicine nests, whatever trial asks.

Each case is a record a reviewer found slipping past a criterion when classes did not nest; here the record's
concept must fall under (``is``) the concept the criterion asks about, or leave it open (``broader``,
``unclassified``), never ``other``.
"""

from __future__ import annotations

import pytest

from engine.vocabulary import load_vocabulary
from engine.vocabulary.load import BUILTIN


@pytest.fixture(scope="module")
def v():
    return load_vocabulary([BUILTIN])


@pytest.mark.parametrize(
    ("record", "question"),
    [
        ("epilepsy", "central nervous system disease"),
        ("ischemic stroke", "CNS disease"),
        ("intracerebral hemorrhage", "intracranial hemorrhage"),
        ("transient ischemic attack", "cerebrovascular disease"),
        ("active tuberculosis", "infection"),
        ("afamitresgene autoleucel", "genetically modified cell therapy"),
        ("afamitresgene autoleucel", "adoptive T-cell therapy"),
        ("CAR-NK", "genetically modified cell therapy"),
        ("lifileucel", "adoptive T-cell therapy"),
        ("DC-CIK", "anticancer immunotherapy"),
        ("laparotomy", "major surgery"),
        ("laparotomy", "surgery"),
        ("proxalutamide", "anticancer therapy"),
        ("tacrolimus", "immunosuppressant"),
        ("ciclosporin", "immunosuppressant"),
        ("mycophenolate mofetil", "immunosuppressant"),
        ("sirolimus", "immunosuppressant"),
        ("methylprednisolone", "systemic corticosteroid"),
        ("kidney transplant", "organ transplantation"),
        ("kidney transplant status", "history of organ transplantation"),
        ("pembrolizumab", "immune checkpoint inhibitor"),
        ("pembrolizumab", "monoclonal antibody"),
        ("nab-paclitaxel", "taxane"),
        ("docetaxel", "chemotherapy"),
        ("dasatinib", "second-generation TKI"),
        ("tisagenlecleucel", "CAR-T"),
        ("brain metastasis", "malignant neoplasm"),
        ("multiple sclerosis", "autoimmune disease"),
        ("acute GVHD", "graft-versus-host disease"),
        ("MMR vaccine", "live vaccine"),
        ("live zoster vaccine", "live vaccine"),
    ],
)
def test_a_record_of_a_kind_answers_the_question_about_its_class(v, record, question):
    r, q = v.resolve(record), v.resolve(question)
    assert r is not None and q is not None, (record, question)
    assert v.relation(r.id, q.id) == "is"


@pytest.mark.parametrize(
    ("record", "question", "relation"),
    [
        ("surgery", "major surgery", "broader"),  # less specific than asked: a person must say
        ("CNS disease", "epilepsy", "broader"),
        ("appendectomy", "major surgery", "unclassified"),  # an operation the vocabulary does not class
        ("lumpectomy", "minor surgery", "unclassified"),
        ("biopsy", "major surgery", "other"),  # classed minor
        ("carcinoma in situ", "malignant neoplasm", "other"),  # protocols except in-situ cancers on purpose
        ("recombinant zoster vaccine", "live vaccine", "other"),
        ("latent tuberculosis", "infection", "other"),
        ("prednisone", "immunosuppressant", "other"),  # steroids are asked about by name in protocols
        ("imatinib", "chemotherapy", "other"),
    ],
)
def test_less_specific_and_unclassified_records_leave_the_question_open(v, record, question, relation):
    assert v.relation(v.resolve(record).id, v.resolve(question).id) == relation


def test_skin_cancers_and_in_situ_cancers_are_distinguishable(v):
    nmsc, melanoma = v.resolve("basal cell carcinoma of skin"), v.resolve("melanoma")
    assert v.relation(nmsc.id, "malignant_neoplasm") == "is"
    assert v.relation(nmsc.id, "melanoma") == "other" and v.relation(melanoma.id, "non_melanoma_skin_cancer") == "other"
    assert v.relation("melanoma_in_situ", "carcinoma_in_situ") == "is"


@pytest.mark.parametrize(
    ("system", "code", "concept"),
    [
        ("icd10cm", "G40.909", "epilepsy"),
        ("icd10cm", "I63.512", "ischemic_stroke"),
        ("icd10cm", "A15.0", "tuberculosis"),
        ("icd10cm", "C34.90", "lung_cancer"),
        ("icd10cm", "C79.31", "brain_metastasis"),
        ("icd10cm", "C91.00", "acute_lymphoblastic_leukemia"),
        ("icd10cm", "Z94.0", "kidney_transplant_status"),
        ("icd10cm", "D05.10", "carcinoma_in_situ"),
        ("icd10cm", "I10", "hypertension"),
        ("snomed", "94222008", "bone_metastasis"),
        ("snomed", "59621000", "hypertension"),
        ("atc", "L01FF09", "pd1_pdl1_inhibitor"),
        ("atc", "L01XA02", "carboplatin"),
        ("atc", "H02AB07", "prednisone"),
        ("atc", "L04AX05", "immunosuppressant"),
        ("rxnorm", "1946827", "abemaciclib"),
        ("cvx", "121", "live_zoster_vaccine"),
    ],
)
def test_standard_codes_resolve_to_the_most_specific_concept(v, system, code, concept):
    match = v.by_code(system, code)
    assert match is not None and [c.id for c in match.concepts] == [concept]
