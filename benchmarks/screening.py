"""Benchmark: per patient-trial latency of screening, durable-rules vs the plain-Python reference evaluation.

Run: python benchmarks/screening.py [--patients 3000] [--trial NCT07245251]

Both paths screen the same generated patients against the same compiled ruleset in one run and build the
same full results (facts with provenance, explanations). The only difference is who decides the verdicts:
durable-rules (the engine) or the reference evaluation of the criterion trees. The ratio is the price of
the rules engine; the absolute p50 is checked against the 500 µs target.
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
from engine.screening import Screener, _criterion_result  # noqa: E402
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=3000)
    ap.add_argument("--trial", default="NCT07245251")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    screener = Screener.from_directory(ROOT / "rulesets")  # compile once, outside the timings
    rs, session = screener.rulesets[args.trial], screener._sessions[args.trial]
    patients = [patient_from_data(d) for d in generate(args.patients, args.seed)]  # parsing is not screening
    cat = get_catalog()

    def with_durable(p):
        facts = extract_facts(PatientIndex(p, cat, AS_OF), rs.requests, rs.trial)
        truths = session.evaluate(facts)
        return [_criterion_result(c, c.condition.evaluate(facts)) for c in rs.criteria], truths

    def reference_only(p):
        facts = extract_facts(PatientIndex(p, cat, AS_OF), rs.requests, rs.trial)
        return [_criterion_result(c, c.condition.evaluate(facts)) for c in rs.criteria], None

    def verdicts_only_durable(p, facts):
        return session.evaluate(facts)

    for p in patients[:50]:  # warm caches (unit factors, catalog indexes) for both paths alike
        with_durable(p), reference_only(p)

    timings: dict[str, list[float]] = {"durable-rules": [], "reference": []}
    for p in patients:  # interleaved, so machine noise hits both alike
        for name, fn in (("durable-rules", with_durable), ("reference", reference_only)):
            t0 = time.perf_counter()
            fn(p)
            timings[name].append((time.perf_counter() - t0) * 1e6)

    # The rules-engine step alone, against the reference evaluation of the same trees on the same facts.
    prepared = [extract_facts(PatientIndex(p, cat, AS_OF), rs.requests, rs.trial) for p in patients]
    core: dict[str, list[float]] = {"durable-rules": [], "reference": []}
    for facts in prepared:
        t0 = time.perf_counter()
        session.evaluate(facts)
        t1 = time.perf_counter()
        [c.condition.evaluate(facts) for c in rs.criteria]
        t2 = time.perf_counter()
        core["durable-rules"].append((t1 - t0) * 1e6)
        core["reference"].append((t2 - t1) * 1e6)

    print(
        f"{args.trial}: {len(rs.criteria)} criteria, {len(rs.requests)} facts, {len(patients)} patients, "
        f"Python {sys.version.split()[0]}"
    )
    print("full screening per patient-trial (facts, verdicts, explanations):")
    for name, xs in timings.items():
        print(
            f"  {name:14s} p50 {percentile(xs, 0.5):7.0f} µs   p99 {percentile(xs, 0.99):7.0f} µs   "
            f"mean {statistics.fmean(xs):7.0f} µs"
        )
    ratio = percentile(timings["durable-rules"], 0.5) / percentile(timings["reference"], 0.5)
    print(f"  ratio durable-rules / reference (p50): {ratio:.2f}")
    print("verdicts only (same facts):")
    for name, xs in core.items():
        print(f"  {name:14s} p50 {percentile(xs, 0.5):7.0f} µs   p99 {percentile(xs, 0.99):7.0f} µs")
    print(
        f"  ratio durable-rules / reference (p50): "
        f"{percentile(core['durable-rules'], 0.5) / percentile(core['reference'], 0.5):.2f}"
    )
    target = percentile(timings["durable-rules"], 0.5) <= 500
    print(f"target p50 ≤ 500 µs per patient-trial with full explanations: {'met' if target else 'NOT met'}")


if __name__ == "__main__":
    main()
