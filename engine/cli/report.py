"""``prescreen report``: the population view of batch results, as one HTML page or JSON."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal, TextIO

import typer
from rich.console import Console

from ..errors import InputError
from ..population.report import build_report, render_report_html, report_jsonable
from .app import app, fail


@app.command()
def report(
    results: Annotated[
        Path,
        typer.Argument(
            help="Batch results: a JSON Lines file, or a batch output directory (its results/*.jsonl).",
            readable=False,
        ),
    ],
    fmt: Annotated[
        Literal["html", "json"] | None,
        typer.Option("--format", help="Output format. Default: json for an --out ending in .json, else html."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output file. Default: standard output.")] = None,
    trial: Annotated[
        list[str] | None, typer.Option("--trial", help="NCT id; repeat for several. Default: every trial found.")
    ] = None,
) -> None:
    """Per trial: candidates, the attrition of each criterion in protocol order; the worklist of data that
    would settle the most reviews, across trials; records that could not be screened.

    Exit 0 when the report was written, 2 when RESULTS cannot be read (named with file, line and field).
    """
    fmt = fmt or ("json" if out is not None and out.suffix.lower() == ".json" else "html")
    try:
        with _output(out) as sink:  # opened first: a typo in --out must not cost reading the results
            population = build_report(results, trial)
            if fmt == "json":
                sink.write(json.dumps(report_jsonable(population), indent=2, ensure_ascii=False) + "\n")
            else:
                sink.write(render_report_html(population))
    except InputError as exc:
        fail(exc)
    trials = len(population.trials)
    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"{population.records} records ({population.screened} screened, {population.errors} not), "
        f"{trials} trial{'' if trials == 1 else 's'}" + (f": {out}" if out else ""),
        markup=False,
    )


@contextlib.contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``out`` written whole or not at all (a temporary file beside it, renamed at the end)."""
    if out is None:
        yield sys.stdout
        return
    if out.is_dir():
        raise InputError("is a directory, not a file", path=str(out), field="--out")
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        sink = temporary.open("w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write here ({exc.strerror or exc})", path=str(out), field="--out") from None
    try:
        with sink:
            yield sink
        os.replace(temporary, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
