"""The HTML report's structure, read back with the standard library's parser, for every fixture patient:
summary rows and trial sections, badges with words, met criteria collapsed, the worklist, unused records and
warnings, the footer; and record text with markup in it shown as text."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest
from html_dom import Element, parse

from engine import Screener
from engine.render.html import render_html
from engine.results import TrialResult

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
FHIR = ROOT.parent / "shared" / "data" / "fhir"
PATIENTS = [ROOT / "examples" / "patient.yaml", *sorted((ROOT / "features" / "patients").glob("*.yaml"))]
BUNDLES = sorted(FHIR.glob("*.json")) if FHIR.is_dir() else []
ICONS = {"eligible": "✓", "ineligible": "✗", "needs-review": "?"}
RANK = {"eligible": 0, "needs-review": 1, "ineligible": 2}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory()


@pytest.fixture(scope="module")
def screened(screener):
    """Results per patient file, screened once for the module (every trial, a fixed as-of date)."""
    cache: dict[Path, list[TrialResult]] = {}

    def get(path: Path) -> list[TrialResult]:
        if path not in cache:
            cache[path] = screener.screen(path, as_of=_as_of(path))
        return cache[path]

    return get


def _as_of(path: Path) -> date:
    """The date a fixture's header says to screen it on (its answers and visits are dated up to then)."""
    found = (
        re.search(r"^#.*as[- ]of (\d{4}-\d\d-\d\d)", path.read_text(), re.MULTILINE) if path.suffix == ".yaml" else None
    )
    return date.fromisoformat(found.group(1)) if found else AS_OF


def _ids(paths):
    return [p.name for p in paths]


def _in_details(e: Element) -> bool:
    return e.inside(lambda a: a.tag == "details")


def _summary_rows(page: Element) -> list[Element]:
    return page.by_id("summary").find("table").find("tbody").find_all("tr")


@pytest.mark.parametrize("path", PATIENTS + BUNDLES, ids=_ids(PATIENTS + BUNDLES))
def test_every_trial_has_a_summary_row_linking_to_its_section(screened, path):
    results = screened(path)
    page = parse(render_html(results))
    rows = _summary_rows(page)
    by_trial = {r.trial: r for r in results}
    assert sorted(row.attrs["data-trial"] for row in rows) == sorted(by_trial)
    for row in rows:
        r = by_trial[row.attrs["data-trial"]]
        link = row.find("th").find_all("a")[0]
        assert link.attrs["href"] == f"#{r.trial}" and link.text == r.trial
        section = page.by_id(r.trial)
        assert section.tag == "section" and r.trial in section.find("h2").text
        met, not_met, review = (int(td.text) for td in row.find_all("td", class_="num"))
        assert (met, not_met, review) == tuple(
            sum(c.verdict == v for c in r.criteria) for v in ("eligible", "ineligible", "needs-review")
        )
        assert row.find("span", class_="badge").attrs["data-verdict"] == r.overall
    # Candidates first, then eligible before to-review before ineligible.
    order = [by_trial[row.attrs["data-trial"]] for row in rows]
    keys = [(not r.candidate, RANK[r.overall]) for r in order]
    assert keys == sorted(keys)


@pytest.mark.parametrize("path", PATIENTS + BUNDLES, ids=_ids(PATIENTS + BUNDLES))
def test_each_criterion_once_with_its_text_and_met_ones_collapsed(screened, path):
    results = screened(path)
    page = parse(render_html(results))
    for r in results:
        section = page.by_id(r.trial)
        shown = [a.attrs["id"] for a in section.find_all("article", class_="criterion")]
        assert shown == [  # not met, then to review, then met; each in the ruleset's order
            f"{r.trial}-{c.id}"
            for v in ("ineligible", "needs-review", "eligible")
            for c in r.criteria
            if c.verdict == v
        ]
        for c in r.criteria:
            article = page.by_id(f"{r.trial}-{c.id}")
            assert article.find("span", class_="badge").attrs["data-verdict"] == c.verdict
            assert " ".join(c.text.split()) in article.find("blockquote").text
            assert " ".join(c.explanation.split()) in article.find("p", class_="explanation").text
            assert c.kind in article.find("h4").text
            if c.verdict == "eligible":
                assert _in_details(article), f"{r.trial} {c.id} is met but not collapsed"
            elif c.verdict == "ineligible" or r.overall != "ineligible":
                assert not _in_details(article), f"{r.trial} {c.id} ({c.verdict}) is hidden"
            if c.evidence:
                cells = [
                    [td.text for td in tr.find_all("td")] for tr in article.find("table").find("tbody").find_all("tr")
                ]
                assert cells == [[e.source, e.value, e.date or "no date"] for e in c.evidence]
            if c.changes_on:
                assert article.find("time").attrs["datetime"] == c.changes_on.isoformat()


def test_not_met_and_to_review_come_before_met(screened):
    [r] = [r for r in screened(PATIENTS[0]) if r.trial == "NCT06849401"]
    headings = [h.text for h in parse(render_html([r])).by_id(r.trial).find_all("h3")]
    assert headings == ["Not met (2)", "To review (19)", "Met (22)"]


@pytest.mark.parametrize("path", PATIENTS + BUNDLES, ids=_ids(PATIENTS + BUNDLES))
def test_badges_carry_an_icon_and_words(screened, path):
    page = parse(render_html(screened(path)))
    badges = page.find_all("span", class_="badge")
    assert badges
    for badge in badges:
        verdict = badge.attrs["data-verdict"]
        icon = badge.find("span", class_="icon")
        assert icon.text == ICONS[verdict] and icon.attrs["aria-hidden"] == "true"
        words = badge.text.removeprefix(icon.text).strip()
        assert words in {"eligible", "not eligible", "to review", "met", "not met"}


@pytest.mark.parametrize("path", PATIENTS + BUNDLES, ids=_ids(PATIENTS + BUNDLES))
def test_title_footer_worklist_and_notices(screened, path):
    results = screened(path)
    page = parse(render_html(results))
    patient, as_of = results[0].patient, results[0].as_of
    assert page.find("title").text == f"Prescreening: patient {patient}, as of {as_of}"
    assert patient in page.find("h1").text
    footer = page.find("footer")
    rows = {tr.find_all("td")[0].text: [td.text for td in tr.find_all("td")] for tr in footer.find_all("tr")[1:]}
    assert rows == {r.trial: [r.trial, r.ruleset.version, r.ruleset.hash, r.ruleset.path] for r in results}
    assert f"As of {as_of}" in footer.text and f"schema version {results[0].schema_version}" in footer.text
    # The worklist: only trials still open, each item once, in missing_data order.
    worklist = page.by_id("worklist")
    lists = {d.attrs["id"].removeprefix("worklist-"): d for d in worklist.find_all("details")}
    assert set(lists) == {r.trial for r in results if r.overall == "needs-review" and r.missing_data}
    for trial, details in lists.items():
        [r] = [r for r in results if r.trial == trial]
        items = [li.text for li in details.find("ol").find_all("li")]
        assert [i.split(" (settles ")[0] for i in items] == list(dict.fromkeys(_words(m) for m in r.missing_data))
        assert ("open" in details.attrs) == r.candidate
    # Unused records and warnings: counted in the summary, every one listed once.
    unmapped = list(dict.fromkeys(u for r in results for u in r.unmapped))
    warnings = list(dict.fromkeys(w for r in results for w in r.warnings))
    counts = page.by_id("summary").find("p", class_="notices-count").text
    assert f"{len(unmapped)} record" in counts and f"{len(warnings)} warning" in counts
    records = page.by_id("records")
    if unmapped:
        listed = [li.text for li in records.find("details", class_="unmapped").find_all("li")]
        assert listed == [_words(u) for u in unmapped]
    shown = [li.text for li in page.find_all("li") if li.inside(lambda a: "warnings" in a.classes)]
    for w in warnings:
        carried_by = sum(w in r.warnings for r in results)
        # A warning every trial carries is about the record: once; the others once in each trial's section.
        expected = 1 if carried_by == len(results) else carried_by
        assert shown.count(_words(w)) == expected, w


def _words(s: str) -> str:
    return " ".join(s.split())


def test_patient_label_in_the_title_and_heading(screened):
    results = screened(PATIENTS[0])
    page = parse(render_html(results, patient_label="Jane Roe, MRN 0042"))
    assert page.find("title").text == f"Prescreening: patient example-001 (Jane Roe, MRN 0042), as of {AS_OF}"
    assert page.find("h1").text == "Prescreening: patient example-001 (Jane Roe, MRN 0042)"


def test_no_results_still_make_a_page():
    page = parse(render_html([]))
    assert page.find("title").text == "Prescreening: patient no patient"
    assert "No trials were screened." in page.by_id("summary").text


HOSTILE = "<script>alert('x')</script> **bold** [link](https://example.org) <img src=x onerror=alert(1)> \"q\" & 'a'"


def test_record_text_with_markup_is_shown_as_text(screener, tmp_path):
    patient = tmp_path / "patient.yaml"
    # A JSON string is a valid YAML scalar: the patient's id holds the markup.
    patient.write_text(
        (ROOT / "examples" / "patient.yaml").read_text().replace("id: example-001", f"id: {json.dumps(HOSTILE)}")
    )
    results = screener.screen(patient, as_of=AS_OF, trials=["NCT07310355"])
    assert results[0].patient == HOSTILE
    [r] = results
    c = next(c for c in r.criteria if c.evidence)
    hostile_c = dataclasses.replace(
        c,
        text=HOSTILE,
        explanation=HOSTILE,
        evidence=(dataclasses.replace(c.evidence[0], source=HOSTILE, value=HOSTILE),),
        reasons=(),
    )
    r = dataclasses.replace(
        r,
        title=HOSTILE,
        short_title=HOSTILE,
        criteria=tuple(hostile_c if x is c else x for x in r.criteria),
        unmapped=(HOSTILE,),
        warnings=(HOSTILE,),
        missing_data=(HOSTILE, *r.missing_data),
    )
    raw = render_html([r], patient_label=HOSTILE)
    page = parse(raw)
    [script] = page.find_all("script")  # the report's own print helper, nothing from the record
    assert "alert" not in script.text and "beforeprint" in script.text
    assert not page.find_all("img") and not page.find_all("strong")
    assert not [a for a in page.find_all("a") if a.attrs.get("href", "").startswith("http")]
    assert _words(HOSTILE) in page.find("title").text
    assert page.find("h1").text == f"Prescreening: patient {HOSTILE} ({HOSTILE})"
    article = page.by_id(f"{r.trial}-{c.id}")
    assert article.find("blockquote").text == HOSTILE and article.find("p", class_="explanation").text == HOSTILE
    assert [td.text for td in article.find("tbody").find_all("td")][:2] == [HOSTILE, HOSTILE]
    assert raw.count("<script>") == 1 and "&lt;script&gt;alert(" in raw and "**bold**" in raw


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_badge_colours_have_enhanced_contrast():
    style = parse(render_html([])).find("style").text
    for verdict in ICONS:
        rule = re.search(rf"\.badge\.{verdict} \{{ color: (#[0-9a-f]{{6}}); background: (#[0-9a-f]{{6}}); \}}", style)
        assert rule, f"no colours for the {verdict} badge"
        light, dark = sorted((_luminance(rule.group(1)), _luminance(rule.group(2))), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 7, verdict  # WCAG AAA for text


def test_an_open_candidate_leads_with_what_to_settle(screener, tmp_path):
    patient = tmp_path / "patient.yaml"
    lines = (ROOT / "examples" / "patient.yaml").read_text().splitlines(keepends=True)
    patient.write_text("".join(line for line in lines if "id: lab-hb," not in line and "id: lab-plt," not in line))
    results = screener.screen(patient, as_of=AS_OF)
    [open_one] = [r for r in results if r.candidate and r.overall == "needs-review"]
    page = parse(render_html(results))
    first = _summary_rows(page)[0]
    assert first.attrs["data-trial"] == open_one.trial
    settle = list(dict.fromkeys(open_one.missing_data))
    assert len(settle) == 2 and first.find_all("td")[-1].text == f"{_words(settle[0])}; {_words(settle[1])}"
    worklist = page.by_id(f"worklist-{open_one.trial}")
    assert "open" in worklist.attrs
    for li, item in zip(worklist.find("ol").find_all("li"), settle, strict=True):
        settled = [a.attrs["href"] for a in li.find_all("a")]
        expected = [f"#{open_one.trial}-{c.id}" for c in open_one.criteria if item in {x.settle for x in c.reasons}]
        assert settled == expected and expected
