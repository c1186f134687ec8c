"""Unit parsing and conversion on the one registry: lab spellings, UCUM codes, mass <-> molar."""

import pickle

import pytest

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
