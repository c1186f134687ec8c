"""Benchmark: per patient-trial latency of screening, durable-rules vs the plain-Python reference evaluation.

Run: python benchmarks/screening.py [--patients 3000] [--trial NCT07245251 | --trial all]

Both paths screen the same generated patients against the same compiled rulesets in one run and build the
same full results (the patient's index, facts with provenance, explanations: the TrialResult a caller
receives). The "durable-rules" path is the engine's own (`Screener._screen_one`: durable-rules verdicts, checked
against the reference evaluation on every call); the "reference" path builds the same results from the
reference evaluation alone. The ratio is the price of the rules engine; the absolute p50 is checked against
the 500 µs target. Times are wall clock and, beside them, CPU time of the process (on a shared machine the
CPU time is the per-call cost without the waits for a core). With ``--trial all`` the patient's index is built
once and shared by every trial, as ``Screener.screen`` does, and the times are per patient-trial.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.catalog import get_catalog  # noqa: E402
from engine.facts.extract import PatientIndex, extract_facts  # noqa: E402
from engine.facts.model import HistoryRequest  # noqa: E402
from engine.patient import patient_from_data  # noqa: E402
from engine.rules.loader import load_ruleset  # noqa: E402
from engine.screening import Screener, _trial_result  # noqa: E402
from engine.vocabulary import get_vocabulary  # noqa: E402

AS_OF = date(2026, 11, 23)
SCREENING = date(2026, 11, 20)


def generate(n: int, seed: int) -> list[dict]:
    """Patients with most facts present, some missing, some stale: what a screening queue looks like."""
    vocab = get_vocabulary()
    asked = load_ruleset(ROOT / "rulesets" / "NCT07245251.yaml").requests  # the trial the patients are shaped for
    conditions = sorted(
        {vocab[r.name].label for r in asked if isinstance(r, HistoryRequest) and r.domain == "conditions"}
    )
    rnd = random.Random(seed)
    labs = {
        "hemoglobin": ("g/dL", 5, 14, None),
        "platelets": ("K/uL", 10, 300, None),
        "ast": ("U/L", 10, 150, 40),
        "alt": ("U/L", 10, 150, 41),
        "total_bilirubin": ("umol/L", 5, 80, 1.2),
        "direct_bilirubin": ("mg/dL", 0.1, 1, 0.3),
        "creatinine": ("umol/L", 40, 250, 97),
        "inr": ("1", 0.8, 2, 1.2),
        "aptt": ("s", 25, 60, 40),
        "bone_marrow_blasts": ("%", 0, 80, None),
        "spo2_room_air": ("%", 88, 100, None),
        "lvef": ("%", 35, 70, None),
        "qt": ("ms", 340, 480, None),
        "heart_rate": ("bpm", 50, 120, None),
        "systolic_bp": ("mmHg", 95, 160, None),
        "diastolic_bp": ("mmHg", 55, 100, None),
        "weight": ("kg", 45, 120, None),
        "life_expectancy": ("month", 2, 24, None),
    }
    cat = get_catalog()
    out = []
    for i in range(n):
        p: dict = {
            "id": f"bench-{i}",
            "sex": rnd.choice(["female", "male"]),
            "birth_date": date(rnd.randint(1958, 2008), rnd.randint(1, 12), rnd.randint(1, 28)),
            "reference_dates": {"screening": SCREENING, "first_dose": SCREENING + timedelta(days=7)},
            "labs": [],
            "measurements": [],
            "conditions": [],
            "therapies": [],
            "attestations": [],
        }
        for code, (unit, lo, hi, uln) in labs.items():
            if rnd.random() < 0.9:
                obs = {
                    "code": code,
                    "value": round(rnd.uniform(lo, hi), 2),
                    "unit": unit,
                    "date": SCREENING - timedelta(days=rnd.randint(0, 40)),
                }
                if uln:
                    obs["reference_range"] = {"high": uln, "unit": "mg/dL" if code == "total_bilirubin" else unit}
                p["labs"].append(obs)
        for code in ("ecog", "dyspnea_grade", "nyha_class"):
            p["measurements"].append({"code": code, "value": rnd.randint(1, 2), "date": SCREENING})
        for code, spec in cat.observations.items():
            if spec.values and rnd.random() < 0.9:
                p["labs"].append({"code": code, "value": rnd.choice(spec.values), "date": SCREENING})
        for code in conditions:
            if rnd.random() < 0.5:
                p["conditions"].append({"code": code, "status": rnd.choice(["present", "absent", "absent"])})
        if rnd.random() < 0.5:
            end = SCREENING - timedelta(days=rnd.randint(0, 300))
            p["therapies"].append(
                {
                    "name": rnd.choice(["imatinib", "prednisone", "tisagenlecleucel", "vincristine"]),
                    "start": end - timedelta(days=10),
                    "end": end,
                    "dose": {"value": 10, "unit": "mg/day"},
                    "route": "oral",
                }
            )
        p["complete_history"] = ["therapies"] if rnd.random() < 0.7 else []
        for cid in ("INC-01", "EXC-19"):
            p["attestations"].append(
                {"trial": "NCT07245251", "criterion": cid, "answer": "yes" if cid == "INC-01" else "no", "by": "PI"}
            )
        out.append(p)
    return out


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def report(name: str, wall: list[float], cpu: list[float]) -> None:
    print(
        f"  {name:14s} p50 {percentile(wall, 0.5):7.0f} µs   p99 {percentile(wall, 0.99):7.0f} µs   "
        f"mean {statistics.fmean(wall):7.0f} µs   (CPU p50 {percentile(cpu, 0.5):5.0f} µs, "
        f"p99 {percentile(cpu, 0.99):6.0f} µs)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=3000)
    ap.add_argument("--trial", default="NCT07245251", help="a trial id, or 'all' (index shared by the trials)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    screener = Screener.from_directory(ROOT / "rulesets")  # compile once, outside the timings
    trials = screener.trials if args.trial == "all" else [args.trial]
    pairs = [(screener.rulesets[t], screener._sessions[t]) for t in trials]
    patients = [patient_from_data(d) for d in generate(args.patients, args.seed)]  # parsing is not screening
    cat, vocab = screener.catalog, screener.vocabulary

    def with_durable(p):
        index = PatientIndex(p, cat, AS_OF, vocab)
        return [screener._screen_one(index, rs, session) for rs, session in pairs]

    def reference_only(p):
        index = PatientIndex(p, cat, AS_OF, vocab)
        out = []
        for rs, _ in pairs:
            facts = extract_facts(index, rs.requests, rs.trial)
            out.append(_trial_result(index, rs, [c.condition.evaluate(facts) for c in rs.criteria]))
        return out

    for p in patients[:50]:  # warm caches (unit factors, catalog indexes) for both paths alike
        assert with_durable(p) == reference_only(p)  # the same results, whoever decides the verdicts

    n = len(trials)
    wall: dict[str, list[float]] = {"durable-rules": [], "reference": []}
    cpu: dict[str, list[float]] = {"durable-rules": [], "reference": []}
    for p in patients:  # interleaved, so machine noise hits both alike
        for name, fn in (("durable-rules", with_durable), ("reference", reference_only)):
            c0, t0 = time.process_time(), time.perf_counter()
            fn(p)
            t1, c1 = time.perf_counter(), time.process_time()
            wall[name].append((t1 - t0) * 1e6 / n)
            cpu[name].append((c1 - c0) * 1e6 / n)

    # The rules-engine step alone, against the reference evaluation of the same trees on the same facts.
    prepared = []
    for p in patients:
        index = PatientIndex(p, cat, AS_OF, vocab)
        prepared += [(rs, session, extract_facts(index, rs.requests, rs.trial)) for rs, session in pairs]
    core_wall: dict[str, list[float]] = {"durable-rules": [], "reference": []}
    core_cpu: dict[str, list[float]] = {"durable-rules": [], "reference": []}
    for rs, session, facts in prepared:
        c0, t0 = time.process_time(), time.perf_counter()
        session.evaluate(facts)
        t1, c1 = time.perf_counter(), time.process_time()
        [c.condition.evaluate(facts) for c in rs.criteria]
        t2, c2 = time.perf_counter(), time.process_time()
        core_wall["durable-rules"].append((t1 - t0) * 1e6)
        core_wall["reference"].append((t2 - t1) * 1e6)
        core_cpu["durable-rules"].append((c1 - c0) * 1e6)
        core_cpu["reference"].append((c2 - c1) * 1e6)

    for rs, _ in pairs:
        print(f"{rs.trial}: {len(rs.criteria)} criteria, {len(rs.requests)} facts")
    print(f"{len(patients)} patients, Python {sys.version.split()[0]}")
    print("full screening per patient-trial (index, facts, verdicts, explanations):")
    for name in wall:
        report(name, wall[name], cpu[name])
    ratio = percentile(wall["durable-rules"], 0.5) / percentile(wall["reference"], 0.5)
    print(f"  ratio durable-rules / reference (p50): {ratio:.2f}")
    print("verdicts only (same facts):")
    for name in core_wall:
        report(name, core_wall[name], core_cpu[name])
    print(
        f"  ratio durable-rules / reference (p50): "
        f"{percentile(core_wall['durable-rules'], 0.5) / percentile(core_wall['reference'], 0.5):.2f}"
    )
    p50 = percentile(wall["durable-rules"], 0.5)
    verdict = "met" if p50 <= 300 else "met (stretch 300 µs not met)" if p50 <= 500 else "NOT met"
    print(f"target p50 ≤ 500 µs per patient-trial with full explanations: {verdict}")


if __name__ == "__main__":
    main()
