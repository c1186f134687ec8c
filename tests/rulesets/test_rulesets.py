"""Every ruleset in rulesets/ loads, is named by its trial, has a feature file, quotes its protocol, and
encodes every numbered protocol item (so a silently dropped criterion fails the build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.cli import main
from engine.rules.loader import load_ruleset

ROOT = Path(__file__).resolve().parents[2]
RULESETS = sorted((ROOT / "rulesets").glob("*.yaml"))
SEEDS = ROOT.parent / "shared" / "seeds"
_COUNT = re.compile(r"^# criteria: (\d+) inclusion items, (\d+) exclusion items in the protocol$", re.M)
_BASE = re.compile(r"^(INC|EXC)-(\d\d)")


def _seed_text(trial: str) -> str | None:
    index = SEEDS / "INDEX.md"
    if not index.exists():
        return None
    for line in index.read_text().splitlines():
        if trial in line:
            return (SEEDS / line.split("|")[1].strip()).read_text(encoding="utf-8")
    return None


def test_there_are_rulesets():
    assert RULESETS


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
def test_ruleset_loads_and_is_named_by_its_trial(path):
    rs = load_ruleset(path)
    assert rs.trial == path.stem
    assert (ROOT / "features" / f"{path.stem}.feature").exists()
    assert all(len(c.text) >= 10 for c in rs.criteria)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
def test_every_numbered_protocol_item_is_encoded(path):
    rs = load_ruleset(path)
    m = _COUNT.search(path.read_text(encoding="utf-8"))
    assert m, f"{path.name} lacks its '# criteria: N inclusion items, M exclusion items in the protocol' line"
    items = {"INC": set(), "EXC": set()}
    for c in rs.criteria:
        kind, number = _BASE.match(c.id).groups()  # type: ignore[union-attr]
        assert (kind == "INC") == (c.kind == "inclusion"), c.id
        items[kind].add(int(number))
    for kind, expected in (("INC", int(m[1])), ("EXC", int(m[2]))):
        assert items[kind] == set(range(1, expected + 1)), f"{kind} items {sorted(items[kind])} vs {expected}"


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
def test_criterion_texts_are_quoted_from_the_protocol(path):
    seed = _seed_text(path.stem)
    if seed is None:
        pytest.skip("the seed protocols are not beside the project (../shared/seeds)")
    # Markdown escapes and list markers are not part of the words.
    folded = re.sub(r"\s+", " ", re.sub(r"(?m)^\s*[*•]\s*", " ", seed.replace("\\", "")))
    for c in load_ruleset(path).criteria:
        # Every sentence-sized piece of the criterion text appears in the protocol as written.
        for piece in re.split(r"(?<=[;:.])\s+", c.text):
            piece = re.sub(r"\s+", " ", piece).strip()
            if len(piece) >= 25:
                assert piece[:60] in folded, f"{c.id}: '{piece[:60]}' is not in the protocol text"


def test_lint_passes_every_shipped_ruleset(capsys):
    assert main(["lint", *map(str, RULESETS)]) == 0
    assert capsys.readouterr().err == ""
