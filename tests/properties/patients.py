"""Hypothesis strategies for random patients of the kind NCT07245251 reads, gaps and bad data included."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from engine.catalog import get_catalog
from engine.facts.model import HistoryRequest
from engine.rules.loader import load_ruleset
from engine.units import conversion_factor
from engine.vocabulary import get_vocabulary

TRIAL = "NCT07245251"  # the trial these patients are made for; their attestations answer it only
SCREENING = date(2026, 11, 20)
AS_OF = date(2026, 11, 23)

# analyte -> (canonical unit, low, high, has ULN): ranges straddle the seed protocols' thresholds.
NUMERIC = {
    "hemoglobin": ("g/dL", 3.0, 14.0, False),
    "platelets": ("10^9/L", 5.0, 200.0, False),
    "ast": ("U/L", 5.0, 200.0, True),
    "alt": ("U/L", 5.0, 200.0, True),
    "total_bilirubin": ("mg/dL", 0.2, 6.0, True),
    "direct_bilirubin": ("mg/dL", 0.05, 1.5, True),
    "creatinine": ("mg/dL", 0.3, 4.0, True),
    "inr": ("1", 0.8, 3.0, True),
    "aptt": ("s", 20.0, 80.0, True),
    "bone_marrow_blasts": ("%", 0.0, 90.0, False),
    "spo2_room_air": ("%", 85.0, 100.0, False),
    "lvef": ("%", 30.0, 70.0, False),
    "qt": ("ms", 300.0, 520.0, False),
    "heart_rate": ("bpm", 45.0, 130.0, False),
    "systolic_bp": ("mmHg", 90.0, 180.0, False),
    "diastolic_bp": ("mmHg", 50.0, 110.0, False),
    "weight": ("kg", 40.0, 130.0, False),
    "life_expectancy": ("month", 1.0, 24.0, False),
}
ORDINAL = {"ecog": (0, 3), "dyspnea_grade": (0, 3), "nyha_class": (1, 4)}


# Other spellings of the same quantity: (unit, factor from canonical, molecular weight for the ULN's unit).
def _factor(code: str, unit: str) -> tuple[str, float]:
    """The same value in ``unit``: the exact factor (a factor rounded to 9 digits moves a value by 1e-9,
    which the engine rightly sees at a boundary such as exactly 3 × ULN)."""
    spec = get_catalog().observations[code]
    return unit, conversion_factor(spec.unit, unit, spec.mw)


ALTERNATE_UNITS = {
    code: _factor(code, unit)
    for code, unit in {
        "hemoglobin": "g/L",
        "platelets": "K/µL",
        "total_bilirubin": "µmol/L",
        "direct_bilirubin": "µmol/L",
        "creatinine": "µmol/L",
        "aptt": "ms",
        "weight": "g",
    }.items()
}
DRUGS = [
    "tisagenlecleucel",
    "imatinib",
    "dasatinib",
    "hydroxyurea",
    "vincristine",
    "cytarabine",
    "fludarabine",
    "prednisone",
    "dexamethasone",
    "methylprednisolone",
    "ruxolitinib",
    "varicella vaccine",
    "mystery-mab",
]
ROUTES = ["oral", "intravenous", "inhaled", None]


def _day(offset_min: int, offset_max: int):
    return st.integers(offset_min, offset_max).map(lambda d: SCREENING + timedelta(days=d))


@st.composite
def observation(draw, code: str):
    if code in ORDINAL:
        lo, hi = ORDINAL[code]
        obs = {"code": code, "value": draw(st.integers(lo, hi)), "unit": "1"}
    else:
        unit, lo, hi, uln = NUMERIC[code]
        obs = {"code": code, "value": round(draw(st.floats(lo, hi)), 2), "unit": unit}
        if (uln and draw(st.booleans())) or (uln and draw(st.booleans())):
            obs["reference_range"] = {"high": round(lo + (hi - lo) * 0.2, 2), "unit": unit}
    if draw(st.integers(0, 9)):  # mostly dated, from recent to stale
        obs["date"] = draw(_day(-60, 3))
    return obs


def _condition_labels() -> list[str]:
    """The conditions NCT07245251 asks about, with their kinds and their parents: records that matter to it."""
    vocab = get_vocabulary()
    ruleset = load_ruleset(Path(__file__).resolve().parents[2] / "rulesets" / "NCT07245251.yaml")
    asked = {r.name for r in ruleset.requests if isinstance(r, HistoryRequest) and r.domain == "conditions"}
    related = set().union(*(vocab.descendants(c) | set(vocab[c].parents) for c in asked))
    return sorted(vocab[c].label for c in related if vocab[c].parents)


CONDITIONS = _condition_labels()


@st.composite
def patient(draw) -> dict:
    cat = get_catalog()
    p: dict = {"id": "random", "reference_dates": {"screening": SCREENING}}
    if draw(st.booleans()):
        # Not before the as-of date: a missing first dose is read as "not given yet" (on or after the as-of
        # date), so a first dose already given is a different record, not a better-informed one.
        p["reference_dates"]["first_dose"] = draw(_day((AS_OF - SCREENING).days, 14))
    if s := draw(st.sampled_from(["female", "male", None])):
        p["sex"] = s
    if draw(st.integers(0, 5)):
        p["birth_date"] = draw(st.dates(date(1950, 1, 1), date(2010, 12, 31)))
    codes = draw(st.lists(st.sampled_from(sorted([*NUMERIC, *ORDINAL])), unique=True, max_size=len(NUMERIC)))
    p["labs"] = [draw(observation(c)) for c in codes]
    for code, spec in cat.observations.items():
        if spec.values and draw(st.integers(0, 2)):
            p["labs"].append({"code": code, "value": draw(st.sampled_from(spec.values)), "date": draw(_day(-100, 3))})
    conds = draw(st.lists(st.sampled_from(CONDITIONS), unique=True, max_size=12))
    p["conditions"] = []
    for c in conds:
        rec: dict = {"code": c, "status": draw(st.sampled_from(["present", "absent"]))}
        if rec["status"] == "present" and draw(st.booleans()):
            rec["onset"] = draw(_day(-900, 0))
            if draw(st.booleans()):
                rec["resolved"] = min(rec["onset"] + timedelta(days=draw(st.integers(0, 400))), AS_OF)
        p["conditions"].append(rec)
    # An absent record of a concept above a present one contradicts it (a review by design); removing either
    # side then settles the contradiction, which is not "removing information" in the sense tested here.
    vocab = get_vocabulary()
    present = [vocab.resolve(c["code"]).id for c in p["conditions"] if c["status"] == "present"]
    p["conditions"] = [
        c
        for c in p["conditions"]
        if c["status"] == "present" or not any(vocab.is_a(x, vocab.resolve(c["code"]).id) for x in present)
    ]
    p["therapies"] = []
    for drug in draw(st.lists(st.sampled_from(DRUGS), max_size=5)):
        start = draw(_day(-400, 0))
        t: dict = {"name": drug, "start": start}
        if draw(st.integers(0, 3)):
            t["end"] = start + timedelta(days=draw(st.integers(0, 60)))
        else:
            t["ongoing"] = True
        if draw(st.booleans()):
            t["dose"] = {"value": draw(st.sampled_from([2.0, 4.0, 7.5, 10.0, 40.0])), "unit": "mg/day"}
        if r := draw(st.sampled_from(ROUTES)):
            t["route"] = r
        if t.get("end") and t["end"] > AS_OF:
            t["end"] = AS_OF
        p["therapies"].append(t)
    p["complete_history"] = draw(st.lists(st.sampled_from(["conditions", "therapies"]), unique=True))
    judgement_ids = ["INC-01", "INC-10b", "EXC-04a", "EXC-09", "EXC-10i", "EXC-18", "EXC-19"]
    p["attestations"] = [
        {"criterion": cid, "trial": TRIAL, "answer": draw(st.sampled_from(["yes", "no"])), "by": "investigator"}
        for cid in draw(st.lists(st.sampled_from(judgement_ids), unique=True))
    ]
    return p


# Native unit -> UCUM code, for the results a FHIR bundle carries as valueQuantity.
UCUM = {"K/µL": "10*3/uL", "µmol/L": "umol/L", "bpm": "/min", "mmHg": "mm[Hg]"}


def fhir_bundle(data: dict, patient_id: str = "p1") -> dict:
    """A FHIR R4 collection Bundle of a native patient's demographics and numeric results (the kinds a catalog
    LOINC code names); results in units UCUM cannot say here (months) are left out."""
    cat = get_catalog()
    patient = {"resourceType": "Patient", "id": patient_id, "gender": data["sex"], "birthDate": str(data["birth_date"])}
    entries: list[dict] = [{"fullUrl": f"urn:uuid:{patient_id}", "resource": patient}]
    for i, obs in enumerate([*data.get("labs", []), *data.get("measurements", [])]):
        key = cat.resolve("observations", obs["code"])
        spec = cat.observations[key] if key else None
        if not spec or not spec.loinc or isinstance(obs["value"], str) or obs.get("unit", "1") == "month":
            continue
        entries.append({"resource": fhir_observation(f"obs{i}", spec.loinc[0], obs, patient_id)})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def fhir_observation(rid: str, loinc: str, obs: dict, patient_id: str) -> dict:
    """One numeric result as a FHIR Observation about ``Patient/<patient_id>``."""
    unit = obs.get("unit", "1")
    res: dict = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "valueQuantity": {
            "value": obs["value"],
            "unit": unit,
            "system": "http://unitsofmeasure.org",
            "code": UCUM.get(unit, unit),
        },
    }
    if obs.get("date"):
        res["effectiveDateTime"] = str(obs["date"])
    if rr := obs.get("reference_range"):
        high_unit = rr.get("unit", unit)
        res["referenceRange"] = [
            {
                "high": {
                    "value": rr["high"],
                    "unit": high_unit,
                    "system": "http://unitsofmeasure.org",
                    "code": UCUM.get(high_unit, high_unit),
                }
            }
        ]
    return res
