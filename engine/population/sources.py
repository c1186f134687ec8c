"""Batch inputs as partitions: small, picklable descriptions of work that a worker reads for itself.

Three kinds of input, each read with bounded memory:

* patient files (``*.json``, ``*.yaml``, ``*.yml``, gzip of them): a partition names up to ``size`` files;
* JSON Lines of native patients or FHIR Bundles (``*.jsonl``): a partition is a byte range of up to ``size``
  lines, found by one pass counting newlines;
* a FHIR Bulk Data export (a directory of ``*.ndjson`` files, one resource a line, as ``$export`` writes them).
  Resources are grouped by patient with an external hash partition (the first half of an external sort): one
  pass reads each line once and appends it to bucket file ``crc32(patient id) % K`` on disk, so each bucket
  holds every resource of about ``size`` patients and a worker groups one bucket in memory. A byte-offset index
  per patient would stay in the parent's memory (O(resources)); buckets keep every process bounded by one
  partition, are plain files a cluster worker can read from shared storage, and are written only for the
  partitions a resumed run still has to screen.

Workers receive a :class:`Partition` (paths and byte ranges, never records) and call :func:`read_records`.
A record that cannot be read is a :class:`Record` with an ``error`` naming file and line; the batch goes on.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..files import load_json

__all__ = [
    "BulkNotes",
    "Inputs",
    "Partition",
    "Plan",
    "Record",
    "find_inputs",
    "plan_inputs",
    "read_records",
    "split_partition",
]

PATIENT_SUFFIXES = (".json", ".yaml", ".yml")
_CHUNK = 1024 * 1024
# A reference to a patient inside text that is not valid JSON: enough to know whose record could not be read.
_PATIENT_REF = re.compile(r'"reference"\s*:\s*"(?:[^"]*/)?Patient/([A-Za-z0-9\-.]{1,64})"')
_SUBJECT_REF = re.compile(
    r'"(?:subject|patient)"\s*:\s*\{[^{}]*?"reference"\s*:\s*"\s*(?:[^"]*/)?Patient/([A-Za-z0-9\-.]{1,64})\s*"'
)
_PATIENT_ID = re.compile(r'"resourceType"\s*:\s*"Patient"')
_THERAPY_TYPES = ("MedicationRequest", "MedicationStatement", "MedicationAdministration")

Kind = Literal["files", "jsonl", "bulk", "errors"]


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work and of output (``part-<index>``); ``sub`` numbers the pieces of a split partition.

    ``files``: ``paths`` are patient files. ``jsonl``: ``paths[0]`` is the file, ``spans`` the byte ranges
    ``(start, end, first line)`` to read. ``bulk``: ``paths`` are the bucket file and the export's shared
    Medication file; ``spans`` (when not empty) select the bucket lines of some patients. ``errors``: inputs
    found unreadable while planning (a directory that cannot be listed), reported as records like any other.
    """

    index: int
    kind: Kind
    paths: tuple[str, ...]
    count: int
    spans: tuple[tuple[int, int, int], ...] = ()
    sub: int | None = None
    errors: tuple[tuple[str, str], ...] = ()  # kind ``errors``: (source, message) of inputs that cannot be listed

    @property
    def key(self) -> tuple[int, int]:
        return (self.index, -1 if self.sub is None else self.sub)


@dataclass(frozen=True, slots=True)
class Record:
    """One patient to screen: ``data`` (a parsed dict, or a file path) or the ``error`` that stops it."""

    source: str
    patient: str | None
    data: dict[str, Any] | Path | None = None
    error: str | None = None


@dataclass
class BulkNotes:
    """What an export held that is not one patient's record: said once, never passed over silently."""

    no_patient: Counter[str] = field(default_factory=Counter)  # resource type -> lines naming no patient
    medications: int = 0
    unreadable: list[Record] = field(default_factory=list)

    def lines(self, where: str) -> list[str]:
        out = []
        if self.no_patient:
            listed = ", ".join(f"{n} {t}" for t, n in sorted(self.no_patient.items()))
            out.append(f"{where}: resources naming no patient, not used: {listed}")
        return out


@dataclass
class Plan:
    """The partitions of a batch, how many patients they hold, and what was found but not screened."""

    partitions: list[Partition]
    total: int
    notes: list[str]


def _is_patient_file(name: str) -> bool:
    return name.lower().removesuffix(".gz").endswith(PATIENT_SUFFIXES)


def _is_bulk_export(path: Path) -> bool:
    return path.is_dir() and any(p.suffix == ".ndjson" for p in path.iterdir() if p.is_file())


@dataclass
class Inputs:
    """The inputs a batch names, sorted by kind; ``skipped`` files are not patient files (said, not screened)."""

    files: list[Path]
    jsonl: list[Path]
    bulk: list[Path]
    skipped: list[Path]
    unlisted: list[Record]

    def patients(self) -> int:
        """How many patients the inputs hold (records: files, non-empty JSON Lines, Patient lines of exports)."""
        return (
            len(self.files)
            + sum(_count_lines([f], nonempty=True) for f in self.jsonl)
            + sum(_count_lines(_patient_files(d)) for d in self.bulk)
        )

    def described(self) -> list[dict[str, Any]]:
        """What the manifest records of the inputs (a resumed run must read the very same ones)."""
        out: list[dict[str, Any]] = []
        if self.files:
            out.append({"kind": "files", "count": len(self.files), "bytes": sum(_size(f) for f in self.files)})
        out += [{"kind": "jsonl", "path": str(f.resolve()), "bytes": _size(f)} for f in self.jsonl]
        for d in self.bulk:
            size = sum(_size(f) for f in d.glob("*.ndjson"))
            out.append({"kind": "bulk", "path": str(d.resolve()), "bytes": size})
        return out


def find_inputs(paths: Sequence[Path]) -> Inputs:
    """Sort the named inputs: directories are searched below for patient files and ``*.jsonl``; a directory
    holding ``*.ndjson`` files is a Bulk Data export; a named file is always kept (reading it reports one that is
    missing or unreadable)."""
    files: set[Path] = set()
    jsonl: set[Path] = set()
    bulk: list[Path] = []
    skipped: set[Path] = set()
    unlisted: list[Record] = []
    for p in paths:
        if _is_bulk_export(p):
            bulk.append(p)
            skipped.update(f for f in p.iterdir() if f.suffix != ".ndjson")  # said, not read
        elif p.is_dir():
            for folder, dirs, names in os.walk(p, onerror=lambda exc: unlisted.append(_unlisted(exc))):
                dirs.sort()
                for name in names:
                    found = Path(folder) / name
                    if name.endswith(".jsonl"):
                        jsonl.add(found)
                    else:
                        (files if _is_patient_file(name) else skipped).add(found)
        elif p.name.endswith(".jsonl"):
            jsonl.add(p)
        else:
            files.add(p)
    return Inputs(sorted(files), sorted(jsonl), bulk, sorted(skipped), unlisted)


def plan_inputs(
    inputs: Inputs,
    *,
    size: int,
    work: Path,
    finished: Callable[[int], bool] = lambda index: False,
) -> Plan:
    """Partitions of ``size`` patients for every input, numbered in input order; bulk buckets are written below
    ``work``, except for partitions ``finished`` says are done (a resumed run)."""
    parts: list[Partition] = []
    notes: list[str] = []
    unlisted = list(inputs.unlisted)
    for i in range(0, len(inputs.files), size):
        chunk = inputs.files[i : i + size]
        parts.append(Partition(len(parts), "files", tuple(map(str, chunk)), len(chunk)))
    for f in inputs.jsonl:
        first = len(parts)
        parts += [
            Partition(first + k, "jsonl", (str(f),), n, ((start, end, line),))
            for k, (start, end, line, n) in enumerate(_line_chunks(f, size))
        ]
    for number, d in enumerate(inputs.bulk):
        bulk_parts, note = _bucket_export(d, size, work / f"bulk-{number}", len(parts), finished)
        parts.extend(bulk_parts)
        notes.extend(note.lines(str(d)))
        unlisted.extend(note.unreadable)
    if unlisted:
        errors = tuple((r.source, r.error or "") for r in unlisted)
        parts.append(Partition(len(parts), "errors", (), len(errors), errors=errors))
    return Plan(parts, sum(p.count for p in parts), notes)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _unlisted(exc: OSError) -> Record:
    return Record(str(exc.filename), None, error=f"{exc.filename}: cannot list directory ({exc.strerror or exc})")


# --- JSON Lines ---------------------------------------------------------------------------------------------


def _line_chunks(path: Path, size: int) -> list[tuple[int, int, int, int]]:
    """Byte ranges of ``size`` non-empty lines each: (start, end, first line number, records)."""
    chunks: list[tuple[int, int, int, int]] = []
    try:
        with path.open("rb") as fh:
            start, line, offset, records, first = 0, 1, 0, 0, 1
            pending = b""
            for block in iter(lambda: fh.read(_CHUNK), b""):
                data = pending + block
                base = offset - len(pending)
                pos = 0
                while (nl := data.find(b"\n", pos)) >= 0:
                    records += bool(data[pos:nl].strip())
                    line += 1
                    pos = nl + 1
                    if records == size:
                        chunks.append((start, base + pos, first, records))
                        start, first, records = base + pos, line, 0
                pending = data[pos:]
                offset += len(block)
            records += bool(pending.strip())
            if records or not chunks:
                chunks.append((start, offset, first, records))
    except OSError:
        chunks = [(0, 0, 1, 1)]  # one unreadable "record": reading it reports the problem
    return chunks


def _jsonl_records(part: Partition) -> Iterator[Record]:
    path = part.paths[0]
    try:
        fh = open(path, "rb")  # noqa: SIM115  (closed below; the error for a missing file is a record)
    except OSError as exc:
        yield Record(path, None, error=f"{path}: cannot read file ({exc.strerror or exc})")
        return
    with fh:
        for start, end, line in part.spans:
            fh.seek(start)
            for raw in fh.read(end - start).split(b"\n"):
                if raw.strip():
                    yield _jsonl_record(raw, f"{path}:{line}")
                line += 1


def _jsonl_record(raw: bytes, source: str) -> Record:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Record(source, None, error=f"{source}: not UTF-8 text (byte 0x{raw[exc.start]:02x})")
    try:
        data = load_json(text, source)
    except InputError as exc:
        return Record(source, None, error=str(exc))
    pid = data.get("id") if isinstance(data, dict) else None
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        pid = _bundle_patient(data)
    return Record(source, pid if isinstance(pid, str) else None, data if isinstance(data, dict) else None, None)


def _bundle_patient(bundle: dict[str, Any]) -> str | None:
    for entry in bundle.get("entry") or []:
        res = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(res, dict) and res.get("resourceType") == "Patient" and isinstance(res.get("id"), str):
            return res["id"]
    return None


def _line_spans(part: Partition) -> list[tuple[int, int, int]]:
    """One span per non-empty line of a JSON Lines partition."""
    path = part.paths[0]
    out = []
    with open(path, "rb") as fh:
        for start, end, line in part.spans:
            fh.seek(start)
            pos = start
            for raw in fh.read(end - start).split(b"\n"):
                if raw.strip():
                    out.append((pos, pos + len(raw), line))
                pos += len(raw) + 1
                line += 1
    return out


# --- FHIR Bulk Data -----------------------------------------------------------------------------------------


def _count_lines(paths: Sequence[Path], nonempty: bool = False) -> int:
    """Lines in the files (non-empty ones only, when asked: slower, so only for JSON Lines)."""
    n = 0
    for p in paths:
        with contextlib.suppress(OSError), p.open("rb") as fh:
            if nonempty:
                n += sum(1 for line in fh if line.strip())
                continue
            for block in iter(lambda fh=fh: fh.read(_CHUNK), b""):
                n += block.count(b"\n")
            if p.stat().st_size and not _ends_with_newline(fh):
                n += 1
    return n


def _ends_with_newline(fh: Any) -> bool:
    fh.seek(-1, os.SEEK_END)
    return fh.read(1) == b"\n"


def _patient_files(export: Path) -> list[Path]:
    """An export's files of Patient resources (``Patient.ndjson``, ``Patient.1.ndjson``...), else all of them."""
    ndjson = sorted(p for p in export.glob("*.ndjson") if p.is_file())
    return [p for p in ndjson if p.name.split(".")[0].lower() == "patient"] or ndjson


def bucket_of(patient: str, buckets: int) -> int:
    """The bucket of a patient id: stable across runs and machines (unlike ``hash``)."""
    return zlib.crc32(patient.encode("utf-8")) % buckets


def _patient_of(res: dict[str, Any]) -> str | None:
    """The patient a resource is about: the Patient's own id, or the id its ``subject``/``patient`` names."""
    if res.get("resourceType") == "Patient":
        pid = res.get("id")
        return pid if isinstance(pid, str) else None
    for key in ("subject", "patient"):
        ref = res.get(key)
        target = ref.get("reference") if isinstance(ref, dict) else None
        if isinstance(target, str) and "Patient/" in target:  # stripped, as the FHIR reader takes it
            return target.strip().rsplit("Patient/", 1)[1].split("/_history/")[0]
    return None


def _bucket_export(
    directory: Path, size: int, work: Path, first: int, finished: Callable[[int], bool]
) -> tuple[list[Partition], BulkNotes]:
    """Hash-partition an export's resources by patient into bucket files (one pass, one read of each line)."""
    ndjson = sorted(p for p in directory.glob("*.ndjson") if p.is_file())
    patients = _count_lines(_patient_files(directory))
    buckets = max(1, math.ceil(patients / size))
    work.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # patients' records: readable by this user only
    work.mkdir(mode=0o700, exist_ok=True)
    wanted = [not finished(first + b) for b in range(buckets)]
    handles = {b: (work / f"bucket-{b:05d}.ndjson").open("w", encoding="utf-8") for b in range(buckets) if wanted[b]}
    medications = work / "Medication.ndjson"
    notes = BulkNotes()
    counts = Counter[int]()
    try:
        with medications.open("w", encoding="utf-8") as meds:
            for f in ndjson:
                for number, raw in _numbered_lines(f, notes):
                    if not raw.strip():
                        continue
                    source = f"{f}:{number}"
                    pid, problem, text, rtype = _read_line(raw, source)
                    if pid is None and problem is None:
                        if rtype == "Medication":  # shared by patients: read through their references
                            meds.write(text.rstrip("\n") + "\n")
                            notes.medications += 1
                        else:
                            notes.no_patient[rtype or "unknown"] += 1
                        continue
                    b = bucket_of(pid or "", buckets)
                    counts[b] += rtype == "Patient" or pid is None
                    if wanted[b]:
                        handles[b].write(json.dumps([pid, source, problem]) + "\t" + text.rstrip("\n") + "\n")
    finally:
        for h in handles.values():
            h.close()
    parts = [
        Partition(first + b, "bulk", (str(work / f"bucket-{b:05d}.ndjson"), str(medications)), counts[b])
        for b in range(buckets)
    ]
    return parts, notes


def _numbered_lines(path: Path, notes: BulkNotes) -> Iterator[tuple[int, bytes]]:
    try:
        with path.open("rb") as fh:
            yield from enumerate(fh, start=1)
    except OSError as exc:
        notes.unreadable.append(Record(str(path), None, error=f"{path}: cannot read file ({exc.strerror or exc})"))


def _read_line(raw: bytes, source: str) -> tuple[str | None, str | None, str, str | None]:
    """(patient id, problem, text, resource type) of one export line; the id is found in broken text too."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        return _owner(text), f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", text, None
    try:
        res = load_json(text, source)  # strict as every other input: a duplicate key is not "the last one wins"
    except InputError as exc:
        return _owner(text), exc.problem, text, None
    if not isinstance(res, dict) or not isinstance(res.get("resourceType"), str):
        return _owner(text), "not a FHIR resource (no resourceType)", text, None
    if res["resourceType"] == "Patient" and _patient_of(res) is None:
        return None, "a Patient resource without an id", text, None  # a patient lost, not a remark
    return _patient_of(res), None, text, res["resourceType"]


def _owner(text: str) -> str | None:
    """The one patient a broken line's ``subject``/``patient`` names, else the one patient it names at all."""
    for pattern in (_SUBJECT_REF, _PATIENT_REF):
        found = set(pattern.findall(text))
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def _bulk_groups(part: Partition) -> Iterator[tuple[str | None, list[tuple[str, str | None, str]]]]:
    """Each patient's bucket lines, (source, problem, text), in the order of their Patient resource's line."""
    groups: dict[str | None, list[tuple[str, str | None, str]]] = {}
    for pid, source, problem, text in _bucket_lines(part):
        groups.setdefault(pid, []).append((source, problem, text))

    def order(item: tuple[str | None, list[tuple[str, str | None, str]]]) -> tuple[int, str, int]:
        pid, lines = item
        own = [s for s, _, t in lines if _PATIENT_ID.search(t)] or [lines[0][0]]
        path, _, number = own[0].rpartition(":")
        return (pid is None, path, int(number))

    yield from sorted(groups.items(), key=order)


def _bucket_lines(part: Partition) -> Iterator[tuple[str | None, str, str | None, str]]:
    with open(part.paths[0], "rb") as fh:
        ranges = part.spans or ((0, os.fstat(fh.fileno()).st_size, 0),)
        for start, end, _ in ranges:
            fh.seek(start)
            for raw in fh.read(end - start).decode("utf-8").split("\n"):  # not splitlines: U+2028 is valid JSON
                if not raw:
                    continue
                head, _, text = raw.partition("\t")
                pid, source, problem = json.loads(head)
                yield pid, source, problem, text


def _bulk_records(part: Partition) -> Iterator[Record]:
    medications: dict[str, dict[str, Any]] | None = None
    for pid, lines in _bulk_groups(part):
        broken = [(s, p) for s, p, _ in lines if p is not None]
        if pid is None:  # lines that cannot be read and name no patient
            yield from (Record(s, None, error=f"{s}: {p}; the patient it belongs to is unknown") for s, p in broken)
            continue
        if broken:
            s, p = broken[0]
            more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
            yield Record(s, pid, error=f"{s}: {p}{more}; patient {pid} is not screened without it")
            continue
        resources = [json.loads(t) for _, _, t in lines]
        own = [(s, r) for (s, _, _), r in zip(lines, resources, strict=True) if r.get("resourceType") == "Patient"]
        if not own:
            yield Record(lines[0][0], pid, error=f"{lines[0][0]}: patient {pid} has records but no Patient resource")
            continue
        if medications is None:
            medications = _medications(part.paths[1])
        entries = [{"resource": r} for r in resources]
        entries += [{"resource": medications[ref]} for ref in _medication_refs(resources) if ref in medications]
        bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
        yield Record(own[0][0], pid, bundle)


def _medications(path: str) -> dict[str, dict[str, Any]]:
    """The export's Medication resources by reference (a formulary: small next to the patients' records)."""
    out: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            res = json.loads(line)
            if isinstance(res.get("id"), str):
                out[f"Medication/{res['id']}"] = res
    return out


def _medication_refs(resources: list[dict[str, Any]]) -> list[str]:
    refs: dict[str, None] = {}
    for r in resources:
        if r.get("resourceType") in _THERAPY_TYPES:
            ref = (r.get("medicationReference") or {}).get("reference")
            if isinstance(ref, str) and ref.startswith("Medication/"):
                refs[ref] = None
    return list(refs)


# --- reading and splitting ----------------------------------------------------------------------------------


def read_records(part: Partition) -> Iterator[Record]:
    """The records of a partition, in order; unreadable ones carry their error."""
    if part.kind == "files":
        yield from (Record(p, None, Path(p)) for p in part.paths)
    elif part.kind == "jsonl":
        yield from _jsonl_records(part)
    elif part.kind == "errors":
        yield from (Record(source, None, error=message) for source, message in part.errors)
    else:
        yield from _bulk_records(part)


def split_partition(part: Partition) -> list[Partition]:
    """The partition as pieces of one patient each, so that a record that kills its worker costs only itself."""
    if part.kind == "errors":
        return [part]
    if part.kind == "files":
        pieces: list[tuple[tuple[str, ...], tuple[tuple[int, int, int], ...]]] = [((p,), ()) for p in part.paths]
    elif part.kind == "jsonl":
        pieces = [(part.paths, (span,)) for span in _line_spans(part)]
    else:
        pieces = [(part.paths, tuple(spans)) for spans in _patient_spans(part).values()]
    return [Partition(part.index, part.kind, paths, 1, spans, sub=k) for k, (paths, spans) in enumerate(pieces)]


def _patient_spans(part: Partition) -> dict[str | None, list[tuple[int, int, int]]]:
    """The bucket lines of each patient, as byte spans (for splitting a bulk partition)."""
    spans: dict[str | None, list[tuple[int, int, int]]] = {}
    with open(part.paths[0], "rb") as fh:
        pos = 0
        for raw in fh:
            pid = json.loads(raw.partition(b"\t")[0])[0]
            spans.setdefault(pid, []).append((pos, pos + len(raw), 0))
            pos += len(raw)
    return spans
