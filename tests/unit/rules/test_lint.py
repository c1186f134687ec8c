"""Lint refuses what it cannot read exactly, and reports every problem in a file with a suggestion."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from ruleset_text import HEADER, PATH, error_of, load, text_of

from engine.catalog import Catalog, CatalogSpec, merge_catalog_files
from engine.cli import main
from engine.errors import RulesetError
from engine.evaluate.durable_adapter import DurableSession
from engine.evaluate.logic import Truth
from engine.facts.model import Fact, JudgementRequest, Reason, SexRequest
from engine.rules.loader import lint_text, ruleset_from_text


def requirement(sentence: str) -> str:
    """The error for an inclusion whose whole body is ``sentence`` (criterion on line 6)."""
    return error_of(f"""\
        - id: INC-01
          kind: inclusion
          text: a protocol item
          require: "{sentence}"
        """)


# Operators: only the ones the language defines; a look-alike is never read as another.


@pytest.mark.parametrize(
    ("sentence", "op", "suggestion"),
    [
        ("hemoglobin => 9 g/dL", "=>", ">="),
        ("hemoglobin =< 9 g/dL", "=<", "<="),
        ("hemoglobin >== 9 g/dL", ">==", ">="),
        ("hemoglobin !< 9 g/dL", "!<", ">="),
        ("hemoglobin =! 9 g/dL", "=!", None),
        ("hemoglobin <> 9 g/dL", "<>", None),
        ("total bilirubin => 2 x ULN", "=>", ">="),
        ("AXL staining intensity => ++", "=>", ">="),
    ],
)
def test_unknown_operators_are_errors(sentence, op, suggestion):
    msg = requirement(sentence)
    assert msg.startswith(f"{PATH}:6 INC-01 field 'require': unknown operator '{op}'")
    if suggestion:
        assert msg.endswith(f"(did you mean '{suggestion}'?)")


@pytest.mark.parametrize("sentence", ["hemoglobin >= 9 g/dL", "hemoglobin ≥ 9 g/dL", "ECOG = 1", "ECOG == 1"])
def test_defined_operators_still_read(sentence):
    requirement_ok = load(f"""\
        - id: INC-01
          kind: inclusion
          text: a protocol item
          require: "{sentence}"
        """)
    assert requirement_ok.criteria[0].condition.op in ("<=", ">=", "==")


@pytest.mark.parametrize(
    "sentence", ["hemoglobin = 9 g/dL", "LVEF == 50 %", "total bilirubin = 2 x ULN", "age = 18 years"]
)
def test_equality_on_a_measured_number_is_refused(sentence):
    msg = requirement(sentence)
    assert msg.startswith(f"{PATH}:6 INC-01 field 'require': '=' on ") and "is never exact" in msg


# Units: a unit is a unit; a number inside it never scales the threshold.


@pytest.mark.parametrize(
    "sentence", ["platelets >= 100 109/L", "hemoglobin >= 2 g/L*2", "hemoglobin >= 9 2 g/dL", "platelets >= 100 3 K/uL"]
)
def test_numbers_or_arithmetic_in_a_unit_are_errors(sentence):
    msg = requirement(sentence)
    assert msg.startswith(f"{PATH}:6 INC-01 field 'require': threshold unit")


# Thresholds must lie inside what the fact can be.


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("bone marrow blasts < 150 %", "threshold 150 % for bone marrow blasts is above its largest possible value"),
        ("hemoglobin >= -1 g/dL", "threshold -1 g/dL for hemoglobin is below its smallest possible value"),
        ("SpO2 on room air between 90 and 101 %", "is above its largest possible value"),
        ("total bilirubin <= -1 x ULN", "a multiple of the ULN must be positive"),
        ("age between 65 and 18 years", "'between 65 and 18': the low end is above the high end"),
        ("hemoglobin >= 99999999999999999999999999999999999999999999999999 g/dL", "threshold"),
    ],
)
def test_thresholds_outside_the_facts_bounds_are_errors(sentence, problem):
    msg = requirement(sentence)
    assert msg.startswith(f"{PATH}:6 INC-01 field 'require': ") and problem in msg


def test_thresholds_at_the_bounds_are_fine():
    rs = load("""\
        - id: INC-01
          kind: inclusion
          text: a protocol item
          require: bone marrow blasts < 100 %
        """)
    assert rs.criteria[0].condition.threshold == 100


# Windows only on facts that have a date.


@pytest.mark.parametrize(
    "sentence",
    [
        "age >= 18 years within 3 months before screening",
        "age between 18 and 65 years within 28 days before screening",
        "age >= 18 years at any time",
        "sex is female within 3 months before screening",
    ],
)
def test_windows_on_undated_facts_are_errors(sentence):
    msg = requirement(sentence)
    assert msg.startswith(f"{PATH}:6 INC-01 field 'require': ") and "takes no window" in msg


def test_a_default_window_does_not_touch_undated_facts():
    rs = ruleset_from_text(
        HEADER.replace("criteria:\n", "defaults:\n  observations within: 28 days before screening\ncriteria:\n")
        + textwrap.indent(
            textwrap.dedent("""\
            - id: INC-01
              kind: inclusion
              text: a protocol item
              require: age >= 18 years
            """),
            "  ",
        ),
        PATH,
    )
    assert rs.criteria[0].condition.request.window is None


# applies if works with a judgement body.


def _facts(criterion: str, sex: str | None, answer: bool | None):
    def fact(v):
        if v is None:
            return Fact(None, "?", reason=Reason("missing", "x", "missing", "give it"))
        return Fact(v, str(v))

    return {SexRequest(): fact(sex), JudgementRequest(criterion, "Is she willing to use contraception?"): fact(answer)}


@pytest.mark.parametrize(
    ("kind", "sex", "answer", "truth"),
    [
        ("inclusion", "male", None, Truth.TRUE),  # not applicable: met
        ("inclusion", "female", True, Truth.TRUE),
        ("inclusion", "female", False, Truth.FALSE),
        ("inclusion", "female", None, Truth.UNKNOWN),
        ("exclusion", "male", True, Truth.FALSE),  # not applicable: absent
        ("exclusion", "female", True, Truth.TRUE),
        ("exclusion", "female", None, Truth.UNKNOWN),
    ],
)
def test_applies_if_with_a_judgement_body(kind, sex, answer, truth):
    cid = "INC-01" if kind == "inclusion" else "EXC-01"
    rs = load(f"""\
        - id: {cid}
          kind: {kind}
          text: a protocol item
          applies if: sex is female
          judgement: Is she willing to use contraception?
        """)
    assert rs.criteria[0].condition.evaluate(_facts(cid, sex, answer)).truth is truth


# Vocabulary: one normal name means one entry.


def test_catalog_spellings_that_fold_together_are_an_error_naming_both():
    spec = CatalogSpec.model_validate(
        {
            "observations": {
                "hemoglobin": {"label": "hemoglobin", "unit": "g/dL", "aliases": ["Hb"]},
                "hb_a1c": {"label": "HbA1c", "unit": "%", "aliases": ["hb"]},
            },
            "derived": {},
        }
    )
    with pytest.raises(RulesetError) as err:
        Catalog(spec)
    assert str(err.value) == (
        "'hb' of observations 'hb_a1c' and 'Hb' of observations 'hemoglobin' are the same name ('hb');"
        " a name must mean one entry"
    )


# What durable-rules cannot compile fails at load.


def test_a_tiny_threshold_that_loads_also_compiles_for_durable_rules():
    rs = load("""\
        - id: INC-01
          kind: inclusion
          text: a protocol item
          require: age >= 0.0000000001 years
        """)
    session = DurableSession(rs.name, {c.id: c.condition for c in rs.criteria}, rs.requests)
    assert rs.criteria[0].condition.threshold == 1e-10 and "0.0000000001" in session.rules_json


def test_too_many_facts_fail_at_load_naming_the_file():
    sentences = "".join(f"\n      - hemoglobin >= 9 g/dL within {n} days before screening" for n in range(1, 298))
    with pytest.raises(RulesetError) as err:
        ruleset_from_text(
            text_of("""\
            - id: INC-01
              kind: inclusion
              text: a protocol item
              require:
                all:""")
            + sentences
            + "\n",
            PATH,
        )
    assert re.match(rf"{PATH}: \d+ fields exceed the 240 a durable-rules fact holds$", str(err.value))


# Every problem in a file, each with where and a suggestion.

MANY = """\
- id: INC-01
  kind: inclusion
  text: a protocol item
  require:
    all:
      - hemoglobn >= 9 g/dL
      - platelets => 100 10^9/L
- id: INC-02
  kind: inclusion
  text: a protocol item
  require: has Gilberts syndrom
- id: EXC-01
  kind: exclusion
  text: a protocol item
  exclude if: received CAR-T therapy within 6 months before screenin
- id: EXC-02
  kind: exclusion
  text: a protocol item
  exclude if: received CAR-T therapies within 6 months before screening
- id: EXC-03
  kind: exclusion
  text: a protocol item
  exclude if: hemoglobin < 9 g/dL
  severity: high
- id: EXC-04
  kind: exclusion
  text: a protocol item
  exclude if: hemoglobin < 8 g/dL
"""


def test_lint_reports_every_problem_with_suggestions():
    errors = lint_text(text_of(MANY), PATH)
    assert [str(e) for e in errors] == [
        f"{PATH}:6 INC-01 field 'require': unknown fact 'hemoglobn' (did you mean 'hemoglobin'?)",
        f"{PATH}:6 INC-01 field 'require': unknown operator '=>' (did you mean '>='?)",
        f"{PATH}:13 INC-02 field 'require': unknown condition 'Gilberts syndrom' (did you mean 'Gilbert's syndrome'?)",
        f"{PATH}:17 EXC-01 field 'exclude if': unknown reference date 'screenin' (did you mean 'screening'?)",
        f"{PATH}:21 EXC-02 field 'exclude if': unknown therapy 'CAR-T therapies' (did you mean 'CAR-T therapy'?)",
        f"{PATH}:25 EXC-03 field 'severity': Extra inputs are not permitted",
    ]
    assert all(isinstance(e, RulesetError) for e in errors)


def test_load_raises_the_first_problem():
    with pytest.raises(RulesetError) as err:
        ruleset_from_text(text_of(MANY), PATH)
    assert str(err.value) == f"{PATH}:6 INC-01 field 'require': unknown fact 'hemoglobn' (did you mean 'hemoglobin'?)"


def test_a_clean_file_has_no_problems():
    assert lint_text(text_of("- id: INC-01\n  kind: inclusion\n  text: abc\n  require: hemoglobin >= 9 g/dL\n")) == []


def test_duplicate_yaml_keys_are_an_error_naming_key_and_line():
    errors = lint_text(
        text_of("""\
        - id: INC-01
          kind: inclusion
          text: a protocol item
          require: hemoglobin >= 9 g/dL
          require: hemoglobin >= 8 g/dL
        """),
        PATH,
    )
    assert len(errors) == 1
    assert "'require'" in str(errors[0]) and "10" in str(errors[0]) and str(errors[0]).startswith(PATH)


# The command line: exit 2 and every problem, one line each.


def test_cli_lint_prints_every_problem(tmp_path: Path, capsys):
    bad = tmp_path / "NCT00000001.yaml"
    bad.write_text(text_of(MANY), encoding="utf-8")
    assert main(["lint", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 6 and all(line.startswith(f"error: {bad}:") for line in err)
    assert "did you mean '>='?" in err[1]


def test_cli_lint_refuses_a_misread_operator(tmp_path: Path, capsys):
    bad = tmp_path / "NCT00000001.yaml"
    bad.write_text(text_of("- id: INC-01\n  kind: inclusion\n  text: abc\n  require: hemoglobin => 9 g/dL\n"))
    assert main(["lint", str(bad)]) == 2
    assert capsys.readouterr().err == (
        f"error: {bad}:6 INC-01 field 'require': unknown operator '=>' (did you mean '>='?)\n"
    )


def test_cli_lint_passes_a_good_file(tmp_path: Path, capsys):
    good = tmp_path / "NCT00000001.yaml"
    good.write_text(text_of("- id: INC-01\n  kind: inclusion\n  text: abc\n  require: hemoglobin >= 9 g/dL\n"))
    assert main(["lint", str(good)]) == 0
    assert capsys.readouterr().out == f"ok: {good} (1 criteria)\n"


def test_cli_lint_of_a_missing_file(tmp_path: Path, capsys):
    assert main(["lint", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path / 'nope.yaml'}: cannot read")


def test_catalog_names_shared_by_an_observation_and_a_derived_value_are_an_error():
    spec = CatalogSpec.model_validate(
        {
            "observations": {"qtc": {"label": "QTc", "unit": "ms"}},
            "derived": {"qtcb": {"label": "QTcB", "unit": "ms", "inputs": ["qt"], "aliases": ["QTc"]}},
        }
    )
    with pytest.raises(RulesetError, match="'qtc' names both observations 'qtc' and derived 'qtcb'"):
        Catalog(spec)


def test_catalog_files_with_duplicate_keys_are_an_error_naming_key_and_line(tmp_path: Path):
    fragment = tmp_path / "x.yaml"
    fragment.write_text(
        "observations:\n  flu: {label: flu, values: [a]}\n  flu: {label: b, values: [a]}\n", encoding="utf-8"
    )
    with pytest.raises(RulesetError) as err:
        merge_catalog_files([fragment])
    assert str(err.value) == f"{fragment}: duplicate key 'flu' (line 3)"


def test_header_and_criterion_problems_come_in_file_order():
    text = text_of(MANY).replace("trial: NCT00000001", "trial: NCT1") + "  - not a criterion\n"
    errors = [str(e) for e in lint_text(text, PATH)]
    assert errors[0] == f"{PATH}:1 field 'trial': String should match pattern '^NCT\\d{{8}}$'"
    assert errors[-1] == (
        f"{PATH}:34: a criterion is a mapping with id, kind, text and require, exclude if or judgement"
    )
    assert len(errors) == 8


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ('{all: "hemoglobin >= 9 g/dL"}', "require.all", "Input should be a valid list"),
        ("{received: chemotherapy, ever: true, bogus: 1}", "require.bogus", "Extra inputs are not permitted"),
        ("{all: [LVEF >= 50 %, {any: [{has: HIV, ever: maybe}]}]}", "require.all[1].any[0].ever", "valid boolean"),
        ("{bogus: 1}", "require", "expected a sentence or a mapping with one of: all, any, not, judgement"),
    ],
)
def test_a_malformed_node_is_one_problem_naming_its_place(body, field, problem):
    errors = lint_text(text_of(f"- id: INC-01\n  kind: inclusion\n  text: abc\n  require: {body}\n"), PATH)
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{PATH}:6 INC-01 field '{field}': ") and problem in str(errors[0])


def test_catalog_keys_differing_only_in_case_across_files_are_an_error(tmp_path: Path):
    base, fragment = tmp_path / "catalog.yaml", tmp_path / "trial.yaml"
    base.write_text("observations:\n  albumin: {label: albumin, unit: g/dL}\n", encoding="utf-8")
    fragment.write_text("observations:\n  Albumin: {label: serum albumin, unit: g/L}\n", encoding="utf-8")
    spec = CatalogSpec.model_validate({"derived": {}} | merge_catalog_files([base, fragment]))
    with pytest.raises(RulesetError, match="'Albumin' of observations 'Albumin' and 'albumin' of"):
        Catalog(spec)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("require: hemoglobin >== 9 g/dL", "unknown operator '>=='"),
        ("require: platelets >= 100 109/L", "'109/L' is not a unit"),
        ("require: bone marrow blasts <= 101 %", "above its largest possible value"),
        ("require: age >= 18 years within 3 months before screening", "age has no date; it takes no window"),
        ("require: sex is female within 3 months before screening", "sex has no date; it takes no window"),
        ("require: received CAR-T within 6 months before lunch", "unknown reference date 'lunch'"),
    ],
)
def test_cli_lint_names_file_line_criterion_and_field(tmp_path: Path, capsys, body, problem):
    bad = tmp_path / "NCT00000001.yaml"
    bad.write_text(text_of(f"- id: INC-01\n  kind: inclusion\n  text: abc\n  {body}\n"), encoding="utf-8")
    assert main(["lint", str(bad)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1
    assert out.err.startswith(f"error: {bad}:6 INC-01 field 'require': ") and problem in out.err
