"""Errors raised by the engine.

Every error derives from :class:`EngineError` and also from the standard-library type a caller would
already catch, so ``except ValueError`` keeps working::

    EngineError
    ├── InputError(ValueError)            bad patient or option input; names file and field
    │   └── UnknownTrialError(KeyError)   a trial id with no ruleset
    ├── RulesetError(ValueError)          a ruleset that does not load; names file, line, criterion, field
    ├── VocabularyError(ValueError)       a vocabulary file that does not load; names file(s), concept, problem
    ├── UnitError(ValueError)             a unit that does not parse or converts across dimensions
    ├── CalculatorInputError(ValueError)  an impossible input to a clinical calculator (weight 0, age < 0)
    └── EvaluationError(RuntimeError)     the rules engine failed or disagreed with the reference evaluation

Messages are part of the API: they are built from the structured fields, one line, and tests assert them.
"""

from __future__ import annotations

__all__ = [
    "CalculatorInputError",
    "EngineError",
    "EvaluationError",
    "InputError",
    "RulesetError",
    "UnitError",
    "UnknownTrialError",
    "VocabularyError",
]


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""


def _located(path: str | None, line: int | None) -> str:
    if path is None:
        return ""
    return f"{path}:{line}" if line else str(path)


class InputError(EngineError, ValueError):
    """Patient or option input that cannot be used: names the file, the field and the problem."""

    def __init__(self, problem: str, *, path: str | None = None, field: str | None = None) -> None:
        self.problem = problem
        self.path = path
        self.field = field
        super().__init__(problem, path, field)

    def __str__(self) -> str:
        parts = [p for p in (_located(self.path, None), f"field '{self.field}'" if self.field else "") if p]
        return (" ".join(parts) + ": " if parts else "") + self.problem


class UnknownTrialError(InputError, KeyError):
    """A trial id for which no ruleset is loaded."""

    def __init__(self, trial: str, known: list[str]) -> None:
        self.trial = trial
        self.known = list(known)
        InputError.__init__(self, f"unknown trial '{trial}' (known: {', '.join(self.known) or 'none'})")
        self.args = (trial, self.known)

    def __reduce__(self):  # keep picklable across worker processes
        return (UnknownTrialError, (self.trial, self.known))

    def __str__(self) -> str:
        return InputError.__str__(self)


class RulesetError(EngineError, ValueError):
    """A ruleset file that does not load: file, line, criterion and field are named when known."""

    def __init__(
        self,
        problem: str,
        *,
        path: str | None = None,
        line: int | None = None,
        criterion: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = path
        self.line = line
        self.criterion = criterion
        self.field = field
        super().__init__(problem, path, line, criterion, field)

    def __reduce__(self):
        return (_rebuild_ruleset_error, (self.problem, self.path, self.line, self.criterion, self.field))

    def __str__(self) -> str:
        where = " ".join(
            p
            for p in (
                _located(self.path, self.line),
                self.criterion or "",
                f"field '{self.field}'" if self.field else "",
            )
            if p
        )
        return f"{where}: {self.problem}" if where else self.problem


def _rebuild_ruleset_error(problem, path, line, criterion, field) -> RulesetError:
    return RulesetError(problem, path=path, line=line, criterion=criterion, field=field)


class UnitError(EngineError, ValueError):
    """A unit string that does not parse, or a conversion across dimensions."""

    def __init__(self, problem: str, *, unit: str | None = None) -> None:
        self.problem = problem
        self.unit = unit
        super().__init__(problem, unit)

    def __reduce__(self):
        return (_rebuild_unit_error, (self.problem, self.unit))

    def __str__(self) -> str:
        return self.problem


def _rebuild_unit_error(problem, unit) -> UnitError:
    return UnitError(problem, unit=unit)


class CalculatorInputError(EngineError, ValueError):
    """An impossible input to a clinical calculator (age below 0, weight 0, creatinine ≤ 0, QT > 1000 ms)."""

    def __init__(self, calculator: str, field: str, problem: str) -> None:
        self.calculator = calculator
        self.field = field
        self.problem = problem
        super().__init__(calculator, field, problem)

    def __str__(self) -> str:
        return f"{self.calculator}: input '{self.field}' {self.problem}"


class EvaluationError(EngineError, RuntimeError):
    """The rules engine failed, or its verdict disagreed with the reference evaluation of the same rules."""


class VocabularyError(EngineError, ValueError):
    """A vocabulary file that does not load, or two files that conflict: names the file(s) and the concept."""

    def __init__(self, problem: str, *, path: str | None = None, concept: str | None = None) -> None:
        self.problem = problem
        self.path = path
        self.concept = concept
        super().__init__(problem, path, concept)

    def __reduce__(self):
        return (_rebuild_vocabulary_error, (self.problem, self.path, self.concept))

    def __str__(self) -> str:
        where = " ".join(p for p in (self.path or "", f"concept '{self.concept}'" if self.concept else "") if p)
        return f"{where}: {self.problem}" if where else self.problem


def _rebuild_vocabulary_error(problem, path, concept) -> VocabularyError:
    return VocabularyError(problem, path=path, concept=concept)
