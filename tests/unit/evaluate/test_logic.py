"""Kleene truth tables; names read operand truths: t = TRUE, f = FALSE, u = UNKNOWN."""

import pytest

from engine.evaluate.logic import Truth, all_of, any_of, not_

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


@pytest.mark.parametrize(
    ("a", "b", "and_", "or_"),
    [
        pytest.param(T, T, T, T, id="tt"),
        pytest.param(T, F, F, T, id="tf"),
        pytest.param(T, U, U, T, id="tu"),
        pytest.param(F, F, F, F, id="ff"),
        pytest.param(F, U, F, U, id="fu"),
        pytest.param(U, U, U, U, id="uu"),
    ],
)
def test_binary_tables_are_kleene_and_symmetric(a, b, and_, or_):
    assert all_of([a, b]) is and_ and all_of([b, a]) is and_
    assert any_of([a, b]) is or_ and any_of([b, a]) is or_


def test_not_keeps_unknown():
    assert (not_(T), not_(F), not_(U)) == (F, T, U)


def test_empty_groups_are_identities():
    assert all_of([]) is T and any_of([]) is F


def test_truth_refuses_to_be_a_python_bool():
    with pytest.raises(TypeError):
        bool(U)
