"""Benchmark: end-to-end population screening from a FHIR Bulk Data export, on 1 and 2 Dask workers.

Run: python benchmarks/population.py [--patients 10000] [--runs serial,pool2,dask1,dask2] [--keep DIR]

Generates N synthetic patients as Bulk NDJSON (Patient, Condition, Observation, MedicationStatement: about 20
resources each, with LOINC, ICD-10-CM and RxNorm codes, values spread around the trials' thresholds), then runs
``prescreen batch EXPORT --out DIR`` in a fresh process for each configuration, timing the whole command
(planning, bucketing, worker start-up, FHIR reading, screening, JSON Lines and Parquet writing). Prints
patient-trials/s, the peak RSS of the largest process, and the speed-up from 1 to 2 Dask workers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRESCREEN = Path(sys.executable).parent / "prescreen"
AS_OF = date(2026, 11, 23)
LOINC = "http://loinc.org"
RUNS = {
    "serial": ["--workers", "1"],
    "pool2": ["--workers", "2"],
    "dask1": ["--dask", "local:1"],
    "dask2": ["--dask", "local:2"],
}
# (LOINC, UCUM unit, low, high, upper limit of normal or None)
LABS = [
    ("718-7", "g/dL", 6, 15, None),
    ("777-3", "10*3/uL", 10, 350, None),
    ("751-8", "10*3/uL", 0.2, 6, None),
    ("1920-8", "U/L", 10, 160, 40),
    ("1742-6", "U/L", 10, 160, 41),
    ("1975-2", "mg/dL", 0.2, 4, 1.2),
    ("1968-7", "mg/dL", 0.05, 1.2, 0.3),
    ("2160-0", "mg/dL", 0.4, 3, 1.1),
    ("6301-6", "{INR}", 0.8, 2.2, 1.2),
    ("3173-2", "s", 22, 60, 40),
    ("1751-7", "g/dL", 2, 5, None),
    ("29463-7", "kg", 40, 110, None),
    ("8302-2", "cm", 145, 195, None),
    ("10230-1", "%", 25, 70, None),
]
CONDITIONS = [  # ICD-10-CM: what the five trials ask about, and some that nobody asks about
    ("C91.0", "Acute lymphoblastic leukemia"),
    ("C91.00", "Acute lymphoblastic leukemia not having achieved remission"),
    ("C61", "Malignant neoplasm of prostate"),
    ("C50.9", "Malignant neoplasm of breast"),
    ("C34.90", "Malignant neoplasm of lung"),
    ("I10", "Essential hypertension"),
    ("E11.9", "Type 2 diabetes mellitus"),
    ("K76.0", "Fatty liver"),
]


def _ref(pid: str) -> dict:
    return {"reference": f"Patient/{pid}"}


def _patient(i: int, rnd: random.Random) -> list[dict]:
    pid = f"p{i:07d}"
    born = date(1940, 1, 1) + timedelta(days=rnd.randrange(0, 365 * 78))
    out: list[dict] = [
        {
            "resourceType": "Patient",
            "id": pid,
            "gender": rnd.choice(["female", "male"]),
            "birthDate": born.isoformat(),
        }
    ]
    for k, (code, display) in enumerate(rnd.sample(CONDITIONS, rnd.randint(1, 3))):
        out.append(
            {
                "resourceType": "Condition",
                "id": f"{pid}-c{k}",
                "subject": _ref(pid),
                "clinicalStatus": {
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
                },
                "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code, "display": display}]},
                "onsetDateTime": (AS_OF - timedelta(days=rnd.randrange(30, 3000))).isoformat(),
            }
        )
    for k, (code, unit, low, high, uln) in enumerate(LABS):
        if rnd.random() < 0.1:  # some results are missing
            continue
        obs = {
            "resourceType": "Observation",
            "id": f"{pid}-o{k}",
            "status": "final",
            "subject": _ref(pid),
            "code": {"coding": [{"system": LOINC, "code": code}]},
            "effectiveDateTime": (AS_OF - timedelta(days=rnd.randrange(0, 60))).isoformat(),
            "valueQuantity": {
                "value": round(rnd.uniform(low, high), 2),
                "unit": unit,
                "system": "http://unitsofmeasure.org",
                "code": unit,
            },
        }
        if uln is not None:
            obs["referenceRange"] = [{"high": {"value": uln, "unit": unit, "system": "http://unitsofmeasure.org"}}]
        out.append(obs)
    if rnd.random() < 0.5:
        out.append(
            {
                "resourceType": "MedicationStatement",
                "id": f"{pid}-m0",
                "status": "completed",
                "subject": _ref(pid),
                "medicationCodeableConcept": {
                    "coding": [
                        {
                            "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                            "code": "1256",
                            "display": "azathioprine",
                        }
                    ],
                    "text": "azathioprine",
                },
                "effectivePeriod": {
                    "start": (AS_OF - timedelta(days=rnd.randrange(60, 400))).isoformat(),
                    "end": (AS_OF - timedelta(days=rnd.randrange(1, 59))).isoformat(),
                },
            }
        )
    return out


def generate(directory: Path, n: int, seed: int = 7) -> int:
    """Write N patients as a Bulk Data export (one NDJSON file per resource type); return the resource count."""
    rnd = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    count = 0
    try:
        for i in range(n):
            for res in _patient(i, rnd):
                rtype = res["resourceType"]
                if rtype not in files:
                    files[rtype] = (directory / f"{rtype}.ndjson").open("w", encoding="utf-8")
                files[rtype].write(json.dumps(res) + "\n")
                count += 1
    finally:
        for fh in files.values():
            fh.close()
    return count


# Runs the batch as its child; prints the peak RSS of the largest process of its tree (workers included) and the
# CPU seconds the tree used (a figure that holds on a busy machine, where wall time does not).
_MEASURE = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); sys.exit(done.returncode)"
)


def run(export: Path, out: Path, options: list[str]) -> tuple[float, int, float, str]:
    """Wall time, peak RSS (KiB, largest process of the run), CPU seconds and the closing line of one batch."""
    shutil.rmtree(out, ignore_errors=True)
    argv = [str(PRESCREEN), "batch", str(export), "--as-of", AS_OF.isoformat(), "--out", str(out), *options]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 2):
        raise SystemExit(f"batch failed ({done.returncode}): {done.stderr[-2000:]}")
    *lines, measured = done.stderr.strip().splitlines()
    rss, cpu = measured.split()
    return elapsed, int(rss), float(cpu), lines[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--runs", default="serial,dask1,dask2", help=f"comma-separated, of {', '.join(RUNS)}")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (default: a temp dir)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="prescreen-population-"))
    try:
        export = work / "export"
        t = time.perf_counter()
        resources = generate(export, args.patients)
        size = sum(p.stat().st_size for p in export.glob("*.ndjson"))
        print(
            f"generated {args.patients} patients, {resources} resources, {size / 1e6:.1f} MB of NDJSON "
            f"in {time.perf_counter() - t:.1f} s"
        )
        trials = len(list((ROOT / "rulesets").glob("*.yaml")))
        rates = {}
        for name in args.runs.split(","):
            elapsed, rss, cpu, summary = run(export, work / f"out-{name}", RUNS[name])
            pairs = args.patients * trials
            rates[name] = pairs / elapsed
            print(
                f"{name:>7}: {elapsed:7.1f} s  {rates[name]:6.0f} patient-trials/s  {pairs / cpu:6.0f} per CPU-second"
                f"  peak RSS {rss / 1024:5.0f} MB  | {summary}"
            )
        if "dask1" in rates and "dask2" in rates:
            print(f"speed-up from 1 to 2 Dask workers: {rates['dask2'] / rates['dask1']:.2f}x")
        print(
            f"load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
        )
        print("target: 2000 patient-trials/s end to end")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
