"""The shape of a ruleset file, validated by pydantic before any expression is read.

A criterion node is either a sentence (a string, see :mod:`engine.rules.language`) or a mapping with one
of the keys ``all``, ``any``, ``not``, ``judgement``, ``received`` or ``has``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

__all__ = ["CriterionSpec", "NodeSpec", "RulesetSpec"]

_ID = re.compile(r"^[A-Z]{3}-\d{2}[a-z0-9]*$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AllSpec(_Spec):
    all: list[NodeSpec] = Field(min_length=1)


class AnySpec(_Spec):
    any: list[NodeSpec] = Field(min_length=1)


class NotSpec(_Spec):
    not_: NodeSpec = Field(alias="not")


class JudgementSpec(_Spec):
    judgement: str = Field(min_length=3)


class ReceivedSpec(_Spec):
    """``received: <therapy class>`` with an optional window, exceptions and dose filter."""

    received: str
    within: str | None = None
    ever: bool = False
    except_: list[str] = Field(default_factory=list, alias="except")
    dose: str | None = None


class HasSpec(_Spec):
    """``has: <condition>`` now, ever, or within a window, with kinds of it the protocol excepts."""

    has: str
    within: str | None = None
    ever: bool = False
    except_: list[str] = Field(default_factory=list, alias="except")


_NODE_KEYS = ("all", "any", "not", "judgement", "received", "has")


def _node_kind(value: Any) -> str | None:
    """Which kind of node ``value`` is, from its key, so that a bad node is checked only as what it claims to be
    (one precise problem rather than one per kind it is not)."""
    if isinstance(value, str):
        return "sentence"
    if isinstance(value, dict):
        return next((key for key in _NODE_KEYS if key in value), None)
    if isinstance(value, BaseModel):  # already validated (a spec built in code)
        return next(
            (key for key in _NODE_KEYS if key in type(value).model_fields or key + "_" in type(value).model_fields),
            None,
        )
    return None


NodeSpec = Annotated[
    Annotated[str, Tag("sentence")]
    | Annotated[AllSpec, Tag("all")]
    | Annotated[AnySpec, Tag("any")]
    | Annotated[NotSpec, Tag("not")]
    | Annotated[JudgementSpec, Tag("judgement")]
    | Annotated[ReceivedSpec, Tag("received")]
    | Annotated[HasSpec, Tag("has")],
    Discriminator(
        _node_kind,
        custom_error_type="node",
        custom_error_message="expected a sentence or a mapping with one of: " + ", ".join(_NODE_KEYS),
    ),
]


class CriterionSpec(_Spec):
    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str = Field(min_length=3)
    require: NodeSpec | None = None
    exclude_if: NodeSpec | None = Field(default=None, alias="exclude if")
    applies_if: NodeSpec | None = Field(default=None, alias="applies if")
    judgement: str | None = None
    gate: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _one_body(self) -> CriterionSpec:
        if not _ID.match(self.id):
            raise ValueError(f"id '{self.id}' should look like INC-01, EXC-09c")
        bodies = [k for k, v in (("require", self.require), ("exclude if", self.exclude_if)) if v is not None]
        if self.judgement is not None and bodies:
            raise ValueError("a criterion is either a judgement or has 'require'/'exclude if', not both")
        if self.judgement is None:
            want = "require" if self.kind == "inclusion" else "exclude if"
            if bodies != [want]:
                raise ValueError(f"an {self.kind} criterion needs '{want}' (or 'judgement')")
        return self


class Defaults(_Spec):
    observations_within: str | None = Field(default=None, alias="observations within")


class RulesetSpec(_Spec):
    """The file's header; each criterion is validated on its own (:class:`CriterionSpec`), so that every bad
    criterion in a file is reported, not only the first."""

    trial: str = Field(pattern=r"^NCT\d{8}$")
    title: str
    short_title: str | None = Field(default=None, alias="short title", min_length=3, max_length=60)
    source: str
    version: str
    defaults: Defaults = Defaults()
    criteria: list[dict[str, Any]] = Field(min_length=1)


for _m in (AllSpec, AnySpec, NotSpec, CriterionSpec):
    _m.model_rebuild()
