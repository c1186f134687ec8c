"""``prescreen screen``: one patient against one or all trials, in the format asked for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from ..errors import EngineError
from ..render.cds_hooks import render_cards
from ..render.html import render_html
from ..render.json_out import render_json
from ..render.table import render_table
from ..screening import DEFAULT_RULESETS, Screener
from .app import RulesetsOption, VocabularyOption, app, as_of_option, fail


@app.command()
def screen(
    patient: Annotated[Path, typer.Argument(help="Patient file (JSON or YAML) or FHIR R4 Bundle.", readable=False)],
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id; repeat for several. Default: all.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Evaluation date YYYY-MM-DD. Default: today.")] = None,
    fmt: Annotated[
        Literal["table", "json", "html", "cds-hooks"], typer.Option("--format", help="Output format.")
    ] = "table",
    details: Annotated[
        bool, typer.Option("--details", help="Also list each trial's criteria not met or needing review.")
    ] = False,
    rulesets: RulesetsOption = DEFAULT_RULESETS,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Screen one patient (a native JSON/YAML file or a FHIR R4 Bundle) against one or all trials."""
    when = as_of_option(as_of)
    try:
        screener = Screener.from_directory(rulesets, vocabulary_dirs or ())
        results = screener.screen(patient, as_of=when, trials=trial or None)
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
