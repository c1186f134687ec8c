"""Vocabulary look-ups as a person reads them: one concept with its place in the hierarchy and its codes."""

from __future__ import annotations

import re

from ..vocabulary import Concept, Vocabulary
from ..vocabulary.codes import SYSTEMS, check_format

__all__ = ["describe_concept", "lookup"]

_SHOWN = 12  # descendants listed before "… and N more"


def lookup(vocab: Vocabulary, term: str) -> Concept | None:
    """The concept ``term`` names: a label, alias or id, or a code ("L01FF02", "C50.9", "snomed 59621000")."""
    if (concept := vocab.resolve(term)) is not None:
        return concept
    parts = re.split(r"[\s:|]+", term.strip(), maxsplit=1)
    systems, code = (
        ((parts[0].lower(),), parts[1]) if len(parts) == 2 and parts[0].lower() in SYSTEMS else (SYSTEMS, term)
    )
    for system in systems:
        if check_format(system, code) is None and (match := vocab.by_code(system, code)) is not None:  # type: ignore[arg-type]
            return match.concepts[0]
    return None


def _labels(vocab: Vocabulary, ids: frozenset[str] | tuple[str, ...]) -> str:
    return ", ".join(sorted(vocab[i].label for i in ids)) or "none"


def describe_concept(vocab: Vocabulary, c: Concept) -> list[str]:
    """Lines describing ``c``: label, id and domain, other names, parents, all ancestors, descendants, codes."""
    below = sorted(vocab.descendants(c.id) - {c.id}, key=lambda i: vocab[i].label)
    shown = ", ".join(vocab[i].label for i in below[:_SHOWN]) or "none"
    if len(below) > _SHOWN:
        shown += f" … and {len(below) - _SHOWN} more"
    codes = "; ".join(f"{system} {', '.join(codes)}" for system, codes in c.codes.items()) or "none"
    lines = [
        f"{c.label}  [{c.domain}: {c.id}]",
        f"  also called: {', '.join(c.aliases) or 'nothing else'}",
        f"  is a: {_labels(vocab, c.parents)}",
        f"  all ancestors: {_labels(vocab, vocab.ancestors(c.id) - {c.id})}",
        f"  kinds of it ({len(below)}): {shown}",
        f"  codes: {codes}",
    ]
    if c.measure is not None:
        m = c.measure
        kind = f"numbers in {m.unit}" if m.unit else f"one of {', '.join(m.values or ())}" if m.values else ""
        kind = kind or f"ranks {' < '.join(m.scale or ())}"
        bounds = f" (possible: {m.min:g} to {m.max:g})" if m.min is not None and m.max is not None else ""
        lines.append(f"  results read as: {kind}{bounds}")
    if c.partition:
        lines.append(f"  each one is: {' or '.join(vocab[p].label for p in c.partition)}")
    if c.route:
        lines.append(f"  counts only when given: {c.route}")
    if c.note:
        lines.append(f"  note: {c.note}")
    lines.append(f"  defined in: {', '.join(c.sources)}")
    return lines
