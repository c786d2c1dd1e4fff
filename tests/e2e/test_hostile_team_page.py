"""Hostile input on the team page, real Chromium against `streamlit run`: purpose, objective, Why now?,
key result fields, a dependency's answer, the sorting exercise and share-out comments.

Each field takes hostile texts (tests/data/hostile.py); the objective and Why now? share the whole corpus between
them, every text typed once into one of the two (both are drawn by the same plain-text code, and
tests/test_hostile_corpus.py stores the corpus in every field without a browser). After each save the test checks
that it was either saved (the confirmation, and the database holds the text as typed minus control characters) or
refused with a clear message (and nothing changed); that the page shows the stored text as text (an
element's textContent equals it); that nothing in the document came from the text (no element, link,
maths or colour made of it, no dialog).
"""

import pytest
from playwright.sync_api import expect

from okrcoach.drafting import comments, dependencies, drafts, exercise
from okrcoach.drafting.drafts import ObjectiveFields
from okrcoach.workshop import runs
from okrcoach.workshop.engagements import DeploymentParameters
from tests.data.hostile import CORPUS, HOSTILE_TEXTS, fit, stored
from tests.e2e.conftest import CODE, wait_idle
from tests.e2e.hostile_pages import (assert_plain, field, form_with, go_to_item, pick, refusal, team, wait_error,
                                    wait_for, wait_shown)
from tests.e2e.hostile_pages import db, laptop, workshop  # fixtures the tests take

pytestmark = pytest.mark.timeout(240)


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
    for save, number in enumerate(range(0, len(HOSTILE_TEXTS), 2)):  # text 2n in the objective, 2n+1 in Why now?
        name, payload = HOSTILE_TEXTS[number]
        why_name, why_payload = HOSTILE_TEXTS[(number + 1) % len(HOSTILE_TEXTS)]
        what = f"objective {name!r}, Why now? {why_name!r}"
        if save % 3 == 0:  # now and then another name in the sidebar, recorded with the save
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
    # Text 3n+1 in the key result (10001-chars and whitespace-only among them: both refusals), 3n+2 in the
    # unit and 3n+3 as the champion, so the three fields the card draws share the whole corpus between them.
    for number in range(1, len(HOSTILE_TEXTS), 3):
        kr_name = names[number]
        unit_name, champion_name, contributors_name = (names[(number + k) % len(names)] for k in (1, 2, 11))
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
