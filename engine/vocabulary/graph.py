"""The linked vocabulary: concepts under their parents, with the closures and indexes computed once.

Every look-up a screening makes is a dictionary or set read: spellings fold to a normal form, ancestors and
descendants are precomputed frozensets, and a code resolves through its system's own hierarchy (cached).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from ..catalog import Measure, normal_name
from .codes import CodeIndex, System, code_owners, is_valid_icd10cm, normal_code
from .spec import Domain

__all__ = ["Answering", "CodeMatch", "Concept", "Relation", "Vocabulary"]

Relation = Literal["is", "broader", "unclassified", "other"]
"""How a record's concept answers a question about another concept: it ``is`` one (itself or below); it is
``broader`` (above: "surgery" for "major surgery"); it is ``unclassified`` (a member of a partitioned concept
that none of the partition's classes covers: an appendectomy for "major surgery"); or ``other``."""


@dataclass(frozen=True)
class Concept:
    """One clinical entity, with where it was defined (and extended) for messages."""

    id: str
    domain: Domain
    label: str
    aliases: tuple[str, ...]
    parents: tuple[str, ...]
    codes: dict[System, tuple[str, ...]] = field(hash=False)
    sources: tuple[str, ...] = ()
    note: str | None = None
    partition: tuple[str, ...] = ()
    route: Literal["systemic"] | None = None
    measure: Measure | None = None  # how an observation's results are read (None: a condition, a therapy, a group)


@dataclass(frozen=True)
class CodeMatch:
    """The concepts a record's code maps to, and the vocabulary code it matched (itself or a class above it)."""

    concepts: tuple[Concept, ...]
    system: System
    code: str
    via: str

    @property
    def through_hierarchy(self) -> bool:
        return self.via != self.code


_FOLDED_MAX = 65536  # spellings come from patient files: remember a bounded number


@dataclass(frozen=True)
class Answering:
    """How a present or absent record of each concept answers one question (see :meth:`Vocabulary.answering`)."""

    present: frozenset[str]
    """A present record of one of these is a present record of the question's concept (itself or below)."""
    vague: frozenset[str]
    """A present record of one of these leaves the question open (broader, or unclassified in a partition)."""
    denies: frozenset[str]
    """An absent record of one of these rules the question's concept out (itself or anything above it)."""
    related: frozenset[str]
    """Every concept whose :meth:`Vocabulary.relation` to the question is not ``other``, excepted kinds included."""
    said: frozenset[str] = frozenset()
    """Every concept whose record says something (the three above together)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "said", self.present | self.vague | self.denies)


class Vocabulary:
    """Concepts of every domain, linked; built by :func:`engine.vocabulary.load.load_vocabulary`."""

    def __init__(self, concepts: dict[str, Concept]) -> None:
        self.concepts = concepts
        children: dict[str, set[str]] = {cid: set() for cid in concepts}
        for c in concepts.values():
            for p in c.parents:
                children[p].add(c.id)
        self._children = {k: frozenset(v) for k, v in children.items()}
        self._ancestors: dict[str, frozenset[str]] = {}
        for cid in concepts:
            self._up(cid)
        descendants: dict[str, set[str]] = {cid: {cid} for cid in concepts}
        for cid, ups in self._ancestors.items():
            for a in ups:
                descendants[a].add(cid)
        self._descendants = {k: frozenset(v) for k, v in descendants.items()}
        self._spellings: dict[str, str] = {}
        for c in concepts.values():
            for s in (c.id, c.label, *c.aliases):
                self._spellings[normal_name(s)] = c.id
        self.codes = CodeIndex(code_owners(concepts.values()))
        self._folded: dict[str, str | None] = {}  # spelling as written -> concept id (None: unknown)

    def _up(self, cid: str) -> frozenset[str]:
        if cid not in self._ancestors:
            out = {cid}
            for p in self.concepts[cid].parents:
                out |= self._up(p)
            self._ancestors[cid] = frozenset(out)
        return self._ancestors[cid]

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, cid: object) -> bool:
        return cid in self.concepts

    def __getitem__(self, cid: str) -> Concept:
        return self.concepts[cid]

    def resolve(self, spelling: str, domain: Domain | None = None) -> Concept | None:
        """The concept a label, alias or id names (case and punctuation ignored), optionally in one domain."""
        try:  # every patient's records name the same few concepts: fold each spelling once
            cid = self._folded[spelling]
        except KeyError:
            cid = self._spellings.get(normal_name(spelling))
            if len(self._folded) < _FOLDED_MAX:
                self._folded[spelling] = cid
        if cid is None or (domain is not None and self.concepts[cid].domain != domain):
            return None
        return self.concepts[cid]

    def suggest(self, spelling: str, domain: Domain | None = None, n: int = 3) -> list[str]:
        """Labels of the concepts spelled most like ``spelling`` ("did you mean …")."""
        spellings = {s: cid for s, cid in self._spellings.items() if domain is None or self[cid].domain == domain}
        close = difflib.get_close_matches(normal_name(spelling), list(spellings), n=n * 3, cutoff=0.6)
        return list(dict.fromkeys(self[spellings[s]].label for s in close))[:n]

    def search(self, term: str, limit: int = 20) -> list[Concept]:
        """Concepts whose label, alias or id contains ``term`` (then close spellings), best first."""
        key = normal_name(term)
        if not key:
            return []
        hits = {cid for s, cid in self._spellings.items() if key in s}
        ranked = sorted(hits, key=lambda cid: (normal_name(self[cid].label) != key, len(self[cid].label), cid))
        close = [self.resolve(label) for label in self.suggest(term, n=limit)]
        out = [self[cid] for cid in ranked] + [c for c in close if c is not None and c.id not in hits]
        return out[:limit]

    def ancestors(self, cid: str) -> frozenset[str]:
        """``cid`` and every concept above it."""
        return self._ancestors[cid]

    def descendants(self, cid: str) -> frozenset[str]:
        """``cid`` and every concept below it."""
        return self._descendants[cid]

    def children(self, cid: str) -> frozenset[str]:
        return self._children[cid]

    def is_a(self, cid: str, ancestor: str) -> bool:
        """True when ``cid`` is ``ancestor`` or lies below it."""
        return ancestor in self._ancestors[cid]

    def relation(self, record: str, question: str) -> Relation:
        """How a record of concept ``record`` answers a question about concept ``question`` (set look-ups)."""
        if question in self._ancestors[record]:
            return "is"
        if record in self._ancestors[question]:
            return "broader"
        if record in self.unclassified(question):
            return "unclassified"
        return "other"

    @cache  # noqa: B019  (a vocabulary lives as long as the process that loaded it)
    def answering(self, question: str, excluding: frozenset[str] = frozenset()) -> Answering:
        """Which record concepts answer a question about ``question`` with the ``excluding`` kinds excepted:
        :meth:`relation` and :meth:`is_a` for every concept at once, so a screening reads sets (computed once
        per question)."""
        skip = frozenset().union(*(self._descendants[e] for e in excluding))
        above_excepted = frozenset().union(*(self._ancestors[e] for e in excluding))
        below = self._descendants[question]
        # "is" wins over "broader" (the question itself is both); a record that may be the excepted kind
        # itself ("malignant neoplasm" when prostate cancer is excepted) is only broader.
        broader = ((self._ancestors[question] | self.unclassified(question)) - below) | (below & above_excepted)
        return Answering(
            present=below - above_excepted - skip,
            vague=broader - skip,
            denies=self._ancestors[question] - skip,
            related=below | self._ancestors[question] | self.unclassified(question),
        )

    @cache  # noqa: B019  (a vocabulary lives as long as the process that loaded it)
    def unclassified(self, question: str) -> frozenset[str]:
        """Members of a partitioned ancestor of ``question`` that no class of the partition covers."""
        out: set[str] = set()
        for a in self._ancestors[question] - {question}:
            parts = self.concepts[a].partition
            if any(question in self._descendants[p] for p in parts):
                covered = frozenset().union(*(self._descendants[p] for p in parts))
                out |= self._descendants[a] - covered - {a}
        return frozenset(out)

    def by_code(self, system: System, code: str) -> CodeMatch | None:
        """The most specific concepts carrying ``code`` or the nearest class code above it in its system.

        An ICD-10-CM code must exist in the tabular list: a mistyped code maps to nothing rather than to a class."""
        if system == "icd10cm" and not is_valid_icd10cm(code):
            return None
        found = self.codes.nearest(system, code)
        if found is None:
            return None
        via, ids = found
        return CodeMatch(tuple(self[i] for i in ids), system, normal_code(system, code), via)
