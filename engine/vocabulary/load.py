"""Read vocabulary files (the package's, then each site directory in order) into one linked vocabulary.

A site extends the vocabulary from its own directory: new concepts, and more parents, aliases and codes
for existing ones. Nothing is overridden silently: a concept defined twice, one spelling or one code on two
concepts, an unknown parent, a parent in another domain or a cycle is a :class:`VocabularyError` naming
the files and concepts involved.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from ..catalog import Measure, normal_name
from ..errors import InputError, VocabularyError
from ..files import load_yaml, read_text
from .codes import CodeIndex, System, code_owners
from .graph import Concept, Vocabulary
from .spec import ConceptSpec, VocabularyFileSpec

__all__ = ["BUILTIN", "ENV_VARIABLE", "get_vocabulary", "load_vocabulary", "site_directories", "vocabulary_files"]

BUILTIN = Path(str(resources.files("engine") / "data" / "vocabulary"))
ENV_VARIABLE = "PRESCREEN_VOCABULARY"  # site directories, separated like PATH


def vocabulary_files(directory: Path) -> list[Path]:
    """The ``*.yaml`` files of a vocabulary directory, in name order."""
    if not directory.is_dir():
        raise VocabularyError("not a directory of vocabulary files", path=str(directory))
    return sorted(directory.glob("*.yaml"))


def _read(path: Path) -> VocabularyFileSpec:
    try:
        data = load_yaml(read_text(path), str(path))
    except InputError as exc:  # unreadable, not UTF-8, not YAML, duplicate keys: one line naming the file
        raise VocabularyError(exc.problem, path=str(path)) from None
    try:
        return VocabularyFileSpec.model_validate(data if data is not None else {})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(x) for x in err["loc"]]
        concept = loc[1] if len(loc) > 1 and loc[0] in ("concepts", "extend") else None
        problem = err["msg"].removeprefix("Value error, ")
        field = ".".join(loc[2:]) if concept else ".".join(loc)
        raise VocabularyError(f"{field + ': ' if field else ''}{problem}", path=str(path), concept=concept) from None


class _Draft:
    """A concept as files define and extend it, before linking."""

    def __init__(self, cid: str, domain: str, spec: ConceptSpec, path: str) -> None:
        self.id, self.domain, self.label, self.note, self.root = cid, domain, spec.label, spec.note, spec.root
        self.partition, self.route = spec.partition, spec.route
        self.measure = Measure(**{f: getattr(spec, f) for f in Measure.model_fields}) if spec.measured() else None
        self.aliases = list(spec.aliases)
        self.parents = list(spec.is_a)
        self.codes: dict[System, list[str]] = {s: list(c) for s, c in spec.codes().items()}
        self.sources = [path]

    def concept(self) -> Concept:
        return Concept(
            self.id,
            self.domain,  # type: ignore[arg-type]
            self.label,
            tuple(dict.fromkeys(self.aliases)),
            tuple(dict.fromkeys(self.parents)),
            {s: tuple(dict.fromkeys(c)) for s, c in self.codes.items()},
            tuple(self.sources),
            self.note,
            self.partition,
            self.route,
            self.measure,
        )


def load_vocabulary(directories: Iterable[Path]) -> Vocabulary:
    """Merge the vocabulary files of ``directories`` (earlier ones first) into a checked, linked vocabulary."""
    drafts: dict[str, _Draft] = {}
    extensions = []
    for directory in directories:
        for path in vocabulary_files(Path(directory)):
            spec = _read(path)
            for cid, concept in spec.concepts.items():
                if cid in drafts:
                    raise VocabularyError(f"already defined in {drafts[cid].sources[0]}", path=str(path), concept=cid)
                drafts[cid] = _Draft(cid, spec.domain, concept, str(path))
            extensions.extend((str(path), spec.domain, cid, ext) for cid, ext in spec.extend.items())
    for path, domain, cid, ext in extensions:
        if cid not in drafts:
            raise VocabularyError("extends an unknown concept", path=path, concept=cid)
        d = drafts[cid]
        if d.domain != domain:
            raise VocabularyError(f"extends a {d.domain} concept from a {domain} file", path=path, concept=cid)
        d.aliases += ext.aliases
        d.parents += ext.is_a
        for s, codes in ext.codes().items():
            d.codes.setdefault(s, []).extend(codes)
        d.sources.append(path)
    _check_unique(drafts)
    _code_parents(drafts)
    _check_links(drafts)
    return Vocabulary({cid: d.concept() for cid, d in drafts.items()})


def _code_parents(drafts: dict[str, _Draft]) -> None:
    """A concept whose code lies under another concept's code is that concept's child (ATC level, ICD-10-CM
    category or block): the standard hierarchy is used, not copied into is_a lists."""
    index = CodeIndex(code_owners(drafts.values()))
    for d in drafts.values():
        for system, codes in d.codes.items():
            for code in codes:
                if (found := index.nearest(system, code, above=True)) is not None:
                    d.parents += [p for p in found[1] if p != d.id and drafts[p].domain == d.domain]


def _check_links(drafts: dict[str, _Draft]) -> None:
    for d in drafts.values():
        if not d.parents and not d.root:
            raise VocabularyError(
                "has no parent: give is_a (only a domain's root has none)", path=", ".join(d.sources), concept=d.id
            )
        for p in d.partition:
            if p not in drafts or d.id not in drafts[p].parents:
                raise VocabularyError(
                    f"partition names '{p}', which is not a child", path=", ".join(d.sources), concept=d.id
                )
        for p in d.parents:
            if p not in drafts:
                raise VocabularyError(f"unknown parent '{p}'", path=", ".join(d.sources), concept=d.id)
            if drafts[p].domain != d.domain:
                raise VocabularyError(
                    f"parent '{p}' is a {drafts[p].domain}, not a {d.domain}", path=", ".join(d.sources), concept=d.id
                )
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(cid: str, path: list[str]) -> None:
        state[cid] = 1
        for p in drafts[cid].parents:
            if state.get(p) == 1:
                cycle = [*path[path.index(p) :], p] if p in path else [cid, p]
                files = sorted({s for c in cycle for s in drafts[c].sources})
                raise VocabularyError(f"is-a cycle: {' -> '.join(cycle)}", path=", ".join(files), concept=cid)
            if state.get(p) is None:
                visit(p, [*path, p])
        state[cid] = 2

    for cid in drafts:
        if cid not in state:
            visit(cid, [cid])


def _check_unique(drafts: dict[str, _Draft]) -> None:
    spelled: dict[str, str] = {}
    for d in drafts.values():
        for s in dict.fromkeys(normal_name(x) for x in (d.id, d.label, *d.aliases)):
            other = spelled.setdefault(s, d.id)
            if other != d.id:
                raise VocabularyError(
                    f"spelling '{s}' also names '{other}' ({', '.join(drafts[other].sources)})",
                    path=", ".join(d.sources),
                    concept=d.id,
                )
    for (system, code), owners in code_owners(drafts.values()).items():
        if len(owners) > 1:
            first, second = drafts[owners[0]], drafts[owners[1]]
            raise VocabularyError(
                f"{system} code {code} also belongs to '{first.id}' ({', '.join(first.sources)})",
                path=", ".join(second.sources),
                concept=second.id,
            )


def site_directories(extra: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    """Site vocabulary directories: ``$PRESCREEN_VOCABULARY`` (os.pathsep-separated), then ``extra``."""
    env = [Path(p) for p in os.environ.get(ENV_VARIABLE, "").split(os.pathsep) if p.strip()]
    return (*env, *(Path(p) for p in extra))


@cache
def _cached(directories: tuple[Path, ...]) -> Vocabulary:
    return load_vocabulary(directories)


def get_vocabulary(extra: Iterable[str | Path] = ()) -> Vocabulary:
    """The package vocabulary plus the site directories (environment, then ``extra``), loaded once per set."""
    return _cached((BUILTIN, *(p.resolve() for p in site_directories(extra))))
