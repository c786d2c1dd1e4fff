"""Hostile input on the other pages, real Chromium against `streamlit run`: the console's parking lot, the
executive session, set-up, the join page and link parameters; then the exports downloaded and re-opened,
and a backup of the corpus restored on the export page (last: it replaces the engagement in use).

The checks are the team page's (test_hostile_team_page.py). The bugs the corpus found on a page are
kept here as tests of their own.
"""

import io
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest
from docx import Document
from playwright.sync_api import Page, expect

from okrcoach.drafting import drafts, executive
from okrcoach.exports import backup, csv_export
from okrcoach.storage.store import Store
from okrcoach.workshop import access, agendas, engagements, laptops, runs, teams
from tests.data.hostile import CORPUS, HOSTILE_TEXTS, fit, stored
from tests.data.hostile_store import corpus_store, texts_of
from tests.e2e.conftest import CODE, PIN, ROOT, wait_idle
from tests.e2e.hostile_pages import (MARKDOWN, assert_plain, field, form_with, go_to_item, pick, team, wait_error,
                                    wait_for, wait_shown)
from tests.e2e.hostile_pages import db, laptop, workshop  # fixtures the tests take
from tests.e2e.laptops import visit

pytestmark = pytest.mark.timeout(240)


def test_console_parking_lot_keeps_hostile_text_as_plain_text(server, db, workshop, laptop):
    engagement = engagements.current(db)
    page = laptop(f"{server.url}/console?fac={access.sign_in(db, PIN)}")
    form = form_with(page, "Park it")
    for name, payload in pick("markdown-block", "script-tag", "terminal-escapes", "whitespace-only", "rtl-scripts",
                              "latex", "10000-chars", "colour-directive"):
        count = len(runs.parked(db, engagement.id))
        # A redraw draws the form anew before the old one leaves the page: a person types into the one left.
        expect(field(form, "Deferred question or topic")).to_have_count(1)
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
        expect(field(form, "Candidate objective")).to_have_count(1)  # the last save's form has left the page
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
    files["handout"] = download("Download the handout for Finance team (.docx)")  # the button drawn for the choice
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


def _restore(server, db: Store, laptop, source: Store, path: Path) -> Page:
    """Back up `source` to `path` and restore it on the export page, in place of the engagement in use."""
    path.write_bytes(backup.backup_bytes(source, engagements.current(source)))
    page = laptop(f"{server.url}/export?fac={access.sign_in(db, PIN)}")
    page.locator("input[type='file']").set_input_files(path)
    expect(page.get_by_text(path.name)).to_be_visible()
    page.get_by_text("Archive the engagement in use and restore this backup in its place").click()
    form_with(page, "Restore").get_by_role("button", name="Restore").click()
    return page


def test_restore_on_the_export_page_round_trips_the_corpus(server, db, laptop, tmp_path):
    source, _ = corpus_store(tmp_path / "corpus.db", name="Restored hostile corpus")
    path = tmp_path / "hostile-backup.json"
    page = _restore(server, db, laptop, source, path)
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
    page = _restore(server, db, laptop, source, tmp_path / "markdown-name.json")
    expect(page.get_by_text("The engagement that was in use is archived").first).to_be_visible()
    assert_plain(page, "restore confirmation")
