"""CDS Hooks 2.0 cards (https://cds-hooks.hl7.org/2.0/): a card per trial the patient is a candidate for, saying
what a clinician would act on, and a one-click lab order where a missing or out-of-date lab would settle a review.

Everything taken from a patient record or a ruleset is escaped before it enters a card's markdown.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Literal
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, Field

from ..catalog import Catalog, get_catalog
from ..facts.model import Evidence
from ..results import TrialResult
from ..words import count, settle_items

__all__ = ["REGISTRY_URL", "Card", "render_cards"]

REGISTRY_URL = "https://clinicaltrials.gov/study/"
_SUMMARY_MAX = 140  # the specification's limit
_LINE_MAX = 180  # one reason or fact in the detail; the full report has the whole text
_LINES_SHOWN = 8  # reasons, or data to settle them; the full report has every one
_FACTS_SHOWN = 6
_ORDERABLE = ("missing", "stale")  # reasons a new result settles (not a conflict or a judgement)
# The FHIR R4 vital signs profile's LOINC codes: measured at the visit, not ordered from a lab.
_VITAL_SIGNS = frozenset(
    {
        *("85353-1", "9279-1", "8867-4", "2708-6", "59408-5", "8310-5", "8302-2"),
        *("9843-4", "29463-7", "39156-5", "85354-9", "8480-6", "8462-4"),
    }
)


class _Model(BaseModel):
    def dump(self) -> dict:
        return self.model_dump(exclude_none=True)


class Source(_Model):
    label: str
    url: str | None = None


class Link(_Model):
    label: str
    url: str
    type: Literal["absolute", "smart"] = "absolute"


class Action(_Model):
    type: Literal["create", "update", "delete"]
    description: str
    resource: dict | None = None


class Suggestion(_Model):
    label: str
    uuid: str
    actions: list[Action]


class Card(_Model):
    """The CDS Hooks card fields the engine fills (summary ≤ 140 characters, as the specification requires)."""

    uuid: str
    summary: str = Field(max_length=_SUMMARY_MAX)
    indicator: Literal["info", "warning", "critical"]
    detail: str
    source: Source
    links: list[Link]
    suggestions: list[Suggestion] | None = None
    selectionBehavior: Literal["at-most-one", "any"] | None = None  # the specification's name


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|<>~&])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
# What would settle a review, as the fact readers write it: "a [new] <lab> result <window>" or
# "the <lab> results on record"; a calculated value's is its inputs' joined with "; ". Read only to group the
# lines of a card's detail by window (an item it does not match is shown as written); which labs to order
# comes from the reasons' ``results``.
_LAB_RESULT = re.compile(r"^(?:an?|the)(?: new)? (?P<label>.+?) results?(?: (?P<window>.+))?$")
_ATTESTATION = re.compile(r"^the investigator's answer to (?P<criterion>[^:]+): ")
_CANNOT_COMPUTE = " cannot be computed: "  # how a calculated value's reason starts, before its inputs' reasons


def _text(s: str, limit: int | None = None) -> str:
    """Record or ruleset text shown as itself in markdown (no markup, no HTML, no line breaks), cut to ``limit``."""
    s = _LINE_BREAKS.sub(" ", s).strip()
    if limit is not None and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return _MARKDOWN.sub(r"\\\1", s)


def render_cards(
    results: Sequence[TrialResult],
    *,
    catalog: Catalog | None = None,
    report_url: str | None = None,
    fhir_patient_id: str | None = None,
) -> dict:
    """``{"cards": [...]}``: one card per candidate trial of one patient's screening (none for the others).

    ``catalog`` gives the LOINC codes of labs to order (default: the package's); ``report_url`` is the absolute
    URL of this screening's full HTML report, linked from every card; ``fhir_patient_id`` is the EHR's Patient
    id the lab orders are for (default: the screened patient's id). Eligible trials come first.
    """
    if report_url is not None and not _absolute(report_url):
        raise ValueError(f"report_url must be an absolute http(s) URL, not '{report_url}'")
    catalog = catalog or get_catalog()
    candidates = sorted((r for r in results if r.candidate), key=lambda r: r.overall != "eligible")
    ordered: set[str] = set()  # a lab is ordered from the first card that needs it, never twice
    cards = []
    for r in candidates:
        labs = [key for key in _labs_to_order(r, catalog) if key not in ordered]
        ordered.update(labs)
        patient = fhir_patient_id or r.patient
        suggestions = [_order(catalog, key, patient, r) for key in labs] or None
        card = Card(
            uuid=str(uuid.uuid4()),
            summary=_summary(r),
            indicator="info" if r.overall == "eligible" else "warning",
            detail=_detail(r, catalog),
            source=Source(label=_source_label(r), url=_registry(r)),
            links=_links(r, report_url),
            suggestions=suggestions,
            selectionBehavior="any" if suggestions else None,
        )
        cards.append(card.dump())
    return {"cards": cards}


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _registry(r: TrialResult) -> str:
    return REGISTRY_URL + quote(r.trial, safe="")


def _source_label(r: TrialResult) -> str:
    return f"Trial prescreening — {r.trial} ruleset v{r.ruleset.version} ({r.ruleset.hash})"


def _links(r: TrialResult, report_url: str | None) -> list[Link]:
    links = [Link(label="Full prescreening report", url=report_url)] if report_url else []
    return [*links, Link(label=f"{r.trial} on ClinicalTrials.gov", url=_registry(r))]


def _summary(r: TrialResult) -> str:
    """In words: "Eligible on prescreen: <trial>" or "Possible trial: <trial> — 3 items to check" (≤ 140)."""
    if r.overall == "eligible":
        head, tail = "Eligible on prescreen: ", ""
    else:
        items = len(_to_settle(r))
        head, tail = "Possible trial: ", f" — {count(items, 'item')} to check" if items else " — to review"
    name = r.short_title or r.trial
    room = _SUMMARY_MAX - len(head) - len(tail)
    if len(name) > room:
        name = name[: room - 1].rstrip() + "…"
    return head + name + tail


def _to_settle(r: TrialResult) -> list[str]:
    """Each piece of data that would settle a review, once (a calculated value's inputs counted one by one)."""
    return list(dict.fromkeys(piece.strip() for item in r.missing_data for piece in settle_items(item)))


def _lab(piece: str, catalog: Catalog) -> tuple[str, str] | None:
    """(catalog key, window text) when ``piece`` asks for a result of a catalog observation."""
    m = _LAB_RESULT.match(piece)
    key = m and catalog.resolve("observations", m["label"])
    return (key, m["window"] or "") if key else None


def _labs_to_order(r: TrialResult, catalog: Catalog) -> list[str]:
    """Labs with a LOINC code (not vital signs) whose missing or out-of-date result leaves a criterion open."""
    keys: dict[str, None] = {}
    for c in r.criteria:
        if c.verdict != "needs-review":
            continue
        for reason in c.reasons:
            if reason.kind not in _ORDERABLE:
                continue
            for key in reason.results:
                spec = catalog.observations.get(key)
                if spec is not None and spec.loinc and _VITAL_SIGNS.isdisjoint(spec.loinc):
                    keys[key] = None
    return list(keys)


def _order(catalog: Catalog, key: str, patient: str, r: TrialResult) -> Suggestion:
    """A one-click draft order (a FHIR ServiceRequest proposal) for a lab, coded with its first LOINC code."""
    lab = catalog.observations[key]
    resource = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "code": {"coding": [{"system": "http://loinc.org", "code": lab.loinc[0], "display": lab.label}]},
        "subject": {"reference": f"Patient/{patient}"},
    }
    description = (
        f"Draft order for {lab.label} (LOINC {lab.loinc[0]}): "
        f"its result settles criteria still open for {r.short_title or r.trial}"
    )
    return Suggestion(
        label=f"Order {lab.label}",
        uuid=str(uuid.uuid4()),
        actions=[Action(type="create", description=description, resource=resource)],
    )


def _detail(r: TrialResult, catalog: Catalog) -> str:
    """Short markdown: where the screening stands, what is still open and what would settle it, the facts the
    disease and population criteria rest on, and a line on records the engine could not use."""
    n = len(r.criteria)
    if r.overall == "eligible":
        parts = [f"Prescreen as of {r.as_of}: all {n} criteria met on the recorded data. Confirm before enrolment."]
    else:
        review = sum(c.verdict == "needs-review" for c in r.criteria)
        head = (
            f"Prescreen as of {r.as_of}: nothing on record rules the patient out; "
            f"{review} of {n} criteria {'needs' if review == 1 else 'need'} a check."
        )
        if r.gates == "open":
            head += " Whether the patient is in the population the trial is for is itself still open."
        parts = [head, _section("Still open", list(_open_reasons(r)), _LINES_SHOWN)]
        parts.append(_section("Would settle them", list(_settle_lines(r, catalog)), _LINES_SHOWN))
    parts.append(_section("Deciding facts", list(_deciding_facts(r)), _FACTS_SHOWN))
    notes = [f"{count(len(r.unmapped), 'record')} not mapped to the vocabulary"] if r.unmapped else []
    notes += [count(len(r.warnings), "data warning")] if r.warnings else []
    if notes:
        parts.append(f"_{', '.join(notes)}: see the full report._")
    return "\n\n".join(p for p in parts if p)


def _section(title: str, lines: list[str], shown: int) -> str:
    if not lines:
        return ""
    more = max(len(lines) - shown, 0)
    body = "\n".join(f"- {line}" for line in lines[: len(lines) - more])
    return f"**{title}**\n\n{body}" + (f"\n- and {more} more in the full report" if more else "")


def _open_reasons(r: TrialResult) -> Iterator[str]:
    """Why each open criterion is open, each reason once, in criterion order. A calculated value's reason that
    only repeats its inputs' ("<value> cannot be computed: <reason>; <reason>") is left out when those are listed."""
    messages = list(
        dict.fromkeys(reason.message for c in r.criteria if c.verdict == "needs-review" for reason in c.reasons)
    )
    listed = set(messages)
    for message in messages:
        _, derived, inputs = message.partition(_CANNOT_COMPUTE)
        if not derived or not all(part in listed for part in inputs.split("; ")):
            yield _text(message, _LINE_MAX)


def _settle_lines(r: TrialResult, catalog: Catalog) -> Iterator[str]:
    """The data that would settle the open criteria, grouped: lab results by the window they must fall in,
    anything else as written, then the investigator's answers by criterion."""
    labs: dict[str, list[str]] = {}
    answers: list[str] = []
    other: list[str] = []
    for piece in _to_settle(r):
        lab = _lab(piece, catalog)
        if lab:
            labs.setdefault(lab[1], []).append(catalog.observations[lab[0]].label)
        elif m := _ATTESTATION.match(piece):
            answers.append(m["criterion"])
        else:
            other.append(piece)
    for window, names in labs.items():
        yield f"Results {_text(window)}".rstrip() + ": " + ", ".join(_text(name) for name in dict.fromkeys(names))
    yield from (_text(piece, _LINE_MAX) for piece in other)
    if answers:
        yield "The investigator's answer for " + ", ".join(_text(a) for a in answers)


def _deciding_facts(r: TrialResult) -> Iterator[str]:
    """The records the disease and population (gate) criteria were decided on, with their dates, each once."""
    seen: set[Evidence] = set()
    for c in r.criteria:
        if not c.gate:
            continue
        for e in c.evidence:
            if e not in seen:
                seen.add(e)
                dated = f" ({e.date})" if e.date and e.date != e.value else ""
                yield _text(f"{e.source}: {e.value}{dated}", _LINE_MAX)
