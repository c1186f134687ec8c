"""Reading batch results for the population report: one line at a time, each checked against its shape.

RESULTS is a JSON Lines file as ``prescreen batch --out x.jsonl`` writes it, or a batch output directory
(its ``results/*.jsonl`` parts, in name order). A line is a screened patient (``results``: the JSON contract,
full or compact) or a record that could not be screened (``error``). Anything else, a line that is not JSON,
or a file that cannot be read is an :class:`InputError` naming the file, the line and the field: a report
over results it cannot read whole would count the wrong population.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import InputError
from ..facts.model import ReasonKind
from ..files import MAX_BYTES
from ..results import GateStatus, Verdict

__all__ = ["CriterionLine", "ErrorLine", "ScreenedLine", "TrialLine", "read_results", "result_files"]


class _Line(BaseModel):
    # Only what the report reads is checked; compact lines (no explanation or evidence) fit the same models.
    model_config = ConfigDict(extra="ignore", frozen=True)


class ReasonLine(_Line):
    kind: ReasonKind
    settle: str


class CriterionLine(_Line):
    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str = ""
    verdict: Verdict
    gate: bool = False
    reasons: tuple[ReasonLine, ...] = ()


class RulesetLine(_Line):
    version: str
    hash: str


class TrialLine(_Line):
    trial: str
    title: str = ""
    short_title: str = ""
    ruleset: RulesetLine
    patient: str
    as_of: date
    overall: Verdict
    gates: GateStatus
    criteria: tuple[CriterionLine, ...]


class ScreenedLine(_Line):
    """A patient screened: its results, one per trial."""

    patient: str | None = None
    source: str | None = None
    file: str | None = None  # what batches wrote before ``source``
    results: tuple[TrialLine, ...]


class ErrorLine(_Line):
    """A record that could not be screened, and why."""

    patient: str | None = None
    source: str | None = None
    file: str | None = None
    error: str
    internal: bool = False


def result_files(path: Path) -> list[Path]:
    """The JSON Lines files RESULTS stands for: the file itself, or a batch output directory's parts."""
    if not path.exists():
        raise InputError("no such file or directory", path=str(path))
    if not path.is_dir():
        return [path]
    parts = path / "results"
    if not parts.is_dir():
        raise InputError("not a batch output directory (it has no results/ directory)", path=str(path))
    files = sorted(p for p in parts.glob("*.jsonl") if p.is_file())
    if not files:
        raise InputError("no results (results/*.jsonl) in this batch output directory", path=str(path))
    return files


def read_results(path: Path) -> Iterator[tuple[str, ScreenedLine | ErrorLine]]:
    """Every line of RESULTS as ``("file:line", parsed line)``, streamed: one line in memory at a time."""
    for file in result_files(path):
        try:
            with file.open("rb") as stream:
                number = 0
                while raw := stream.readline(MAX_BYTES + 1):
                    number += 1
                    where = f"{file}:{number}"
                    if len(raw) > MAX_BYTES:
                        raise InputError(f"a line longer than {MAX_BYTES // (1024 * 1024)} MB", path=where)
                    if raw.strip():
                        yield where, _parse(raw, where)
        except OSError as exc:
            raise InputError(f"cannot read file ({exc.strerror or exc})", path=str(file)) from None


def _parse(raw: bytes, where: str) -> ScreenedLine | ErrorLine:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte {exc.start + 1})", path=where) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg}, column {exc.colno})", path=where) from None
    if not isinstance(data, dict) or not ({"results", "error"} & data.keys()):
        raise InputError("not a batch result (an object with 'results' or 'error')", path=where)
    model = ErrorLine if "error" in data else ScreenedLine
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise InputError(f"{first['msg']}{more}", path=where, field=field) from None
