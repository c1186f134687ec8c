"""The HTML report in a real headless browser (Debian's chromium): the DOM it builds has the summary and every
trial section, a screenshot shows a page, and printing expands every collapsed section.

Skipped only when chromium is absent outside CI; in CI (CI=true) a missing browser fails: .ci/run installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from datetime import date
from pathlib import Path

import pytest
from html_dom import parse

from engine import Screener
from engine.render.html import render_html

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
FHIR = ROOT.parent / "shared" / "data" / "fhir"
BROWSER_TIMEOUT = 120  # seconds; a cold start on a busy machine takes a few


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is missing in CI: .ci/run installs it (apt-get install -y chromium)")
    pytest.skip("chromium is not installed here (Debian: apt-get install -y chromium; .ci/run installs it)")


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory()


def _browse(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless run on a file: no network, no sync or updates, its own throwaway profile."""
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _patients() -> list[Path]:
    synthea = sorted(FHIR.glob("Milton509_*.json")) if FHIR.is_dir() else []  # the one with most unused records
    return [ROOT / "examples" / "patient.yaml", *synthea]


@pytest.mark.parametrize("patient", _patients(), ids=lambda p: p.name)
def test_the_browser_builds_the_summary_and_every_trial_section(chromium, screener, tmp_path, patient):
    results = screener.screen(patient, as_of=AS_OF)
    report = tmp_path / "report.html"
    report.write_text(render_html(results), encoding="utf-8")
    dom = parse(_browse(chromium, tmp_path / "profile", "--dump-dom", report.as_uri()).stdout)
    assert dom.find("title").text == f"Prescreening: patient {results[0].patient}, as of {AS_OF}"
    rows = dom.by_id("summary").find("tbody").find_all("tr")
    assert sorted(row.attrs["data-trial"] for row in rows) == sorted(r.trial for r in results)
    for r in results:
        section = dom.by_id(r.trial)
        assert section.tag == "section"
        assert len(section.find_all("article", class_="criterion")) == len(r.criteria)
    assert dom.find("footer").find("tbody").find_all("tr")


def _png_rows(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the (filtered) pixel rows of an 8-bit RGB or RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        chunks.setdefault(kind, []).append(png[at + 8 : at + 8 + length])
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    stride = 1 + width * (3 if colour == 2 else 4)
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    assert len(raw) == stride * height
    return width, height, [raw[i : i + stride] for i in range(0, len(raw), stride)]


def test_a_screenshot_shows_the_report(chromium, screener, tmp_path):
    report = tmp_path / "report.html"
    report.write_text(render_html(screener.screen(ROOT / "examples" / "patient.yaml", as_of=AS_OF)), encoding="utf-8")
    shot = tmp_path / "report.png"
    _browse(chromium, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", report.as_uri())
    width, height, rows = _png_rows(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    # A blank page encodes as a handful of distinct rows; lines of text, tables and badges as hundreds.
    assert len(set(rows)) > 300, len(set(rows))


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf.read_bytes()))


def test_printing_expands_every_collapsed_section(chromium, screener, tmp_path):
    page = render_html(screener.screen(ROOT / "examples" / "patient.yaml", as_of=AS_OF))
    assert "<details" in page
    expanded = re.sub(r"<details(?![^>]* open)([^>]*)>", r"<details\1 open>", page)
    printed = {}
    for name, html in (("report", page), ("expanded", expanded)):
        source = tmp_path / f"{name}.html"
        source.write_text(html, encoding="utf-8")
        printed[name] = tmp_path / f"{name}.pdf"
        _browse(
            chromium, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={printed[name]}", source.as_uri()
        )
    # Collapsed, the met criteria of five trials would leave out dozens of pages.
    assert _pages(printed["report"]) == _pages(printed["expanded"]) > 10
