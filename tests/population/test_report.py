"""``prescreen report`` against counts taken directly from the per-patient results of the real Screener.

The population: every shipped patient (examples/patient.yaml, features/patients/*.yaml), dates moved to one
as-of date, each also perturbed (labs dropped or stale or far off, history no longer complete, another age or
sex, no answers), plus records that cannot be screened. Each expected number below is counted from the
TrialResult objects themselves, never from the report's own code.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import InputError, Screener
from engine.cli import main
from engine.results import TrialResult, to_jsonable

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
BASES = [ROOT / "examples" / "patient.yaml", *sorted((ROOT / "features" / "patients").glob("*.yaml"))]
MARKUP_ID = "example-001 <b>&amp;</b>"  # a patient id that must come out as text, never as markup


def _shift(value: Any, days: timedelta) -> Any:
    if isinstance(value, date):
        return value + days
    if isinstance(value, dict):
        return {k: _shift(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, days) for v in value]
    return value


def _base(path: Path) -> dict[str, Any]:
    """The patient with every exact date moved so that its own as-of date becomes :data:`AS_OF`."""
    text = path.read_text(encoding="utf-8")
    own = date.fromisoformat(re.search(r"as.of (\d{4}-\d{2}-\d{2})", text).group(1))  # from its header
    return _shift(yaml.safe_load(text), AS_OF - own)


def _fewer_labs(p):
    p["labs"] = p.get("labs", [])[::2]


def _stale_labs(p):
    p["labs"] = [dict(lab, date=lab["date"] - timedelta(days=75)) for lab in p.get("labs", []) if "date" in lab]


def _far_off(p):
    for lab in p.get("labs", []):
        if isinstance(lab.get("value"), int | float):
            lab["value"] = lab["value"] * 4


def _open_history(p):
    p.pop("complete_history", None)


def _older(p):
    p["birth_date"] = p["birth_date"] - timedelta(days=365 * 45)


def _other_sex(p):
    p["sex"] = "male" if p["sex"] == "female" else "female"


def _no_answers(p):
    p.pop("attestations", None)


PERTURBATIONS: dict[str, Callable[[dict], None]] = {
    "as-is": lambda p: None,
    "fewer-labs": _fewer_labs,
    "stale-labs": _stale_labs,
    "far-off": _far_off,
    "open-history": _open_history,
    "older": _older,
    "other-sex": _other_sex,
    "no-answers": _no_answers,
}


@dataclass
class Population:
    screened: dict[str, list[TrialResult]]  # patient id -> its results, in input order
    lines: list[dict[str, Any]]  # the batch lines: results or errors, in input order


@pytest.fixture(scope="module")
def population() -> Population:
    screener = Screener.from_directory()
    screened: dict[str, list[TrialResult]] = {}
    lines: list[dict[str, Any]] = []
    records = [(f"{path.stem}~{name}", path, change) for path in BASES for name, change in PERTURBATIONS.items()]
    for n, (pid, path, change) in enumerate(records):
        data = _base(path)  # a fresh copy each time
        change(data)
        data["id"] = MARKUP_ID if pid == "patient~as-is" else pid
        source = f"{path.name}:{n}"
        results = screener.screen(data, as_of=AS_OF)
        screened[data["id"]] = results
        lines.append({"patient": data["id"], "source": source, "results": to_jsonable(results)})
        if n % 9 == 4:  # records that cannot be screened, between the others
            lines.append(_error_line(screener, data, n))
    lines.append({"source": "bulk/Patient.ndjson:7", "patient": None, "error": "bulk/Patient.ndjson:7: not valid JSON"})
    lines.append(
        {"source": "x:1", "patient": "x", "error": "x:1: internal error (RuntimeError: boom)", "internal": True}
    )
    return Population(screened, lines)


def _error_line(screener: Screener, good: dict, n: int) -> dict[str, Any]:
    """What a batch writes for a record the engine refuses (the refusal is the engine's own)."""
    bad = copy.deepcopy(good)
    bad["id"] = f"{good['id']}~bad"
    if n % 2:
        bad["birth_date"] = "1960-02-30"
    else:
        bad["attestations"] = [
            {"trial": "NCT07245251", "criterion": "INC-01", "answer": "yes", "by": "Dr. B", "date": "2027-01-01"}
        ]
    with pytest.raises(InputError) as refused:
        screener.screen(bad, as_of=AS_OF)
    return {"source": f"bad:{n}", "patient": bad["id"], "error": f"bad:{n}: {refused.value}"}


def _write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def _compact(line: dict[str, Any]) -> dict[str, Any]:
    """The line without explanation and evidence of eligible criteria, as ``--compact`` says (the batch's own
    ``--compact`` output is read in test_report_batch.py)."""
    if "results" not in line:
        return line
    drop = ("explanation", "evidence")
    return dict(
        line,
        results=[
            dict(
                r,
                criteria=[
                    {k: v for k, v in c.items() if k not in drop or c["verdict"] != "eligible"} for c in r["criteria"]
                ],
            )
            for r in line["results"]
        ],
    )


def _as_before(line: dict[str, Any]) -> dict[str, Any]:
    """The line as batches wrote it before ``source``: ``file``, and no patient beside the results."""
    rest = {k: v for k, v in line.items() if k not in ("source", "patient")}
    return {"file": line["source"], **rest}


def _report(tmp_path: Path, results: Path, *options: str) -> dict[str, Any]:
    out = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.json"
    assert main(["report", str(results), "--out", str(out), *options]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results_file(population, tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("results") / "results.jsonl", population.lines)


@pytest.fixture(scope="module")
def report(results_file, tmp_path_factory) -> dict[str, Any]:
    return _report(tmp_path_factory.mktemp("report"), results_file)


def _by_trial(population: Population) -> dict[str, list[TrialResult]]:
    trials: dict[str, list[TrialResult]] = defaultdict(list)
    for results in population.screened.values():
        for r in results:
            trials[r.trial].append(r)
    return trials


def test_the_population_is_varied_enough_for_the_counts_to_mean_something(population, report):
    trials = _by_trial(population)
    verdicts = Counter(r.overall for rs in trials.values() for r in rs)
    assert min(verdicts.values()) >= 5 and len(verdicts) == 3
    assert sum(r.overall == "needs-review" and r.gates == "met" for rs in trials.values() for r in rs) >= 5
    # patients leave at several criteria of one trial, and somewhere a later criterion rules out patients
    # that an earlier one already removed (the cascade and the independent counts differ)
    firsts = {
        next(c.id for c in r.criteria if c.verdict == "ineligible")
        for r in trials["NCT07245251"]
        if r.overall == "ineligible"
    }
    assert len(firsts) >= 3
    assert any(s["removed"] < s["ineligible_alone"] for t in report["trials"] for s in t["attrition"])


def test_attrition_equals_counts_from_the_results(population, report):
    for t in report["trials"]:
        results = _by_trial(population)[t["trial"]]
        ids = [c.id for c in results[0].criteria]
        expected = []
        for i, cid in enumerate(ids):
            # reach criterion i: no criterion before it rules them out
            reaching = [r for r in results if not any(c.verdict == "ineligible" for c in r.criteria[:i])]
            here = [r.criteria[i].verdict for r in reaching]
            everyone = [r.criteria[i].verdict for r in results]
            expected.append(
                {
                    "criterion": cid,
                    "kind": results[0].criteria[i].kind,
                    "before": len(reaching),
                    "removed": here.count("ineligible"),
                    "after": len(reaching) - here.count("ineligible"),
                    "review": here.count("needs-review"),
                    "ineligible_alone": everyone.count("ineligible"),
                    "review_alone": everyone.count("needs-review"),
                }
            )
        got = [{k: s[k] for k in expected[0]} for s in t["attrition"]]
        assert got == expected, t["trial"]
        assert t["screened"] == len(results) == len(population.screened)
        assert t["remaining"] == sum(r.overall != "ineligible" for r in results)
        assert t["overall"] == {
            v: sum(r.overall == v for r in results) for v in ("eligible", "needs-review", "ineligible")
        }


def test_candidates_are_the_eligible_and_the_needs_review_with_gates_met(population, report):
    for t in report["trials"]:
        results = _by_trial(population)[t["trial"]]
        eligible = [r.patient for r in results if r.overall == "eligible"]
        review = [r.patient for r in results if r.overall == "needs-review" and r.gates == "met"]
        assert t["candidates"] == {"count": len(eligible) + len(review), "eligible": eligible, "needs_review": review}
        assert t["gates"] == dict(Counter(r.gates for r in results)) | {
            g: 0 for g in ("met", "open", "unrecorded", "not met") if g not in {r.gates for r in results}
        }


def test_the_worklist_counts_each_patient_once_per_item_over_the_trials_still_open(population, report):
    # open: needs-review with gates met or open (a record that never mentions the disease is nobody's task)
    patients: dict[str, set[str]] = defaultdict(set)
    per_trial: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    candidates: dict[str, set[str]] = defaultdict(set)
    for pid, results in population.screened.items():
        for r in results:
            if r.overall != "needs-review" or r.gates in ("unrecorded", "not met"):
                continue
            for c in r.criteria:
                for reason in c.reasons if c.verdict == "needs-review" else ():
                    patients[reason.settle].add(pid)
                    per_trial[reason.settle][r.trial].add(pid)
                    if r.gates == "met":
                        candidates[reason.settle].add(pid)
    worklist = report["worklist"]
    assert {w["settle"]: w["patients"] for w in worklist} == {item: len(ps) for item, ps in patients.items()}
    assert {w["settle"]: w["candidates"] for w in worklist} == {item: len(candidates[item]) for item in patients}
    for w in worklist:
        assert {t["trial"]: t["patients"] for t in w["trials"]} == {
            t: len(ps) for t, ps in per_trial[w["settle"]].items()
        }
    counts = [w["patients"] for w in worklist]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    # an item several trials need counts its patients once, not once per trial (the sets above already say so)
    assert all(w["patients"] <= sum(t["patients"] for t in w["trials"]) for w in worklist)


def test_records_that_could_not_be_screened_are_counted_by_kind(population, report):
    errors = [line for line in population.lines if "error" in line]
    assert report["records"] == len(population.lines)
    assert report["screened"] == len(population.screened)
    assert report["errors"] == len(errors) == sum(k["count"] for k in report["error_kinds"])
    kinds = {(k["kind"], k["internal"]): k["count"] for k in report["error_kinds"]}
    assert kinds == {
        ("field birth_date", False): sum("'birth_date'" in e["error"] for e in errors),
        ("field attestations[].date", False): sum("'attestations[0].date'" in e["error"] for e in errors),
        ("not valid JSON", False): 1,
        ("internal error", True): 1,
    }


@pytest.mark.parametrize("rewrite", [_compact, _as_before, lambda line: _as_before(_compact(line))])
def test_compact_lines_and_lines_from_earlier_batches_give_the_same_report(population, report, rewrite, tmp_path):
    other = _report(tmp_path, _write(tmp_path / "other.jsonl", [rewrite(line) for line in population.lines]))
    assert {**other, "source": None} == {**report, "source": None}


def test_a_batch_output_directory_gives_the_same_report_as_one_file(population, report, tmp_path):
    half = len(population.lines) // 2
    _write(tmp_path / "out" / "results" / "part-00001.jsonl", population.lines[half:])
    _write(tmp_path / "out" / "results" / "part-00000.jsonl", population.lines[:half])
    manifest = {"as_of": AS_OF.isoformat(), "trials": sorted(_by_trial(population)), "rulesets": {}, "inputs": []}
    (tmp_path / "out" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert {**_report(tmp_path, tmp_path / "out"), "source": None} == {**report, "source": None}


def test_trials_asked_for_are_reported_in_that_order_as_in_the_full_report(results_file, report, tmp_path):
    chosen = _report(tmp_path, results_file, "--trial", "nct07310355", "--trial", "NCT06849401")
    full = {t["trial"]: t for t in report["trials"]}
    assert [t["trial"] for t in chosen["trials"]] == ["NCT07310355", "NCT06849401"]
    assert chosen["trials"] == [full["NCT07310355"], full["NCT06849401"]]
    assert {w["settle"] for w in chosen["worklist"]} < {w["settle"] for w in report["worklist"]}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.sections: list[str] = []
        self.heads: list[str] = []
        self.rows: Counter[str] = Counter()
        self.text: list[str] = []
        self._table: list[str] = []
        self._in_head = False
        self.listed: Counter[str] = Counter()  # candidate ids listed per section
        self.open: list[str] = []  # elements not closed yet: the page must be well nested
        self.misnested: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        if tag not in ("meta", "br"):
            self.open.append(tag)
        attributes = dict(attrs)
        if tag == "section":
            self.sections.append(attributes.get("id", ""))
        if tag == "table":
            self._table.append(attributes.get("class", ""))
        if tag == "tr" and self._table:
            self.rows[self._table[-1]] += 1
        if tag == "li" and self.sections:
            self.listed[self.sections[-1]] += 1
        self._in_head = tag == "h2"

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.misnested.append(tag)
        if tag == "table":
            self._table.pop()
        if tag == "h2":
            self._in_head = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_head:
            self.heads.append(data.strip())


def test_the_html_page_holds_every_trial_section_and_the_worklist_as_text(report, results_file, tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", str(results_file), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    page.close()
    assert page.open == [] and page.misnested == []
    trials = [t["trial"] for t in report["trials"]]
    assert page.sections == [*trials, "worklist", "errors"]
    assert all(any(h.startswith(t) for h in page.heads) for t in trials)
    assert page.rows["attrition"] == sum(len(t["attrition"]) + 2 for t in report["trials"])  # + head, total
    assert page.rows["worklist"] == 1 + min(len(report["worklist"]), 100)
    assert page.rows["summary"] == 1 + len(trials)
    text = "".join(page.text)
    assert report["worklist"][0]["settle"] in text
    # self-contained, and patient text is text: no scripts, links, images or markup from the results
    assert not {"script", "link", "img", "iframe", "b"} & set(page.tags)
    assert "http" not in html and MARKUP_ID in text
    assert page.listed == {t["trial"]: t["candidates"]["count"] for t in report["trials"] if t["candidates"]["count"]}


def test_the_html_page_lists_the_first_candidates_and_counts_the_others(population, tmp_path):
    many = _write(tmp_path / "many.jsonl", population.lines * 8)  # the same patients again: more candidates
    report = _report(tmp_path, many)
    assert main(["report", str(many), "--out", str(tmp_path / "many.html")]) == 0
    page = _Page()
    page.feed((tmp_path / "many.html").read_text(encoding="utf-8"))
    text = " ".join("".join(page.text).split())
    for t in report["trials"]:
        count = t["candidates"]["count"]
        assert page.listed[t["trial"]] == min(count, 50)
        assert (f"… and {count - 50} more (all are listed in the JSON report)" in text) == (count > 50)
    assert any(t["candidates"]["count"] > 50 for t in report["trials"])


def _bad_verdict(line: dict[str, Any]) -> dict[str, Any]:
    line["results"][0]["criteria"][0]["verdict"] = "maybe"
    return line


def _no_criteria(line: dict[str, Any]) -> dict[str, Any]:
    del line["results"][0]["criteria"]
    return line


BAD: dict[str, tuple[Callable[[dict], bytes], str]] = {
    "not JSON": (lambda line: b'{"patient": "a", "results": [\n', "x.jsonl:2: not valid JSON"),
    "not a result": (lambda line: b'{"patient": "a"}\n', "x.jsonl:2: not a batch result"),
    "an array": (lambda line: b"[1, 2]\n", "x.jsonl:2: not a batch result"),
    "not UTF-8": (lambda line: b'{"error": "\xff"}\n', "x.jsonl:2: not UTF-8"),
    "a bad verdict": (
        lambda line: json.dumps(_bad_verdict(line)).encode(),
        "x.jsonl:2 field 'results.0.criteria.0.verdict': Input should be",
    ),
    "no criteria": (
        lambda line: json.dumps(_no_criteria(line)).encode(),
        "x.jsonl:2 field 'results.0.criteria': Field required",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_results_that_cannot_be_read_are_bad_input_naming_file_line_and_field(case, population, tmp_path, capsys):
    """The line after a good one is bad: the report stops there, naming it (a partial count would mislead)."""
    make, message = BAD[case]
    good = population.lines[0]
    path = tmp_path / "x.jsonl"
    path.write_bytes((json.dumps(good) + "\n").encode() + make(copy.deepcopy(good)))
    assert main(["report", str(path), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert f"error: {tmp_path / message}" in err and "Traceback" not in err and out == ""


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.jsonl", "missing.jsonl: no such file or directory"),
        (lambda p: p, "not a batch output directory (it has no results/ directory)"),
        (lambda p: (p / "results").mkdir() or p, "no finished results (results/part-*.jsonl)"),
    ],
)
def test_a_missing_file_or_a_directory_without_results_is_bad_input(make, message, tmp_path, capsys):
    assert main(["report", str(make(tmp_path)), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_two_versions_of_one_ruleset_are_not_counted_together(population, tmp_path, capsys):
    first = population.lines[0]
    other = {**first, "results": [{**r, "ruleset": {**r["ruleset"], "hash": "000000000000"}} for r in first["results"]]}
    path = _write(tmp_path / "x.jsonl", [first, other])
    assert main(["report", str(path)]) == 2
    assert f"{path}:2: NCT06849401 was screened with ruleset 000000000000 here" in capsys.readouterr().err


def test_a_trial_not_in_the_results_is_bad_input(results_file, tmp_path, capsys):
    assert main(["report", str(results_file), "--trial", "NCT00000000"]) == 2
    assert "no results for NCT00000000 (trials in the results: NCT06849401, " in capsys.readouterr().err


def test_an_output_that_cannot_be_written_fails_before_reading_and_leaves_nothing(results_file, tmp_path, capsys):
    assert main(["report", str(results_file), "--out", str(tmp_path / "no" / "r.html")]) == 2
    assert "field '--out': cannot write here" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "r.html")]) == 2
    assert list(tmp_path.iterdir()) == []  # no report, no temporary file
