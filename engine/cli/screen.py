"""``prescreen screen``: one patient against one or all trials, in the format asked for."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from ..context import ScreeningContext, history_domain, load_answers, reference_name
from ..dates import parse_partial_date
from ..errors import EngineError, InputError
from ..render.cds_hooks import render_cards
from ..render.html import render_html
from ..render.json_out import render_json
from ..render.table import render_table
from ..screening import DEFAULT_RULESETS, Screener
from .app import RulesetsOption, VocabularyOption, app, as_of_option, fail

_HELP = (
    "Screen one patient against one or all trials: a native patient file (JSON or YAML) or a FHIR R4 Bundle.\n\n"
    "A FHIR Bundle holds no screening or first-dose date, no declaration that its history is complete and no "
    "investigator's answers: give them with --reference-date, --complete and --answers (for a native file too)."
)


@app.command(help=_HELP)
def screen(
    patient: Annotated[Path, typer.Argument(help="Patient file (JSON or YAML) or FHIR R4 Bundle.", readable=False)],
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id (any case); repeat for several. Default: all.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD. Default: today.")] = None,
    fmt: Annotated[
        Literal["table", "json", "html", "cds-hooks"], typer.Option("--format", help="Output format.")
    ] = "table",
    details: Annotated[
        bool, typer.Option("--details", help="Also list each trial's criteria not met or needing review.")
    ] = False,
    reference_dates: Annotated[
        list[str] | None,
        typer.Option(
            "--reference-date",
            metavar="NAME=YYYY-MM-DD",
            help="A reference date for this screening: screening, consent, enrollment or first_dose; repeat for "
            "several. Wins over the patient file's date (with a warning when they differ).",
        ),
    ] = None,
    complete: Annotated[
        list[str] | None,
        typer.Option(
            "--complete",
            metavar="DOMAINS",
            help="History known to be complete: conditions, therapies (comma-separated or repeated). A condition "
            "or therapy not on record then counts as absent.",
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="YAML or JSON file of answers to questions only a person can decide: a list of {trial, "
            "criterion, answer: yes|no, by, date}.",
        ),
    ] = None,
    rulesets: RulesetsOption = DEFAULT_RULESETS,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Screen one patient (see ``_HELP``): options become a :class:`ScreeningContext`, results a rendering."""
    when = as_of_option(as_of)
    try:
        context = _context(reference_dates or (), complete or (), answers, when)
        screener = Screener.from_directory(rulesets, vocabulary_dirs or ())
        results = screener.screen(patient, as_of=when, trials=trial or None, context=context)
    except EngineError as exc:
        fail(exc)
    if fmt == "json":
        typer.echo(render_json(results))
    elif fmt == "html":
        typer.echo(render_html(results))
    elif fmt == "cds-hooks":
        typer.echo(json.dumps(render_cards(results, catalog=screener.catalog), indent=2, ensure_ascii=False))
    else:  # the terminal's own width; one trial asked for is shown in detail
        render_table(results, Console(), details=details or len(results) == 1)


_DATE_OPTION = "--reference-date"


def _context(
    reference_dates: Iterable[str], complete: Iterable[str], answers: Path | None, as_of: date
) -> ScreeningContext:
    """The screening context the options give, checked against the as-of date; errors name the option."""
    dates: dict[str, date] = {}
    for item in reference_dates:
        name, sep, text = item.partition("=")
        if not sep:
            raise InputError(f"'{item}' is not NAME=YYYY-MM-DD", field=_DATE_OPTION)
        key = reference_name(name, _DATE_OPTION)
        try:
            span = parse_partial_date(text)
        except ValueError as exc:
            raise InputError(f"{key}: {exc}", field=_DATE_OPTION) from None
        if not span.is_exact:
            raise InputError(f"{key}: '{text}' is not one day (YYYY-MM-DD)", field=_DATE_OPTION)
        if dates.setdefault(key, span.earliest) != span.earliest:
            raise InputError(f"{key} is given twice ({dates[key]} and {span.earliest})", field=_DATE_OPTION)
    domains = {history_domain(d, "--complete") for item in complete for d in item.split(",")}
    context = ScreeningContext(
        reference_dates=dates, complete_history=frozenset(domains), answers=load_answers(answers) if answers else ()
    )
    try:
        context.check(as_of)
    except InputError as exc:
        if exc.path:  # an answer, named by its file and item
            raise
        raise InputError(exc.problem, field=_DATE_OPTION) from None  # the library's reference_dates.<name>
    return context
