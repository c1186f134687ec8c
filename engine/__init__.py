"""Clinical-trial prescreening: for one patient and one or many trials, every criterion's verdict
(eligible, ineligible, needs-review) with its reasons and evidence.

    from datetime import date
    from engine import Screener
    screener = Screener.from_directory("rulesets")
    for result in screener.screen("patient.yaml", as_of=date(2026, 11, 23)):
        print(result.trial, result.overall)
"""

from .context import ScreeningContext, load_answers
from .errors import (
    CalculatorInputError,
    EngineError,
    EvaluationError,
    InputError,
    RulesetError,
    UnitError,
    UnknownTrialError,
)
from .patient import Patient, load_patient, patient_from_data
from .results import CriterionResult, TrialResult, Verdict
from .rules.loader import CompiledRuleset, load_ruleset
from .screening import DEFAULT_RULESETS, Screener

__all__ = [
    "DEFAULT_RULESETS",
    "CalculatorInputError",
    "CompiledRuleset",
    "CriterionResult",
    "EngineError",
    "EvaluationError",
    "InputError",
    "Patient",
    "RulesetError",
    "Screener",
    "ScreeningContext",
    "TrialResult",
    "UnitError",
    "UnknownTrialError",
    "Verdict",
    "load_answers",
    "load_patient",
    "load_ruleset",
    "patient_from_data",
]
