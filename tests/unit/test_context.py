"""The screening context: reference dates, complete history and answers given beside the patient record."""

import copy
import pickle
from datetime import date
from pathlib import Path

import pytest
import yaml

from engine import InputError, Screener, ScreeningContext, load_answers
from engine.context import REFERENCE_NAMES, history_domain, reference_name
from engine.patient import Attestation, patient_from_data

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
TRIAL = "NCT07245251"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_directory(ROOT / "rulesets")


def example() -> dict:
    return yaml.safe_load((ROOT / "examples" / "patient.yaml").read_text(encoding="utf-8"))


def split(data: dict) -> tuple[dict, ScreeningContext]:
    """The example without its reference dates, complete history and answers, and a context that gives them."""
    bare = copy.deepcopy(data)
    dates = {k: date.fromisoformat(str(v)) for k, v in bare.pop("reference_dates").items()}
    context = ScreeningContext(
        reference_dates=dates, complete_history=set(bare.pop("complete_history")), answers=bare.pop("attestations")
    )
    return bare, context


def verdicts(results) -> dict[tuple[str, str], str]:
    return {(r.trial, c.id): c.verdict for r in results for c in r.criteria}


def test_a_context_gives_what_the_record_held_and_the_verdicts_are_the_same(screener):
    whole = screener.screen(example(), as_of=AS_OF)
    bare, context = split(example())
    without = screener.screen(bare, as_of=AS_OF)
    given = screener.screen(bare, as_of=AS_OF, context=context)
    assert verdicts(given) == verdicts(whole)
    assert verdicts(without) != verdicts(whole)  # the context is what made the difference
    assert [r.overall for r in given] == [r.overall for r in whole]


def test_an_answer_from_the_context_names_where_it_was_given(screener):
    bare, context = split(example())
    [result] = screener.screen(bare, as_of=AS_OF, trials=TRIAL, context=context)
    c = result.criterion("INC-01")
    assert c.verdict == "eligible"
    assert [e.source for e in c.evidence] == ["answers[0]"]
    assert "'yes' by Dr. A. Investigator on 2026-11-18" in c.explanation


def test_answers_from_a_file_name_the_file_and_item(screener, tmp_path):
    bare, _ = split(example())
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(example()["attestations"]), encoding="utf-8")
    answers = load_answers(path)
    assert [a.given_at for a in answers] == [f"{path}[{i}]" for i in range(5)]
    [result] = screener.screen(bare, as_of=AS_OF, trials=TRIAL, context=ScreeningContext(answers=answers))
    assert [e.source for e in result.criterion("EXC-19").evidence] == [f"{path}[4]"]
    # the place survives pickling (batch workers) and a context built from loaded answers keeps it
    assert pickle.loads(pickle.dumps(answers[4])).given_at == f"{path}[4]"


def test_answers_in_json_are_read_too(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('[{"trial": "NCT07245251", "criterion": "INC-01", "answer": "no", "by": "Dr. C"}]')
    [answer] = load_answers(path)
    assert (answer.criterion, answer.answer, answer.by, answer.date) == ("INC-01", "no", "Dr. C", None)


def test_an_empty_answers_file_holds_no_answers(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("# nothing answered yet\n")
    assert load_answers(path) == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {trial: NCT07245251, criterion: INC-01, answer: 'yes'}\n", "field '[0].by': Field required"),
        (
            "- {trial: NCT07245251, criterion: INC-01, answer: 'yes', by: A}\n"
            "- {trial: NCT07245251, criterion: INC-02, answer: maybe, by: A}\n",
            "field '[1].answer': Input should be 'yes' or 'no'",
        ),
        ("- {criterion: INC-01, answer: 'yes', by: A}\n", "field '[0].trial': Field required"),
        ("- {trial: X, criterion: INC-01, answer: 'yes', by: A, date: 2026-02-30}\n", "field '[0].date'"),
        ("- {trial: X, criterion: INC-01, answer: 'yes', by: A, why: because}\n", "field '[0].why'"),
        ("- {trial: X, criterion: INC-01, answer: 'yes', by: ''}\n", "field '[0].by'"),
        ("- just text\n", "field '[0]'"),
        ("trial: NCT07245251\ncriterion: INC-01\n", "expected a list of answers"),
        ("- {trial: X, criterion: INC-01, answer: 'yes', by: A}\n- {trial: X, criterion: INC-01", ""),  # cut short
    ],
)
def test_a_bad_answers_file_is_an_error_naming_the_file_item_and_field(tmp_path, text, message):
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_answers(path)
    assert str(info.value).startswith(str(path)) and message in str(info.value)


def test_a_missing_answers_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(InputError, match=r"answers\.yaml: cannot read file"):
        load_answers(tmp_path / "answers.yaml")


def test_answers_given_as_dicts_are_checked_like_attestations():
    with pytest.raises(InputError, match=r"field 'answers\[1\]\.criterion': Field required"):
        ScreeningContext(answers=[{"trial": "X", "criterion": "A", "answer": "no", "by": "B"}, {"trial": "X"}])
    with pytest.raises(InputError, match="expected a list of answers"):
        ScreeningContext(answers={"trial": "X", "criterion": "A", "answer": "no", "by": "B"})  # type: ignore[arg-type]


def test_a_reference_date_given_wins_and_a_different_one_in_the_record_is_warned_about(screener):
    data = example()
    context = ScreeningContext(reference_dates={"screening": date(2026, 11, 21), "consent": date(2026, 11, 18)})
    [result] = screener.screen(data, as_of=AS_OF, trials=TRIAL, context=context)
    replaced = [w for w in result.warnings if w.startswith("reference date")]
    assert replaced == [
        "reference date screening: 2026-11-21 given for this screening replaces 2026-11-20 from the patient record"
    ]  # the consent date is the record's own: nothing replaced
    patient = context.apply(patient_from_data(data))
    assert patient.reference_dates["screening"] == date(2026, 11, 21)
    assert patient.reference_dates["first_dose"] == date(2026, 11, 25)  # the record's others are kept


def test_a_reference_date_moves_the_windows(screener):
    # Labs of 2026-11-19 are within 28 days of a screening on 2026-11-20, not of one a year later.
    data = example()
    later = ScreeningContext(reference_dates={"screening": date(2027, 11, 20), "first_dose": date(2027, 11, 25)})
    [result] = screener.screen(data, as_of=date(2027, 11, 23), trials=TRIAL, context=later)
    c = result.criterion("INC-07a")
    assert c.verdict == "needs-review" and [r.kind for r in c.reasons] == ["stale"]


def test_complete_history_is_added_to_the_record(screener):
    data = example()
    data["complete_history"] = ["therapies"]
    [without] = screener.screen(data, as_of=AS_OF, trials=TRIAL)
    [given] = screener.screen(
        data, as_of=AS_OF, trials=TRIAL, context=ScreeningContext(complete_history={"conditions"})
    )
    assert without.criterion("EXC-01").verdict == "needs-review"  # CNS leukemia: not recorded either way
    assert given.criterion("EXC-01").verdict == "eligible"
    assert "complete condition history" in given.criterion("EXC-01").explanation


def test_names_are_checked_and_spelled_out():
    assert reference_name("First-Dose") == "first_dose" and history_domain(" Therapies ") == "therapies"
    with pytest.raises(InputError, match=r"field 'reference_dates.randomisation': unknown reference date"):
        ScreeningContext(reference_dates={"randomisation": date(2026, 1, 1)})
    with pytest.raises(InputError, match=r"unknown reference date 'x' \(known: screening, consent, enrollment, first"):
        reference_name("x")
    with pytest.raises(InputError, match=r"field 'complete_history': unknown history domain 'labs'"):
        ScreeningContext(complete_history={"labs"})
    with pytest.raises(InputError, match="expected a set of history domains"):
        ScreeningContext(complete_history="conditions")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"field 'reference_dates.screening': expected a date, not str"):
        ScreeningContext(reference_dates={"screening": "2026-01-01"})  # type: ignore[dict-item]
    with pytest.raises(InputError, match=r"first_dose is given twice \(2026-01-01 and 2026-01-02\)"):
        ScreeningContext(reference_dates={"first_dose": date(2026, 1, 1), "First-Dose": date(2026, 1, 2)})
    assert set(REFERENCE_NAMES) == {"screening", "consent", "enrollment", "first_dose"}


def test_dates_that_cannot_be_right_on_the_as_of_date_are_errors(screener, tmp_path):
    later = ScreeningContext(reference_dates={"screening": date(2026, 11, 24)})
    with pytest.raises(InputError, match=r"field 'reference_dates\.screening': screening date 2026-11-24 is after"):
        screener.screen(example(), as_of=AS_OF, context=later)
    # a first dose is planned: after the as-of date is its usual place (the pregnancy test is then too old)
    planned = ScreeningContext(reference_dates={"first_dose": date(2026, 12, 24)})
    [result] = screener.screen(example(), as_of=AS_OF, trials=TRIAL, context=planned)
    assert [r.kind for r in result.criterion("INC-10a").reasons] == ["stale"]
    path = tmp_path / "answers.yaml"
    path.write_text("- {trial: NCT07245251, criterion: INC-01, answer: 'yes', by: A, date: 2026-12-01}\n")
    with pytest.raises(InputError, match=r"answers.yaml\[0\] field 'date': answer dated 2026-12-01 is after the as-of"):
        screener.screen(example(), as_of=AS_OF, context=ScreeningContext(answers=load_answers(path)))


def test_an_answer_that_contradicts_the_records_own_is_a_review(screener):
    answer = Attestation(trial=TRIAL, criterion="EXC-19", answer="yes", by="Dr. B")
    [result] = screener.screen(example(), as_of=AS_OF, trials=TRIAL, context=ScreeningContext(answers=[answer]))
    c = result.criterion("EXC-19")
    assert c.verdict == "needs-review" and [r.kind for r in c.reasons] == ["ambiguous"]
    assert [e.source for e in c.evidence] == ["attestations[4]", "answers[0]"]


def test_answers_for_unknown_trials_or_criteria_are_warnings(screener, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "- {trial: nct07245251, criterion: INC-99, answer: 'yes', by: A}\n"
        "- {trial: NCT00000000, criterion: INC-01, answer: 'yes', by: A}\n"
    )
    data = example()
    data["attestations"].append({"trial": "NCT99999999", "criterion": "INC-01", "answer": "no", "by": "B"})
    results = screener.screen(data, as_of=AS_OF, context=ScreeningContext(answers=load_answers(path)))
    for r in results:
        assert f"{path}[1]: no ruleset for trial NCT00000000; the answer is not used" in r.warnings
        assert "attestations[5]: no ruleset for trial NCT99999999; the answer is not used" in r.warnings
        stray = f"{path}[0]: NCT07245251 has no criterion INC-99; the answer is not used"
        assert (stray in r.warnings) == (r.trial == TRIAL)
        assert len(r.warnings) == len(set(r.warnings))


def test_an_empty_context_changes_nothing(screener):
    assert ScreeningContext().apply(patient_from_data(example())) == patient_from_data(example())
    plain = screener.screen(example(), as_of=AS_OF)
    assert screener.screen(example(), as_of=AS_OF, context=ScreeningContext()) == plain


def test_the_fhir_bundle_takes_a_context_like_a_native_file(screener):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1990-01-01"}}],
    }
    context = ScreeningContext(
        reference_dates={"screening": date(2026, 11, 20), "first_dose": date(2026, 11, 25)},
        complete_history={"conditions", "therapies"},
        answers=[Attestation(trial=TRIAL, criterion="INC-01", answer="yes", by="Dr. A")],
    )
    [before] = screener.screen(bundle, as_of=AS_OF, trials=TRIAL)
    [after] = screener.screen(bundle, as_of=AS_OF, trials=TRIAL, context=context)
    assert before.criterion("INC-01").verdict == "needs-review" and after.criterion("INC-01").verdict == "eligible"
    assert before.criterion("EXC-01").verdict == "needs-review" and after.criterion("EXC-01").verdict == "eligible"
    review = sum(c.verdict == "needs-review" for c in after.criteria)
    assert review < sum(c.verdict == "needs-review" for c in before.criteria)
