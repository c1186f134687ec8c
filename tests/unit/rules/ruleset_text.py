"""A ruleset file around a few criteria, as the loader and lint tests write them."""

import textwrap

import pytest

from engine.errors import RulesetError
from engine.rules.loader import ruleset_from_text

HEADER = """\
trial: NCT00000001
title: test
source: test
version: "1"
criteria:
"""
PATH = "rulesets/NCT00000001.yaml"


def text_of(criteria: str) -> str:
    """A whole ruleset file whose criteria are ``criteria`` (YAML list items, any indentation)."""
    return HEADER + textwrap.indent(textwrap.dedent(criteria), "  ")


def load(criteria: str):
    """The compiled ruleset of those criteria."""
    return ruleset_from_text(text_of(criteria), PATH)


def error_of(criteria: str) -> str:
    """The one-line error loading those criteria raises."""
    with pytest.raises(RulesetError) as err:
        load(criteria)
    return str(err.value)
