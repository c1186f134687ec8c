"""CDS Hooks cards (https://cds-hooks.hl7.org): one card per trial, for a clinician's EHR view."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..results import TrialResult

__all__ = ["Card", "render_cards"]


class Source(BaseModel):
    label: str


class Card(BaseModel):
    """The CDS Hooks card fields the engine fills (summary ≤ 140 characters, as the specification requires)."""

    summary: str = Field(max_length=140)
    indicator: Literal["info", "warning", "critical"]
    detail: str
    source: Source


_INDICATOR = {"eligible": "info", "needs-review": "warning", "ineligible": "info"}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def _text(s: str) -> str:
    """Record text shown as itself in the card's markdown: no markup, no HTML from a patient file."""
    return _MARKDOWN.sub(r"\\\1", s)


def render_cards(results: Sequence[TrialResult]) -> dict:
    """``{"cards": [...]}`` with one card per trial: the overall verdict and what would settle the reviews."""
    cards = []
    for r in results:
        blocking = [c for c in r.criteria if c.verdict == "ineligible"]
        review = [c for c in r.criteria if c.verdict == "needs-review"]
        summary = f"{r.trial}: {r.overall}"
        if blocking:
            summary += f" ({', '.join(c.id for c in blocking[:4])}{'…' if len(blocking) > 4 else ''})"
        elif review:
            summary += f" ({len(review)} criteria to review)"
        lines = [f"- **{c.id}** {c.verdict}: {_text(c.explanation)}" for c in blocking + review]
        if r.missing_data:
            lines.append("\nWould settle the reviews: " + _text("; ".join(r.missing_data)))
        card = Card(
            summary=summary[:140],
            indicator=_INDICATOR[r.overall],
            detail="\n".join(lines) or "All met.",
            source=Source(label=f"Prescreening ruleset {r.trial} v{r.ruleset.version} ({r.ruleset.hash})"),
        )
        cards.append(card.model_dump())
    return {"cards": cards}
