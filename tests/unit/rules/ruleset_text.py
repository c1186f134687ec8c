"""A ruleset file around a few criteria, as the loader and lint tests write them."""

import textwrap

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
