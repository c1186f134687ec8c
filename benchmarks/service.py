"""Benchmark: patient-view hooks with prefetch through the service, beside the same screenings in-process.

Run: python benchmarks/service.py [--requests 10000] [--workers 2] [--bundle FILE] [--url http://127.0.0.1:8080]

Starts ``prescreen serve --insecure --workers N`` on a free port of 127.0.0.1 (or uses ``--url``, a service
started with ``--insecure``), then sends patient-view requests whose prefetch is built from a Synthea bundle
(default: Edythe31, 1.2 MB, every resource type the prefetch templates name) at concurrency 1, 16 and 64, the
``--requests`` split between the three. It prints p50/p99 latency and throughput per level, beside the same work
called in-process one at a time (parse the request, read the FHIR record, screen every trial, render the cards):
the ratio is what the service costs on top of the library. Targets on a 2-core machine: p50 <= 25 ms and
p99 <= 100 ms at concurrency 16.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.fhir import patient_from_bundle  # noqa: E402
from engine.render.cds_hooks import render_cards  # noqa: E402
from engine.render.html import render_html  # noqa: E402
from engine.screening import Screener  # noqa: E402
from engine.service.hooks import PREFETCH, SERVICE_ID  # noqa: E402

DEFAULT_BUNDLE = (
    ROOT.parent / "shared" / "data" / "fhir" / "Edythe31_Morar593_9c3df38a-d3b7-2198-3898-51f9153d023d.json"
)
LEVELS = (1, 16, 64)
TARGET_P50_MS, TARGET_P99_MS = 25.0, 100.0


def prefetch_of(bundle: dict) -> tuple[str, dict]:
    """The patient id, and the prefetch an EHR would send for it: one searchset Bundle per template, holding the
    bundle's resources of that type (with their full URLs, so that references between them resolve)."""
    wanted = {key: template.split("/", 1)[0].split("?", 1)[0] for key, template in PREFETCH.items()}
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")["resource"]
    prefetch = {}
    for key, rtype in wanted.items():
        entries = [
            {k: e[k] for k in ("fullUrl", "resource") if k in e}
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == rtype
        ]
        prefetch[key] = {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}
    return patient["id"], prefetch


def hook_body(pid: str, prefetch: dict) -> bytes:
    request = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/benchmark", "patientId": pid},
        "prefetch": prefetch,
    }
    return json.dumps(request).encode()


def in_process(body: bytes, n: int) -> list[float]:
    """Latencies (s) of the same work as the service, called in-process one at a time."""
    screener = Screener.from_directory()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        request = json.loads(body)
        pid = request["context"]["patientId"]
        entries = [e for value in request["prefetch"].values() for e in value["entry"]]
        record = {"resourceType": "Bundle", "type": "collection", "entry": entries}
        patient = patient_from_bundle(record, source="request body", vocabulary=screener.vocabulary)
        results = screener.screen(patient, as_of=date.today())
        if any(r.candidate for r in results):
            render_html(results)
        json.dumps(render_cards(results, catalog=screener.catalog, report_url="http://x/r/t", fhir_patient_id=pid))
        times.append(time.perf_counter() - start)
    return times


async def through_service(url: str, body: bytes, n: int, concurrency: int) -> tuple[list[float], float]:
    """Latencies (s) of ``n`` hook requests sent ``concurrency`` at a time, and the wall time of all of them."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"content-type": "application/json"}
    times: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client:
        await client.post(f"/cds-services/{SERVICE_ID}", content=body, headers=headers)  # warm the connection
        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with gate:
                start = time.perf_counter()
                answer = await client.post(f"/cds-services/{SERVICE_ID}", content=body, headers=headers)
                times.append(time.perf_counter() - start)
                if answer.status_code != 200:
                    raise SystemExit(f"the service answered {answer.status_code}: {answer.text[:300]}")

        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        return times, time.perf_counter() - start


def _pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _row(label: str, times: list[float], wall: float) -> str:
    return (
        f"{label:<22} {len(times):>6} {_pct(times, 0.50):>9.1f} {_pct(times, 0.99):>9.1f} "
        f"{statistics.fmean(times) * 1000:>9.1f} {len(times) / wall:>9.1f}"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "engine.cli",
        "serve",
        "--insecure",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("prescreen serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000, help="hook requests in all (split between levels)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="service worker processes")
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE, help="FHIR Bundle the prefetch is built from")
    parser.add_argument("--url", help="a running service (started with --insecure) instead of starting one")
    args = parser.parse_args()

    pid, prefetch = prefetch_of(json.loads(args.bundle.read_text()))
    body = hook_body(pid, prefetch)
    per_level = max(1, args.requests // len(LEVELS))
    print(f"prefetch of {args.bundle.name}: {len(body) / 1e6:.2f} MB, {per_level} requests per level")

    local = in_process(body, max(20, min(per_level, 200)))
    process, url = (None, args.url) if args.url else _start(args.workers)
    try:
        print(f"{'':<22} {'n':>6} {'p50 ms':>9} {'p99 ms':>9} {'mean ms':>9} {'req/s':>9}")
        print(_row("in-process, serial", local, sum(local)))
        results = {}
        for level in LEVELS:
            times, wall = asyncio.run(through_service(url, body, per_level, level))
            results[level] = (times, wall)
            print(_row(f"service, concurrency {level}", times, wall))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    local_p50 = _pct(local, 0.5)
    serial_p50 = _pct(results[1][0], 0.5)
    print(
        f"service cost at concurrency 1: p50 {serial_p50:.1f} ms vs {local_p50:.1f} ms in-process "
        f"(x{serial_p50 / local_p50:.2f}, +{serial_p50 - local_p50:.1f} ms)"
    )
    p50, p99 = _pct(results[16][0], 0.5), _pct(results[16][0], 0.99)
    verdict = "met" if p50 <= TARGET_P50_MS and p99 <= TARGET_P99_MS else "NOT met"
    print(
        f"target at concurrency 16 (p50 <= {TARGET_P50_MS:.0f} ms, p99 <= {TARGET_P99_MS:.0f} ms): {verdict} "
        f"(p50 {p50:.1f} ms, p99 {p99:.1f} ms; {args.workers} worker(s), {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
