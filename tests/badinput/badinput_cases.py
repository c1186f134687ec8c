"""The bad-input corpus as data: each case names a valid base input, the small change that makes it bad or odd,
and the outcome the engine owes it.

Bases (built at run time from the shipped files, so they follow the files as the input format evolves):

* ``example`` — examples/patient.yaml, eligible for NCT07245251;
* ``NCT07310355`` — features/patients/NCT07310355-eligible.yaml, eligible for NCT07310355;
* ``fhir`` — a small FHIR R4 bundle of the example patient's blood counts and liver tests (:data:`FHIR_BASE`);
* ``ruleset`` — rulesets/NCT07245251.yaml, screened with the example patient.

Edits (applied in order to the parsed base, or to the text for ``text`` edits)::

    ("set", "labs/lab-hb/unit", "g")     set a field of the record whose id (or criterion, or code) is lab-hb
    ("del", "labs/lab-hb/unit")          remove a field (or a whole record: "labs/lab-hb")
    ("add", "labs", {...})               append a record to a section
    ("text", before, after)              replace text in the serialised file (exactly once)
    ("after", line_start, new_line)      insert a line after the first line that starts with line_start

Outcomes:

* ``error`` — exit 2 and one line naming the file and ``field`` (a path like "labs/lab-hb/unit", shown by the
  engine as ``labs[4].unit``), plus every string in ``contains``;
* ``review`` — screened, the criteria the bad data touches are not eligible, and at least one of them is a
  review with a reason of kind ``reason`` (and, if given, naming every string in ``contains``);
* ``reject`` — either of the two above (the issue leaves the choice to the engine);
* ``same`` — screened with exactly the verdicts of the base (an equivalent spelling, a harmless oddity);
* ``same_or_error`` — ``same``, or an input error naming the file;
* ``survive`` — an input error naming the file, or screened (valid but odd data: no verdict is owed).

"Touched" criteria are those the base patient passes only with the data the case changes: they stop being
eligible when the records named by ``touches`` (default: the records the edits name) are removed.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Outcome = Literal["error", "review", "reject", "same", "same_or_error", "survive"]
Edit = tuple[Any, ...]


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    outcome: Outcome
    edits: tuple[Edit, ...] = ()
    base: str = "example"
    field: str | None = None
    contains: tuple[str, ...] = ()
    reason: str | None = None
    touches: tuple[str, ...] = ()
    suffix: str = ".yaml"
    raw: Callable[[str], bytes] | None = None  # the file's bytes from the serialised base text
    as_of: str | None = None  # the CLI's --as-of (default: the base's own date)
    trials: tuple[str, ...] | None = None  # --trial options (default: the base's trial)
    slow: bool = False  # run only as a subprocess with a time limit
    path: str | None = None  # a fixed path instead of a written file: "/dev/zero", "<dir>", "<missing>"


def case(name: str, group: str, outcome: Outcome, *edits: Edit, **kw: Any) -> Case:
    """A case; ``field`` defaults to the path of the first set/del edit for error-like outcomes."""
    if "field" not in kw and edits and edits[0][0] in ("set", "del") and outcome in ("error", "reject"):
        kw["field"] = edits[0][1]
    return Case(name, group, outcome, tuple(edits), **kw)


# --------------------------------------------------------------------------------------------------- files


def _trunc_flow(fraction: float) -> Callable[[str], bytes]:
    """Cut the file in the middle of a flow mapping line, so what is left cannot parse."""

    def cut(text: str) -> bytes:
        lines = text.splitlines(keepends=True)
        flows = [i for i, ln in enumerate(lines) if ln.lstrip().startswith("- {")]
        if not flows:  # block style: cut inside a quoted string instead
            return (text[: int(len(text) * fraction)] + '\n  - "unterminated\n').encode()
        i = flows[int(len(flows) * fraction) % len(flows)]
        return "".join(lines[:i]).encode() + lines[i][: len(lines[i]) // 2].encode()

    return cut


def _rand_bytes(seed: int, n: int) -> Callable[[str], bytes]:
    return lambda _text: random.Random(seed).randbytes(n)


def _nested(depth: int, json_style: bool) -> Callable[[str], bytes]:
    def build(_text: str) -> bytes:
        inner = "[" * depth + "]" * depth
        if json_style:
            return ('{"id": "deep", "labs": ' + inner + "}").encode()
        return ("id: deep\nlabs: " + inner + "\n").encode()

    return build


FILES: list[Case] = [
    case("latin-1 export", "files", "error", raw=lambda t: t.encode("latin-1", "replace"), contains=("UTF-8",)),
    case("utf-16 with BOM", "files", "error", raw=lambda t: t.encode("utf-16")),
    case("utf-16-le without BOM", "files", "error", raw=lambda t: t.encode("utf-16-le")),
    case("utf-32", "files", "error", raw=lambda t: t.encode("utf-32")),
    case("cp1252 export", "files", "error", raw=lambda t: t.encode("cp1252", "replace")),
    case("gzip of the YAML", "files", "same", raw=lambda t: gzip.compress(t.encode())),
    case("gzip of the JSON", "files", "same", raw=lambda t: gzip.compress(t.encode()), suffix=".json"),
    case("gzip of latin-1", "files", "error", raw=lambda t: gzip.compress(t.encode("latin-1", "replace"))),
    case("truncated gzip", "files", "error", raw=lambda t: gzip.compress(t.encode())[:200]),
    case("gzip of binary", "files", "error", raw=lambda t: gzip.compress(random.Random(1).randbytes(4000))),
    case("binary noise", "files", "error", raw=_rand_bytes(2, 5000)),
    case("binary noise as JSON", "files", "error", raw=_rand_bytes(3, 5000), suffix=".json"),
    case("PNG header", "files", "error", raw=lambda _t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
    case("NUL bytes in the text", "files", "error", raw=lambda t: t.replace("sex:", "se\x00x:").encode()),
    case("empty YAML file", "files", "error", raw=lambda _t: b""),
    case("empty JSON file", "files", "error", raw=lambda _t: b"", suffix=".json"),
    case("whitespace only", "files", "error", raw=lambda _t: b"  \n\n\t\n"),
    case("YAML null document", "files", "error", raw=lambda _t: b"null\n"),
    case("YAML comment only", "files", "error", raw=lambda _t: b"# nothing here\n"),
    case("top-level list YAML", "files", "error", raw=lambda t: ("- " + t.replace("\n", "\n  ")).encode()),
    case("top-level list JSON", "files", "error", raw=lambda t: ("[" + t + "]").encode(), suffix=".json"),
    case("top-level string", "files", "error", raw=lambda _t: b'"patient"\n'),
    case("top-level number JSON", "files", "error", raw=lambda _t: b"42", suffix=".json"),
    case("two YAML documents", "files", "error", raw=lambda t: (t + "\n---\n" + t).encode()),
    case("truncated YAML early", "files", "error", raw=_trunc_flow(0.1)),
    case("truncated YAML middle", "files", "error", raw=_trunc_flow(0.5)),
    case("truncated YAML late", "files", "error", raw=_trunc_flow(0.9)),
    case("truncated JSON 10%", "files", "error", raw=lambda t: t[: len(t) // 10].encode(), suffix=".json"),
    case("truncated JSON 50%", "files", "error", raw=lambda t: t[: len(t) // 2].encode(), suffix=".json"),
    case("truncated JSON 99%", "files", "error", raw=lambda t: t[: len(t) - 2].encode(), suffix=".json"),
    case("JSON trailing comma", "files", "error", raw=lambda t: (t.rstrip()[:-1] + ",}").encode(), suffix=".json"),
    case("JSON with comments", "files", "error", raw=lambda t: ("// patient\n" + t).encode(), suffix=".json"),
    case(
        "YAML tab indentation",
        "files",
        "error",
        raw=lambda t: t.replace("\n  screening:", "\n\tscreening:", 1).encode(),
    ),
    case(
        "YAML python tag",
        "files",
        "error",
        raw=lambda t: t.replace("id: ", "id: !!python/object:os.system ", 1).encode(),
    ),
    case("YAML custom tag", "files", "error", raw=lambda t: t.replace("sex: female", "sex: !secret female").encode()),
    case("deep nesting JSON", "files", "error", raw=_nested(100_000, True), suffix=".json"),
    case("deep nesting YAML", "files", "error", raw=_nested(100_000, False)),
    case("moderate nesting JSON", "files", "error", raw=_nested(2_000, True), suffix=".json"),
    case(
        "JSON NaN literal",
        "files",
        "error",
        raw=lambda t: t.replace('"value": 98', '"value": NaN').encode(),
        suffix=".json",
    ),
    case(
        "JSON Infinity literal",
        "files",
        "error",
        raw=lambda t: t.replace('"value": 98', '"value": Infinity').encode(),
        suffix=".json",
    ),
    case(
        "JSON 1e999 overflow",
        "files",
        "error",
        raw=lambda t: t.replace('"value": 98', '"value": 1e999').encode(),
        suffix=".json",
    ),
]

# Duplicate keys: the last one must never silently win. The line is named by the message (either occurrence).
DUPLICATES: list[Case] = [
    case("YAML duplicate top-level key", "duplicates", "error", ("after", "sex:", "sex: male"), contains=("sex",)),
    case("YAML duplicate id", "duplicates", "error", ("after", "id:", "id: someone-else"), contains=("id",)),
    case(
        "YAML duplicate section",
        "duplicates",
        "error",
        ("text", "\ncomplete_history:", "\nlabs: []\ncomplete_history:"),
        contains=("labs",),
    ),
    case(
        "YAML duplicate key in a lab",
        "duplicates",
        "error",
        ("after", "  value: 98", "  value: 50"),
        contains=("value",),
    ),
    case(
        "YAML duplicate unit in a lab",
        "duplicates",
        "error",
        ("after", "  unit: g/L", "  unit: g/dL"),
        contains=("unit",),
    ),
    case(
        "YAML duplicate reference date",
        "duplicates",
        "error",
        ("after", "  screening:", "  screening: 2026-01-01"),
        contains=("screening",),
    ),
    case(
        "YAML duplicate answer",
        "duplicates",
        "error",
        ("after", "  answer: 'yes'", "  answer: 'no'"),
        contains=("answer",),
    ),
    case(
        "YAML duplicate key in a flow mapping",
        "duplicates",
        "error",
        ("after", "  value: 98", "  reference_range: {high: 100, high: 200}"),
        contains=("high",),
    ),
    case(
        "JSON duplicate top-level key",
        "duplicates",
        "error",
        ("text", '"sex": "female",', '"sex": "female", "sex": "male",'),
        suffix=".json",
        contains=("sex",),
    ),
    case(
        "JSON duplicate key in a lab",
        "duplicates",
        "error",
        ("text", '"value": 98,', '"value": 98, "value": 50,'),
        suffix=".json",
        contains=("value",),
    ),
    case(
        "JSON duplicate status",
        "duplicates",
        "error",
        ("text", '"status": "absent"', '"status": "absent", "status": "present"'),
        suffix=".json",
        contains=("status",),
    ),
    case(
        "JSON duplicate section",
        "duplicates",
        "error",
        ("text", '"labs": [', '"labs": [], "labs": ['),
        suffix=".json",
        contains=("labs",),
    ),
]

# --------------------------------------------------------------------------------------------------- units

NUMERIC_RECORDS: dict[str, str] = {  # record path -> a unit of the wrong dimension for it
    "labs/lab-hb": "mmHg",
    "labs/lab-plt": "g/L",
    "labs/lab-ast": "mg/dL",
    "labs/lab-alt": "mmol/L",
    "labs/lab-tbil": "U/L",
    "labs/lab-crea": "kg",
    "labs/lab-aptt": "mg/dL",
    "labs/lab-blasts": "g/L",
    "measurements/spo2": "mmHg",
    "measurements/echo": "mL",
    "measurements/ecg-qt": "kg",
    "measurements/ecg-hr": "mmHg",
    "measurements/bp-sys": "bpm",
    "measurements/life-exp": "kg",
}
BASE_UNITS: dict[str, str] = {
    "labs/lab-hb": "g/L",
    "labs/lab-plt": "K/µL",
    "labs/lab-ast": "U/L",
    "labs/lab-alt": "U/L",
    "labs/lab-tbil": "µmol/L",
    "labs/lab-crea": "µmol/L",
    "labs/lab-aptt": "s",
    "labs/lab-blasts": "%",
    "measurements/spo2": "%",
    "measurements/echo": "%",
    "measurements/ecg-qt": "ms",
    "measurements/ecg-hr": "bpm",
    "measurements/bp-sys": "mmHg",
    "measurements/life-exp": "month",
}


def _unit_cases() -> list[Case]:
    out: list[Case] = []
    for rec, wrong in NUMERIC_RECORDS.items():
        u = BASE_UNITS[rec]
        unit = f"{rec}/unit"
        out += [
            case(f"{rec}: no unit", "units", "reject", ("del", unit)),
            case(f"{rec}: empty unit", "units", "reject", ("set", unit, "")),
            case(f"{rec}: unknown unit", "units", "reject", ("set", unit, "furlong/fortnight")),
            case(f"{rec}: unit times 2", "units", "reject", ("set", unit, f"{u}*2")),
            case(f"{rec}: unit divided by 2", "units", "reject", ("set", unit, f"{u}/2")),
            case(f"{rec}: unit with a leading 2", "units", "reject", ("set", unit, f"2 {u}")),
            case(f"{rec}: unit with a leading 1000", "units", "reject", ("set", unit, f"1000{u}")),
            case(f"{rec}: unit of the wrong dimension", "units", "reject", ("set", unit, wrong)),
        ]
    for rec in ("labs/lab-hb", "labs/lab-tbil", "labs/lab-crea", "labs/lab-alt"):
        for mass in ("g", "mg", "µmol", "mmol"):
            out.append(case(f"{rec}: mass without volume {mass}", "units", "reject", ("set", f"{rec}/unit", mass)))
    for rec in ("labs/lab-hb", "labs/lab-crea", "labs/lab-alt"):
        out.append(case(f"{rec}: 5000-character unit", "units", "reject", ("set", f"{rec}/unit", "g" + "a" * 4999)))
    out += [
        case("INR in %", "units", "reject", ("set", "labs/lab-inr/unit", "%")),
        case("INR in s", "units", "reject", ("set", "labs/lab-inr/unit", "s")),
        case("hemoglobin in %", "units", "reject", ("set", "labs/lab-hb/unit", "%")),
        case("ALT in %", "units", "reject", ("set", "labs/lab-alt/unit", "%")),
        case("blasts in mmol/mol (an HbA1c unit)", "units", "reject", ("set", "labs/lab-blasts/unit", "mmol/mol")),
        case("SpO2 in mmol/mol", "units", "reject", ("set", "measurements/spo2/unit", "mmol/mol")),
        case("platelets 3.0 10E9/L spelled in the unit", "units", "reject", ("set", "labs/lab-plt/unit", "3.0 10E9/L")),
        case("platelets in gauss (G)", "units", "reject", ("set", "labs/lab-plt/unit", "G")),
        case("hemoglobin unit g/L^2", "units", "reject", ("set", "labs/lab-hb/unit", "g/L^2")),
        case("hemoglobin unit (g/L)**1", "units", "reject", ("set", "labs/lab-hb/unit", "(g/L)**1")),
        case("hemoglobin unit g/L+1", "units", "reject", ("set", "labs/lab-hb/unit", "g/L+1")),
        case("hemoglobin unit 1e1 g/L", "units", "reject", ("set", "labs/lab-hb/unit", "1e1 g/L")),
        case("hemoglobin unit g/L with a UCUM annotation", "units", "same", ("set", "labs/lab-hb/unit", "g/L{total}")),
    ]
    # Exact equivalents: the verdicts must not move.
    same = [
        ("labs/lab-plt", 64, "10^9/L"),
        ("labs/lab-plt", 64, "10*9/L"),
        ("labs/lab-plt", 64, "G/L"),
        ("labs/lab-plt", 64, "×10⁹/L"),
        ("labs/lab-plt", 64, "x10^9/L"),
        ("labs/lab-plt", 64, "K/mm3"),
        ("labs/lab-plt", 64, "10^3/µL"),
        ("labs/lab-plt", 64, "10*3/uL"),
        ("labs/lab-plt", 64, "K/uL"),
        ("labs/lab-plt", 64000, "/µL"),
        ("labs/lab-hb", 9.8, "g/dL"),
        ("labs/lab-tbil", 17, "umol/L"),
        ("labs/lab-tbil", 17, "μmol/L"),  # Greek mu, not the micro sign
        ("labs/lab-crea", 68, "umol/L"),
        ("labs/lab-crea", 0.068, "mmol/L"),
        ("measurements/weight", 61000, "g"),
        ("labs/lab-aptt", 31000, "ms"),
        ("measurements/ecg-qt", 0.392, "s"),
    ]
    out += [
        case(
            f"{rec}: {v} {u} is the same value", "units", "same", ("set", f"{rec}/value", v), ("set", f"{rec}/unit", u)
        )
        for rec, v, u in same
    ]
    out += [
        case("ALT in IU/L", "units", "same", ("set", "labs/lab-alt/unit", "IU/L")),
        case("AST in IU/L", "units", "same", ("set", "labs/lab-ast/unit", "IU/L")),
        case(
            "ALT and its ULN in IU/L",
            "units",
            "same",
            ("set", "labs/lab-alt/unit", "IU/L"),
            ("set", "labs/lab-alt/reference_range/unit", "IU/L"),
        ),
        case("AST ULN in IU/L", "units", "same", ("set", "labs/lab-ast/reference_range/unit", "IU/L")),
        case("ALT in U/l", "units", "same", ("set", "labs/lab-alt/unit", "U/l")),
    ]
    return out


# --------------------------------------------------------------------------------------------------- numbers

IMPLAUSIBLE_PASSING = [  # values no human has, on the passing side of the criterion: a silent eligible if used
    ("labs/lab-hb", 980),
    ("labs/lab-hb", 1e12),
    ("labs/lab-plt", 64000),
    ("labs/lab-blasts", 230),
    ("measurements/spo2", 140),
    ("measurements/echo", 120),
    ("measurements/life-exp", 10000),
    ("labs/lab-crea", 0),
    ("labs/lab-crea", 1e-9),
    ("measurements/ecg-qt", 0),
    ("measurements/ecg-qt", 40),
    ("measurements/bp-sys", 0),
]
IMPLAUSIBLE_FAILING = [
    ("labs/lab-alt", 1e9),
    ("labs/lab-ast", 41000),
    ("labs/lab-tbil", 1e6),
    ("labs/lab-crea", 1e5),
    ("measurements/ecg-qt", 5000),
    ("measurements/bp-sys", 900),
    ("measurements/ecg-hr", 900),
    ("measurements/echo", 0),
    ("measurements/ecg-hr", 0),
    ("labs/lab-hb", 0),
]


def _number_cases() -> list[Case]:
    out: list[Case] = []
    for rec in NUMERIC_RECORDS:
        value = f"{rec}/value"
        out += [
            case(f"{rec}: NaN", "numbers", "error", ("set", value, float("nan"))),
            case(f"{rec}: infinity", "numbers", "error", ("set", value, float("inf"))),
            case(f"{rec}: minus infinity", "numbers", "error", ("set", value, float("-inf"))),
            case(f"{rec}: 1e308", "numbers", "reject", ("set", value, 1e308)),
            case(f"{rec}: negative", "numbers", "reject", ("set", value, -5)),
        ]
    out += [
        case(f"{rec}: implausible {v:g}", "numbers", "review", ("set", f"{rec}/value", v), reason="ambiguous")
        for rec, v in IMPLAUSIBLE_PASSING
    ]
    out += [
        case(f"{rec}: implausible {v:g}", "numbers", "reject", ("set", f"{rec}/value", v))
        for rec, v in IMPLAUSIBLE_FAILING
    ]
    out += [
        case("INR 80", "numbers", "reject", ("set", "labs/lab-inr/value", 80)),
        case("INR 0", "numbers", "reject", ("set", "labs/lab-inr/value", 0)),
        case("ECOG 7", "numbers", "reject", ("set", "measurements/ecog/value", 7)),
        case("ECOG -1", "numbers", "reject", ("set", "measurements/ecog/value", -1)),
        case("ECOG 0.5", "numbers", "reject", ("set", "measurements/ecog/value", 0.5)),
        case("NYHA 0", "numbers", "reject", ("set", "measurements/nyha/value", 0)),
        case("NYHA 9", "numbers", "reject", ("set", "measurements/nyha/value", 9)),
        case("dyspnea grade 12", "numbers", "reject", ("set", "measurements/dyspnea/value", 12)),
        case("hemoglobin as text '98'", "numbers", "reject", ("set", "labs/lab-hb/value", "98")),
        case("hemoglobin as text '98 g/L'", "numbers", "reject", ("set", "labs/lab-hb/value", "98 g/L")),
        case("hemoglobin with a decimal comma", "numbers", "reject", ("set", "labs/lab-hb/value", "9,8")),
        case("hemoglobin as a boolean", "numbers", "reject", ("set", "labs/lab-hb/value", True)),
        case("hemoglobin as a list", "numbers", "error", ("set", "labs/lab-hb/value", [98, 60])),
        case("hemoglobin as a mapping", "numbers", "error", ("set", "labs/lab-hb/value", {"value": 98})),
        case("platelets as '<1000'", "numbers", "reject", ("set", "labs/lab-plt/value", "<1000")),
        case("hemoglobin huge integer", "numbers", "reject", ("set", "labs/lab-hb/value", 10**400)),
        case("dose NaN", "numbers", "error", ("set", "therapies/rx-pred/dose/value", float("nan"))),
        case("dose negative", "numbers", "error", ("set", "therapies/rx-pred/dose/value", -7.5)),
        case("dose 1e308", "numbers", "survive", ("set", "therapies/rx-pred/dose/value", 1e308)),
        case("half-life 1e300 days", "numbers", "survive", ("set", "therapies/rx-dasatinib/half_life_days", 1e300)),
        case("half-life 1e-300 days", "numbers", "survive", ("set", "therapies/rx-dasatinib/half_life_days", 1e-300)),
        case("half-life 0", "numbers", "error", ("set", "therapies/rx-dasatinib/half_life_days", 0)),
        case("half-life infinite", "numbers", "error", ("set", "therapies/rx-dasatinib/half_life_days", float("inf"))),
    ]
    # Reference ranges: checked like values (positive, low < high, the analyte's dimension, near the usual ULN).
    rr = "labs/lab-alt/reference_range"
    out += [
        case("ALT ULN 41,000 U/L", "numbers", "review", ("set", f"{rr}/high", 41000), reason="ambiguous"),
        case("ALT ULN 1e308", "numbers", "review", ("set", f"{rr}/high", 1e308), reason="ambiguous"),
        case("ALT ULN 0", "numbers", "reject", ("set", f"{rr}/high", 0)),
        case("ALT ULN negative", "numbers", "reject", ("set", f"{rr}/high", -41)),
        case("ALT ULN NaN", "numbers", "error", ("set", f"{rr}/high", float("nan"))),
        case("ALT ULN infinite", "numbers", "error", ("set", f"{rr}/high", float("inf"))),
        case(
            "ALT range low above high",
            "numbers",
            "review",
            ("set", f"{rr}/low", 80),
            reason="ambiguous",
            field=f"{rr}/low",
        ),
        case("ALT ULN in kg", "numbers", "review", ("set", f"{rr}/unit", "kg"), reason="ambiguous"),
        case("ALT ULN in U (no volume)", "numbers", "reject", ("set", f"{rr}/unit", "U")),
        case("ALT ULN with a unit of 2 U/L", "numbers", "reject", ("set", f"{rr}/unit", "2 U/L")),
        case("ALT ULN as text", "numbers", "reject", ("set", f"{rr}/high", "forty-one")),
        case(
            "bilirubin 1.0 mg/dL with a ULN of 21 and no unit",
            "numbers",
            "review",
            ("set", "labs/lab-tbil/value", 1.0),
            ("set", "labs/lab-tbil/unit", "mg/dL"),
            ("set", "labs/lab-tbil/reference_range/high", 21),
            ("del", "labs/lab-tbil/reference_range/unit"),
            reason="ambiguous",
        ),
        case(
            "AST ULN 40 U/mL (a thousand times the usual)",
            "numbers",
            "review",
            ("set", "labs/lab-ast/reference_range/unit", "U/mL"),
            reason="ambiguous",
        ),
        case(
            "AST ULN 4 (ten times too small)",
            "numbers",
            "review",
            ("set", "labs/lab-ast/reference_range/high", 4),
            reason="ambiguous",
        ),
    ]
    return out


# --------------------------------------------------------------------------------------------------- dates


def _date_cases() -> list[Case]:
    hb = "labs/lab-hb/date"
    out = [
        case(f"lab date {d!r}", "dates", "error", ("set", hb, d))
        for d in (
            "2026-02-30",
            "2026-13-01",
            "2026-11-31",
            "0000-01-01",
            "19/11/2026",
            "yesterday",
            "2026-1-5",
            20261119,
        )
    ]
    out += [
        case(f"lab date {d!r}", "dates", "reject", ("set", hb, d))
        for d in (
            "../2026-11-19",
            "2026-11-19/..",
            "../..",
            "2026-11-19/2026-11-01",
            "0001-01-01",
            "9999-12-31",
            "2027-01-05",
            "2026",
            "2026-11",
        )
    ]
    out += [
        case(f"lab date as datetime {d!r}", "dates", "same_or_error", ("set", hb, d))
        for d in (
            "2026-11-01/2026-11-19",
            "2026-11-19T08:30:00Z",
            "2026-11-19T08:30:00+09:00",
            "2026-11-19 08:30",
            "2026-11-19T23:59:59.999",
        )
    ]
    out += [
        case("birth date 2026-02-30", "dates", "error", ("set", "birth_date", "2026-02-30"), field="birth_date"),
        case("birth date year 1", "dates", "reject", ("set", "birth_date", "0001-01-01"), field="birth_date"),
        case("birth date 9999-12-31", "dates", "reject", ("set", "birth_date", "9999-12-31"), field="birth_date"),
        case("birth date after screening", "dates", "reject", ("set", "birth_date", "2026-12-01"), field="birth_date"),
        case("birth date open span", "dates", "reject", ("set", "birth_date", "../1992-04-17"), field="birth_date"),
        case("birth year only", "dates", "survive", ("set", "birth_date", "1992")),
        case(
            "screening date 2026-02-30",
            "dates",
            "error",
            ("set", "reference_dates/screening", "2026-02-30"),
            field="reference_dates/screening",
        ),
        case("screening date year 1", "dates", "survive", ("set", "reference_dates/screening", "0001-01-01")),
        case("screening date 9999-12-31", "dates", "survive", ("set", "reference_dates/screening", "9999-12-31")),
        case("screening date partial", "dates", "same_or_error", ("set", "reference_dates/screening", "2026-11")),
        case("first dose year 1", "dates", "survive", ("set", "reference_dates/first_dose", "0001-01-01")),
        case("first dose 9999-12-31", "dates", "survive", ("set", "reference_dates/first_dose", "9999-12-31")),
        case(
            "pregnancy test taken after the first dose",
            "dates",
            "reject",
            ("set", "reference_dates/first_dose", "2026-11-21"),
            field="reference_dates/first_dose",
            touches=("criterion:INC-10a",),
        ),
        case(
            "unknown reference date",
            "dates",
            "error",
            ("set", "reference_dates/baseline", "2026-11-20"),
            field="reference_dates",
        ),
        case("therapy ending 9999-12-31", "dates", "survive", ("set", "therapies/rx-induction/end", "9999-12-31")),
        case("therapy starting year 1", "dates", "survive", ("set", "therapies/rx-induction/start", "0001-01-01")),
        case(
            "therapy in year 1",
            "dates",
            "survive",
            ("set", "therapies/rx-induction/start", "0001-01-01"),
            ("set", "therapies/rx-induction/end", "0001-01-02"),
        ),
        case(
            "therapy ending before it starts",
            "dates",
            "reject",
            ("set", "therapies/rx-dasatinib/end", "2026-10-01"),
            field="therapies/rx-dasatinib",
            touches=("criterion:EXC-04b",),
        ),
        case("therapy end 2026-02-30", "dates", "error", ("set", "therapies/rx-dasatinib/end", "2026-02-30")),
        case(
            "therapy open span end",
            "dates",
            "reject",
            ("set", "therapies/rx-dasatinib/end", "2026-11-01/.."),
            touches=("criterion:EXC-04b",),
        ),
        case("condition onset year 1", "dates", "survive", ("set", "conditions/dx-ball/onset", "0001")),
        case("condition resolved 9999-12-31", "dates", "survive", ("set", "conditions/dx-ball/resolved", "9999-12-31")),
        case("condition onset 2026-02-30", "dates", "error", ("set", "conditions/dx-ball/onset", "2026-02-30")),
        case("attestation date 2026-02-30", "dates", "error", ("set", "attestations/INC-01/date", "2026-02-30")),
        case("as-of empty", "dates", "error", as_of=""),
        case("as-of 2026-02-30", "dates", "error", as_of="2026-02-30"),
        case("as-of 23/11/2026", "dates", "error", as_of="23/11/2026"),
        case("as-of year 1", "dates", "survive", as_of="0001-01-01"),
        case("as-of 9999-12-31", "dates", "survive", as_of="9999-12-31"),
        case("as-of with a time", "dates", "same_or_error", as_of="2026-11-23T12:00:00"),
        case("the same trial twice", "dates", "same", trials=("NCT07245251", "NCT07245251")),
        case("an unknown trial", "dates", "error", trials=("NCT00000000",), contains=("NCT00000000",)),
        case("an empty trial id", "dates", "error", trials=("",)),
    ]
    return out


# --------------------------------------------------------------------------------------------------- conflicts


def _lab(code: str, value: Any, unit: str | None, date: str | None, rid: str, **more: Any) -> dict:
    rec: dict = {"id": rid, "code": code, "value": value}
    if unit is not None:
        rec["unit"] = unit
    if date is not None:
        rec["date"] = date
    return rec | more


CONFLICTS: list[Case] = [
    case(
        "hemoglobin 98 and 50 g/L the same day",
        "conflicts",
        "review",
        ("add", "labs", _lab("hemoglobin", 50, "g/L", "2026-11-19", "lab-hb-2")),
        reason="ambiguous",
        contains=("lab-hb", "lab-hb-2"),
    ),
    case(
        "hemoglobin 9.8 and 5.0 g/dL the same day",
        "conflicts",
        "review",
        ("add", "labs", _lab("hemoglobin", 5.0, "g/dL", "2026-11-19", "lab-hb-2")),
        reason="ambiguous",
    ),
    case(
        "hemoglobin 98 dated and 50 undated",
        "conflicts",
        "review",
        ("add", "labs", _lab("hemoglobin", 50, "g/L", None, "lab-hb-2")),
        reason="ambiguous",
    ),
    case(
        "hemoglobin 98 and 50 in the same month",
        "conflicts",
        "review",
        ("add", "labs", _lab("hemoglobin", 50, "g/L", "2026-11", "lab-hb-2")),
        reason="ambiguous",
    ),
    case(
        "platelets 64 and 10 the same day",
        "conflicts",
        "review",
        ("add", "labs", _lab("platelets", 10, "10^9/L", "2026-11-19", "lab-plt-2")),
        reason="ambiguous",
    ),
    case(
        "ALT 45 and 300 U/L the same day",
        "conflicts",
        "review",
        (
            "add",
            "labs",
            _lab("ALT", 300, "U/L", "2026-11-19", "lab-alt-2", reference_range={"high": 41, "unit": "U/L"}),
        ),
        reason="ambiguous",
    ),
    case(
        "ALT 45 with two reference ranges that decide differently",
        "conflicts",
        "review",
        ("add", "labs", _lab("ALT", 45, "U/L", "2026-11-19", "lab-alt-2", reference_range={"high": 12, "unit": "U/L"})),
        reason="ambiguous",
    ),
    case(
        "creatinine 68 and 300 µmol/L the same day",
        "conflicts",
        "review",
        (
            "add",
            "labs",
            _lab(
                "creatinine", 300, "µmol/L", "2026-11-19", "lab-crea-2", reference_range={"high": 97, "unit": "µmol/L"}
            ),
        ),
        reason="ambiguous",
    ),
    case(
        "LVEF 61 and 30 % the same day",
        "conflicts",
        "review",
        ("add", "measurements", _lab("LVEF", 30, "%", "2026-11-12", "echo-2")),
        reason="ambiguous",
    ),
    case(
        "CD19 positive and negative the same day",
        "conflicts",
        "review",
        ("add", "labs", _lab("CD19 expression", "negative", None, "2026-11-02", "lab-cd19-2")),
        reason="ambiguous",
    ),
    case(
        "HIV negative and positive the same day",
        "conflicts",
        "reject",
        ("add", "labs", _lab("HIV antibody", "positive", None, "2026-11-05", "lab-hiv-2")),
    ),
    case(
        "hemoglobin 98 twice the same day",
        "conflicts",
        "same",
        ("add", "labs", _lab("hemoglobin", 98, "g/L", "2026-11-19", "lab-hb-2")),
    ),
    case(
        "hemoglobin 98 g/L and 9.8 g/dL the same day",
        "conflicts",
        "same",
        ("add", "labs", _lab("hemoglobin", 9.8, "g/dL", "2026-11-19", "lab-hb-2")),
    ),
    case(
        "CNS leukemia absent and present",
        "conflicts",
        "review",
        ("add", "conditions", {"id": "dx-cns-1", "code": "active CNS leukemia", "status": "absent"}),
        ("add", "conditions", {"id": "dx-cns-2", "code": "active CNS leukemia", "status": "present"}),
        reason="ambiguous",
    ),
    case(
        "B-ALL present and absent",
        "conflicts",
        "review",
        ("add", "conditions", {"id": "dx-ball-2", "code": "B-cell acute lymphoblastic leukemia", "status": "absent"}),
        reason="ambiguous",
    ),
    case(
        "childbearing potential present and absent",
        "conflicts",
        "survive",
        ("add", "conditions", {"id": "dx-cbp-2", "code": "childbearing potential", "status": "absent"}),
    ),
    case(
        "attestation yes then no",
        "conflicts",
        "reject",
        (
            "add",
            "attestations",
            {"criterion": "INC-01", "trial": "NCT07245251", "answer": "no", "by": "Dr. B", "date": "2026-11-19"},
        ),
        touches=("attestations/INC-01",),
        field="attestations",
    ),
    case(
        "attestation no then yes",
        "conflicts",
        "reject",
        (
            "add",
            "attestations",
            {"criterion": "EXC-19", "trial": "NCT07245251", "answer": "yes", "by": "Dr. B", "date": "2026-11-19"},
        ),
        touches=("attestations/EXC-19",),
        field="attestations",
    ),
    case(
        "attestation given twice the same",
        "conflicts",
        "same",
        (
            "add",
            "attestations",
            {"criterion": "INC-01", "trial": "NCT07245251", "answer": "yes", "by": "Dr. B", "date": "2026-11-19"},
        ),
    ),
    case(
        "unscoped attestation",
        "conflicts",
        "error",
        ("del", "attestations/INC-01/trial"),
        field="attestations/INC-01/trial",
    ),
    case(
        "unscoped attestations everywhere",
        "conflicts",
        "error",
        *[("del", f"attestations/{c}/trial") for c in ("INC-01", "INC-10b", "EXC-10i", "EXC-18", "EXC-19")],
        field="attestations/INC-01/trial",
    ),
    case(
        "attestation for another trial",
        "conflicts",
        "review",
        ("set", "attestations/INC-01/trial", "NCT07310355"),
        reason="judgement",
    ),
    case("attestation trial in lower case", "conflicts", "same", ("set", "attestations/INC-01/trial", "nct07245251")),
    case("attestation trial empty", "conflicts", "error", ("set", "attestations/INC-01/trial", "")),
    case(
        "attestation for an unknown criterion",
        "conflicts",
        "survive",
        ("add", "attestations", {"criterion": "INC-99", "trial": "NCT07245251", "answer": "yes", "by": "Dr. B"}),
    ),
    case("unquoted YAML yes as the answer", "conflicts", "same_or_error", ("set", "attestations/INC-01/answer", True)),
    case("answer maybe", "conflicts", "error", ("set", "attestations/INC-01/answer", "maybe")),
    # NCT07310355: a conflicting PSA the same day as the last rise.
    case(
        "PSA 6.0 and 1.0 the same day",
        "conflicts",
        "reject",
        ("add", "labs", _lab("PSA", 1.0, "ng/mL", "2026-02-09", "psa-3b")),
        base="NCT07310355",
        touches=("labs/psa-3",),
    ),
    case(
        "testosterone 0.6 and 20 nmol/L the same day",
        "conflicts",
        "review",
        ("add", "labs", _lab("testosterone", 20, "nmol/L", "2026-02-25", "lab-testo-2")),
        base="NCT07310355",
        reason="ambiguous",
    ),
    case("testosterone without a unit", "conflicts", "reject", ("del", "labs/lab-testo/unit"), base="NCT07310355"),
    case(
        "testosterone in µmol (no volume)",
        "conflicts",
        "reject",
        ("set", "labs/lab-testo/unit", "µmol"),
        base="NCT07310355",
    ),
    case(
        "NCT07310355 creatinine without a unit",
        "conflicts",
        "reject",
        ("del", "labs/lab-crea/unit"),
        base="NCT07310355",
    ),
    case("NCT07310355 bilirubin in mg", "conflicts", "reject", ("set", "labs/lab-tbil/unit", "mg"), base="NCT07310355"),
    case(
        "NCT07310355 hemoglobin 980 g/L",
        "conflicts",
        "review",
        ("set", "labs/lab-hb/value", 980),
        base="NCT07310355",
        reason="ambiguous",
    ),
    case(
        "NCT07310355 platelets 210,000 K/µL",
        "conflicts",
        "review",
        ("set", "labs/lab-plt/value", 210000),
        base="NCT07310355",
        reason="ambiguous",
    ),
]

# --------------------------------------------------------------------------------------------------- codes

CODES: list[Case] = [
    case("unknown observation", "codes", "error", ("set", "labs/lab-hb/code", "haemoglobin A9")),
    case("unknown measurement", "codes", "error", ("set", "measurements/ecog/code", "ECOG-X")),
    case("empty observation code", "codes", "error", ("set", "labs/lab-hb/code", "")),
    case("unknown condition", "codes", "error", ("set", "conditions/dx-gilbert/code", "Gilbert-like syndrome")),
    case("unknown therapy class", "codes", "error", ("set", "therapies/rx-pred/classes", ["steroidz"])),
    case("condition status yes", "codes", "error", ("set", "conditions/dx-gilbert/status", "yes")),
    case("condition status missing", "codes", "error", ("del", "conditions/dx-gilbert/status")),
    case("sex F", "codes", "error", ("set", "sex", "F"), field="sex"),
    case("sex FEMALE", "codes", "same_or_error", ("set", "sex", "FEMALE"), field="sex"),
    case("sex unknown", "codes", "error", ("set", "sex", "unknown"), field="sex"),
    case("sex 1", "codes", "error", ("set", "sex", 1), field="sex"),
    case("categorical CD19 with a unit", "codes", "error", ("set", "labs/lab-cd19/unit", "%")),
    case("categorical HBsAg with a unit", "codes", "error", ("set", "labs/lab-hbsag/unit", "IU/mL")),
    case("categorical pregnancy test with a unit", "codes", "error", ("set", "labs/lab-hcg/unit", "mIU/mL")),
    case("categorical value unknown", "codes", "reject", ("set", "labs/lab-cd19/value", "maybe")),
    case("categorical value numeric", "codes", "reject", ("set", "labs/lab-cd19/value", 23)),
    case("numeric lab given 'positive'", "codes", "reject", ("set", "labs/lab-hb/value", "positive")),
    case("ECOG given 'good'", "codes", "reject", ("set", "measurements/ecog/value", "good")),
    case("unknown top-level field", "codes", "error", ("set", "blood_type", "A+"), field="blood_type"),
    case("unknown lab field", "codes", "error", ("set", "labs/lab-hb/flag", "H")),
    case(
        "complete history of labs",
        "codes",
        "error",
        ("set", "complete_history", ["conditions", "labs"]),
        field="complete_history",
    ),
    case("labs as a mapping", "codes", "error", ("set", "labs", {"hemoglobin": 98}), field="labs"),
    case("lab record as a string", "codes", "error", ("add", "labs", "hemoglobin 98 g/L"), field="labs"),
    case("patient id missing", "codes", "error", ("del", "id"), field="id"),
    case("patient id a list", "codes", "error", ("set", "id", ["a", "b"]), field="id"),
]

# --------------------------------------------------------------------------------------------------- FHIR

FHIR_PATIENT = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1992-04-17"}


def _fhir_obs(rid: str, loinc: str, value: float, unit: str, date: str = "2026-11-19", **more: Any) -> dict:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "category": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}
        ],
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": date,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    } | more


def _alt_range(high: float, unit: str) -> dict:
    q = {"value": high, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}
    return {"referenceRange": [{"high": q}]}


FHIR_BASE: dict = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {"fullUrl": "urn:uuid:p1", "resource": FHIR_PATIENT},
        {"resource": _fhir_obs("hb", "718-7", 9.8, "g/dL")},
        {"resource": _fhir_obs("plt", "777-3", 64, "10*3/uL")},
        {"resource": _fhir_obs("alt", "1742-6", 45, "U/L", **_alt_range(41, "U/L"))},
        {"resource": _fhir_obs("ast", "1920-8", 31, "U/L", **_alt_range(40, "U/L"))},
    ],
}


def _foreign(rid: str, loinc: str, value: float, unit: str, subject: Any) -> dict:
    res = _fhir_obs(rid, loinc, value, unit)
    if subject is None:
        del res["subject"]
    else:
        res["subject"] = subject
    return {"resource": res}


def _fhir_cases() -> list[Case]:
    f = {"base": "fhir", "suffix": ".json"}
    subjects = {
        "another patient": {"reference": "Patient/p2"},
        "another patient by urn": {"reference": "urn:uuid:p2"},
        "a Group": {"reference": "Group/g1"},
        "no subject": None,
        "a display only": {"display": "Jane Doe"},
        "an absolute URL to another patient": {"reference": "https://ehr.example.org/fhir/Patient/p2"},
        "a contained reference": {"reference": "#p2"},
    }
    out = [
        case(
            f"FHIR hemoglobin 5.0 about {what}",
            "fhir",
            "same",
            ("add", "entry", _foreign("hb2", "718-7", 5.0, "g/dL", subj)),
            **f,
        )
        for what, subj in subjects.items()
    ]
    out += [
        case(
            f"FHIR hemoglobin 98 g/dL about {what}",
            "fhir",
            "same",
            ("add", "entry", _foreign("hb3", "718-7", 98, "g/dL", subj)),
            **f,
        )
        for what, subj in list(subjects.items())[:4]
    ]
    out += [
        case(
            "FHIR foreign Patient entry also present",
            "fhir",
            "error",
            ("add", "entry", {"resource": FHIR_PATIENT | {"id": "p2"}}),
            field="entry",
            **f,
        ),
        case("FHIR no Patient", "fhir", "error", ("del", "entry/0"), field="entry", **f),
        case(
            "FHIR gender F",
            "fhir",
            "reject",
            ("set", "entry/0/resource/gender", "F"),
            touches=("entry/0/resource/gender",),
            **f,
        ),
        case("FHIR gender unknown", "fhir", "survive", ("set", "entry/0/resource/gender", "unknown"), **f),
        case("FHIR observation status bogus", "fhir", "reject", ("set", "entry/1/resource/status", "bogus"), **f),
        case(
            "FHIR observation status entered-in-error",
            "fhir",
            "reject",
            ("set", "entry/1/resource/status", "entered-in-error"),
            **f,
        ),
        case("FHIR observation status missing", "fhir", "reject", ("del", "entry/1/resource/status"), **f),
        case(
            "FHIR reference range in kg",
            "fhir",
            "reject",
            ("set", "entry/3/resource/referenceRange/0/high/code", "kg"),
            ("set", "entry/3/resource/referenceRange/0/high/unit", "kg"),
            **f,
        ),
        case(
            "FHIR reference range 41,000 U/L",
            "fhir",
            "review",
            ("set", "entry/3/resource/referenceRange/0/high/value", 41000),
            reason="ambiguous",
            **f,
        ),
        case(
            "FHIR hemoglobin 980 g/dL",
            "fhir",
            "review",
            ("set", "entry/1/resource/valueQuantity/value", 980),
            reason="ambiguous",
            **f,
        ),
        case(
            "FHIR platelets 64,000 10*3/uL",
            "fhir",
            "review",
            ("set", "entry/2/resource/valueQuantity/value", 64000),
            reason="ambiguous",
            **f,
        ),
        case(
            "FHIR hemoglobin without a unit",
            "fhir",
            "reject",
            ("del", "entry/1/resource/valueQuantity/unit"),
            ("del", "entry/1/resource/valueQuantity/code"),
            **f,
        ),
        case(
            "FHIR hemoglobin in g (no volume)",
            "fhir",
            "reject",
            ("set", "entry/1/resource/valueQuantity/code", "g"),
            ("set", "entry/1/resource/valueQuantity/unit", "g"),
            **f,
        ),
        case(
            "FHIR platelets in G/L",
            "fhir",
            "same",
            ("set", "entry/2/resource/valueQuantity/code", "G/L"),
            ("set", "entry/2/resource/valueQuantity/unit", "G/L"),
            **f,
        ),
        case(
            "FHIR ALT in IU/L",
            "fhir",
            "same",
            ("set", "entry/3/resource/valueQuantity/code", "[IU]/L"),
            ("set", "entry/3/resource/valueQuantity/unit", "IU/L"),
            **f,
        ),
        case(
            "FHIR effective date 2026-02-30",
            "fhir",
            "reject",
            ("set", "entry/1/resource/effectiveDateTime", "2026-02-30"),
            **f,
        ),
        case(
            "FHIR effective date year 9999",
            "fhir",
            "reject",
            ("set", "entry/1/resource/effectiveDateTime", "9999-12-31"),
            **f,
        ),
        case(
            "FHIR hemoglobin 5.0 the same day",
            "fhir",
            "review",
            ("add", "entry", {"resource": _fhir_obs("hb4", "718-7", 5.0, "g/dL")}),
            reason="ambiguous",
            **f,
        ),
        case("FHIR not a Bundle", "fhir", "error", ("set", "resourceType", "Patient"), field=None, **f),
        case(
            "FHIR entry not a list", "fhir", "error", ("set", "entry", {"resource": FHIR_PATIENT}), field="entry", **f
        ),
        case("FHIR Bundle type unknown", "fhir", "error", ("set", "type", "bogus"), field="type", **f),
    ]
    return out


# --------------------------------------------------------------------------------------------------- rulesets

RULESET = {"base": "ruleset"}


def _many_facts(n: int) -> Callable[[str], bytes]:
    def build(_text: str) -> bytes:
        lines = ["trial: NCT07245251", 'title: "many facts"', 'source: "test"', 'version: "1"', "criteria:"]
        for k in range(1, n + 1):
            lines += [
                f"  - id: INC-{k:03d}",
                "    kind: inclusion",
                f"    text: Hemoglobin within {k} days.",
                f"    require: hemoglobin >= 60 g/L within {k} days before screening",
            ]
        return ("\n".join(lines) + "\n").encode()

    return build


def _ruleset_cases() -> list[Case]:
    hb, plt = "require: hemoglobin >= 60 g/L", "require: platelets >= 30 ×10^9/L"
    bad_ops = ["=>", "=<", ">==", "!<", "!>", "≥=", "=", "==>", "> =", "gte"]
    out = [
        case(
            f"operator {op!r}",
            "rulesets",
            "error",
            ("text", hb, f"require: hemoglobin {op} 60 g/L"),
            contains=("INC-07a",),
            **RULESET,
        )
        for op in bad_ops
    ]
    bad_units = ["109/L", "2 ×10^9/L", "×10^9/L*2", "G", "furlongs", "×10^9/L/2"]
    out += [
        case(
            f"platelet threshold unit {u!r}",
            "rulesets",
            "error",
            ("text", plt, f"require: platelets >= 30 {u}"),
            contains=("INC-07b",),
            **RULESET,
        )
        for u in bad_units
    ]
    out += [
        case(
            "platelets >= 100 109/L",
            "rulesets",
            "error",
            ("text", plt, "require: platelets >= 100 109/L"),
            contains=("INC-07b",),
            **RULESET,
        ),
        # 10E9/L is a lab spelling of 10^9/L: 6.5 10E9/L must not be read as 65 × 10^9/L (platelets are 64).
        case(
            "platelets >= 6.5 10E9/L", "rulesets", "same", ("text", plt, "require: platelets >= 6.5 10E9/L"), **RULESET
        ),
        case("platelets >= 30 10E9/L", "rulesets", "same", ("text", plt, "require: platelets >= 30 10E9/L"), **RULESET),
        case(
            "hemoglobin >= 0.0000000001 g/dL",
            "rulesets",
            "error",
            ("text", hb, "require: hemoglobin >= 0.0000000001 g/dL"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "hemoglobin >= 1e30 g/L",
            "rulesets",
            "error",
            ("text", hb, "require: hemoglobin >= 1e30 g/L"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "hemoglobin threshold g/L*2",
            "rulesets",
            "error",
            ("text", hb, "require: hemoglobin >= 60 g/L*2"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "hemoglobin threshold 2 g/L",
            "rulesets",
            "error",
            ("text", hb, "require: hemoglobin >= 60 2 g/L"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "hemoglobin in mmol/mol",
            "rulesets",
            "error",
            ("text", hb, "require: hemoglobin >= 60 mmol/mol"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case("platelets in G/L", "rulesets", "same", ("text", plt, "require: platelets >= 30 G/L"), **RULESET),
        case("platelets in 10*9/L", "rulesets", "same", ("text", plt, "require: platelets >= 30 10*9/L"), **RULESET),
        case("platelets in K/µL", "rulesets", "same", ("text", plt, "require: platelets >= 30 K/µL"), **RULESET),
        case(
            "window on age",
            "rulesets",
            "error",
            (
                "text",
                "require: age between 18 and 65 years",
                "require: age between 18 and 65 years within 3 days before screening",
            ),
            contains=("INC-02",),
            **RULESET,
        ),
        case(
            "window on sex",
            "rulesets",
            "error",
            ("text", hb, "require: sex is female within 3 days before screening"),
            contains=("INC-07a",),
            **RULESET,
        ),
        # `applies if` with a judgement body is kept: it applies (a question to answer) only when its condition holds.
        case(
            "applies if (absent condition) with a judgement body",
            "rulesets",
            "same",
            ("text", hb, 'applies if: has Gilbert\'s syndrome\n    judgement: "Is the hemoglobin fine?"'),
            **RULESET,
        ),
        case(
            "applies if (present condition) with a judgement body",
            "rulesets",
            "review",
            ("text", hb, 'applies if: has childbearing potential\n    judgement: "Is the hemoglobin fine?"'),
            reason="judgement",
            touches=("criterion:INC-07a",),
            **RULESET,
        ),
        case(
            "unknown fact",
            "rulesets",
            "error",
            ("text", hb, "require: haemoglobinx >= 60 g/L"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "unknown condition in a ruleset",
            "rulesets",
            "error",
            ("text", "exclude if: has unstable angina", "exclude if: has unstable anginaa"),
            **RULESET,
        ),
        case(
            "unknown key",
            "rulesets",
            "error",
            ("text", hb, "requires: hemoglobin >= 60 g/L"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "duplicate key in a criterion",
            "rulesets",
            "error",
            ("text", hb, hb + "\n    " + hb.replace("60", "6")),
            contains=("require",),
            **RULESET,
        ),
        case(
            "duplicate top-level key",
            "rulesets",
            "error",
            ("text", 'version: "1"', 'version: "1"\nversion: "2"'),
            contains=("version",),
            **RULESET,
        ),
        case(
            "key differing only in case",
            "rulesets",
            "error",
            ("text", hb, hb + "\n    Require: hemoglobin >= 6 g/L"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "duplicate criterion id",
            "rulesets",
            "error",
            ("text", "- id: INC-07b", "- id: INC-07a"),
            contains=("INC-07a",),
            **RULESET,
        ),
        case(
            "criterion id in another case",
            "rulesets",
            "error",
            ("text", "- id: INC-07b", "- id: inc-07a"),
            contains=("07a",),
            **RULESET,
        ),
        case("300 facts in one ruleset", "rulesets", "same_or_error", raw=_many_facts(300), **RULESET),
        case("ruleset in latin-1", "rulesets", "error", raw=lambda t: t.encode("latin-1", "replace"), **RULESET),
        case(
            "ruleset truncated",
            "rulesets",
            "error",
            raw=lambda t: t[: len(t) // 3].encode() + b'\n  - id: "x',
            **RULESET,
        ),
        case("ruleset empty", "rulesets", "error", raw=lambda _t: b"", **RULESET),
        case("ruleset top-level list", "rulesets", "error", raw=lambda _t: b"- trial: NCT07245251\n", **RULESET),
    ]
    return out


# --------------------------------------------------------------------------------------------------- sizes


def _big_labs(n: int) -> Callable[[str], bytes]:
    def build(text: str) -> bytes:
        line = "  - {code: hemoglobin, value: 98, unit: g/L, date: 2026-11-19}\n"
        return (text.replace("\nlabs:\n", "\nlabs:\n" + line * n, 1)).encode()

    return build


ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]" for i in range(9)]
    + ["id: bomb", "labs: *j"]
)

SIZES: list[Case] = [
    case(
        "60 MB of comments",
        "sizes",
        "error",
        raw=lambda t: t.encode() + (b"#" + b"x" * 1023 + b"\n") * 60_000,
        slow=True,
    ),
    case("1,000,000 hemoglobin results", "sizes", "error", raw=_big_labs(1_000_000), slow=True),
    case("YAML alias bomb", "sizes", "error", raw=lambda _t: ALIAS_BOMB.encode(), slow=True),
    case(
        "10 MB unit string",
        "sizes",
        "reject",
        raw=lambda t: t.replace("unit: g/L", "unit: g/L" + "a" * 10_000_000, 1).encode(),
        slow=True,
        touches=("labs/lab-hb",),
    ),
    case(
        "100,000-character unit",
        "sizes",
        "reject",
        raw=lambda t: t.replace("unit: g/L", "unit: g" + "/L" * 50_000, 1).encode(),
        slow=True,
        touches=("labs/lab-hb",),
    ),
    case("/dev/zero as the patient", "sizes", "error", path="/dev/zero", slow=True),
    case("a directory as the patient", "files", "error", path="<dir>"),
    case("a missing patient file", "files", "error", path="<missing>"),
    case(
        "10 MB patient id",
        "sizes",
        "survive",
        raw=lambda t: t.replace("id: example-001", "id: " + "x" * 10_000_000, 1).encode(),
        slow=True,
    ),
    case("2,000 hemoglobin results", "sizes", "survive", raw=_big_labs(2_000)),
    case("YAML anchor without alias", "sizes", "same_or_error", ("text", "\nsex: female", "\nsex: &s female")),
    case("YAML alias", "sizes", "same_or_error", ("text", "\nsex: female", "\nsex: &s female\nrace: *s")),
]


CASES: list[Case] = [
    *FILES,
    *DUPLICATES,
    *_unit_cases(),
    *_number_cases(),
    *_date_cases(),
    *CONFLICTS,
    *CODES,
    *_fhir_cases(),
    *_ruleset_cases(),
    *SIZES,
]
