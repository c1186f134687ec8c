"""Nothing of one patient reaches another's response: >= 1,000 mixed requests (native patients and FHIR Bundles
on /screen, patient-view hooks with prefetch), 32 at a time, against ``prescreen serve --workers 2`` run as a
process; every answer equals the serial answer for its own patient, and every report a card links to is that
patient's (whichever worker made it)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest

from .conftest import CANDIDATES
from .helpers import SERVICE, hook_request, normalized, patient_id
from .records import NATIVE, load_bundle, native_patient
from .servers import FhirStore, ServeProcess

REQUESTS = 1_000
CONCURRENCY = 32
AS_OF = "2027-01-15"  # after every date in the native patient files


def _requests() -> list[tuple[str, str, dict[str, Any]]]:
    """(label, path, body) of every distinct request: one per patient and endpoint."""
    mcode = [load_bundle(n) for n in ("mcode_TrialMatching_Patient01.json", "mcode_TrialMatching_Patient02.json")]
    store = FhirStore([*mcode, *CANDIDATES])
    screen = f"/screen?as_of={AS_OF}"
    # Each native file against its own trial (and the example against all): answers that differ by patient.
    out = [(f"native {p.name}", f"{screen}&trial={p.name.split('-')[0]}", native_patient(p)) for p in NATIVE[1:]]
    out.append((f"native {NATIVE[0].name}", screen, native_patient(NATIVE[0])))
    out += [(f"bundle {patient_id(b)}", screen, b) for b in mcode]
    for bundle in [*CANDIDATES, *mcode]:
        pid = patient_id(bundle)
        out.append((f"hook {pid}", SERVICE, hook_request(pid, store.prefetch("https://ehr.test/fhir", pid))))
    return out


async def _send(client: httpx.AsyncClient, path: str, body: dict) -> tuple[int, Any]:
    answer = await client.post(path, json=body)
    return answer.status_code, answer.json()


@pytest.fixture(scope="module")
def served():
    with ServeProcess("--insecure", "--workers", "2") as server:  # reports shared across workers
        yield server


def test_concurrent_mixed_requests_each_get_their_own_patients_answer(served):
    distinct = _requests()
    limits = httpx.Limits(max_connections=CONCURRENCY)

    async def run() -> tuple[list[tuple[int, Any]], list[int], list[tuple[int, Any]]]:
        async with httpx.AsyncClient(base_url=served.url, timeout=120, limits=limits) as client:
            serial = [await _send(client, path, body) for _, path, body in distinct]
            order = [i % len(distinct) for i in range(REQUESTS)]
            random.Random(7).shuffle(order)
            gate = asyncio.Semaphore(CONCURRENCY)

            async def one(i: int) -> tuple[int, Any]:
                async with gate:
                    return await _send(client, distinct[i][1], distinct[i][2])

            return serial, order, await asyncio.gather(*(one(i) for i in order))

    serial, order, concurrent = asyncio.run(run())
    assert all(status == 200 for status, _ in serial), [s for s, _ in serial]
    assert sum(bool(body.get("cards")) for _, body in serial if isinstance(body, dict)) == len(CANDIDATES)
    expected = [normalized(body) for _, body in serial]
    for i, (status, body) in zip(order, concurrent, strict=True):
        assert status == 200, (distinct[i][0], body)
        assert normalized(body) == expected[i], distinct[i][0]

    # Every report a card links to shows that card's patient and no other.
    candidates = {patient_id(b) for b in CANDIDATES}
    checked = 0
    with httpx.Client(timeout=30) as client:
        for i, (_, body) in zip(order, concurrent, strict=True):
            label = distinct[i][0]
            if not label.startswith("hook ") or not body["cards"] or checked >= 200:
                continue
            pid = label.removeprefix("hook ")
            links = [x["url"] for card in body["cards"] for x in card["links"] if "/reports/" in x["url"]]
            report = client.get(links[0]).text
            assert f"<title>Prescreening: patient {pid}, as of " in report and not any(
                other in report for other in candidates - {pid}
            )
            checked += 1
    assert checked >= 100
