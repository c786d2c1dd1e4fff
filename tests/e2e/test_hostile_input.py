"""Hostile input end to end: every text field, real Chromium against `streamlit run`, then the exports.

Each hostile text (tests/data/hostile.py) is typed into the fields people use in a workshop. After each
save the test checks that it was either saved (the confirmation, and the database holds the text as typed
minus control characters) or refused with a clear message (and nothing changed); that the page shows the
stored text as text (an element's textContent equals it); that nothing in the document came from the text
(no element, link, maths or colour made of it, no dialog). Then the exports are downloaded and re-opened,
the CSV goes through `python -m okrcoach review`, and a backup of the corpus is restored and compared.

The bugs this corpus found are kept at the end as tests of their own.
"""

import csv
import io
import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import pandas as pd
import pytest
from docx import Document
from playwright.sync_api import Page, expect

from okrcoach import text
from okrcoach.cli.commands import main as cli
from okrcoach.drafting import comments, dependencies, drafts, executive, exercise
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.exports import backup, csv_export, handout, pack
from okrcoach.exports import reading as review_export
from okrcoach.storage.store import Store
from okrcoach.workshop import access, agendas, engagements, laptops, runs, teams
from okrcoach.workshop.engagements import DeploymentParameters
from tests.data.hostile import CORPUS, HOSTILE_TEXTS, INJECTED_JS, LIMIT, fit, stored
from tests.e2e.conftest import CODE, DIALOGS, PIN, POLL_MS, ROOT, wait_idle
from tests.e2e.laptops import EDITOR, visit

pytestmark = pytest.mark.timeout(240)

SHOWN_JS = """([wanted, exact]) => [...document.querySelectorAll("[data-testid='stHtml'] div")]
    .some(e => exact ? e.textContent === wanted : e.textContent.includes(wanted))"""
ERROR = "[data-testid='stAlertContentError']"
WORKSHOP_ITEMS = (("Draft your OKRs", "breakout"), ("Sort your metrics", "exercise"), ("Share-out", "share-out"))
MARKDOWN = CORPUS["markdown"]


# --- fixtures and helpers ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def db(server) -> Store:
    """The store the module's server runs on (the test reads and prepares it directly)."""
    return Store(server.db_path)


@pytest.fixture(scope="module")
def workshop(db):
    """A running agenda whose items put team laptops in drafting, the sorting exercise and a share-out."""
    engagement = engagements.current(db)
    items = tuple(agendas.AgendaItem(title, 20, kind, (), "", "Sort each metric you track.")
                  for title, kind in WORKSHOP_ITEMS)
    agenda = agendas.Agenda("hostile", "Hostile input workshop", "team-drafting", "Teams", 60, "", items,
                            ROOT / "agendas" / "team-drafting.toml")
    run = runs.start_run(db, engagement.id, agenda)
    runs.act(db, run.id, "start", time.time())
    return run


def go_to_item(db: Store, run, kind: str) -> None:
    """Jump to the item of that kind, unless it is current already (a test run once more finds it so)."""
    index = [k for _, k in WORKSHOP_ITEMS].index(kind)
    if runs.get(db, run.id).state.current != index:
        runs.act(db, run.id, "jump", time.time(), index=index)


@pytest.fixture
def laptop(open_page):
    """A laptop of its own; every dialog it opens is recorded (tests.e2e.conftest.DIALOGS) and dismissed."""
    return open_page


def assert_plain(page: Page, what: str = "") -> None:
    """Nothing in the document was made from a hostile text, and no dialog opened."""
    found = page.evaluate(INJECTED_JS)
    assert not found, f"{what}: markup from typed text reached the page: {found}"
    assert not DIALOGS.get(id(page)), f"{what}: a dialog opened: {DIALOGS[id(page)]}"


def wait_shown(page: Page, wanted: str, *, exact: bool = True, what: str = "") -> None:
    """Wait until a plain-text block of the page shows `wanted` (its textContent, character for character)."""
    try:
        page.wait_for_function(SHOWN_JS, arg=[wanted, exact], polling=POLL_MS, timeout=15_000)
    except Exception as error:  # a timeout, made readable
        raise AssertionError(f"{what}: the page does not show {wanted[:120]!r}") from error


def wait_for(check: Callable[[], object], what: str, timeout: float = 15) -> object:
    """Poll the database until check() is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def wait_error(page: Page, words: str) -> None:
    expect(page.locator(ERROR).filter(has_text=words).first).to_be_visible()
    wait_idle(page)


def form_with(page: Page, button: str):
    """The form (or drafting editor) whose submit button is labelled `button`."""
    return page.locator(EDITOR).filter(
        has=page.get_by_role("button", name=button, exact=True))


def field(scope, label: str):
    return scope.get_by_label(label, exact=True)


def team(db: Store, slug: str) -> teams.Team:
    return teams.by_slug(db, engagements.current(db).id, slug)


def refusal(value: str, field_name: str, *, required: bool = True, limit: int = LIMIT) -> str | None:
    """The words of the message the app gives for a value, or None when it is accepted."""
    if required and not value:
        return f"{field_name} is empty"
    if len(value) > limit:
        return f"{field_name} is {len(value):,} characters long"
    return None


def pick(*names: str) -> list[tuple[str, str]]:
    return [(name, CORPUS[name]) for name in names]


# --- the team page: purpose, objective, Why now?, key result fields, the name in the sidebar -------
def test_objective_and_why_now_keep_every_hostile_text_as_plain_text(server, db, workshop, laptop):
    finance = team(db, "finance")
    page = laptop(f"{server.url}/team?team=finance&code={CODE}")
    if not drafts.load(db, finance.id).objectives:  # a rerun of this test finds the one it added (the form closed)
        adding = form_with(page, "Add objective")
        field(adding, "Objective").fill("Close the books faster")
        adding.get_by_role("button", name="Add objective").click()
        wait_for(lambda: drafts.load(db, finance.id).objectives, "the first objective")
    authors = iter(pick("markdown", "script-tag", "bidi-overrides", "emoji", "rtl-scripts"))
    author = "Finance team laptop"
    for number, (name, payload) in enumerate(HOSTILE_TEXTS):
        why_name, why_payload = HOSTILE_TEXTS[(number + 5) % len(HOSTILE_TEXTS)]
        what = f"objective {name!r}, Why now? {why_name!r}"
        if number % 5 == 0:  # now and then another name in the sidebar, recorded with the save
            author_name = fit(next(authors)[1], 60)
            sidebar_name = page.get_by_label("Your name (optional)", exact=True)
            sidebar_name.fill(author_name)
            sidebar_name.press("Enter")
            wait_idle(page)
            author = f"{sidebar_name.input_value().strip()} (Finance team)"
        before = drafts.load(db, finance.id).objectives[0]
        page.get_by_role("button", name="Edit objective").click()
        form = form_with(page, "Save objective")
        field(form, "Objective").fill(payload)
        field(form, "Why now?").fill(why_payload)
        want, want_why = stored(field(form, "Objective").input_value()), stored(field(form, "Why now?").input_value())
        form.get_by_role("button", name="Save objective").click()
        message = refusal(want, "The objective") or refusal(want_why, "Why now?", required=False)
        if message:
            wait_error(page, message)
            assert drafts.load(db, finance.id).objectives[0].version == before.version, what
            form.get_by_role("button", name="Discard").click()
            expect(form).to_have_count(0)
        else:
            saved = wait_for(lambda: (o := drafts.load(db, finance.id).objectives[0]).version > before.version
                             and o, what)
            assert saved.fields.text == want and saved.fields.why_now == want_why, what
            assert saved.updated_by == author, what
            expect(page.locator("[data-testid='okc-success']").filter(
                has_text="Saved objective 1").first).to_be_visible()
            wait_shown(page, saved.fields.text, what=what)
            wait_shown(page, saved.fields.why_now or "Not written yet: why is this so important right now?",
                       what=what)
            wait_shown(page, f"last saved by {author}", exact=False, what=what)
        assert_plain(page, what)


def test_team_purpose_keeps_hostile_text_as_plain_text(server, db, workshop, laptop):
    page = laptop(f"{server.url}/team?team=finance&code={CODE}")
    for name, payload in pick("markdown-block", "script-tag", "nul-and-controls", "10001-chars", "bidi-overrides",
                              "whitespace-only", "latex", "10000-chars", "img-onerror"):
        before = team(db, "finance")
        page.get_by_role("button", name="Edit purpose").click()
        form = form_with(page, "Save purpose")
        form.locator("textarea").fill(payload)
        want = stored(form.locator("textarea").input_value())
        form.get_by_role("button", name="Save purpose").click()
        message = refusal(want, "Team purpose", required=False)
        if message:
            wait_error(page, message)
            assert team(db, "finance").purpose_version == before.purpose_version, name
            form.get_by_role("button", name="Discard").click()
        else:
            saved = wait_for(lambda: (t := team(db, "finance")).purpose_version > before.purpose_version and t, name)
            assert saved.purpose == want, name
            wait_shown(page, saved.purpose or "Not answered yet.", what=name)
        assert_plain(page, f"purpose {name!r}")


def test_key_result_fields_keep_hostile_text_as_plain_text(server, db, workshop, laptop):
    finance = team(db, "finance")
    page = laptop(f"{server.url}/team?team=finance&code={CODE}")
    adding = form_with(page, "Add key result")
    field(adding, "Key result").fill("Cut the close from 12 to 5 working days")
    adding.get_by_role("button", name="Add key result").click()
    kr_of = lambda: drafts.load(db, finance.id).objectives[0].key_results
    wait_for(kr_of, "the first key result")
    names = [name for name, _ in HOSTILE_TEXTS]
    for number in range(0, len(HOSTILE_TEXTS), 2):
        kr_name = names[number]
        unit_name, champion_name, contributors_name = (names[(number + k) % len(names)] for k in (3, 7, 11))
        what = f"key result {kr_name!r}, unit {unit_name!r}, champion {champion_name!r}, " \
               f"contributors {contributors_name!r}"
        before = kr_of()[0]
        page.get_by_role("button", name="Edit key result").first.click()  # kr_of()[0]'s (a rerun finds two)
        form = form_with(page, "Save key result")
        field(form, "Key result").fill(CORPUS[kr_name])
        field(form, "Unit").fill(fit(CORPUS[unit_name], 40))
        field(form, "Champion").fill(fit(CORPUS[champion_name], 120))
        field(form, "Contributors").fill(fit(CORPUS[contributors_name], 500))
        want = stored(field(form, "Key result").input_value())
        unit, champion, contributors = (stored(field(form, label).input_value(), one_line=True)
                                        for label in ("Unit", "Champion", "Contributors"))
        form.get_by_role("button", name="Save key result").click()
        message = refusal(want, "The key result")
        if message:
            wait_error(page, message)
            assert kr_of()[0].version == before.version, what
            form.get_by_role("button", name="Discard").click()
            expect(form).to_have_count(0)
        else:
            saved = wait_for(lambda: (kr := kr_of()[0]).version > before.version and kr, what).fields
            assert saved.text == want and saved.unit == unit and saved.champion == champion, what
            assert saved.contributors == contributors, what
            wait_shown(page, saved.text, what=what)
            wait_shown(page, f"champion {saved.champion}" if saved.champion else "no champion yet", exact=False,
                       what=what)
            if saved.unit:
                wait_shown(page, f"from ? to ? {saved.unit}", exact=False, what=what)
        assert_plain(page, what)


def test_dependency_answer_comment_keeps_hostile_text_as_plain_text(server, db, workshop, laptop):
    stores = team(db, "stores")
    page = laptop(f"{server.url}/team?team=stores&code={CODE}")
    request = dependencies.asked_of(db, stores.id)[0]
    answer = lambda: next(r for r in dependencies.asked_of(db, stores.id) if r.id == request.id)
    expander = page.locator("[data-testid='stExpander']").filter(has_text="Requests from other teams").first
    for name, payload in pick("script-tag", "markdown", "nul-and-controls", "bidi-overrides", "whitespace-only",
                              "emoji", "html-attributes", "10000-chars", "sql"):
        decline = name == "whitespace-only"  # declining needs a reason: the refusal path
        wait_idle(page)
        form = expander.locator("[class*='st-key-request-']").first
        expect(field(form, "Comment")).to_have_count(1)  # the redraw after the last answer is complete
        field(form, "Comment").fill(fit(payload, 500))
        want = stored(field(form, "Comment").input_value())
        before = answer()
        form.get_by_role("button", name="Decline" if decline else "Accept").click()
        if decline:
            wait_error(page, "Say briefly why you decline")
            assert answer() == before, name
        else:
            saved = wait_for(lambda: (r := answer()).comment != before.comment and r, name)
            assert saved.status == "accepted" and saved.comment == want, name
            wait_shown(page, f"accepted · {saved.comment}", exact=False, what=name)
        assert_plain(page, f"answer comment {name!r}")


def test_console_parking_lot_keeps_hostile_text_as_plain_text(server, db, workshop, laptop):
    engagement = engagements.current(db)
    page = laptop(f"{server.url}/console?fac={access.sign_in(db, PIN)}")
    form = form_with(page, "Park it")
    for name, payload in pick("markdown-block", "script-tag", "terminal-escapes", "whitespace-only", "rtl-scripts",
                              "latex", "10000-chars", "colour-directive"):
        count = len(runs.parked(db, engagement.id))
        field(form, "Deferred question or topic").fill(fit(payload, 500))
        want = stored(field(form, "Deferred question or topic").input_value())
        form.get_by_role("button", name="Park it").click()
        if not want:
            wait_error(page, "Parking lot item is empty")
            assert len(runs.parked(db, engagement.id)) == count, name
        else:
            saved = wait_for(lambda: (p := runs.parked(db, engagement.id)) and len(p) > count and p[-1], name)
            assert saved.text == want, name
            wait_shown(page, f"{saved.text} — facilitator", what=name)
        assert_plain(page, f"parking lot {name!r}")


def test_executive_candidate_why_proposer_and_voter_keep_hostile_text_as_plain_text(server, db, workshop, laptop):
    engagement = engagements.current(db)
    page = laptop(f"{server.url}/executive?fac={access.sign_in(db, PIN)}")
    form = form_with(page, "Add candidate")
    for number, (name, payload) in enumerate(pick("script-tag", "markdown-block", "whitespace-only", "bidi-overrides",
                                                  "emoji", "sql", "10000-chars")):
        why_name, proposer_name = HOSTILE_TEXTS[number + 3][0], HOSTILE_TEXTS[number + 9][0]
        what = f"candidate {name!r}, why {why_name!r}, proposed by {proposer_name!r}"
        count = len(executive.ranking(db, engagement.id))
        field(form, "Candidate objective").fill(fit(payload, 500))
        field(form, "Why (one line)").fill(fit(CORPUS[why_name], 300))
        field(form, "Proposed by").fill(fit(CORPUS[proposer_name], 100))
        want = stored(field(form, "Candidate objective").input_value())
        why, proposer = (stored(field(form, label).input_value(), one_line=True)
                         for label in ("Why (one line)", "Proposed by"))
        form.get_by_role("button", name="Add candidate").click()
        if not want:
            wait_error(page, "The candidate objective is empty")
            assert len(executive.ranking(db, engagement.id)) == count, what
        else:
            saved = wait_for(lambda: (c := executive.ranking(db, engagement.id)) and len(c) > count
                             and max(c, key=lambda x: x.id), what)
            assert saved.text == want and saved.why == why and saved.proposed_by == proposer, what
            wait_shown(page, f"{saved.number}. {saved.text}", exact=False, what=what)
            if saved.proposed_by or saved.why:
                wait_shown(page, f"Proposed by {saved.proposed_by}" if saved.proposed_by else saved.why,
                           exact=False, what=what)
        assert_plain(page, what)

    for name, payload in pick("markdown", "bidi-overrides", "emoji"):
        ballot_page = laptop(f"{server.url}/executive?code={CODE}")  # each executive on a laptop of their own
        voter = ballot_page.get_by_label("Your name (optional)", exact=True)
        voter.fill(fit(payload, 60))
        voter.press("Enter")
        wait_idle(ballot_page)
        ballot = form_with(ballot_page, "Cast my dots")
        field(ballot, "Dots for 1").fill("1")
        want = stored(voter.input_value(), one_line=True)
        ballot.get_by_role("button", name="Cast my dots").click()
        expect(ballot_page.get_by_text("Your 1 dots are in.").first).to_be_visible()
        laptop_id = ballot_page.evaluate("new URLSearchParams(location.search).get('laptop')")
        wait_for(lambda: executive.ballot(db, engagement.id, laptop_id), f"the dots of voter {name!r}")
        assert laptops.name(db, laptop_id) == want, name
        assert_plain(ballot_page, f"voter {name!r}")


def test_setup_engagement_fields_and_team_name_keep_hostile_text_as_plain_text(server, db, workshop, laptop):
    page = laptop(f"{server.url}/setup?fac={access.sign_in(db, PIN)}")
    engagement_form = form_with(page, "Save engagement")
    for number, (name, payload) in enumerate(pick("markdown", "script-tag", "whitespace-only", "bidi-overrides",
                                                  "nul-and-controls", "10000-chars")):
        client_name, facilitator_name = HOSTILE_TEXTS[number + 6][0], HOSTILE_TEXTS[number + 12][0]
        what = f"engagement name {name!r}, client {client_name!r}, facilitator {facilitator_name!r}"
        before = engagements.current(db)
        typed = {}
        for label, value in (("Engagement name", payload), ("Client", CORPUS[client_name]),
                             ("Facilitator", CORPUS[facilitator_name])):
            field(engagement_form, label).fill(fit(value, 200))
            typed[label] = stored(field(engagement_form, label).input_value(), one_line=True)
        engagement_form.get_by_role("button", name="Save engagement").click()
        if not typed["Engagement name"]:
            wait_error(page, "Engagement name is empty")
            assert engagements.current(db) == before, what
        else:
            saved = wait_for(lambda: (e := engagements.current(db)).name != before.name and e, what)
            assert saved.name == typed["Engagement name"] and saved.client == typed["Client"], what
            assert saved.facilitator == typed["Facilitator"], what
            # The same fields show the values as stored; none is drawn anew beside an old copy.
            wait_idle(page)
            expect(field(engagement_form, "Engagement name")).to_have_value(saved.name)
        assert_plain(page, what)

    leadership = team(db, "leadership")
    rename = form_with(page, "Rename team")  # the first team (the leadership team) is chosen by default
    for name, payload in pick("markdown", "script-tag", "whitespace-only", "bidi-overrides", "emoji", "sql"):
        before = team(db, "leadership")
        field(rename, "New name").fill(fit(payload, 60))
        want = stored(field(rename, "New name").input_value(), one_line=True)
        rename.get_by_role("button", name="Rename team").click()
        if not want:
            wait_error(page, "Team name is empty")
            assert team(db, "leadership").name == before.name, name
        else:
            saved = wait_for(lambda: (t := team(db, "leadership")).name != before.name and t, name)
            assert saved.name == want, name
            wait_shown(page, f"{saved.name}: http", exact=False, what=f"team link of {name!r}")
        assert_plain(page, f"team name {name!r}")
    teams.rename(db, leadership.id, "Leadership team")

    engagement = engagements.current(db)
    join = laptop(f"{server.url}/?code={CODE}")
    wait_shown(join, f"Workshop: {engagement.name}", what="the engagement name on the join page")
    assert_plain(join, "join page")


def test_sorting_exercise_items_keep_hostile_text_as_plain_text(server, db, workshop, laptop):
    stores = team(db, "stores")
    go_to_item(db, workshop, "exercise")
    page = laptop(f"{server.url}/team?team=stores&code={CODE}")
    form = form_with(page, "Add")
    entry = "Metric or task you already track"
    shown = []
    for name, payload in pick("html-bold", "markdown", "colour-directive", "whitespace-only", "combining-marks",
                              "nul-and-controls", "10000-chars", "latex"):
        count = len(exercise.sorted_for(db, stores.engagement_id, stores.id))
        expect(field(form, entry)).to_have_count(1)  # the last add's form has been replaced by the empty one
        field(form, entry).fill(fit(payload, 300))
        want = stored(field(form, entry).input_value())
        form.get_by_role("button", name="Add", exact=True).click()
        if not want:
            wait_error(page, "The metric or task is empty")
            assert len(exercise.sorted_for(db, stores.engagement_id, stores.id)) == count, name
        else:
            saved = wait_for(lambda: (s := exercise.sorted_for(db, stores.engagement_id, stores.id))
                             and len(s) > count and s[-1], name)
            assert saved.text == want, name
            wait_shown(page, f"{exercise.CATEGORIES[saved.category]}: {saved.text}", what=name)
            shown.append(saved.text)
        assert_plain(page, f"sorted metric {name!r}")
    projector = laptop(f"{server.url}/projector?code={CODE}")
    for saved_text in shown:
        wait_shown(projector, f"{saved_text} — Stores team", what="the projector's sorted lists")
    assert_plain(projector, "projector, exercise view")


def test_share_out_comments_keep_hostile_text_as_plain_text(server, db, workshop, laptop):
    finance, stores = team(db, "finance"), team(db, "stores")
    go_to_item(db, workshop, "share-out")
    if not drafts.load(db, finance.id).objectives:  # when run on its own
        drafts.add_objective(db, finance, ObjectiveFields(text=CORPUS["sql"]), DeploymentParameters(), "test")
    runs.present(db, workshop.id, finance.id, 0)
    objective = drafts.load(db, finance.id).objectives[0]
    page = laptop(f"{server.url}/team?team=stores&code={CODE}")
    wait_shown(page, objective.fields.text, what="the presenting team's objective (a hostile text)")
    form = form_with(page, "Send")
    for name, payload in pick("script-tag", "markdown-block", "bidi-overrides", "whitespace-only", "sql",
                              "10000-chars", "img-onerror"):
        count = len(comments.on_team(db, finance.id))
        # A redraw draws the form anew before the old one leaves the page: a person types into the one left.
        expect(form.get_by_label("Comment", exact=True)).to_have_count(1)
        field(form, "Comment").fill(fit(payload, 1000))
        want = stored(field(form, "Comment").input_value())
        form.get_by_role("button", name="Send").click()
        if not want:
            wait_error(page, "Write a comment or choose a key result")
            assert len(comments.on_team(db, finance.id)) == count, name
        else:
            saved = wait_for(lambda: (c := comments.on_team(db, finance.id)) and len(c) > count and c[-1], name)
            assert saved.text == want and saved.from_team == stores.name, name
            expect(page.get_by_text("Sent to Finance team.").first).to_be_visible()
            # "Sent to …" stays for a few seconds, so it can be the last send's: the page has settled once the
            # sent form has left and the empty one is the only one (typing into the leaving one is lost).
            expect(form.locator("input:placeholder-shown[aria-label='Comment']")).to_have_count(1)
            expect(form.get_by_label("Comment", exact=True)).to_have_count(1)
        assert_plain(page, f"share-out comment {name!r}")

    finance_page = laptop(f"{server.url}/team?team=finance&code={CODE}")
    finance_page.locator("[data-testid='stExpander']").filter(has_text="Comments from other teams").locator(
        "summary").click()
    for comment in comments.on_team(db, finance.id):
        wait_shown(finance_page, f"Stores team: {comment.text}", what="a comment on the presenting team's page")
    assert_plain(finance_page, "the presenting team's page")
    projector = laptop(f"{server.url}/projector?code={CODE}")
    wait_shown(projector, objective.fields.text, what="the projector's presenter view")
    assert_plain(projector, "projector, presenter view")
    go_to_item(db, workshop, "breakout")


def test_workshop_code_field_and_link_parameters_show_nothing_as_markup(server, laptop):
    page = None
    for name, payload in pick("script-tag", "markdown", "bidi-overrides", "nul-and-controls"):
        page = visit(laptop, page, f"{server.url}/")
        code = page.get_by_label("Workshop code", exact=True).filter(visible=True)
        code.fill(fit(payload, 40))
        page.get_by_role("button", name="Continue").click()
        wait_error(page, "That is not this workshop's code")
        expect(page.get_by_role("combobox", name="Team")).to_have_count(0)
        assert_plain(page, f"workshop code {name!r}")
    for query in ({"team": CORPUS["img-onerror"], "code": CORPUS["script-tag"]},
                  {"team": CORPUS["markdown"], "code": CODE}, {"code": CORPUS["markdown"]}):
        assert_plain(visit(laptop, page, f"{server.url}/team?{urlencode(query)}"), f"link with {query}")


# --- exports ------------------------------------------------------------------------------------------
def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_exports_downloaded_after_the_hostile_workshop_stay_valid(server, db, workshop, laptop, tmp_path):
    engagement = engagements.current(db)
    page = laptop(f"{server.url}/export?fac={access.sign_in(db, PIN)}")
    files = {}

    def download(label: str) -> bytes:
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        return path.read_bytes()

    files["pack"] = download("Download the draft pack (.docx)")
    files["csv"] = download("Download the CSV for the OKR tool")
    files["json"] = download("Download a JSON backup")
    page.get_by_role("combobox", name="Handout for").click()
    page.get_by_role("option", name="Finance team, with its draft").click()
    wait_idle(page)
    files["handout"] = download("Download the handout (.docx)")
    assert_plain(page, "export page")

    pack_text = _docx_text(files["pack"])
    assert CORPUS["script-tag"] in pack_text and CORPUS["rtl-scripts"] in pack_text  # parking lot, shown as text
    handout_text = _docx_text(files["handout"])
    assert "Finance team" in handout_text

    table = pd.read_csv(io.BytesIO(files["csv"]), dtype=str, keep_default_na=False)
    assert list(table.columns) == list(csv_export.COLUMNS)
    assert table.to_dict("records") == csv_export.rows(db, engagement)

    content = backup.read_backup(files["json"], "downloaded.json")
    assert [r["text"] for r in content["parking_lot"]] == [p.text for p in runs.parked(db, engagement.id)]
    assert [r["text"] for r in content["candidates"]] == [
        c.text for c in sorted(executive.ranking(db, engagement.id), key=lambda c: c.id)]
    assert "pin_hash" not in content["engagement"]


# --- CSV and JSON import of the corpus -----------------------------------------------------------------
AS_WRITTEN = DeploymentParameters(max_objectives=99, max_key_results=99)


def corpus_store(path: Path, name: str = "Hostile corpus", skip: tuple[str, ...] = ()) -> tuple[Store, dict]:
    """A store holding every corpus text the app accepts in every field; returns it and the refusals."""
    store = Store(path)
    engagement, _ = engagements.ensure_current(store)
    engagement = engagements.update(
        store, engagement.id, name=name, client=fit(CORPUS["bidi-overrides"], 200),
        facilitator=fit(CORPUS["markdown"], 200), cycle_kind="quarter", cycle_start=date(2026, 1, 5),
        cycle_end=None, params=DeploymentParameters())
    teams.add(store, engagement.id, "Leadership team", kind="top")
    asking = teams.add(store, engagement.id, "Stores team", slug="stores")
    asked = teams.add(store, engagement.id, "Online store team", slug="online-store")
    refused = {}

    def attempt(what: str, action: Callable[[], object]) -> object:
        try:
            return action()
        except InputError as error:
            refused[what] = str(error)
            return None

    for label, payload in HOSTILE_TEXTS:
        if label in skip:
            continue
        asking = teams.by_slug(store, engagement.id, "stores")
        attempt(f"purpose {label}", lambda: teams.save_purpose(store, asking, payload, asking.purpose_version,
                                                                "corpus"))
        objective = attempt(f"objective {label}", lambda: drafts.add_objective(
            store, asking, ObjectiveFields(text=payload, why_now=payload), AS_WRITTEN, fit(payload, 60)))
        if objective:
            kr = attempt(f"key result {label}", lambda: drafts.add_key_result(
                store, asking, objective.id, KeyResultFields(
                    text=payload, unit=fit(payload, 40), champion=fit(payload, 120),
                    contributors=fit(payload, 500), baseline=1, target=2, depends_on=(asked.id,)),
                AS_WRITTEN, engagement.cycle_end, "corpus"))
            attempt(f"comment {label}", lambda: comments.add(store, asked, objective.id, None, fit(payload, 1000)))
            if kr:
                request = next(r for r in dependencies.asked_of(store, asked.id) if r.key_result_id == kr.id)
                attempt(f"answer {label}", lambda: dependencies.answer(
                    store, asked, request.id, "accepted", fit(payload, 500), "corpus"))
        attempt(f"parked {label}", lambda: runs.add_parked(store, engagement.id, fit(payload, 500), fit(payload, 100)))
        attempt(f"candidate {label}", lambda: executive.propose(
            store, engagement.id, fit(payload, 500), fit(payload, 300), fit(payload, 100)))
        attempt(f"sorted {label}", lambda: exercise.add(store, asking, fit(payload, 300), "candidate"))
    return store, refused


TEXT_COLUMNS = {"engagement": ("name", "client", "facilitator"), "teams": ("name", "purpose"),
                "objectives": ("text", "why_now", "updated_by"),
                "key_results": ("text", "unit", "champion", "contributors"),
                "dependencies": ("comment", "status"), "parking_lot": ("text", "raised_by"),
                "candidates": ("text", "why", "proposed_by"), "comments": ("text",), "sorted_metrics": ("text",),
                "revisions": ("body", "author", "outcome")}


def texts_of(content: dict) -> dict:
    """Every text a backup carries, table by table, in order (ids and times left out)."""
    result = {"engagement": [tuple(content["engagement"][c] for c in TEXT_COLUMNS["engagement"])]}
    for table, columns in TEXT_COLUMNS.items():
        if table != "engagement":
            result[table] = [tuple(row[c] for c in columns) for row in content[table]]
    return result


def assert_exports_valid(store: Store) -> None:
    engagement = engagements.current(store)
    Document(io.BytesIO(pack.build_pack(store, engagement)))
    for slug in (None, *[t.slug for t in teams.list_teams(store, engagement.id)]):
        Document(io.BytesIO(handout.build_handout(store, engagement, slug)))
    table = pd.read_csv(io.BytesIO(csv_export.build_csv(store, engagement)), dtype=str, keep_default_na=False)
    assert table.to_dict("records") == csv_export.rows(store, engagement)
    backup.read_backup(backup.backup_bytes(store, engagement))


def test_corpus_is_stored_or_refused_with_a_message_and_every_export_stays_valid(tmp_path):
    store, refused = corpus_store(tmp_path / "corpus.db")
    assert set(refused) == {"purpose 10001-chars", "objective 10001-chars", "objective whitespace-only",
                            "parked whitespace-only", "candidate whitespace-only", "sorted whitespace-only"}
    assert "is 10,001 characters long; the limit is 10,000" in refused["objective 10001-chars"]
    assert "is empty" in refused["objective whitespace-only"]
    engagement = engagements.current(store)
    kept = [o.fields.text for o in drafts.load(store, teams.by_slug(store, engagement.id, "stores").id).objectives]
    assert kept == [stored(t) for n, t in HOSTILE_TEXTS if n not in ("10001-chars", "whitespace-only")]
    assert_exports_valid(store)


def test_json_backup_of_the_corpus_round_trips(tmp_path):
    source, _ = corpus_store(tmp_path / "corpus.db")
    data = backup.backup_bytes(source, engagements.current(source))
    target = Store(tmp_path / "restored.db")
    restored = backup.restore(target, backup.read_backup(data, "corpus.json"), "corpus.json")
    again = backup.build_backup(target, restored)
    assert texts_of(again) == texts_of(json.loads(data))
    assert_exports_valid(target)


def test_hand_edited_backup_with_raw_corpus_is_stored_or_refused_with_a_message(tmp_path):
    source, _ = corpus_store(tmp_path / "corpus.db")
    content = backup.build_backup(source, engagements.current(source))
    for number, row in enumerate(content["objectives"]):  # raw texts: control characters, 10,001 characters
        row["text"] = HOSTILE_TEXTS[number % len(HOSTILE_TEXTS)][1]
        row["why_now"] = HOSTILE_TEXTS[(number + 3) % len(HOSTILE_TEXTS)][1]
    content["parking_lot"][0]["text"] = CORPUS["terminal-escapes"]
    target = Store(tmp_path / "raw.db")
    engagements.ensure_current(target)
    name = "raw.json"
    try:
        backup.restore(target, backup.read_backup(json.dumps(content).encode(), name), name)
    except InputError as error:
        assert str(error).startswith((f"{name}:", f"{name}, ")), error  # the file, then the row at fault
    else:
        assert_exports_valid(target)

    content["objectives"][0]["text"] = "lone \ud800 surrogate"  # valid JSON, not storable text
    before = engagements.current(target)
    with pytest.raises(InputError, match="Nothing was changed"):
        backup.restore(target, backup.read_backup(json.dumps(content).encode(), name), name)
    assert engagements.current(target) == before


class Reviewed(NamedTuple):
    """What `python -m okrcoach review` gave: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def _review(capsys, path: Path, *extra: str) -> Reviewed:
    """The review command, run in this process (as `python -m okrcoach review` runs it)."""
    capsys.readouterr()
    status = cli(["review", str(path), *extra])
    return Reviewed(status, *capsys.readouterr())


def test_review_reads_back_the_csv_export_of_the_corpus(tmp_path, capsys):
    store, _ = corpus_store(tmp_path / "corpus.db")
    path = tmp_path / "export.csv"
    path.write_bytes(csv_export.build_csv(store, engagements.current(store)))
    result = _review(capsys, path, "--format", "json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    engagement = engagements.current(store)
    objectives = {o.fields.text for d in drafts.load_all(store, engagement.id) for o in d.objectives}
    key_results = {k.fields.text for d in drafts.load_all(store, engagement.id) for o in d.objectives
                   for k in o.key_results}
    assert {i["objective"] for i in items if i["objective"] is not None} == objectives
    assert {i["key_result"] for i in items if i["key_result"] is not None} == key_results


def _one_row_csv(path: Path, **values: str) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_export.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({**dict.fromkeys(csv_export.COLUMNS, ""), "team": "Stores team", "objective": "Grow",
                     "key_result": "Raise repeat purchases from 22% to 30%", **values})
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("column", ["objective", "why_now", "key_result", "champion", "unit"])
def test_review_of_a_csv_with_the_corpus_reads_each_row_or_names_line_and_field(tmp_path, column):
    for name, payload in HOSTILE_TEXTS:
        path = _one_row_csv(tmp_path / f"{column}.csv", **{column: payload})
        want = stored(payload)  # what the app would have kept, or refused as it would
        try:
            rows = review_export.read_export(path)
        except InputError as error:
            assert f"{path.name}, line 2, field '{column}'" in str(error), (name, error)
            assert len(want) > LIMIT or not want and column == "objective", (name, error)
        else:
            assert len(rows) == 1 and rows[0][column] == want, name


def test_review_command_refuses_a_csv_naming_line_and_field(tmp_path, capsys):
    result = _review(capsys, _one_row_csv(tmp_path / "empty.csv", objective="  "))
    assert result.returncode == 2 and "empty.csv, line 2, field 'objective'" in result.stderr


# --- bugs the corpus found --------------------------------------------------------------------------------
def test_adding_a_team_shows_its_name_as_plain_text(server, db, laptop):
    page = laptop(f"{server.url}/setup?fac={access.sign_in(db, PIN)}")
    form = form_with(page, "Add team")
    field(form, "New team name").fill(fit(MARKDOWN, 60))
    form.get_by_role("button", name="Add team").click()
    expect(page.get_by_text("Added team").first).to_be_visible()
    wait_idle(page)
    assert_plain(page, "the 'Added team' confirmation")


def test_stale_edit_warning_shows_the_other_laptops_name_as_plain_text(server, db, workshop, laptop):
    go_to_item(db, workshop, "breakout")  # drafting is open whatever an earlier test left on the agenda
    url = f"{server.url}/team?team=customer-care&code={CODE}"
    first, second = laptop(url), laptop(url)
    name = first.get_by_label("Your name (optional)", exact=True)
    name.fill(fit(MARKDOWN, 60))
    name.press("Enter")
    wait_idle(first)
    for page in (first, second):
        expect(page.get_by_role("button", name="Edit objective").first).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Edit objective").first.click()
        expect(form_with(page, "Save objective")).to_be_visible()
    field(form_with(first, "Save objective"), "Objective").fill("Saved first, from the laptop with the name")
    form_with(first, "Save objective").get_by_role("button", name="Save objective").click()
    expect(first.get_by_text("Saved objective 1").first).to_be_visible()
    field(form_with(second, "Save objective"), "Objective").fill("Saved second, on an old version")
    form_with(second, "Save objective").get_by_role("button", name="Save objective").click()
    expect(second.get_by_role("button", name="Keep my version")).to_be_visible()
    assert_plain(second, "the stale-edit warning")


def test_agenda_item_titles_show_as_plain_text_on_team_laptops(server, db, laptop):
    engagement = engagements.current(db)
    title = fit(MARKDOWN, 200)
    # What each kind of item shows of its title on a team laptop; the breakout last, for the tests after this.
    shown = {"talk": f"Now: {title}. Your draft is below, read-only", "exercise": title, "vote": title,
             "review": f"Now: {title}. Answer the requests", "breakout": f"Breakout: {title}. Draft together"}
    item = agendas.AgendaItem(title, 10, "talk", (), "")
    agenda = agendas.Agenda("hostile-title", "Hostile title", "team-drafting", "Teams", 10, "", (item,),
                            ROOT / "agendas" / "team-drafting.toml")
    run = runs.start_run(db, engagement.id, agenda)
    # What set-up's "Save agenda changes" does with the edited rows:
    runs.adapt(db, run.id, [{"title": title, "minutes": 10, "kind": kind} for kind in shown])
    runs.act(db, run.id, "start", time.time())
    page = laptop(f"{server.url}/team?team=stores&code={CODE}")
    for index, (kind, words) in enumerate(shown.items()):
        if index:
            runs.act(db, run.id, "jump", time.time(), index=index)
        wait_shown(page, words, exact=words == title, what=f"the title of a {kind} item")
        wait_idle(page)
        assert_plain(page, f"the title of a {kind} item")


def test_name_in_the_sidebar_is_stored_without_control_characters(server, db, laptop):
    care = team(db, "customer-care")
    page = laptop(f"{server.url}/team?team=customer-care&code={CODE}")
    name = page.get_by_label("Your name (optional)", exact=True)
    name.fill("Ana\x01\x02\x1b[31m Lee")
    name.press("Enter")
    wait_idle(page)
    before = drafts.load(db, care.id).objectives[1]
    page.get_by_role("button", name="Edit objective").nth(1).click()
    form_with(page, "Save objective").get_by_role("button", name="Save objective").click()
    saved = wait_for(lambda: (o := drafts.load(db, care.id).objectives[1]).version > before.version and o, "save")
    assert saved.updated_by == stored("Ana\x01\x02\x1b[31m Lee", one_line=True) + " (Customer care team)"


def test_voter_with_a_tab_in_the_name_sees_the_dots_placed_when_coming_back(server, db, laptop):
    engagement = engagements.current(db)
    page = laptop(f"{server.url}/executive?code={CODE}")
    voter = page.get_by_label("Your name (optional)", exact=True)
    voter.fill("Priya\tLee")  # pasted from a spreadsheet
    voter.press("Enter")
    wait_idle(page)
    ballot = form_with(page, "Cast my dots")
    expect(field(ballot, "Dots for 1")).to_have_value("0")
    field(ballot, "Dots for 1").fill("1")
    ballot.get_by_role("button", name="Cast my dots").click()
    laptop_id = page.evaluate("new URLSearchParams(location.search).get('laptop')")
    wait_for(lambda: executive.ballot(db, engagement.id, laptop_id), "the dots of 'Priya Lee'")
    assert laptops.name(db, laptop_id) == "Priya Lee"
    again = laptop(page.url)  # the same laptop, later: its link keeps its ballot
    expect(field(form_with(again, "Cast my dots"), "Dots for 1")).to_have_value("1", timeout=5_000)
    expect(again.get_by_label("Your name (optional)", exact=True)).to_have_value("Priya Lee")


def test_c1_control_characters_are_removed_from_typed_text() -> None:
    assert text.clean(CORPUS["c1-controls"], "Text") == "C1 controls here31m end"


def test_one_line_fields_never_keep_a_line_break() -> None:
    assert "\n" not in text.one_line("Stores\rteam", "Team name")


def test_review_reads_back_text_with_unicode_line_breaks(tmp_path):
    store, _ = corpus_store(tmp_path / "corpus.db", skip=tuple(n for n, _ in HOSTILE_TEXTS
                                                               if n not in ("line-separators", "c1-controls")))
    path = tmp_path / "export.csv"
    path.write_bytes(csv_export.build_csv(store, engagements.current(store)))
    rows = review_export.read_export(path)
    assert {r["objective"] for r in rows} == {stored(CORPUS["line-separators"]), stored(CORPUS["c1-controls"])}


def test_review_prints_no_control_characters(tmp_path, capsys):
    path = _one_row_csv(tmp_path / "escapes.csv", objective=CORPUS["terminal-escapes"],
                        champion=CORPUS["nul-and-controls"])
    result = _review(capsys, path)
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\x00\x07\x08\x1b\x7f")


def test_review_names_the_line_a_row_starts_on(tmp_path):
    path = _one_row_csv(tmp_path / "multiline.csv", why_now="First line\nsecond line", objective="  ")
    with pytest.raises(InputError, match=r"multiline\.csv, line 2, field 'objective'"):
        review_export.read_export(path)


def test_review_refuses_text_over_the_apps_limit_naming_line_and_field(tmp_path):
    path = _one_row_csv(tmp_path / "long.csv", objective=CORPUS["10001-chars"])
    with pytest.raises(InputError, match=r"long\.csv, line 2, field 'objective'"):
        review_export.read_export(path)


# --- restore through the export page (last: it replaces the engagement in use) --------------------------
def _restore(page: Page, path: Path) -> None:
    page.locator("input[type='file']").set_input_files(path)
    expect(page.get_by_text(path.name)).to_be_visible()
    page.get_by_text("Archive the engagement in use and restore this backup in its place").click()
    form_with(page, "Restore").get_by_role("button", name="Restore").click()


def test_restore_on_the_export_page_round_trips_the_corpus(server, db, laptop, tmp_path):
    source, _ = corpus_store(tmp_path / "corpus.db", name="Restored hostile corpus")
    path = tmp_path / "hostile-backup.json"
    path.write_bytes(backup.backup_bytes(source, engagements.current(source)))
    page = laptop(f"{server.url}/export?fac={access.sign_in(db, PIN)}")
    _restore(page, path)
    expect(page.get_by_text("Restored 'Restored hostile corpus'").first).to_be_visible()
    assert_plain(page, "restore confirmation")
    restored = engagements.current(db)
    assert texts_of(backup.build_backup(db, restored)) == texts_of(json.loads(path.read_bytes()))
    team_page = laptop(f"{server.url}/team?team=stores&code={restored.workshop_code}")
    draft = drafts.load(db, teams.by_slug(db, restored.id, "stores").id)
    for objective in draft.objectives[:6]:
        wait_shown(team_page, objective.fields.text, what="a restored objective")
    assert_plain(team_page, "team page after restore")


def test_restore_confirmation_shows_the_engagement_name_as_plain_text(server, db, laptop, tmp_path):
    source, _ = corpus_store(tmp_path / "corpus.db", name=fit(MARKDOWN, 200), skip=tuple(CORPUS))
    path = tmp_path / "markdown-name.json"
    path.write_bytes(backup.backup_bytes(source, engagements.current(source)))
    page = laptop(f"{server.url}/export?fac={access.sign_in(db, PIN)}")
    _restore(page, path)
    expect(page.get_by_text("The engagement that was in use is archived").first).to_be_visible()
    assert_plain(page, "restore confirmation")
