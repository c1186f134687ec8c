"""Gherkin step definitions for screening scenarios, shipped with the package (a pytest plugin).

Anyone can write ``.feature`` files for their own rulesets in clinician language; see docs/scenarios.md.
"""
