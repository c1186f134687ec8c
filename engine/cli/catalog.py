"""``prescreen trials``, ``lint`` and ``vocabulary``: what the rulesets and the vocabulary hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..errors import EngineError
from ..render.vocabulary import describe_concept, lookup
from ..rules.loader import compile_ruleset
from ..screening import DEFAULT_RULESETS, Screener
from ..vocabulary import get_vocabulary
from .app import BAD_INPUT, RulesetsOption, VocabularyOption, app, fail


@app.command()
def trials(
    fmt: Annotated[Literal["text", "json"], typer.Option("--format", help="Output format.")] = "text",
    rulesets: RulesetsOption = DEFAULT_RULESETS,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """List the trials that have a ruleset."""
    try:
        screener = Screener.from_directory(rulesets, vocabulary_dirs or ())
    except EngineError as exc:
        fail(exc)
    if fmt == "json":
        listed = [
            {
                "trial": t,
                "title": rs.title,
                "version": rs.version,
                "hash": rs.content_hash,
                "criteria": len(rs.criteria),
            }
            for t, rs in ((t, screener.rulesets[t]) for t in screener.trials)
        ]
        typer.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    for t in screener.trials:
        rs = screener.rulesets[t]
        typer.echo(f"{t}  {len(rs.criteria):3d} criteria  v{rs.version} {rs.content_hash}  {rs.title}")


@app.command()
def lint(
    paths: Annotated[list[Path] | None, typer.Argument(help="Ruleset files. Default: all.")] = None,
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Load and validate ruleset files; report every problem in each, one line per problem."""
    files = paths or sorted(DEFAULT_RULESETS.glob("*.yaml"))
    try:
        vocab = get_vocabulary(vocabulary_dirs or ())
    except EngineError as exc:
        fail(exc)
    bad = 0
    for p in files:
        try:
            rs, problems = compile_ruleset(p, vocabulary=vocab)
        except EngineError as exc:  # the catalog itself does not load
            rs, problems = None, [exc]
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        if rs is None:
            bad += 1
        else:
            typer.echo(f"ok: {p} ({len(rs.criteria)} criteria)")
    if bad:
        raise typer.Exit(BAD_INPUT)


@app.command()
def vocabulary(
    term: Annotated[str, typer.Argument(help="A name or code to look up: 'pd-1 inhibitor', 'epilepsy', 'L01FF02'.")],
    vocabulary_dirs: VocabularyOption = None,
) -> None:
    """Find the concept to name: one concept with its ancestors, kinds and codes when TERM names it (a label,
    alias, id or code), else the concepts whose names contain TERM."""
    try:
        vocab = get_vocabulary(vocabulary_dirs or ())
    except EngineError as exc:
        fail(exc)
    concept = lookup(vocab, term)
    if concept is not None:
        typer.echo("\n".join(describe_concept(vocab, concept)))
        return
    hits = vocab.search(term)
    typer.echo("\n".join(f"{c.label}  [{c.domain}: {c.id}]" for c in hits) or f"no concept matches '{term}'")
