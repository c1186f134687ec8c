"""Planning inputs: partitions cover every record once, with its line; a split partition is one record a piece."""

from __future__ import annotations

import json
from pathlib import Path

from engine.population.sources import bucket_of, find_inputs, plan_inputs, read_records, split_partition

from .bulk_export import load_bundles, write_export


def _records(parts):
    return [(r.source, r.patient, r.error) for p in parts for r in read_records(p)]


def test_json_lines_partitions_skip_blank_lines_and_keep_line_numbers(tmp_path: Path):
    path = tmp_path / "p.jsonl"
    rows = [json.dumps({"id": f"p{i}"}) for i in range(7)]
    path.write_text("\n".join([rows[0], "", rows[1], "  ", *rows[2:]]), encoding="utf-8")  # no final newline
    plan = plan_inputs(find_inputs([path]), size=3, work=tmp_path / "w")
    assert [p.count for p in plan.partitions] == [3, 3, 1] and plan.total == 7
    expected = [(f"{path}:{n}", f"p{i}", None) for i, n in enumerate([1, 3, 5, 6, 7, 8, 9])]
    assert _records(plan.partitions) == expected
    pieces = [piece for p in plan.partitions for piece in split_partition(p)]
    assert [p.count for p in pieces] == [1] * 7 and _records(pieces) == expected
    assert [(p.index, p.sub) for p in pieces[:4]] == [(0, 0), (0, 1), (0, 2), (1, 0)]


def test_a_bulk_export_is_bucketed_by_patient_and_a_split_bucket_gives_one_patient_a_piece(tmp_path: Path):
    export = write_export(tmp_path / "export", load_bundles())
    plan = plan_inputs(find_inputs([export]), size=2, work=tmp_path / "w")
    assert len(plan.partitions) == 3 and plan.total == 5 == find_inputs([export]).patients()
    whole = _records(plan.partitions)
    assert sorted(pid for _, pid, _ in whole) == sorted(
        e["resource"]["id"] for b in load_bundles() for e in b["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    for part in plan.partitions:
        assert all(bucket_of(pid, 3) == part.index for _, pid, _ in _records([part]))
        pieces = split_partition(part)
        assert [r.patient for p in pieces for r in read_records(p)] == [r.patient for r in read_records(part)]
        assert [next(read_records(p)).data for p in pieces] == [r.data for r in read_records(part)]


def test_bucket_of_is_stable_across_runs():
    assert bucket_of("a", 1000) == 3904355907 % 1000  # crc32("a"): not Python's per-process salted hash
    assert bucket_of("Ünïcode", 10**10) == 4156503804  # crc32 of the UTF-8 bytes
