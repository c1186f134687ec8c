"""The HTML report: one self-contained page for a patient's screening that reads on screen and prints well.

The summary table comes first (candidates first, each row linking to its trial), then what would settle the
reviews, the records not used and the warnings, each trial's criteria (not met and to review first, met ones
collapsed) and a footer naming every ruleset by version and hash. The page is a Jinja2 template
(``templates/report.html.j2``) with autoescape on: record and protocol text is shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..results import TrialResult
from . import summary

__all__ = ["render_html"]

# Verdicts are never told by colour alone: each badge has an icon and words (the icon is hidden from screen
# readers, which read the words). Trials are eligible or not; criteria are met or not.
_TRIAL_BADGE = {"eligible": ("✓", "eligible"), "ineligible": ("✗", "not eligible"), "needs-review": ("?", "to review")}
_CRITERION_BADGE = {"eligible": ("✓", "met"), "ineligible": ("✗", "not met"), "needs-review": ("?", "to review")}
_GATES = {
    "met": "the trial's disease and population criteria are met",
    "open": "some of the trial's disease and population criteria are still open",
    "unrecorded": "the record does not mention the condition this trial is for",
    "not met": "the trial's disease or population criteria are not met",
}

_ENV = Environment(
    loader=PackageLoader("engine.render", "templates"),
    autoescape=True,
    undefined=StrictUndefined,  # a misspelt name in the template fails loudly instead of printing nothing
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.globals.update(
    trial_badge=_TRIAL_BADGE,
    criterion_badge=_CRITERION_BADGE,
    gates_text=_GATES,
    counts=summary.counts,
    deciding=summary.deciding,
    first_statement=summary.first_statement,
)


def render_html(results: Sequence[TrialResult], *, patient_label: str | None = None) -> str:
    """One self-contained HTML page (inline CSS, no external assets) for one patient's screening results.

    ``patient_label`` (e.g. a name or a medical record number) is shown beside the patient id in the title.
    """
    trials = summary.ordered(results)
    worklists = {r.trial: summary.worklist(r) for r in trials}
    warnings = summary.notices(results, "warnings")
    # Warnings every trial carries are about the record and shown once; the others go with their trial.
    record_warnings = [w.text for w in warnings if summary.about_record(w, results)]
    own = [w for w in warnings if not summary.about_record(w, results)]
    trial_warnings = {r.trial: texts for r in trials if (texts := [w.text for w in own if r.trial in w.trials])}
    return _ENV.get_template("report.html.j2").render(
        trials=trials,
        patients=list(dict.fromkeys(r.patient for r in results)),
        as_of=sorted({r.as_of for r in results}),
        patient_label=patient_label,
        worklists=worklists,
        open_trials=[r for r in trials if worklists[r.trial]],
        unmapped=summary.notices(results, "unmapped"),
        warnings=warnings,
        record_warnings=record_warnings,
        trial_warnings=trial_warnings,
        schema_versions=sorted({r.schema_version for r in results}),
    )
