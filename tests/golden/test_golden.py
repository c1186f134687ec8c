"""Golden outputs: what a person reads for every fixture patient in every format, kept as files reviewed like code.

A change of wording shows as a diff of these files. To accept one, rewrite them and review the diff:
``PRESCREEN_UPDATE_GOLDENS=1 python -m pytest tests/golden`` then ``git diff tests/golden``.
"""

from __future__ import annotations

import difflib
import io
import json
import os
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from rich.console import Console

from engine import Screener
from engine.render.cds_hooks import render_cards
from engine.render.html import render_html
from engine.render.json_out import render_json
from engine.render.table import render_table
from engine.results import TrialResult
from engine.words import unmapped_kinds

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FHIR = ROOT.parent / "shared" / "data" / "fhir"
AS_OF = date(2026, 11, 24)  # fixed: every fixture's dates (answers included) lie on or before it
WIDTH = 100
UPDATE = os.environ.get("PRESCREEN_UPDATE_GOLDENS") == "1"


def render_table_text(results: Sequence[TrialResult], *, details: bool = True, width: int = WIDTH) -> str:
    """The terminal output as plain text at a fixed width (the summary, the lists, every open criterion)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None, force_terminal=False)
    render_table(results, console, details=details)
    return console.export_text()


def render_json_reviewable(results: Sequence[TrialResult]) -> str:
    """The JSON output with one criterion per line (a wording change is a one-line diff), paths made relative, the
    unmapped records as the table lists them (one line per code: a FHIR patient has hundreds of records), and
    without the protocol's text of each criterion (quoted from the ruleset, the same for every patient)."""
    trials = json.loads(render_json(results))
    lines = ["["]
    for i, trial in enumerate(trials):
        trial["ruleset"]["path"] = Path(trial["ruleset"]["path"]).relative_to(ROOT).as_posix()
        trial["unmapped"] = unmapped_kinds(trial["unmapped"])
        fields = []
        for key, value in trial.items():
            if key == "criteria":
                shown = ({k: v for k, v in c.items() if k != "text"} for c in value)
                rows = ",\n".join("      " + json.dumps(c, ensure_ascii=False) for c in shown)
                fields.append(f'    "criteria": [\n{rows}\n    ]')
            else:
                fields.append(f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        lines.append("  {\n" + ",\n".join(fields) + "\n  }" + ("," if i < len(trials) - 1 else ""))
    lines.append("]")
    return "\n".join(lines) + "\n"


def render_html_reviewable(results: Sequence[TrialResult]) -> str:
    """The HTML report with the rulesets' paths made relative (the footer names them)."""
    return render_html(results).replace(f"{ROOT.as_posix()}/", "")


def render_cards_reviewable(results: Sequence[TrialResult]) -> str:
    """The CDS Hooks cards, with their random uuids (cards and suggestions) replaced by a placeholder."""
    cards = render_cards(results)
    for card in cards["cards"]:
        for item in (card, *card.get("suggestions", ())):
            item["uuid"] = "<uuid4>"
    return json.dumps(cards, indent=2, ensure_ascii=False) + "\n"


# Format -> (file suffix, renderer); a new format is one line here.
FORMATS: dict[str, tuple[str, Callable[[Sequence[TrialResult]], str]]] = {
    "table": ("txt", render_table_text),
    "json": ("json", render_json_reviewable),
    "html": ("html", render_html_reviewable),
    "cards": ("json", render_cards_reviewable),
}


def _fixtures() -> list[Path]:
    native = [ROOT / "examples" / "patient.yaml", *sorted((ROOT / "features" / "patients").glob("*.yaml"))]
    bundles = sorted(FHIR.glob("*.json")) if FHIR.is_dir() else []
    return native + bundles


@cache
def _screener() -> Screener:
    return Screener.from_directory()


@cache
def _results(patient: Path) -> list[TrialResult]:
    return _screener().screen(patient, as_of=AS_OF)


def _golden_name(patient: Path, suffix: str) -> str:
    if patient.parent.name == "fhir":  # Synthea names end in a UUID: the given name is enough to tell them apart
        return f"fhir-{patient.stem if patient.stem.startswith('mcode') else patient.stem.split('_')[0]}.{suffix}"
    return f"{patient.stem}.{suffix}"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("patient", _fixtures(), ids=lambda p: p.stem)
def test_output_matches_its_golden_file(patient: Path, fmt: str) -> None:
    suffix, render = FORMATS[fmt]
    got = render(_results(patient))
    golden = HERE / fmt / _golden_name(patient, suffix)
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"no golden file {golden.relative_to(ROOT)}: write it with PRESCREEN_UPDATE_GOLDENS=1, review it")
    want = golden.read_text(encoding="utf-8")
    if got != want:
        diff = difflib.unified_diff(
            want.splitlines(), got.splitlines(), f"{golden.name} (golden)", f"{golden.name} (now)", lineterm="", n=1
        )
        shown = list(diff)
        more = f"\n… {len(shown) - 80} more diff lines" if len(shown) > 80 else ""
        pytest.fail(
            "output differs from its golden file (PRESCREEN_UPDATE_GOLDENS=1 rewrites it; review the diff):\n"
            + "\n".join(shown[:80])
            + more,
            pytrace=False,
        )


def test_every_fhir_bundle_is_covered_when_the_shared_data_is_there() -> None:
    if not FHIR.is_dir():
        pytest.skip("../shared/data/fhir is absent: the bundle goldens are not checked")
    assert len(list(FHIR.glob("*.json"))) == 5


def test_the_first_screen_of_the_example_shows_every_trials_verdict() -> None:
    results = _results(ROOT / "examples" / "patient.yaml")
    first_screen = render_table_text(results, details=False).splitlines()[:25]
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in first_screen if line.startswith("│ NCT")}
    assert rows == {r.trial: r.overall for r in results}
    assert len(rows) == len(_screener().trials) == 5


def test_no_golden_file_is_left_over() -> None:
    """A golden file for a fixture or format no longer screened would be reviewed for nothing."""
    expected = {
        (HERE / fmt / _golden_name(p, suffix)).relative_to(HERE)
        for p in _fixtures()
        for fmt, (suffix, _) in FORMATS.items()
    }
    present = {p.relative_to(HERE) for fmt in FORMATS for p in (HERE / fmt).glob("*") if p.is_file()}
    if not FHIR.is_dir():
        present = {p for p in present if not p.name.startswith("fhir-")}
    assert present == expected
