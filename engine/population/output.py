"""A batch output directory: the manifest, and parts written whole (temp file + rename), so a rerun can resume.

```
OUT/manifest.json                as_of, trials, rulesets {trial: {version, hash}}, inputs, partition_size
OUT/results/part-00000.jsonl     one line per patient: {"patient", "source", "results"} or an error line
OUT/trials/part-00000.parquet    patient, trial, overall, gates, candidate, met, not_met, review
OUT/criteria/part-00000.parquet  patient, trial, criterion, kind, gate, verdict, reasons (settle texts)
```
A part's JSON Lines file is renamed into place last: a part is finished exactly when it exists. A rerun
with the same manifest skips finished parts; any other manifest is refused, naming what differs.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..results import TrialResult

__all__ = [
    "CRITERION_COLUMNS",
    "TRIAL_COLUMNS",
    "PartWriter",
    "Rows",
    "finished_parts",
    "open_output",
    "part_counts",
    "part_path",
    "remove_temporaries",
    "work_dir",
    "write_part",
]

MANIFEST = "manifest.json"
WORK = ".work"  # bulk buckets of a run in progress; removed when the run ends

_SCHEMAS: dict[str, Any] = {}


def _schemas() -> dict[str, Any]:
    """The two tables' Arrow schemas (pyarrow is imported only by batches that write Parquet)."""
    if not _SCHEMAS:
        import pyarrow as pa

        _SCHEMAS["trials"] = pa.schema(
            [
                ("patient", pa.string()),
                ("trial", pa.string()),
                ("overall", pa.string()),
                ("gates", pa.string()),
                ("candidate", pa.bool_()),
                ("met", pa.int32()),
                ("not_met", pa.int32()),
                ("review", pa.int32()),
            ]
        )
        _SCHEMAS["criteria"] = pa.schema(
            [
                ("patient", pa.string()),
                ("trial", pa.string()),
                ("criterion", pa.string()),
                ("kind", pa.string()),
                ("gate", pa.bool_()),
                ("verdict", pa.string()),
                ("reasons", pa.list_(pa.string())),
            ]
        )
    return _SCHEMAS


def part_path(out: Path, table: str, index: int) -> Path:
    """Where part ``index`` of ``results`` (JSON Lines), ``trials`` or ``criteria`` (Parquet) lives."""
    suffix = "jsonl" if table == "results" else "parquet"
    return out / table / f"part-{index:05d}.{suffix}"


TRIAL_COLUMNS = ("patient", "trial", "overall", "gates", "candidate", "met", "not_met", "review")
CRITERION_COLUMNS = ("patient", "trial", "criterion", "kind", "gate", "verdict", "reasons")


@dataclass
class Rows:
    """The two tables of a part, column by column (lighter than a dict per row), from the screened results."""

    trials: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in TRIAL_COLUMNS})
    criteria: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in CRITERION_COLUMNS})

    def add(self, results: list[TrialResult]) -> None:
        t, c = self.trials, self.criteria
        for r in results:
            counts = Counter(x.verdict for x in r.criteria)
            verdicts = (counts["eligible"], counts["ineligible"], counts["needs-review"])
            row = (r.patient, r.trial, r.overall, r.gates, r.candidate, *verdicts)
            for name, value in zip(TRIAL_COLUMNS, row, strict=True):
                t[name].append(value)
            n = len(r.criteria)
            c["patient"] += [r.patient] * n
            c["trial"] += [r.trial] * n
            c["criterion"] += [x.id for x in r.criteria]
            c["kind"] += [x.kind for x in r.criteria]
            c["gate"] += [x.gate for x in r.criteria]
            c["verdict"] += [x.verdict for x in r.criteria]
            c["reasons"] += [[reason.settle for reason in x.reasons] for x in r.criteria]

    def extend(self, other: Rows) -> None:
        for mine, theirs in ((self.trials, other.trials), (self.criteria, other.criteria)):
            for name, values in theirs.items():
                mine[name] += values


class PartWriter:
    """Part ``index`` being written: lines go to a temporary file as they come (a part's lines are most of its
    memory otherwise); :meth:`finish` writes both tables, then renames the lines into place, which marks the
    part finished."""

    def __init__(self, out: Path, index: int) -> None:
        self.out = out
        self.index = index
        self.rows = Rows()
        self._target = part_path(out, "results", index)
        self._tmp = _temporary(self._target)
        self._fh = self._tmp.open("w", encoding="utf-8")

    def add(self, line: str) -> None:
        self._fh.write(line + "\n")

    def finish(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        for name, columns in (("trials", self.rows.trials), ("criteria", self.rows.criteria)):
            target = part_path(self.out, name, self.index)
            tmp = _temporary(target)
            pq.write_table(pa.Table.from_pydict(columns, schema=_schemas()[name]), tmp)
            os.replace(tmp, target)
        os.replace(self._tmp, self._target)

    def abandon(self) -> None:
        self._fh.close()
        self._tmp.unlink(missing_ok=True)


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def write_part(out: Path, index: int, lines: list[str], rows: Rows) -> None:
    """Write part ``index`` from lines and rows held in memory (the pieces of a split partition)."""
    writer = PartWriter(out, index)
    for line in lines:
        writer.add(line)
    writer.rows = rows
    writer.finish()


def _write_atomically(target: Path, text: str) -> None:
    tmp = _temporary(target)
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def finished_parts(out: Path) -> set[int]:
    """The parts whose JSON Lines file is in place."""
    found = set()
    for p in (out / "results").glob("part-*.jsonl"):
        number = p.stem.removeprefix("part-")
        if number.isdigit():
            found.add(int(number))
    return found


def part_counts(out: Path, index: int) -> tuple[int, int, int, Counter[str]]:
    """(patients, bad input, internal errors, overall verdicts) of a finished part, for a resumed run's totals:
    verdicts from its trials table, errors from its error lines (the only lines that start with ``source``)."""
    import pyarrow.parquet as pq

    patients = bad = internal = 0
    with part_path(out, "results", index).open(encoding="utf-8") as fh:
        for line in fh:
            patients += 1
            if line.startswith('{"source"'):
                failed_inside = bool(json.loads(line)["internal"])
                internal += failed_inside
                bad += not failed_inside
    overall = pq.read_table(part_path(out, "trials", index), columns=["overall"]).column("overall").to_pylist()
    return patients, bad, internal, Counter(overall)


def open_output(out: Path, manifest: dict[str, Any]) -> set[int]:
    """Prepare ``out`` for a run described by ``manifest``: a new (or empty) directory, or the output of the same
    batch (resume). Return the finished parts; raise :class:`InputError` naming what differs otherwise."""
    where = str(out)
    if out.exists() and not out.is_dir():
        raise InputError(
            "is a file, not a batch output directory (a JSON Lines output is named *.jsonl)", path=where, field="--out"
        )
    if not out.parent.is_dir():
        raise InputError(f"directory {out.parent} does not exist", path=where, field="--out")
    existing = out / MANIFEST
    if out.is_dir() and not existing.exists() and any(out.iterdir()):
        raise InputError(
            "is a directory that holds other files, not a batch output (no manifest.json)", path=where, field="--out"
        )
    if existing.exists():
        try:
            before = json.loads(existing.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the manifest ({exc})", path=str(existing)) from None
        differ = [k for k in manifest if before.get(k) != manifest[k]]
        if differ:
            raise InputError(
                f"holds the output of another batch (its {', '.join(differ)} differ); "
                "resume with the same inputs, trials, rulesets and --as-of, or choose another --out",
                path=where,
                field="--out",
            )
    try:
        for name in ("results", "trials", "criteria"):
            (out / name).mkdir(parents=True, exist_ok=True)
        remove_temporaries(out)  # left by a run that was stopped
        if not existing.exists():
            _write_atomically(existing, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror or exc})", path=where, field="--out") from None
    return finished_parts(out)


def remove_temporaries(out: Path) -> None:
    """Remove the temporary files of parts whose writer was killed (a run stopped, a worker that died)."""
    for name in ("results", "trials", "criteria"):
        for stale in (out / name).glob(".part-*.tmp"):
            stale.unlink(missing_ok=True)


def work_dir(out: Path) -> Path:
    """Scratch space of a run in progress (bulk buckets), inside the output so cluster workers can read it."""
    return out / WORK
