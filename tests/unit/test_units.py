"""Unit parsing and conversion on the one registry: lab spellings, UCUM codes, mass <-> molar."""

import math
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import UnitError
from engine.units import conversion_factor, convert, parse_unit


@pytest.mark.parametrize(
    ("src", "dst", "factor"),
    [
        ("K/uL", "10^9/L", 1.0),
        ("K/µL", "×10⁹/L", 1.0),
        ("10*3/uL", "10*9/L", 1.0),  # UCUM
        ("x10^9/L", "/uL", 1000.0),
        ("cells/mm3", "10^9/L", 0.001),
        ("g/L", "g/dL", 0.1),
        ("mL/min/1.73m2", "mL/min/{1.73_m2}", 1.0),
        ("[IU]/L", "IU/L", 1.0),
        ("mm[Hg]", "mmHg", 1.0),
        ("sec", "ms", 1000.0),
        ("{score}", "1", 1.0),
    ],
)
def test_lab_and_ucum_spellings(src, dst, factor):
    assert conversion_factor(src, dst) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("value", "src", "dst", "mw", "expected"),
    [
        (1.0, "mg/dL", "umol/L", 584.66, 17.10),  # bilirubin
        (1.0, "mg/dL", "µmol/L", 113.12, 88.4),  # creatinine
        (50.0, "ng/dL", "nmol/L", 288.42, 1.734),  # testosterone: the notes round to 1.73
    ],
)
def test_mass_molar_conversions_match_published_factors(value, src, dst, mw, expected):
    assert convert(value, src, dst, mw) == pytest.approx(expected, rel=2e-3)


def test_wrong_dimension_names_both_units_and_dimensions():
    with pytest.raises(UnitError) as err:
        conversion_factor("mg/dL", "U/L")
    assert str(err.value) == (
        "cannot convert 'mg/dL' ([mass] / [length] ** 3) to 'U/L' ([substance] / [time] / [length] ** 3)"
        " without a molecular weight"
    )


@pytest.mark.parametrize("bad", ["blorps/dL", "mg/", "5"])
def test_unknown_units_are_errors(bad):
    with pytest.raises(UnitError, match=r"unit|number"):
        parse_unit(bad)


def test_an_empty_unit_is_dimensionless():
    assert conversion_factor("", "1") == 1.0  # a ratio such as INR


def test_k_per_microlitre_is_never_kelvin():
    assert "kelvin" not in str(parse_unit("K/uL").units)


def test_parse_is_cached():
    assert parse_unit("mg/dL") is parse_unit("mg/dL")


def test_unit_errors_pickle():
    err = UnitError("unknown unit 'x'", unit="x")
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and again.unit == "x"


@pytest.mark.parametrize(
    ("src", "dst", "factor"),
    [
        ("10E9/L", "10^9/L", 1.0),  # "3.0 10E9/L" is 3.0 × 10⁹/L, never 30 × 10⁹/L
        ("x10E9/L", "10^9/L", 1.0),
        ("×10⁹/L", "10*9/L", 1.0),
        ("10**9/L", "10^9/L", 1.0),
        ("10^9 cells/L", "10^9/L", 1.0),
        ("{cells}/uL", "/µL", 1.0),
        ("G/L", "10^9/L", 1.0),  # giga per litre in lab systems, never gauss
        ("T/L", "10^12/L", 1.0),
        ("K/mm3", "10^9/L", 1.0),
        ("K/mm³", "10^3/µL", 1.0),
        ("M/µL", "10^12/L", 1.0),
        ("kg/m3", "g/L", 1.0),
        ("kg/m²", "kg/m**2", 1.0),
        ("IU/L", "U/L", 1.0),  # enzymes (ALT, AST): 1 IU = 1 U = 1 µmol/min
        ("[IU]/L", "U/L", 1.0),
        ("mL/min/1.73 m2", "mL/min/1.73m2", 1.0),
        ("mL/min/{1.73_m2}", "mL/min/1.73m²", 1.0),
        ("%", "%", 1.0),
        ("{INR}", "1", 1.0),
        ("mmol/mol", "mmol/mol", 1.0),
        ("percent", "%", 1.0),
        ("ug.h/mL", "mg.h/L", 1.0),  # UCUM product
    ],
)
def test_common_lab_spellings_read_right(src, dst, factor):
    assert conversion_factor(src, dst) == pytest.approx(factor, rel=1e-12)


def test_a_scale_in_exponent_notation_is_a_power_of_ten():
    assert convert(3.0, "10E9/L", "10^9/L") == pytest.approx(3.0, rel=1e-12)


@pytest.mark.parametrize(
    "bad",
    [
        *("2 g/L", "g/L*2", "2 K/µL", "g/L/2", "(g/L)**2", "g/L^2", "2*g/L", "0.5 mg/dL", "g/L+1", "mg/dL-2"),
        *("2e9/L", "109/L", "2 10^9/L", "10^9*2/L", "mg.2/dL", "10/uL"),
    ],
)
def test_a_unit_with_arithmetic_or_a_number_is_refused(bad):
    with pytest.raises(UnitError, match=r"is not a unit: it contains arithmetic"):
        parse_unit(bad)


@pytest.mark.parametrize(("a", "b"), [("%", "1"), ("%", "{INR}"), ("mmol/mol", "%"), ("mmol/mol", "1")])
def test_percent_ratio_and_ifcc_units_never_convert_into_each_other(a, b):
    # INR in % is not INR / 100; HbA1c 48 mmol/mol is not 4.8 %.
    for src, dst in ((a, b), (b, a)):
        with pytest.raises(UnitError, match="cannot convert"):
            conversion_factor(src, dst)


@pytest.mark.parametrize(
    ("src", "dst", "mw"),
    [("mg", "mg/dL", 113.12), ("µmol", "mg/dL", 113.12), ("mg", "µmol/L", 113.12), ("umol/L", "mg/dL", 0.0)],
)
def test_a_unit_missing_its_volume_is_a_unit_error_never_a_crash(src, dst, mw):
    with pytest.raises(UnitError) as err:
        conversion_factor(src, dst, mw)
    assert f"'{src}'" in str(err.value) and f"'{dst}'" in str(err.value)


def test_molar_and_mass_convert_only_with_a_molecular_weight():
    with pytest.raises(UnitError, match="without a molecular weight"):
        conversion_factor("µmol/L", "mg/dL")
    assert conversion_factor("µmol/L", "mg/dL", 113.12) == pytest.approx(113.12 / 10_000, rel=1e-12)


def test_overlong_unit_strings_are_refused_before_parsing():
    with pytest.raises(UnitError, match="longer than 40 characters"):
        parse_unit("mg/" * 50_000 + "dL")


@pytest.mark.parametrize("bad", ["1e400/L", "10^400/L", "10^-3/L"])
def test_scales_out_of_range_are_refused(bad):
    with pytest.raises(UnitError):
        parse_unit(bad)


@pytest.mark.parametrize(("src", "dst", "mw"), [(["g"], "g/L", None), ("g/L", None, None), ("mg/dL", "µmol/L", "x")])
def test_values_that_are_not_units_or_weights_are_unit_errors(src, dst, mw):
    with pytest.raises(UnitError):
        conversion_factor(src, dst, mw)


_UNIT_ALPHABET = st.sampled_from(
    [*"0123456789.,+-*/^()[]{}%µ×⁹³² eExXKGTMmgLdlu_", "mol", "IU", "mm", "Hg", "min", "1.73"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_UNIT_ALPHABET, max_size=14).map("".join), st.sampled_from([None, 113.12, 0.0, -1.0, math.inf]))
def test_any_text_is_a_unit_or_a_unit_error(text, mw):
    try:
        factor = conversion_factor(text, "mg/dL", mw)
    except UnitError as err:
        assert "\n" not in str(err)
    else:
        assert math.isfinite(factor) and factor > 0
