"""The ``prescreen`` application: its options shared by commands, error handling and exit codes.

Exit codes: 0 ran fine (whatever the verdicts), 2 bad input (patient, ruleset, option, unknown trial),
1 an internal error (the engine disagreed with itself, or a failure in ``batch``), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import EvaluationError, InputError

__all__ = ["BAD_INPUT", "INTERRUPTED", "RulesetsOption", "VocabularyOption", "app", "as_of_option", "fail", "main"]

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Prescreen patients against clinical-trial rulesets."
)
BAD_INPUT = 2
INTERRUPTED = 130  # the shell's code for a process stopped by SIGINT

RulesetsOption = Annotated[Path, typer.Option("--rulesets", help="Directory of ruleset files.")]
VocabularyOption = Annotated[
    list[Path] | None,
    typer.Option("--vocabulary", help="Site vocabulary directory (repeat for several); also $PRESCREEN_VOCABULARY."),
]


def fail(exc: Exception) -> None:
    Console(stderr=True, soft_wrap=True).print(f"error: {exc}", markup=False, highlight=False)
    raise typer.Exit(1 if isinstance(exc, EvaluationError) else BAD_INPUT)


def as_of_option(text: str | None) -> date:
    if text is None:  # the CLI is the only place that reads the clock, and says so
        today = date.today()
        Console(stderr=True, soft_wrap=True).print(
            f"as of {today} (today; --as-of YYYY-MM-DD screens as of another date)", markup=False, highlight=False
        )
        return today
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):  # fromisoformat also takes 20261123, 2026-W48-1
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(InputError(f"'{text}' is not a date (YYYY-MM-DD)", field="--as-of"))
        raise  # unreachable: _fail exits


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: the process arguments); return the exit code."""
    try:
        code = app(args=argv if argv is not None else sys.argv[1:], standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as other command-line tools do
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail again
        return 1
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # usage errors (typer's click exceptions)
            exc.show()
            return BAD_INPUT
        # A bug, not bad input: one line that says so (the library call shows the traceback), never a dump.
        message = " ".join(f"internal error ({type(exc).__name__}: {exc})".split())
        Console(stderr=True, soft_wrap=True).print(f"error: {message}", markup=False, highlight=False)
        return 1
    return code if isinstance(code, int) else 0
