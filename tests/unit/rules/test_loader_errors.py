"""A ruleset that does not load says where and why, in one line: file:line, criterion, field, problem."""

import pickle

import pytest
from ruleset_text import error_of, load

from engine.errors import RulesetError
from engine.rules.loader import ruleset_from_text


def test_unknown_key():
    assert (
        error_of("""\
        - id: INC-01
          kind: inclusion
          text: Hemoglobin at least 9
          require: hemoglobin >= 9 g/dL
          severity: high
        """)
        == "rulesets/NCT00000001.yaml:6 INC-01 field 'severity': Extra inputs are not permitted"
    )


def test_unparseable_unit():
    assert (
        error_of("""\
        - id: INC-01
          kind: inclusion
          text: Hemoglobin at least 9
          require: hemoglobin >= 9 gramz/dL
        """)
        == "rulesets/NCT00000001.yaml:6 INC-01 field 'require': "
        "threshold unit does not fit hemoglobin: unknown unit 'gramz/dL'"
    )


def test_threshold_of_the_wrong_dimension():
    msg = error_of("""\
        - id: EXC-01
          kind: exclusion
          text: LVEF at most 45
          exclude if: LVEF <= 45 mg/dL
        """)
    assert msg.startswith(
        "rulesets/NCT00000001.yaml:6 EXC-01 field 'exclude if': "
        "threshold unit does not fit LVEF: cannot convert 'mg/dL'"
    )


def test_bare_number_for_a_percentage_is_refused():
    assert "needs a unit" in error_of("""\
        - id: EXC-01
          kind: exclusion
          text: LVEF at most 45
          exclude if: LVEF <= 45
        """)


def test_duplicate_ids():
    assert (
        error_of("""\
        - id: INC-01
          kind: inclusion
          text: Hemoglobin at least 9
          require: hemoglobin >= 9 g/dL
        - id: INC-01
          kind: inclusion
          text: Platelets at least 50
          require: platelets >= 50 10^9/L
        """)
        == "rulesets/NCT00000001.yaml:10 INC-01 field 'id': duplicate criterion id 'INC-01'"
    )


def test_undefined_fact():
    assert (
        error_of("""\
        - id: INC-01
          kind: inclusion
          text: Unobtainium below 3
          require: unobtainium < 3 mg/dL
        """)
        == "rulesets/NCT00000001.yaml:6 INC-01 field 'require': unknown fact 'unobtainium' (not in the catalog)"
    )


def test_undefined_condition_and_reference_date():
    assert "unknown condition 'dragon pox'" in error_of("""\
        - id: EXC-01
          kind: exclusion
          text: Dragon pox
          exclude if: has dragon pox
        """)
    assert "unknown reference date 'lunch'" in error_of("""\
        - id: EXC-01
          kind: exclusion
          text: CAR-T
          exclude if: received CAR-T within 6 months before lunch
        """)


def test_inclusion_needs_require():
    assert (
        error_of("""\
        - id: INC-01
          kind: inclusion
          text: Hemoglobin at least 9
          exclude if: hemoglobin < 9 g/dL
        """)
        == "rulesets/NCT00000001.yaml:6 INC-01: an inclusion criterion needs 'require' (or 'judgement')"
    )


def test_malformed_yaml_names_the_line():
    with pytest.raises(RulesetError, match=r"^rulesets/x.yaml: not valid YAML: .*\(line 4, column 1\)$"):
        ruleset_from_text("trial: NCT00000001\ncriteria:\n  - id: [unclosed\n", "rulesets/x.yaml")


def test_ruleset_errors_pickle():
    err = RulesetError("bad", path="p.yaml", line=3, criterion="INC-01", field="require")
    assert str(pickle.loads(pickle.dumps(err))) == "p.yaml:3 INC-01 field 'require': bad"


def test_a_valid_ruleset_compiles_thresholds_into_catalog_units():
    rs = load("""\
        - id: INC-01
          kind: inclusion
          text: Hemoglobin at least 60 g/L
          require: hemoglobin >= 60 g/L
        """)
    node = rs.criteria[0].condition
    assert node.threshold == 6.0 and node.describe() == "hemoglobin ≥ 60 g/L"
    assert rs.name == f"NCT00000001@{rs.content_hash}"
