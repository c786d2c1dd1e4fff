"""The export page: facilitator only; five downloads; a bad backup is refused and changes nothing; switching back."""

from okrcoach.drafting import demo
from okrcoach.workshop import access, engagements, teams
from tests.pages.conftest import PIN, texts, visit


def open_export(app, token=None):
    return visit(app, "export", fac=token)


def test_export_needs_the_facilitator_pin(app):
    at = open_export(app)
    assert at.title[0].value == "Facilitator sign-in"
    assert not at.get("download_button")


def test_export_offers_pack_csv_handout_and_backup(app, facilitator_token):
    at = open_export(app, facilitator_token)
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the draft pack (.docx)", "Download the CSV for the OKR tool",
                      "Download the workbook for the OKR tool (.xlsx)", "Download the blank handout (.docx)",
                      "Download a JSON backup"]
    assert "Stores team, with its draft" in next(s for s in at.selectbox if s.label == "Handout for").options


def test_the_handout_button_names_the_handout_it_downloads(app, facilitator_token, demo_store):
    at = open_export(app, facilitator_token)
    assert "Download the blank handout (.docx)" in [b.proto.label for b in at.get("download_button")]
    stores = teams.by_slug(demo_store, engagements.current(demo_store).id, "stores")
    teams.rename(demo_store, stores.id, "*Stores* [team]")
    at.run()
    next(s for s in at.selectbox if s.label == "Handout for").select("stores").run()
    labels = [b.proto.label for b in at.get("download_button") if "handout" in b.proto.label]
    assert labels == [r"Download the handout for \*Stores\* \[team\] (.docx)"]  # markdown shown as typed


def test_restore_without_confirmation_or_file_changes_nothing(app, facilitator_token, demo_store):
    before = engagements.current(demo_store)
    at = open_export(app, facilitator_token)
    next(b for b in at.button if b.label == "Restore").click().run()
    assert "tick the box" in at.warning[0].value
    assert engagements.current(demo_store) == before


def test_next_steps_are_worked_out_then_edited_and_kept(app, facilitator_token, demo_store):
    at = open_export(app, facilitator_token)
    assert next(c for c in at.checkbox if c.label.startswith("Put each team's open coaching questions")).value
    at.session_state["next-steps-0"] = {"edited_rows": {0: {"Who": "Stores and web teams"}}, "added_rows": [],
                                        "deleted_rows": [1]}
    at.run()
    next(b for b in at.button if b.label == "Save next steps").click().run()
    assert not at.exception
    kept = engagements.current(demo_store).next_steps
    assert kept[0].what.startswith("Refine the drafts") and kept[0].who == "Stores and web teams"
    assert not any(step.what.startswith("Answer every request") for step in kept)  # the deleted row
    next(b for b in at.button if b.label == "Go back to the worked-out steps").click().run()
    assert engagements.current(demo_store).next_steps == ()


def switch_form(at):
    return (next(s for s in at.selectbox if s.label == "Engagement"),
            next(c for c in at.checkbox if c.label.startswith("Archive the engagement in use and switch back")),
            next(b for b in at.button if b.label == "Switch back"))


def earlier_engagements(at):
    return next(frame.value for frame in at.dataframe if "Engagement" in frame.value.columns)


def test_earlier_engagements_are_listed_and_switching_back_asks_first(app, demo_store):
    demo = engagements.current(demo_store)
    engagements.start_new(demo_store, "Second client")
    at = open_export(app, access.sign_in(demo_store, PIN))  # a new engagement ends earlier sign-ins
    listed = earlier_engagements(at)
    assert list(listed["Engagement"]) == [row["name"] for row in engagements.archived(demo_store)]
    assert listed["Engagement"][0] == demo.name  # newest first
    chosen, sure, switch = switch_form(at)
    assert chosen.value == demo.id
    switch.click().run()
    assert "Tick the box to confirm" in at.warning[0].value
    assert engagements.current(demo_store).name == "Second client"

    _, sure, switch = switch_form(at)
    sure.check()
    switch.click().run()
    assert not at.exception
    assert engagements.current(demo_store).id == demo.id
    assert "Switched back to" in texts(at) and at.title[0].value == "Export"  # still signed in
    assert "Second client" in set(earlier_engagements(at)["Engagement"])



def test_two_earlier_engagements_with_one_name_archived_in_one_minute_stay_two_choices(app, demo_store):
    first = engagements.current(demo_store)
    second = demo.load_demo(demo_store)  # the demo loaded again, then a restore: same name, same minute
    engagements.start_new(demo_store, "Restored copy")
    at = open_export(app, access.sign_in(demo_store, PIN))
    chosen, sure, switch = switch_form(at)
    assert len(set(chosen.options)) == 2, chosen.options
    assert chosen.value == second.id
    sure.check()
    switch.click().run()
    assert engagements.current(demo_store).id == second.id, "switched back to the one chosen, not its namesake"
    chosen, sure, switch = switch_form(at)
    chosen.select(first.id)
    sure.check()
    switch.click().run()
    assert engagements.current(demo_store).id == first.id
