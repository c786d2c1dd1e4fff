"""The set-up page: only for the facilitator; engagement, parameters, teams, access, demo."""

from okrcoach.workshop import engagements, teams
from tests.pages.conftest import CODE, visit


def open_setup(app, token: str | None):
    return visit(app, "setup", fac=token)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_setup_without_pin_shows_only_the_sign_in(app):
    at = open_setup(app, None)
    assert not at.exception
    assert at.title[0].value == "Facilitator sign-in"
    assert [t.label for t in at.text_input] == ["Facilitator PIN"]
    assert CODE not in str([c.value for c in at.code])


def test_setup_shows_engagement_and_teams(app, facilitator_token):
    at = open_setup(app, facilitator_token)
    assert not at.exception
    assert at.text_input[0].value.startswith("Fernhollow")
    assert at.code[0].value == CODE
    assert len(next(d for d in at.dataframe if "Link name" in d.value.columns).value) == 5


def test_custom_cycle_ending_before_it_starts_is_refused(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    before = engagements.current(demo_store)
    at.selectbox[0].select("custom")
    at.date_input[1].set_value(before.cycle_start.replace(year=before.cycle_start.year - 1))
    button(at, "Save engagement").click().run()
    assert "must end after it starts" in at.error[0].value
    assert engagements.current(demo_store) == before


def test_parameters_are_saved(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    at.number_input[0].set_value(2)
    at.checkbox[0].uncheck()
    button(at, "Save engagement").click().run()
    assert not at.exception
    params = engagements.current(demo_store).params
    assert (params.max_objectives, params.milestones_allowed) == (2, False)


def test_add_team_and_refuse_a_duplicate(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    new_name = next(t for t in at.text_input if t.label == "New team name")
    new_name.input("People & Culture")
    button(at, "Add team").click().run()
    engagement = engagements.current(demo_store)
    assert teams.by_slug(demo_store, engagement.id, "people-culture") is not None
    new_name = next(t for t in at.text_input if t.label == "New team name")
    assert new_name.value == ""  # cleared for the next team
    new_name.input("People  Culture")
    button(at, "Add team").click().run()
    assert "exists already" in at.error[0].value
    assert next(t for t in at.text_input if t.label == "New team name").value == "People  Culture"  # kept


def test_added_team_is_confirmed_with_its_name_as_plain_text(app, facilitator_token):
    at = open_setup(app, facilitator_token)
    next(t for t in at.text_input if t.label == "New team name").input("**Ops** [x](http://e.invalid)")
    button(at, "Add team").click().run()
    assert any('data-testid="okc-success"' in h.proto.body and "Added team **Ops** [x](http://e.invalid)"
               in h.proto.body for h in at.get("html"))
    assert not any("Ops" in e.value for e in [*at.markdown, *at.success, *at.caption])
    # The toast renders markdown: the name reaches it escaped, its link broken by an invisible word joiner.
    assert at.toast[0].value.startswith("Added team \\*\\*Ops\\*\\* \\[x\\]\\(http\\:\u2060\\/\\/e\\.invalid\\)")


def test_removing_a_team_with_drafts_asks_for_confirmation(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    remove_box = next(s for s in at.selectbox if s.label == "Team to remove")
    stores = teams.by_slug(demo_store, engagements.current(demo_store).id, "stores")
    remove_box.select(stores.id)
    button(at, "Remove team").click().run()
    assert "Tick the box to confirm" in at.warning[0].value
    assert teams.by_slug(demo_store, engagements.current(demo_store).id, "stores") is not None


def test_load_demo_archives_the_engagement_in_use(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    button(at, "Load demo engagement").click().run()
    assert not at.exception
    assert len(engagements.archived(demo_store)) == 1


def test_start_new_engagement_needs_confirmation(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    next(t for t in at.text_input if t.label == "Name of the new engagement").input("Acme Q3")
    button(at, "Start a new engagement").click().run()
    assert "Tick the box" in at.warning[0].value
    assert engagements.current(demo_store).name.startswith("Fernhollow")


def test_choosing_an_agenda_starts_a_run_and_its_copy_can_be_adapted(app, facilitator_token, demo_store):
    from okrcoach.workshop import runs
    at = open_setup(app, facilitator_token)
    agenda_box = next(s for s in at.selectbox if s.label == "Agenda for this workshop")
    agenda_box.select("fundamentals")
    button(at, "Use this agenda").click().run()
    assert "Tick the box" in at.warning[0].value  # the demo's agenda is in use: ask before replacing it
    assert runs.current(demo_store, engagements.current(demo_store).id).agenda_slug == "team-drafting"
    next(c for c in at.checkbox if c.label.startswith("Yes, replace the agenda in use")).check()
    button(at, "Use this agenda").click().run()
    run = runs.current(demo_store, engagements.current(demo_store).id)
    assert run.agenda_slug == "fundamentals"
    at.session_state[f"adapt-{run.id}"] = {"edited_rows": {0: {"Minutes": 9, "Title": "Welcome, briefly"}},
                                           "added_rows": [], "deleted_rows": [1]}
    at.run()
    button(at, "Save agenda changes").click().run()
    assert not at.exception
    adapted = runs.current(demo_store, engagements.current(demo_store).id)
    assert (adapted.items[0].title, adapted.items[0].minutes) == ("Welcome, briefly", 9)
    assert len(adapted.items) == len(run.items) - 1
    assert adapted.items[0].prompts == run.items[0].prompts  # prompts and notes travel with the item
    assert adapted.items[1].title == run.items[2].title


def test_a_row_added_to_the_agenda_table_is_saved_in_its_chosen_place(app, facilitator_token, demo_store):
    from okrcoach.workshop import runs
    at = open_setup(app, facilitator_token)
    run = runs.current(demo_store, engagements.current(demo_store).id)
    at.session_state[f"adapt-{run.id}"] = {"edited_rows": {}, "deleted_rows": [],
                                           "added_rows": [{"Title": "Energiser", "Minutes": 5, "Order": 2}]}
    at.run()
    button(at, "Save agenda changes").click().run()
    assert not at.exception and not at.error
    adapted = runs.current(demo_store, engagements.current(demo_store).id)
    assert [item.title for item in adapted.items][:3] == [run.items[0].title, "Energiser", run.items[1].title]
    assert len(adapted.items) == len(run.items) + 1


def test_the_agenda_offered_first_fits_the_engagement(app, facilitator_token, demo_store):
    from okrcoach.workshop import runs
    with demo_store.write() as db:
        db.execute("UPDATE runs SET archived_at = 1")
    at = open_setup(app, facilitator_token)
    offered = next(s for s in at.selectbox if s.label == "Agenda for this workshop")
    assert offered.value == "team-drafting"  # the demo's leaders have drafted: teams draft next
    assert runs.current(demo_store, engagements.current(demo_store).id) is None


def test_a_broken_agenda_file_is_named_and_the_others_still_load(app, facilitator_token, monkeypatch, tmp_path):
    from okrcoach.workshop import agendas
    folder = tmp_path / "agendas"
    folder.mkdir()
    (folder / "good.toml").write_text((agendas.AGENDAS_DIR / "fundamentals.toml").read_text())
    (folder / "broken.toml").write_text('title = "x"\nkind = "fundamentals"\nminutes = "ten"\n')
    monkeypatch.setattr(agendas.load_agendas, "__defaults__", (folder,))
    at = open_setup(app, facilitator_token)
    assert any('data-testid="okc-error"' in h.proto.body and "broken.toml" in h.proto.body for h in at.get("html"))
    offered = next(s for s in at.selectbox if s.label == "Agenda for this workshop").options
    assert len(offered) == 1 and "fundamentals" in offered[0].lower()


def test_language_and_time_zone_are_saved(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    next(s for s in at.selectbox if s.label == "Language and region").select("en_US")
    next(s for s in at.selectbox if s.label == "Time zone").select("America/Chicago")
    button(at, "Save language and time zone").click().run()
    assert not at.exception
    saved = engagements.current(demo_store)
    assert (saved.language, saved.time_zone) == ("en_US", "America/Chicago")


def test_a_save_keeps_the_same_fields_and_a_change_made_elsewhere_fills_them_again(app, facilitator_token, demo_store):
    at = open_setup(app, facilitator_token)
    name = next(t for t in at.text_input if t.label == "Engagement name")
    ids = [w.id for w in (*at.text_input, *at.number_input)]
    name.input("  Spring planning  ")
    button(at, "Save engagement").click().run()
    assert not at.exception
    # The same widgets, not ones drawn anew around the saved values (a field drawn anew shows twice for a moment).
    assert [w.id for w in (*at.text_input, *at.number_input)] == ids
    assert next(t for t in at.text_input if t.label == "Engagement name").value == "Spring planning"  # as stored
    engagement = engagements.current(demo_store)
    engagements.update(demo_store, engagement.id, name=engagement.name, client="Another laptop's client",
                       facilitator=engagement.facilitator, cycle_kind=engagement.cycle_kind,
                       cycle_start=engagement.cycle_start, cycle_end=engagement.cycle_end, params=engagement.params)
    at.run()
    assert next(t for t in at.text_input if t.label == "Client").value == "Another laptop's client"
    assert next(t for t in at.text_input if t.label == "Engagement name").value == "Spring planning"
