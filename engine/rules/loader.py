"""Load a ruleset file: YAML -> validated spec -> compiled criterion trees. Done once per file.

Every problem is a :class:`RulesetError` naming the file, the line, the criterion and the field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from ..catalog import Catalog, get_catalog
from ..errors import RulesetError
from ..evaluate.nodes import All, Flag, Node, Not
from ..evaluate.nodes import Any as AnyNode
from ..facts.model import FactRequest, JudgementRequest, Window
from . import schema
from .language import SentenceError, history_leaf, parse_dose, parse_sentence, parse_window

__all__ = ["CompiledCriterion", "CompiledRuleset", "load_ruleset", "ruleset_from_text"]


@dataclass(frozen=True, eq=False)
class CompiledCriterion:
    """One criterion ready to evaluate: ``condition`` is the protocol statement (TRUE = it holds)."""

    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    condition: Node
    note: str | None
    line: int | None


@dataclass(frozen=True, eq=False)
class CompiledRuleset:
    trial: str
    title: str
    source: str
    version: str
    content_hash: str
    path: str
    criteria: tuple[CompiledCriterion, ...]
    requests: tuple[FactRequest, ...]

    @property
    def name(self) -> str:
        """Unique per content: a changed file compiles under a new name."""
        return f"{self.trial}@{self.content_hash}"


def load_ruleset(path: str | Path, catalog: Catalog | None = None) -> CompiledRuleset:
    """Read, validate and compile one ruleset file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesetError(f"cannot read file ({exc.strerror})", path=str(p)) from None
    return ruleset_from_text(text, str(p), catalog)


def ruleset_from_text(text: str, path: str = "<ruleset>", catalog: Catalog | None = None) -> CompiledRuleset:
    """Compile ruleset YAML text; ``path`` is used in error messages."""
    cat = catalog or get_catalog()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RulesetError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}", path=path, line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(data, dict):
        raise RulesetError("expected a mapping with trial, title, source, version and criteria", path=path)
    lines = _criterion_lines(root)
    try:
        spec = schema.RulesetSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        line, crit = None, None
        if len(loc) >= 2 and loc[0] == "criteria" and isinstance(loc[1], int):
            line = lines.get(loc[1])
            raw = data["criteria"][loc[1]]
            crit = raw.get("id") if isinstance(raw, dict) else None
            loc = loc[2:]
        fields = ".".join(str(x) for x in loc if not str(x).endswith("Spec") and not str(x).startswith("function-"))
        raise RulesetError(
            err["msg"].removeprefix("Value error, "), path=path, line=line, criterion=crit, field=fields or None
        ) from None
    return _compile(spec, text, path, lines, cat)


def _criterion_lines(root: yaml.Node | None) -> dict[int, int]:
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if key.value == "criteria" and isinstance(value, yaml.SequenceNode):
            return {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return {}


def _compile(spec: schema.RulesetSpec, text: str, path: str, lines: dict[int, int], cat: Catalog) -> CompiledRuleset:
    default_window = None
    if spec.defaults.observations_within:
        try:
            default_window = parse_window(spec.defaults.observations_within)
        except SentenceError as exc:
            raise RulesetError(str(exc), path=path, field="defaults.observations within") from None

    seen: set[str] = set()
    criteria = []
    for i, c in enumerate(spec.criteria):
        where = {"path": path, "line": lines.get(i), "criterion": c.id}
        if c.id in seen:
            raise RulesetError(f"duplicate criterion id '{c.id}'", **where, field="id")
        seen.add(c.id)
        builder = _Builder(cat, c.id, default_window)
        try:
            if c.judgement is not None:
                builder.field = "judgement"
                cond = builder.judgement(c.judgement)
            else:
                builder.field = "require" if c.kind == "inclusion" else "exclude if"
                body = builder.node(c.require if c.kind == "inclusion" else c.exclude_if)
                if c.applies_if is not None:
                    builder.field = "applies if"
                    applies = builder.node(c.applies_if)
                    # Not applicable counts as met for an inclusion and as absent for an exclusion.
                    body = AnyNode((Not(applies), body)) if c.kind == "inclusion" else All((applies, body))
                cond = body
        except SentenceError as exc:
            raise RulesetError(str(exc), **where, field=builder.field) from None
        criteria.append(CompiledCriterion(c.id, c.kind, c.text.strip(), cond, c.note, lines.get(i)))

    requests: dict[FactRequest, None] = {}
    for crit in criteria:
        for r in crit.condition.requests():
            requests.setdefault(r, None)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return CompiledRuleset(
        spec.trial, spec.title, spec.source, spec.version, digest, path, tuple(criteria), tuple(requests)
    )


class _Builder:
    """Turns one criterion's spec nodes into tree nodes; remembers the field for error messages."""

    def __init__(self, cat: Catalog, criterion: str, default_window: Window | None) -> None:
        self.cat = cat
        self.criterion = criterion
        self.default_window = default_window
        self.field = ""
        self.judgements = 0

    def judgement(self, question: str) -> Node:
        self.judgements += 1
        if self.judgements > 1:  # an attestation answers the criterion's one question
            raise SentenceError("a criterion may ask at most one judgement question")
        return Flag(JudgementRequest(self.criterion, question.strip()), f"investigator judges: {question.strip()}")

    def node(self, spec: Any) -> Node:
        if isinstance(spec, str):
            return parse_sentence(self.cat, spec, self.default_window)
        if isinstance(spec, schema.AllSpec):
            return All(tuple(self.node(s) for s in spec.all))
        if isinstance(spec, schema.AnySpec):
            return AnyNode(tuple(self.node(s) for s in spec.any))
        if isinstance(spec, schema.NotSpec):
            return Not(self.node(spec.not_))
        if isinstance(spec, schema.JudgementSpec):
            return self.judgement(spec.judgement)
        if isinstance(spec, schema.ReceivedSpec | schema.HasSpec):
            verb, what = ("received", spec.received) if isinstance(spec, schema.ReceivedSpec) else ("has", spec.has)
            if spec.within and spec.ever:
                raise SentenceError("say 'within' or 'ever', not both")
            when: Window | str = parse_window(spec.within) if spec.within else ("ever" if spec.ever else "now")
            extra = {}
            if isinstance(spec, schema.ReceivedSpec):
                extra = {"excluding": tuple(spec.except_), "dose": parse_dose(spec.dose) if spec.dose else None}
            return history_leaf(self.cat, verb, what, when=when, **extra)
        raise SentenceError(f"cannot read node {spec!r}")
