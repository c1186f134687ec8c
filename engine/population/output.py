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
    "Rows",
    "finished_parts",
    "open_output",
    "part_counts",
    "part_path",
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


@dataclass
class Rows:
    """The rows of a part's two tables, gathered from the screened results (error lines have none)."""

    trials: list[dict[str, Any]] = field(default_factory=list)
    criteria: list[dict[str, Any]] = field(default_factory=list)

    def add(self, results: list[TrialResult]) -> None:
        for r in results:
            counts = Counter(c.verdict for c in r.criteria)
            self.trials.append(
                {
                    "patient": r.patient,
                    "trial": r.trial,
                    "overall": r.overall,
                    "gates": r.gates,
                    "candidate": r.candidate,
                    "met": counts["eligible"],
                    "not_met": counts["ineligible"],
                    "review": counts["needs-review"],
                }
            )
            self.criteria.extend(
                {
                    "patient": r.patient,
                    "trial": r.trial,
                    "criterion": c.id,
                    "kind": c.kind,
                    "gate": c.gate,
                    "verdict": c.verdict,
                    "reasons": [reason.settle for reason in c.reasons],
                }
                for c in r.criteria
            )

    def extend(self, other: Rows) -> None:
        self.trials += other.trials
        self.criteria += other.criteria


def write_part(out: Path, index: int, lines: list[str], rows: Rows) -> None:
    """Write part ``index``: both tables, then the JSON Lines (its arrival marks the part finished)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, table in (("trials", rows.trials), ("criteria", rows.criteria)):
        target = part_path(out, name, index)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        pq.write_table(pa.Table.from_pylist(table, schema=_schemas()[name]), tmp)
        os.replace(tmp, target)
    _write_atomically(part_path(out, "results", index), "".join(line + "\n" for line in lines))


def _write_atomically(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
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
            for stale in (out / name).glob(".part-*.tmp"):  # left by a run that was stopped
                stale.unlink()
        if not existing.exists():
            _write_atomically(existing, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror or exc})", path=where, field="--out") from None
    return finished_parts(out)


def work_dir(out: Path) -> Path:
    """Scratch space of a run in progress (bulk buckets), inside the output so cluster workers can read it."""
    return out / WORK
