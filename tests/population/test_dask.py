"""Screening on a real Dask LocalCluster (2 worker processes) gives the output of the serial run, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main
from engine.population.runners import parse_dask

from .bulk_export import load_bundles, write_export
from .population import varied, write_jsonl

AS_OF = "2026-11-23"


def _parts(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("part-*"))}


def test_a_local_dask_cluster_of_two_workers_gives_the_serial_results(tmp_path: Path, capsys):
    export = write_export(tmp_path / "export", load_bundles())
    jsonl = write_jsonl(tmp_path / "patients.jsonl", varied(16))
    inputs = [str(export), str(jsonl), "--as-of", AS_OF, "--partition-size", "3"]
    assert main(["batch", *inputs, "--out", str(tmp_path / "serial")]) == 2  # two patients answer after AS_OF
    serial = capsys.readouterr().err
    assert main(["batch", *inputs, "--out", str(tmp_path / "dask"), "--dask", "local:2"]) == 2
    on_dask = capsys.readouterr().err
    parts = _parts(tmp_path / "serial")
    assert len(parts) == 3 * (6 + 2) and parts == _parts(tmp_path / "dask")  # 16 lines, 5 patients: 3 a part
    summary = "21 patients, 2 with bad input, 0 with an internal error"
    assert summary in serial and summary in on_dask and "Traceback" not in on_dask
    # lines streamed from the cluster come in input order, as the serial ones do
    assert main(["batch", *inputs, "--out", str(tmp_path / "d.jsonl"), "--dask", "local:2"]) == 2
    lines = b"".join(parts[f"results/part-{i:05d}.jsonl"] for i in range(8))
    assert (tmp_path / "d.jsonl").read_bytes() == lines


@pytest.mark.parametrize(
    ("spec", "problem"),
    [("local:0", "N in local:N must be a number of workers"), ("cluster", "neither local[:N] nor a scheduler")],
)
def test_a_dask_option_that_names_no_cluster_is_bad_input(spec, problem, tmp_path, capsys):
    jsonl = write_jsonl(tmp_path / "p.jsonl", varied(1))
    assert main(["batch", str(jsonl), "--as-of", AS_OF, "--dask", spec]) == 2
    err = capsys.readouterr().err
    assert f"error: field '--dask': '{spec}'" in err and problem in err and "Traceback" not in err
    assert parse_dask("local") == ("local", None) and parse_dask("tcp://10.0.0.5:8786") == ("tcp://10.0.0.5:8786", None)
