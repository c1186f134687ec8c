"""Reading batch results for the population report: one line at a time, each checked against its shape.

RESULTS is a JSON Lines file as ``prescreen batch --out x.jsonl`` writes it, or a batch output directory
(its finished ``results/part-*.jsonl`` parts, in order). A line is a screened patient (``results``: the JSON contract,
full or compact) or a record that could not be screened (``error``). Anything else, a line that is not JSON,
or a file that cannot be read is an :class:`InputError` naming the file, the line and the field: a report
over results it cannot read whole would count the wrong population.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import InputError
from ..facts.model import ReasonKind
from ..files import MAX_BYTES
from ..results import GateStatus, Verdict
from .output import finished_parts, part_path

__all__ = ["BatchLine", "CriterionLine", "TrialLine", "read_results", "result_files"]


_BUFFER = 1024 * 1024  # a full line is ~200 KB: read it in a few large reads, not many 8 KB ones


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


class BatchLine(_Line):
    """One line of batch results: a patient screened (``results``, one per trial), or a record that could not
    be screened (``error``, and whether the failure was the engine's own: ``internal``)."""

    patient: str | None = None
    source: str | None = None
    file: str | None = None  # what batches wrote before ``source``
    results: tuple[TrialLine, ...] | None = None
    error: str | None = None
    internal: bool = False


def result_files(path: Path) -> list[Path]:
    """The JSON Lines files RESULTS stands for: the file itself, or a batch output directory's parts."""
    if not path.exists():
        raise InputError("no such file or directory", path=str(path))
    if not path.is_dir():
        return [path]
    if not (path / "results").is_dir():
        raise InputError("not a batch output directory (it has no results/ directory)", path=str(path))
    files = [part_path(path, "results", i) for i in sorted(finished_parts(path))]
    if not files:
        raise InputError("no finished results (results/part-*.jsonl) in this batch output directory", path=str(path))
    return files


def read_results(path: Path) -> Iterator[tuple[str, BatchLine]]:
    """Every line of RESULTS as ``("file:line", parsed line)``, streamed: one line in memory at a time."""
    for file in result_files(path):
        try:
            with file.open("rb", buffering=_BUFFER) as stream:
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


def _parse(raw: bytes, where: str) -> BatchLine:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte {exc.start + 1})", path=where) from None
    try:
        line = BatchLine.model_validate_json(text.rstrip())  # parsed and checked in one pass: lines are large
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        if first["type"] == "json_invalid":
            problem = re.sub(r" at line 1 column", " at column", first["ctx"]["error"])  # one line: its column
            raise InputError(f"not valid JSON ({problem})", path=where) from None
        if first["type"] == "model_type":
            raise InputError(_NOT_A_LINE, path=where) from None
        field = ".".join(str(p) for p in first["loc"]) or None
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise InputError(f"{first['msg']}{more}", path=where, field=field) from None
    if (line.results is None) == (line.error is None):
        raise InputError(_NOT_A_LINE, path=where)
    return line


_NOT_A_LINE = "not a batch result (an object with either 'results' or 'error')"
