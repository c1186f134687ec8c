"""Rulesets: the YAML language, its validation, and compilation into criterion trees."""
