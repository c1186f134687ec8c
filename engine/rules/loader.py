"""Load a ruleset file: YAML -> validated spec -> compiled criterion trees. Done once per file.

Every problem is a :class:`RulesetError` naming the file, the line, the criterion and the field. The loader
collects problems criterion by criterion and goes on: :func:`lint_ruleset` returns them all, while
:func:`load_ruleset` raises the first. What durable-rules cannot compile (too many facts, a threshold it cannot
read) is found here, at load, never while a patient is screened.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from ..catalog import Catalog, catalog_for
from ..errors import EvaluationError, InputError, RulesetError
from ..evaluate.durable_adapter import check_compilable
from ..evaluate.nodes import All, Flag, Node, Not
from ..evaluate.nodes import Any as AnyNode
from ..facts.model import FactRequest, JudgementRequest, Window
from ..files import MAX_YAML_BYTES, load_yaml, read_text
from ..vocabulary import Vocabulary, get_vocabulary
from . import schema
from .language import SentenceError, history_leaf, parse_dose, parse_sentence, parse_window

__all__ = [
    "CompiledCriterion",
    "CompiledRuleset",
    "compile_ruleset",
    "lint_ruleset",
    "lint_text",
    "load_ruleset",
    "ruleset_from_text",
]


@dataclass(frozen=True, eq=False)
class CompiledCriterion:
    """One criterion ready to evaluate: ``condition`` is the protocol statement (TRUE = it holds)."""

    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    condition: Node
    note: str | None
    line: int | None
    gate: bool = False
    """A disease or population criterion without which nothing else matters (``gate: true``)."""


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
    short_title: str = ""
    """A few words a person recognises the trial by ("STR-P004 (B-ALL)"); the title when the file gives none."""

    @property
    def gated(self) -> bool:
        """Whether the ruleset marks its gate criteria (otherwise every inclusion criterion is one)."""
        return any(c.gate for c in self.criteria)

    @property
    def name(self) -> str:
        """Unique per content: a changed file compiles under a new name."""
        return f"{self.trial}@{self.content_hash}"


def load_ruleset(
    path: str | Path, catalog: Catalog | None = None, vocabulary: Vocabulary | None = None
) -> CompiledRuleset:
    """Read, validate and compile one ruleset file; raises the first problem as a :class:`RulesetError`."""
    return ruleset_from_text(_read(path), str(path), catalog, vocabulary)


def ruleset_from_text(
    text: str, path: str = "<ruleset>", catalog: Catalog | None = None, vocabulary: Vocabulary | None = None
) -> CompiledRuleset:
    """Compile ruleset YAML text; ``path`` is used in error messages. Raises the first problem."""
    ruleset, problems = _Compiler(text, path, catalog, vocabulary).run()
    if problems or ruleset is None:
        raise problems[0]
    return ruleset


def compile_ruleset(
    path: str | Path, catalog: Catalog | None = None, vocabulary: Vocabulary | None = None
) -> tuple[CompiledRuleset | None, list[RulesetError]]:
    """The compiled ruleset, or None with every problem in the file, in file order."""
    try:
        text = _read(path)
    except RulesetError as exc:
        return None, [exc]
    return _Compiler(text, str(path), catalog, vocabulary).run()


def lint_ruleset(
    path: str | Path, catalog: Catalog | None = None, vocabulary: Vocabulary | None = None
) -> list[RulesetError]:
    """Every problem in one ruleset file, in file order (empty when it loads)."""
    return compile_ruleset(path, catalog, vocabulary)[1]


def lint_text(
    text: str, path: str = "<ruleset>", catalog: Catalog | None = None, vocabulary: Vocabulary | None = None
) -> list[RulesetError]:
    """Every problem in ruleset YAML text, in file order (empty when it compiles)."""
    return _Compiler(text, path, catalog, vocabulary).run()[1]


def _read(path: str | Path) -> str:
    try:
        return read_text(path, max_bytes=MAX_YAML_BYTES)
    except InputError as exc:
        raise RulesetError(exc.problem, path=str(path)) from None


def _lines(text: str) -> tuple[dict[str, int], dict[int, int]]:
    """Line of each top-level key and of each criterion (composing is safe once :func:`load_yaml` accepted
    the text: same parser, aliases and depth already refused)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}, {}
    if not isinstance(root, yaml.MappingNode):
        return {}, {}
    keys = {str(k.value): k.start_mark.line + 1 for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
    for key, value in root.value:
        if key.value == "criteria" and isinstance(value, yaml.SequenceNode):
            return keys, {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return keys, {}


_HOLDS_NODE = {"require", "exclude if", "applies if", "not"}
_HOLDS_NODES = {"all", "any"}


def _field_name(loc: list[Any]) -> str | None:
    """A validation location as a person reads it: ``require.all[1].ever``. pydantic puts the node kind it
    checked after every node position (``require``, ``not``, each item of ``all``/``any``); those are dropped."""
    parts: list[str] = []
    kind_follows = False
    for x in loc:
        if kind_follows:
            kind_follows = False
            continue
        if isinstance(x, int) and parts:
            kind_follows = parts[-1].rsplit(".", 1)[-1].split("[")[0] in _HOLDS_NODES
            parts[-1] += f"[{x}]"
        else:
            parts.append(str(x))
            kind_follows = x in _HOLDS_NODE
    return ".".join(parts) or None


def _id_of(item: Any) -> str | None:
    """The id a criterion claims, for naming it in a problem even when it does not validate."""
    cid = item.get("id") if isinstance(item, dict) else None
    return cid if isinstance(cid, str) else None


class _Compiler:
    """Compiles one ruleset text, collecting every problem with its file, line, criterion and field."""

    def __init__(self, text: str, path: str, cat: Catalog | None, vocab: Vocabulary | None) -> None:
        self.text = text
        self.path = path
        self.vocab = vocab or get_vocabulary()
        self.cat = cat or catalog_for(self.vocab)
        self.problems: list[RulesetError] = []
        self.lines: dict[int, int] = {}  # criterion index -> line
        self.key_lines: dict[str, int] = {}  # top-level key -> line
        self.parts: list[tuple[int, str, str, Node]] = []  # (index, criterion, field, tree) for durable checks

    def problem(
        self,
        message: str,
        *,
        index: int | None = None,
        key: str | None = None,
        criterion: str | None = None,
        **where: Any,
    ) -> None:
        line = self.lines.get(index) if index is not None else self.key_lines.get(key) if key is not None else None
        self.problems.append(RulesetError(message, path=self.path, line=line, criterion=criterion, **where))

    def run(self) -> tuple[CompiledRuleset | None, list[RulesetError]]:
        """The compiled ruleset, or None and every problem in file order (file-wide problems first)."""
        ruleset = self._run()
        return (ruleset, []) if ruleset else (None, sorted(self.problems, key=lambda p: p.line or 0))

    def _run(self) -> CompiledRuleset | None:
        try:
            data = load_yaml(self.text, self.path)
        except InputError as exc:
            self.problem(exc.problem)
            return None
        if not isinstance(data, dict):
            self.problem("expected a mapping with trial, title, source, version and criteria")
            return None
        self.key_lines, self.lines = _lines(self.text)
        spec = self._header(data)
        default_window = self._default_window(spec)
        raw = data.get("criteria")
        criteria = self._criteria(raw if isinstance(raw, list) else [], default_window)
        if self.problems or spec is None:
            return None
        requests: dict[FactRequest, None] = {}
        for crit in criteria:
            requests.update(dict.fromkeys(crit.condition.requests()))
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]
        ruleset = CompiledRuleset(
            spec.trial,
            spec.title,
            spec.source,
            spec.version,
            digest,
            self.path,
            tuple(criteria),
            tuple(requests),
            spec.short_title or spec.title,
        )
        self._check_compilable(ruleset)
        return None if self.problems else ruleset

    def _check_compilable(self, ruleset: CompiledRuleset) -> None:
        """What durable-rules cannot compile is a load error: the file's width, each criterion, then the whole."""
        name = ruleset.name
        try:
            check_compilable(name, {}, ruleset.requests)
        except EvaluationError as exc:
            self.problem(str(exc).removeprefix(f"{name}: "))
            return
        try:  # the whole first: when it compiles, so does each criterion alone (a part of it), and one pass does
            check_compilable(name, {c.id: c.condition for c in ruleset.criteria}, ruleset.requests)
            return
        except EvaluationError as exc:
            whole = str(exc).removeprefix(f"{name}: ")
        for i, cid, field, node in self.parts:
            try:
                check_compilable(name, {cid: node}, ruleset.requests)
            except EvaluationError as exc:
                self.problem(str(exc).removeprefix(f"{name}: "), index=i, criterion=cid, field=field)
        if not self.problems:  # each criterion fits; the whole network does not
            self.problem(whole)

    def _header(self, data: dict) -> schema.RulesetSpec | None:
        try:
            return schema.RulesetSpec.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = list(err["loc"])
                index = loc[1] if len(loc) >= 2 and loc[0] == "criteria" and isinstance(loc[1], int) else None
                message = err["msg"]
                if index is not None and err["type"] == "dict_type":
                    message = "a criterion is a mapping with id, kind, text and require, exclude if or judgement"
                if index is None:
                    self.problem(message, key=str(loc[0]) if loc else None, field=_field_name(loc[:1]))
                else:
                    self.problem(
                        message, index=index, criterion=_id_of(data["criteria"][index]), field=_field_name(loc[2:])
                    )
            return None

    def _default_window(self, spec: schema.RulesetSpec | None) -> Window | None:
        if spec is None or not spec.defaults.observations_within:
            return None
        try:
            return parse_window(spec.defaults.observations_within)
        except SentenceError as exc:
            self.problem(str(exc), key="defaults", field="defaults.observations within")
            return None

    def _criteria(self, raw: list[Any], default_window: Window | None) -> list[CompiledCriterion]:
        seen: set[str] = set()
        criteria = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                continue  # reported by the header's validation
            try:
                c = schema.CriterionSpec.model_validate(item)
            except ValidationError as exc:
                cid = _id_of(item)
                fields: dict[str, tuple[str | None, str]] = {}
                for err in exc.errors():  # the first problem under each key of the criterion
                    loc = list(err["loc"])
                    fields.setdefault(str(loc[:1]), (_field_name(loc), err["msg"].removeprefix("Value error, ")))
                for field, message in fields.values():
                    self.problem(message, index=i, criterion=cid, field=field)
                continue
            if c.id in seen:
                self.problem(f"duplicate criterion id '{c.id}'", index=i, criterion=c.id, field="id")
                continue
            seen.add(c.id)
            compiled = self._criterion(c, i, default_window)
            if compiled is not None:
                criteria.append(compiled)
        return criteria

    def _criterion(self, c: schema.CriterionSpec, i: int, default_window: Window | None) -> CompiledCriterion | None:
        builder = _Builder(self.cat, self.vocab, c.id, default_window)
        if c.judgement is not None:
            field = "judgement"
            body = builder.build(field, schema.JudgementSpec.model_construct(judgement=c.judgement))
        else:
            field = "require" if c.kind == "inclusion" else "exclude if"
            body = builder.build(field, c.require if c.kind == "inclusion" else c.exclude_if)
        applies = builder.build("applies if", c.applies_if) if c.applies_if is not None else None
        for problem_field, message in builder.problems:
            self.problem(message, index=i, criterion=c.id, field=problem_field)
        if body is None or builder.problems:
            return None
        self.parts.append((i, c.id, field, body))
        if applies is not None:
            self.parts.append((i, c.id, "applies if", applies))
            # Not applicable counts as met for an inclusion and as absent for an exclusion.
            body = AnyNode((Not(applies), body)) if c.kind == "inclusion" else All((applies, body))
        return CompiledCriterion(c.id, c.kind, c.text.strip(), body, c.note, self.lines.get(i), c.gate)


class _Builder:
    """Turns one criterion's spec nodes into tree nodes, collecting (field, problem) pairs as it goes."""

    def __init__(self, cat: Catalog, vocab: Vocabulary, criterion: str, default_window: Window | None) -> None:
        self.cat = cat
        self.vocab = vocab
        self.criterion = criterion
        self.default_window = default_window
        self.field = ""
        self.judgements = 0
        self.problems: list[tuple[str, str]] = []

    def build(self, field: str, spec: Any) -> Node | None:
        """The tree for one field of the criterion, or None when it has problems (recorded)."""
        self.field = field
        return self.node(spec)

    def judgement(self, question: str) -> Node:
        self.judgements += 1
        if self.judgements > 1:  # an attestation answers the criterion's one question
            raise SentenceError("a criterion may ask at most one judgement question")
        return Flag(JudgementRequest(self.criterion, question.strip()), f"investigator judges: {question.strip()}")

    def node(self, spec: Any) -> Node | None:
        """The tree for ``spec``, or None when it (or a part of it) cannot be read; every part is tried."""
        if isinstance(spec, schema.AllSpec | schema.AnySpec):
            children = [self.node(s) for s in (spec.all if isinstance(spec, schema.AllSpec) else spec.any)]
            if any(child is None for child in children):
                return None
            return (All if isinstance(spec, schema.AllSpec) else AnyNode)(tuple(children))  # type: ignore[arg-type]
        if isinstance(spec, schema.NotSpec):
            inner = self.node(spec.not_)
            return None if inner is None else Not(inner)
        try:
            return self._leaf(spec)
        except SentenceError as exc:
            self.problems.append((self.field, str(exc)))
            return None

    def _leaf(self, spec: Any) -> Node:
        if isinstance(spec, str):
            return parse_sentence(self.cat, spec, self.default_window, self.vocab)
        if isinstance(spec, schema.JudgementSpec):
            return self.judgement(spec.judgement)
        if isinstance(spec, schema.ReceivedSpec | schema.HasSpec):
            verb, what = ("received", spec.received) if isinstance(spec, schema.ReceivedSpec) else ("has", spec.has)
            if spec.within and spec.ever:
                raise SentenceError("say 'within' or 'ever', not both")
            when: Window | str = parse_window(spec.within) if spec.within else ("ever" if spec.ever else "now")
            extra: dict = {"excluding": tuple(spec.except_)}
            if isinstance(spec, schema.ReceivedSpec):
                extra["dose"] = parse_dose(spec.dose) if spec.dose else None
            return history_leaf(
                self.cat, self.vocab, verb, what, when=when, default_window=self.default_window, **extra
            )
        raise SentenceError(f"cannot read node {spec!r}")
