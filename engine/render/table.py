"""Terminal tables: one per trial, a row per criterion with its verdict and why."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..results import TrialResult

__all__ = ["render_table"]

_STYLE = {"eligible": "green", "ineligible": "bold red", "needs-review": "yellow"}


def render_table(results: Sequence[TrialResult], console: Console) -> None:
    """Print each trial's overall verdict, its criteria, and the data that would settle its reviews."""
    for r in results:
        table = Table(
            title=f"{r.trial} — {r.title}",
            caption=f"patient {r.patient}, as of {r.as_of}",
            show_lines=False,
            expand=True,
        )
        table.add_column("criterion", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("why")
        for c in r.criteria:
            table.add_row(c.id, Text(c.verdict, style=_STYLE[c.verdict]), c.explanation)
        console.print(table)
        console.print(Text.assemble("overall: ", Text(r.overall, style=_STYLE[r.overall])))
        if r.missing_data:
            console.print("would settle the reviews:")
            for item in r.missing_data:
                console.print(f"  • {item}", markup=False)
        console.print()
