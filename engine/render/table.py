"""Terminal output: a summary row per trial first (candidates first) and a line counting the records not used
and the warnings, then, when asked, those lists and the criteria that are not met or need review. Everything
from a record or a ruleset is shown as text, never read as markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..results import TrialResult
from ..words import count, unmapped_kinds
from . import summary

__all__ = ["render_table"]

_STYLE = {"eligible": "green", "ineligible": "bold red", "needs-review": "yellow"}
_SETTLE_SHOWN = 2  # items to settle named in the summary; the rest come with --details


def render_table(results: Sequence[TrialResult], console: Console, *, details: bool = False) -> None:
    """The summary of every trial; with ``details``, each trial's criteria that are not met or need review."""
    ordered = summary.ordered(results)
    overview = Table(title=Text(_heading(results)), expand=True, show_lines=False)
    overview.add_column("trial", max_width=24)
    overview.add_column("verdict", no_wrap=True)
    overview.add_column("met / not / review", no_wrap=True, justify="center")
    overview.add_column("why, or what to settle next")
    for r in ordered:
        n = summary.counts(r)
        overview.add_row(
            Text.assemble(r.trial, *(("\n", Text(r.short_title, style="dim")) if r.short_title else ())),
            Text(r.overall, style=_STYLE[r.overall]),
            Text(f"{n.met} / {n.not_met} / {n.review}"),
            Text(_next_step(r)),
        )
    console.print(overview)
    unmapped, warnings = _not_used(results)
    if unmapped or warnings:
        said = [f"{count(len(unmapped), 'record')} not mapped to the vocabulary"] if unmapped else []
        said += [count(len(warnings), "warning")] if warnings else []
        console.print(Text("; ".join(said) + ("" if details else " (--details lists them)")))
    if not details:
        return
    for heading, items in (("not mapped to the vocabulary:", unmapped_kinds(unmapped)), ("warnings:", warnings)):
        if items:
            console.print(Text(heading))
            for item in items:
                console.print(Text(f"  • {item}"))
    if unmapped or warnings:
        console.print()
    for r in ordered:
        _details(r, console)


def _not_used(results: Sequence[TrialResult]) -> tuple[list[str], list[str]]:
    """The patient's unmapped records and the warnings of every trial, each once (most are the patient's own)."""
    unmapped = list(dict.fromkeys(u for r in results for u in r.unmapped))
    warnings = list(dict.fromkeys(w for r in results for w in r.warnings))
    return unmapped, warnings


def _heading(results: Sequence[TrialResult]) -> str:
    first = results[0] if results else None
    return f"patient {first.patient}, as of {first.as_of}" if first else "no trials"


def _next_step(r: TrialResult) -> str:
    """The deciding reason of an ineligible trial, or the first data that would settle a review."""
    blocking = summary.deciding(r)
    if blocking is not None:
        return f"{blocking.id}: {summary.first_statement(blocking, limit=90)}"
    if r.overall == "needs-review":
        items = list(r.missing_data[:_SETTLE_SHOWN])
        more = len(r.missing_data) - len(items)
        return "; ".join(items) + (f" (+{more} more)" if more > 0 else "")
    return f"all {count(len(r.criteria), 'criterion')} met"


def _details(r: TrialResult, console: Console) -> None:
    open_items = [c for c in r.criteria if c.verdict != "eligible"]
    table = Table(title=Text(f"{r.trial} — {r.title}"), expand=True, show_lines=False)
    table.add_column("criterion", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("why")
    for c in open_items:
        table.add_row(Text(c.id), Text(c.verdict, style=_STYLE[c.verdict]), Text(c.explanation))
    if open_items:
        console.print(table)
    console.print(
        Text.assemble(
            f"{r.trial}: ",
            Text(r.overall, style=_STYLE[r.overall]),
            f" ({len(r.criteria) - len(open_items)} of {count(len(r.criteria), 'criterion')} met)",
        )
    )
    if r.missing_data:  # empty for a trial already ineligible: nothing open can change it
        console.print(Text("what would settle the reviews:"))
        for item in r.missing_data:
            console.print(Text(f"  • {item}"))
    console.print()
