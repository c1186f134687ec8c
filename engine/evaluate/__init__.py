"""Evaluation: compiled criterion trees, three-valued logic, and the rules-engine adapter."""
