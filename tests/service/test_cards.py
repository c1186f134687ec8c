"""CDS Hooks cards from real screenings: only candidate trials, what the clinician must do, the data that would
settle what is open, and lab orders; every card valid against the CDS Hooks 2.0 response schema."""

from __future__ import annotations

import copy
import json
import re
import shutil
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from engine.cli import main
from engine.render.cds_hooks import render_cards
from engine.screening import DEFAULT_RULESETS, Screener

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "patient.yaml"
FEATURE_PATIENTS = sorted((ROOT / "features" / "patients").glob("*.yaml"))
BUNDLES = sorted((ROOT.parent / "shared" / "data" / "fhir").glob("*.json"))
AS_OF = date(2026, 12, 1)  # after every fixture's last record and answer
EXAMPLE_AS_OF = date(2026, 11, 23)
REPORT = "https://prescreen.example.org/reports/3q2-Xb_9"
# LOINC codes a lab order must carry (loinc.org): the order must be for the lab that settles the criterion.
LOINC = {"platelets": "777-3", "total bilirubin": "1975-2", "serum creatinine": "2160-0", "HBsAg": "5196-1"}


def schema(name: str) -> Draft202012Validator:
    text = (Path(__file__).parent / "schemas" / name).read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text), format_checker=Draft202012Validator.FORMAT_CHECKER)


VALIDATOR = schema("cards.schema.json")


def valid(response: dict) -> dict:
    errors = sorted(VALIDATOR.iter_errors(response), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return response


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory()


def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def needs_labs(patient: dict) -> dict:
    """The example patient with three labs not done, creatinine out of date and two questions unanswered:
    still a candidate for STR-P004 (nothing rules her out), with six things to check."""
    p = copy.deepcopy(patient)
    p["labs"] = [lab for lab in p["labs"] if lab["id"] not in ("lab-tbil", "lab-hbsag", "lab-plt")]
    for lab in p["labs"]:
        if lab["id"] == "lab-crea":
            lab["date"] = "2026-06-01"
    p["attestations"] = [a for a in p["attestations"] if a["criterion"] not in ("EXC-18", "EXC-19")]
    return p


def fixture_screenings(screener: Screener):
    yield "examples/patient.yaml", screener.screen(EXAMPLE, as_of=EXAMPLE_AS_OF)
    yield "needs labs", screener.screen(needs_labs(example()), as_of=EXAMPLE_AS_OF)
    for path in FEATURE_PATIENTS:
        yield path.name, screener.screen(path, as_of=AS_OF)
    for path in BUNDLES:
        yield path.name, screener.screen(json.loads(path.read_text(encoding="utf-8")), as_of=AS_OF)


def test_every_fixture_patient_gets_valid_cards_for_its_candidate_trials_only(screener):
    assert len(BUNDLES) == 5 and FEATURE_PATIENTS
    seen = {"info": 0, "warning": 0, "none": 0, "not candidate": 0}
    for name, results in fixture_screenings(screener):
        cards = valid(render_cards(results, report_url=REPORT, fhir_patient_id="pat-1"))["cards"]
        candidates = [r for r in results if r.candidate]
        assert [c["source"]["url"].rsplit("/", 1)[1] for c in cards] == [
            r.trial for r in sorted(candidates, key=lambda r: r.overall != "eligible")
        ], name
        for card, r in zip(cards, sorted(candidates, key=lambda r: r.overall != "eligible"), strict=True):
            assert card["indicator"] == {"eligible": "info", "needs-review": "warning"}[r.overall], name
            assert len(card["detail"]) < 1500, (name, len(card["detail"]))
            seen[card["indicator"]] += 1
        seen["none"] += not cards
        seen["not candidate"] += len(results) - len(candidates)
    # the fixtures cover both kinds of card, patients with none, and trials left out
    assert all(seen.values()), seen


def test_patients_who_are_no_candidate_get_no_card_not_a_nothing_found_card(screener):
    # Synthea and mCODE patients: needs-review for several trials, but nothing on record of the diseases they are
    # for (gates unrecorded) or ruled out: no card at all.
    for path in BUNDLES:
        results = screener.screen(json.loads(path.read_text(encoding="utf-8")), as_of=AS_OF)
        assert any(r.overall == "needs-review" for r in results), path.name
        assert not any(r.candidate for r in results), path.name
        assert render_cards(results) == {"cards": []}, path.name


def test_an_eligible_trial_is_an_info_card_with_the_facts_it_rests_on(screener):
    results = screener.screen(EXAMPLE, as_of=EXAMPLE_AS_OF)
    (card,) = valid(render_cards(results, report_url=REPORT))["cards"]
    assert (card["indicator"], card["summary"]) == ("info", "Eligible on prescreen: STR-P004 (B-ALL)")
    assert "suggestions" not in card and "selectionBehavior" not in card
    result = next(r for r in results if r.trial == "NCT07245251")
    assert f"all {len(result.criteria)} criteria met" in card["detail"]
    # the disease criterion's records, with their dates
    assert (
        "dx-ball: Philadelphia chromosome-negative B-ALL: present \\(between 2024-03-01 and 2024-03-31\\)"
        in (card["detail"])
    )
    assert "dx-relapse: relapse within 12 months after first remission: present \\(2026-10-28\\)" in card["detail"]
    assert card["source"] == {
        "label": f"Trial prescreening — NCT07245251 ruleset v{result.ruleset.version} ({result.ruleset.hash})",
        "url": "https://clinicaltrials.gov/study/NCT07245251",
    }
    assert card["links"] == [
        {"label": "Full prescreening report", "url": REPORT, "type": "absolute"},
        {
            "label": "NCT07245251 on ClinicalTrials.gov",
            "url": "https://clinicaltrials.gov/study/NCT07245251",
            "type": "absolute",
        },
    ]
    assert uuid.UUID(card["uuid"]).version == 4


def test_a_trial_with_items_to_check_is_a_warning_card_saying_what_would_settle_them(screener):
    results = screener.screen(needs_labs(example()), as_of=EXAMPLE_AS_OF)
    (card,) = valid(render_cards(results, report_url=REPORT, fhir_patient_id="ehr-42"))["cards"]
    assert (card["indicator"], card["summary"]) == ("warning", "Possible trial: STR-P004 (B-ALL) — 6 items to check")
    detail = card["detail"]
    assert "6 of 55 criteria need a check" in detail
    for reason in ("no platelets result", "no total bilirubin result", "no HBsAg result"):
        assert detail.count(f"- {reason}\n") == 1  # each reason once
    assert detail.count("latest serum creatinine \\(68 µmol/L on 2026-06-01\\) is too old") == 1
    assert "creatinine clearance" not in detail  # its reason is the creatinine's, listed already
    assert "- Results within 28 days before screening: platelets, total bilirubin, serum creatinine, HBsAg\n" in detail
    assert "- The investigator's answer for EXC-18, EXC-19" in detail
    assert len(detail) < 1500


def test_a_trial_whose_disease_is_still_open_says_so(screener):
    patient = example()
    for c in patient["conditions"]:
        if c["id"] == "dx-ball":
            c["code"] = "acute lymphoblastic leukemia"  # which kind: B-cell? Philadelphia chromosome-positive?
    results = screener.screen(patient, as_of=EXAMPLE_AS_OF)
    trial = next(r for r in results if r.trial == "NCT07245251")
    assert (trial.overall, trial.gates) == ("needs-review", "open")
    (card,) = valid(render_cards(results))["cards"]
    assert card["indicator"] == "warning"
    assert "Whether the patient is in the population the trial is for is itself still open." in card["detail"]
    assert (
        "which B-cell acute lymphoblastic leukemia the record acute lymphoblastic leukemia \\(dx-ball\\) is"
        in (card["detail"])
    )


def test_a_missing_or_out_of_date_lab_becomes_a_one_click_draft_order(screener):
    results = screener.screen(needs_labs(example()), as_of=EXAMPLE_AS_OF)
    (card,) = render_cards(results, fhir_patient_id="ehr-42")["cards"]
    assert card["selectionBehavior"] == "any"
    orders = {s["label"]: s for s in card["suggestions"]}
    assert sorted(orders) == sorted(f"Order {lab}" for lab in LOINC)  # the stale creatinine too; no judgement
    for lab, code in LOINC.items():
        (action,) = orders[f"Order {lab}"]["actions"]
        assert action["type"] == "create" and lab in action["description"]
        assert action["resource"] == {
            "resourceType": "ServiceRequest",
            "status": "draft",
            "intent": "proposal",
            "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": lab}]},
            "subject": {"reference": "Patient/ehr-42"},
        }
    ids = [card["uuid"], *(s["uuid"] for s in card["suggestions"])]
    assert len(set(ids)) == len(ids)


def test_no_order_for_a_lab_without_a_loinc_code_or_a_review_a_result_would_not_settle(screener):
    patient = example()
    patient["labs"] = [lab for lab in patient["labs"] if lab["id"] not in ("lab-blasts",)]  # marrow blasts: no LOINC
    patient["attestations"] = [a for a in patient["attestations"] if a["criterion"] != "EXC-19"]
    results = screener.screen(patient, as_of=EXAMPLE_AS_OF)
    trial = next(r for r in results if r.trial == "NCT07245251")
    assert trial.candidate and trial.overall == "needs-review"
    (card,) = valid(render_cards(results))["cards"]
    assert "suggestions" not in card and "selectionBehavior" not in card
    assert "bone marrow blasts" in card["detail"]


def test_a_nearly_empty_record_still_gets_a_short_card(screener):
    patient = {**example(), "labs": [], "measurements": [], "attestations": []}  # diagnosis and age only
    results = screener.screen(patient, as_of=EXAMPLE_AS_OF)
    (card,) = valid(render_cards(results))["cards"]
    trial = next(r for r in results if r.trial == "NCT07245251")
    review = sum(c.verdict == "needs-review" for c in trial.criteria)
    assert card["indicator"] == "warning" and review > 20
    assert f"{review} of 55 criteria need a check" in card["detail"]
    assert len(card["detail"]) < 1500 and re.search(r"\n- and \d+ more in the full report\n", card["detail"])
    orders = {s["label"]: s["actions"][0]["resource"]["code"]["coding"][0]["code"] for s in card["suggestions"]}
    assert {label: orders[f"Order {label}"] for label in LOINC} == LOINC
    assert "Order bone marrow blasts" not in orders  # no LOINC code to order it by
    assert not {"Order body weight", "Order systolic blood pressure", "Order heart rate"} & set(orders)  # vital signs


def test_a_lab_two_candidate_trials_need_is_ordered_once(tmp_path):
    # the same protocol registered twice (a second site's copy): two candidate trials needing the same labs
    shutil.copytree(DEFAULT_RULESETS, tmp_path, dirs_exist_ok=True)
    text = (DEFAULT_RULESETS / "NCT07245251.yaml").read_text(encoding="utf-8")
    twin = text.replace("trial: NCT07245251", "trial: NCT07245252").replace('"STR-P004 (B-ALL)"', '"STR-P004 site 2"')
    (tmp_path / "NCT07245252.yaml").write_text(twin, encoding="utf-8")
    results = Screener.from_directory(tmp_path).screen(needs_labs(example()), as_of=EXAMPLE_AS_OF)
    cards = valid(render_cards(results))["cards"]
    assert [c["summary"].split(" — ")[0] for c in cards] == [
        "Possible trial: STR-P004 (B-ALL)",
        "Possible trial: STR-P004 site 2",
    ]
    assert sorted(s["label"] for s in cards[0]["suggestions"]) == sorted(f"Order {lab}" for lab in LOINC)
    assert "suggestions" not in cards[1]  # already one click away on the first card
    assert "Results within 28 days before screening: platelets" in cards[1]["detail"]  # still said


def test_record_text_cannot_inject_markdown_or_html(screener):
    patient = example()
    for c in patient["conditions"]:
        if c["id"] == "dx-ball":
            c["id"] = "dx-[click me](https://evil.example)<img src=x>"
    results = screener.screen(patient, as_of=EXAMPLE_AS_OF)
    (card,) = valid(render_cards(results))["cards"]
    assert not re.search(r"(?<!\\)[\[\]()<>]", card["detail"].replace("**Deciding facts**", ""))  # all escaped
    assert "dx-\\[click me\\]\\(https://evil.example\\)\\<img src=x\\>" in card["detail"]


def test_a_summary_stays_within_140_characters(screener):
    results = screener.screen(needs_labs(example()), as_of=EXAMPLE_AS_OF)
    long = [replace(r, short_title="An extraordinarily long trial name " * 6) for r in results]
    (card,) = valid(render_cards(long))["cards"]
    assert len(card["summary"]) == 140 and card["summary"].endswith("… — 6 items to check")


def test_a_review_with_nothing_named_to_settle_it_says_to_review(screener):
    results = screener.screen(needs_labs(example()), as_of=EXAMPLE_AS_OF)
    (card,) = valid(render_cards([replace(r, missing_data=()) for r in results]))["cards"]
    assert card["summary"] == "Possible trial: STR-P004 (B-ALL) — to review"


def test_one_item_is_singular(screener):
    patient = example()
    patient["attestations"] = [a for a in patient["attestations"] if a["criterion"] != "EXC-19"]
    (card,) = render_cards(screener.screen(patient, as_of=EXAMPLE_AS_OF))["cards"]
    assert card["summary"] == "Possible trial: STR-P004 (B-ALL) — 1 item to check"
    assert "1 of 55 criteria needs a check" in card["detail"]


def test_the_report_link_is_absolute_or_refused(screener):
    results = screener.screen(EXAMPLE, as_of=EXAMPLE_AS_OF)
    (card,) = render_cards(results)["cards"]
    assert [link["label"] for link in card["links"]] == ["NCT07245251 on ClinicalTrials.gov"]
    for bad in ("/reports/abc", "javascript:alert(1)", "reports/abc"):
        with pytest.raises(ValueError, match="absolute http"):
            render_cards(results, report_url=bad)


def test_the_cli_prints_valid_cards(capsys):
    assert main(["screen", str(EXAMPLE), "--as-of", "2026-11-23", "--format", "cds-hooks"]) == 0
    cards = valid(json.loads(capsys.readouterr().out))["cards"]
    assert [c["summary"] for c in cards] == ["Eligible on prescreen: STR-P004 (B-ALL)"]


# ---- the schema itself: it must refuse what the specification does not allow ------------------------------


def good_card() -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "summary": "Possible trial: X — 1 item to check",
        "indicator": "warning",
        "detail": "d",
        "source": {"label": "s", "url": "https://clinicaltrials.gov/study/NCT00000000"},
        "links": [{"label": "r", "url": "https://x.example/r", "type": "absolute"}],
        "suggestions": [
            {
                "label": "Order x",
                "uuid": str(uuid.uuid4()),
                "actions": [{"type": "create", "description": "d", "resource": {"resourceType": "ServiceRequest"}}],
            }
        ],
        "selectionBehavior": "any",
    }


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda c: c.pop("summary"), "'summary' is a required property"),
        (lambda c: c.pop("source"), "'source' is a required property"),
        (lambda c: c.update(summary="x" * 141), "is too long"),
        (lambda c: c.update(indicator="success"), "is not one of"),
        (lambda c: c.update(uuid="not-a-uuid"), "does not match"),
        (lambda c: c["source"].pop("label"), "'label' is a required property"),
        (lambda c: c["links"][0].update(type="relative"), "is not one of"),
        (lambda c: c["links"][0].update(url="/reports/x"), "does not match"),
        (lambda c: c.pop("selectionBehavior"), "'selectionBehavior' is a dependency of 'suggestions'"),
        (lambda c: c.update(selectionBehavior="all"), "is not one of"),
        (lambda c: c["suggestions"][0]["actions"][0].update(type="patch"), "is not one of"),
        (lambda c: c["suggestions"][0]["actions"][0].pop("resource"), "'resource' is a required property"),
        (lambda c: c["suggestions"][0]["actions"][0].pop("description"), "'description' is a required property"),
        (lambda c: c["suggestions"][0].update(isRecommended="yes"), "is not of type 'boolean'"),
    ],
)
def test_the_card_schema_refuses_what_the_specification_does_not_allow(change, why):
    card = good_card()
    valid({"cards": [card]})
    change(card)
    messages = [e.message for e in VALIDATOR.iter_errors({"cards": [card]})]
    assert any(re.search(re.escape(why), m) for m in messages), messages


@pytest.mark.parametrize(
    ("service", "why"),
    [
        ({"hook": "patient-view", "description": "d"}, "'id' is a required property"),
        ({"id": "x", "description": "d"}, "'hook' is a required property"),
        ({"id": "x", "hook": "patient-view"}, "'description' is a required property"),
        ({"id": "x y", "hook": "patient-view", "description": "d"}, "does not match"),
        ({"id": "x", "hook": "patient-view", "description": "d", "prefetch": {"p": 1}}, "is not of type 'string'"),
    ],
)
def test_the_discovery_schema_refuses_a_service_without_what_the_specification_requires(service, why):
    good = {"id": "trial-prescreening", "hook": "patient-view", "description": "d", "prefetch": {"patient": "P/1"}}
    assert not list(schema("discovery.schema.json").iter_errors({"services": [good]}))
    messages = [e.message for e in schema("discovery.schema.json").iter_errors({"services": [service]})]
    assert any(why in m for m in messages), messages


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda f: f.pop("card"), "'card' is a required property"),
        (lambda f: f.update(outcome="ignored"), "is not one of"),
        (lambda f: f.pop("outcomeTimestamp"), "'outcomeTimestamp' is a required property"),
        (lambda f: f.update(card="card-1"), "is not a 'uuid'"),
    ],
)
def test_the_feedback_schema_refuses_what_the_specification_does_not_allow(change, why):
    item = {"card": str(uuid.uuid4()), "outcome": "overridden", "outcomeTimestamp": "2026-12-01T10:00:00Z"}
    assert not list(schema("feedback.schema.json").iter_errors({"feedback": [item]}))
    change(item)
    messages = [e.message for e in schema("feedback.schema.json").iter_errors({"feedback": [item]})]
    assert any(why in m for m in messages), messages
