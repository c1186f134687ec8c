"""A static HTML report: one section per trial, a row per criterion with verdict, why, and the evidence."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..results import TrialResult
from ..words import evidence_text

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
.eligible{color:#17662e}.ineligible{color:#a8071a;font-weight:600}.needs-review{color:#8a5300}
.text{color:#555;font-size:.9em}.evidence{color:#555;font-size:.85em}
"""


def render_html(results: Sequence[TrialResult]) -> str:
    """One self-contained HTML page for a patient's screening (all text escaped)."""
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Prescreening</title>"
        f"<style>{_CSS}</style></head><body>"
    ]
    for r in results:
        parts.append(
            f"<section><h2>{escape(r.trial)} — {escape(r.title)}</h2>"
            f"<p>Patient {escape(r.patient)}, as of {r.as_of}: <strong class='{r.overall}'>{r.overall}</strong>"
            f" · ruleset v{escape(r.ruleset.version)} ({escape(r.ruleset.hash)})</p>"
            "<table><tr><th>criterion</th><th>verdict</th><th>why</th></tr>"
        )
        for c in r.criteria:
            evidence = "; ".join(evidence_text(e.source, e.value, e.date) for e in c.evidence)
            parts.append(
                f"<tr><td>{escape(c.id)}</td><td class='{c.verdict}'>{c.verdict}</td>"
                f"<td>{escape(c.explanation)}<div class='text'>{escape(c.text)}</div>"
                f"<div class='evidence'>{escape(evidence)}</div></td></tr>"
            )
        parts.append("</table>")
        if r.missing_data:
            parts.append("<h3>Would settle the reviews</h3><ul>")
            parts.extend(f"<li>{escape(m)}</li>" for m in r.missing_data)
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)
