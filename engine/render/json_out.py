"""The JSON result contract: a list with one object per trial."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..results import TrialResult, to_jsonable

__all__ = ["render_json"]


def render_json(results: Sequence[TrialResult]) -> str:
    """Serialise results as DESIGN.md's JSON (dates as ISO strings, verdicts as their exact strings)."""
    return json.dumps(to_jsonable(list(results)), indent=2, ensure_ascii=False)
