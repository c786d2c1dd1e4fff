from dataclasses import replace
from datetime import date, timedelta

import pytest

from okrcoach.errors import InputError
from okrcoach.workshop import access, engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters, cycle_end_for


def engagement_row(store, engagement_id) -> dict:
    with store.read() as db:
        return db["engagements"].get(engagement_id)


def update_args(**changes) -> dict:
    args = {"name": "Fernhollow launch", "client": "Fernhollow", "facilitator": "Marta", "cycle_kind": "quarter",
            "cycle_start": date(2025, 1, 6), "cycle_end": None, "params": DeploymentParameters()}
    return {**args, **changes}


# --- the engagement a fresh database starts with --------------------------------------------------


def test_ensure_current_creates_one_engagement_and_returns_its_pin_once(store):
    first, pin = engagements.ensure_current(store, today=date(2025, 1, 6))
    again, no_pin = engagements.ensure_current(store)
    assert pin is not None and len(pin) == 6 and pin.isdigit()
    assert no_pin is None
    assert again == first
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM engagements").fetchone()[0] == 1


def test_ensure_current_starts_a_quarter_today_with_the_default_parameters(store):
    engagement, _ = engagements.ensure_current(store, today=date(2025, 1, 6))
    assert engagement.cycle_kind == "quarter"
    assert (engagement.cycle_start, engagement.cycle_end) == (date(2025, 1, 6), date(2025, 4, 5))
    assert engagement.params == DeploymentParameters()
    assert len(engagement.workshop_code) == 6
    assert set(engagement.workshop_code) <= set(access.CODE_ALPHABET)


def test_the_pin_ensure_current_returns_signs_in_and_is_not_stored_in_clear(store):
    engagement, pin = engagements.ensure_current(store)
    assert access.sign_in(store, pin, now=1_700_000_000.0)
    assert pin not in engagement_row(store, engagement.id)["pin_hash"]


def test_current_is_none_on_an_empty_database(store):
    assert engagements.current(store) is None


# --- cycle dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, start, end", [
    ("quarter", date(2025, 1, 1), date(2025, 3, 31)),
    ("quarter", date(2025, 4, 1), date(2025, 6, 30)),
    ("quarter", date(2025, 1, 6), date(2025, 4, 5)),
    ("4-month", date(2025, 1, 1), date(2025, 4, 30)),
    ("4-month", date(2025, 9, 1), date(2025, 12, 31)),
    # A start on the 31st: three months on is 30 April (clamped), so the cycle ends the day before.
    ("quarter", date(2025, 1, 31), date(2025, 4, 29)),
    ("4-month", date(2025, 1, 31), date(2025, 5, 30)),
    ("quarter", date(2025, 3, 31), date(2025, 6, 29)),
    # Crossing the year, into February of a common and of a leap year.
    ("quarter", date(2025, 11, 1), date(2026, 1, 31)),
    ("quarter", date(2025, 12, 1), date(2026, 2, 28)),
    ("quarter", date(2023, 12, 1), date(2024, 2, 29)),
    ("quarter", date(2025, 11, 30), date(2026, 2, 27)),
    ("quarter", date(2023, 11, 30), date(2024, 2, 28)),
    ("4-month", date(2025, 11, 1), date(2026, 2, 28)),
    ("4-month", date(2025, 11, 15), date(2026, 3, 14)),
    ("4-month", date(2025, 10, 31), date(2026, 2, 27)),
])
def test_cycle_end_for_is_the_day_before_the_same_date_months_later(kind, start, end):
    assert cycle_end_for(kind, start) == end


@pytest.mark.parametrize("kind, shortest, longest", [("quarter", 88, 91), ("4-month", 119, 122)])
def test_cycle_end_for_every_start_day_over_four_years_gives_a_cycle_of_sensible_length(kind, shortest, longest):
    start = date(2023, 1, 1)
    previous_end = None
    while start < date(2027, 1, 1):
        end = cycle_end_for(kind, start)
        assert shortest <= (end - start).days <= longest, start
        assert previous_end is None or end >= previous_end, start
        previous_end = end
        start += timedelta(days=1)


def test_cycles_started_the_day_after_the_previous_one_ended_tile_the_year():
    start = date(2025, 1, 31)
    for _ in range(8):
        end = cycle_end_for("quarter", start)
        assert end > start
        start = end + timedelta(days=1)
    assert start.year == 2027


# --- updating the settings ------------------------------------------------------------------------


def test_update_saves_settings_and_computes_the_end_of_a_quarter(store, engagement):
    updated = engagements.update(store, engagement.id, **update_args(
        cycle_end=date(2030, 1, 1), params=DeploymentParameters(("team",), 2, 1, 3, False)))
    assert updated.name == "Fernhollow launch"
    assert (updated.client, updated.facilitator) == ("Fernhollow", "Marta")
    assert updated.cycle_end == date(2025, 4, 5)
    assert updated.params == DeploymentParameters(("team",), 2, 1, 3, False)
    assert engagements.current(store) == updated


def test_update_keeps_the_end_date_of_a_custom_cycle(store, engagement):
    updated = engagements.update(store, engagement.id, **update_args(
        cycle_kind="custom", cycle_start=date(2025, 2, 1), cycle_end=date(2025, 6, 15)))
    assert (updated.cycle_kind, updated.cycle_end) == ("custom", date(2025, 6, 15))


def test_update_bumps_the_engagement_stamp_so_live_screens_redraw(store, engagement):
    before = engagement_row(store, engagement.id)["stamp"]
    engagements.update(store, engagement.id, **update_args())
    assert engagement_row(store, engagement.id)["stamp"] == before + 1


@pytest.mark.parametrize("changes, message", [
    ({"cycle_kind": "custom", "cycle_end": date(2025, 1, 5)}, "end after it starts"),
    ({"cycle_kind": "custom", "cycle_end": date(2025, 1, 6)}, "end after it starts"),
    ({"cycle_kind": "custom", "cycle_end": None}, "end after it starts"),
    ({"cycle_kind": "semester"}, "Cycle must be one of"),
    ({"params": DeploymentParameters(max_objectives=0)}, "Maximum objectives"),
    ({"params": DeploymentParameters(max_objectives=6)}, "Maximum objectives"),
    ({"params": DeploymentParameters(min_key_results=0)}, "Key results per objective"),
    ({"params": DeploymentParameters(min_key_results=5, max_key_results=4)}, "Key results per objective"),
    ({"params": DeploymentParameters(max_key_results=7)}, "Key results per objective"),
    ({"params": DeploymentParameters(levels=())}, "Levels"),
    ({"params": DeploymentParameters(levels=("top", "division"))}, "Levels"),
    ({"name": "   "}, "Engagement name is empty"),
    ({"name": "x" * 201}, "Engagement name"),
])
def test_a_refused_update_says_why_and_leaves_the_stored_engagement_unchanged(store, engagement, changes, message):
    before = engagement_row(store, engagement.id)
    with pytest.raises(InputError, match=message):
        engagements.update(store, engagement.id, **update_args(**changes))
    assert engagement_row(store, engagement.id) == before


def test_validate_params_accepts_the_edges_of_the_allowed_ranges():
    for params in (DeploymentParameters(max_objectives=1), DeploymentParameters(max_objectives=5),
                   DeploymentParameters(min_key_results=1, max_key_results=1),
                   DeploymentParameters(min_key_results=6, max_key_results=6),
                   DeploymentParameters(levels=("team",))):
        assert engagements.validate_params(params) == params


# --- a new engagement -----------------------------------------------------------------------------


def test_start_new_archives_the_old_engagement_and_keeps_its_rows(store, engagement, team):
    new = engagements.start_new(store, "Second client", today=date(2025, 5, 1))
    assert new.id != engagement.id
    assert engagements.current(store) == new
    old = engagement_row(store, engagement.id)
    assert old["archived_at"] is not None
    assert old["name"] == engagement.name
    assert [a["id"] for a in engagements.archived(store)] == [engagement.id]
    assert [t.name for t in teams.list_teams(store, engagement.id)] == ["Leadership team", "Stores team"]
    assert teams.list_teams(store, new.id) == []


def test_start_new_keeps_the_workshop_code_and_the_pin(store):
    old, pin = engagements.ensure_current(store)
    new = engagements.start_new(store, "Second client")
    assert new.workshop_code == old.workshop_code
    assert access.sign_in(store, pin, now=1_700_000_000.0)


def test_start_new_begins_with_a_fresh_quarter_and_default_parameters(store, engagement):
    engagements.update(store, engagement.id, **update_args(params=DeploymentParameters(max_objectives=2)))
    new = engagements.start_new(store, "Second client", today=date(2025, 11, 1))
    assert (new.name, new.cycle_kind, new.cycle_start, new.cycle_end) == (
        "Second client", "quarter", date(2025, 11, 1), date(2026, 1, 31))
    assert new.params == DeploymentParameters()


def test_start_new_refuses_an_empty_name_and_archives_nothing(store, engagement):
    with pytest.raises(InputError, match="Engagement name"):
        engagements.start_new(store, "  ")
    assert engagements.current(store) == engagement
    assert engagements.archived(store) == []


def test_start_new_twice_keeps_every_earlier_engagement_newest_first(store, engagement):
    second = engagements.start_new(store, "Second")
    engagements.start_new(store, "Third")
    assert [a["name"] for a in engagements.archived(store)] == ["Second", engagement.name]
    assert engagements.current(store).name == "Third"
    assert second.workshop_code == engagements.current(store).workshop_code


# --- workshop code and PIN ------------------------------------------------------------------------


def test_switch_to_brings_an_archived_engagement_back_with_its_teams_and_archives_the_one_in_use(store, engagement,
                                                                                                team):
    second = engagements.start_new(store, "Second client")
    engagements.set_pin(store, second.id, "2468")
    stamp = engagement_row(store, engagement.id)["stamp"]
    back = engagements.switch_to(store, engagement.id)
    assert back.id == engagement.id and engagements.current(store) == back
    assert [a["id"] for a in engagements.archived(store)] == [second.id]
    assert [t.name for t in teams.list_teams(store, back.id)] == ["Leadership team", "Stores team"]
    assert access.sign_in(store, "2468", now=1_700_000_000.0)  # the PIN in use carries over
    assert engagement_row(store, back.id)["stamp"] == stamp + 1  # live screens redraw


@pytest.mark.parametrize("target", ["current", 999])
def test_switch_to_refuses_anything_but_an_archived_engagement_and_changes_nothing(store, engagement, target):
    engagements.start_new(store, "Second client")
    before, archived = engagements.current(store), engagements.archived(store)
    with pytest.raises(InputError, match=rf"no archived engagement \d+; the archived ones are {engagement.id}\."):
        engagements.switch_to(store, before.id if target == "current" else target)
    assert engagements.current(store) == before and engagements.archived(store) == archived


@pytest.mark.parametrize("typed, stored", [("abcd42", "ABCD42"), (" ab cd 42 ", "ABCD42"), ("ABCD", "ABCD"),
                                           ("A1B2C3D4E5F6", "A1B2C3D4E5F6")])
def test_set_workshop_code_stores_it_upper_case_without_spaces(store, engagement, typed, stored):
    assert engagements.set_workshop_code(store, engagement.id, typed) == stored
    assert engagements.current(store).workshop_code == stored
    assert access.code_matches(typed, engagements.current(store).workshop_code)


@pytest.mark.parametrize("code", ["", "ABC", "A1B2C3D4E5F6G", "AB-CD", "AB_CD", "ABCD!", "🚀🚀🚀🚀"])
def test_set_workshop_code_refuses_bad_codes_and_keeps_the_old_one(store, engagement, code):
    with pytest.raises(InputError, match=r"4 to 12 letters \(A to Z\) or digits"):
        engagements.set_workshop_code(store, engagement.id, code)
    assert engagements.current(store).workshop_code == engagement.workshop_code


@pytest.mark.parametrize("code", ["CAFÉ42", "ÄBCD", "١٢٣٤٥٦"])
def test_set_workshop_code_refuses_letters_a_team_laptop_may_not_type_alike(store, engagement, code):
    with pytest.raises(InputError):
        engagements.set_workshop_code(store, engagement.id, code)


def test_set_pin_replaces_the_pin(store):
    engagement, old_pin = engagements.ensure_current(store)
    new_pin = "4242" if old_pin != "4242" else "4343"
    engagements.set_pin(store, engagement.id, f" {new_pin} ")
    assert access.sign_in(store, new_pin, now=1_700_000_000.0)
    assert access.sign_in(store, old_pin, now=1_700_000_000.0) is None


@pytest.mark.parametrize("pin", ["", "123", "1234567890123", "12a4", "12 34", "abcd", None])
def test_set_pin_refuses_bad_pins_and_keeps_the_old_one(store, engagement, pin):
    before = engagement_row(store, engagement.id)["pin_hash"]
    with pytest.raises(InputError, match="4 to 12 digits"):
        engagements.set_pin(store, engagement.id, pin)
    assert engagement_row(store, engagement.id)["pin_hash"] == before


def test_set_join_address_keeps_a_plain_address_and_refuses_anything_else(store, engagement):
    assert engagements.set_join_address(store, engagement.id, "http://192.168.1.20:8501/") == "http://192.168.1.20:8501"
    assert engagements.current(store).join_address == "http://192.168.1.20:8501"
    for bad in ("192.168.1.20:8501", "javascript:alert(1)", "http://a b"):
        with pytest.raises(InputError, match="join address"):
            engagements.set_join_address(store, engagement.id, bad)
    assert engagements.current(store).join_address == "http://192.168.1.20:8501"


def test_params_survive_a_round_trip_as_stored(store, engagement):
    params = replace(DeploymentParameters(), levels=("top", "team"), milestones_allowed=False)
    engagements.update(store, engagement.id, **update_args(params=params))
    assert engagements.current(store).params == params


def test_a_new_engagement_writes_in_british_english_on_london_time(engagement):
    assert (engagement.language, engagement.time_zone, engagement.next_steps) == ("en_GB", "Europe/London", ())


def test_language_and_time_zone_are_saved_and_bad_ones_refused_with_the_engagement_unchanged(store, engagement):
    saved = engagements.set_locale(store, engagement.id, "de-DE", "Europe/Berlin")
    assert (saved.language, saved.time_zone) == ("de_DE", "Europe/Berlin")
    for language, zone, message in (("xx_YY", "Europe/Berlin", "not a language we know"),
                                    ("de_DE", "Mars/Olympus", "not a time zone we know"),
                                    ("de_DE", "../../etc/passwd", "not a time zone we know")):
        with pytest.raises(InputError, match=message):
            engagements.set_locale(store, engagement.id, language, zone)
    assert engagements.current(store) == saved


def test_next_steps_are_kept_cleaned_and_can_go_back_to_the_worked_out_ones(store, engagement):
    saved = engagements.set_next_steps(store, engagement.id, [
        engagements.NextStep(" Review\x07 the drafts ", "Sponsor\nteam", "12 March"), engagements.NextStep("")])
    assert saved.next_steps == (engagements.NextStep("Review the drafts", "Sponsor team", "12 March"),)
    with pytest.raises(InputError, match="At most 20 next steps"):
        engagements.set_next_steps(store, engagement.id, [engagements.NextStep(f"Step {n}") for n in range(21)])
    assert engagements.current(store) == saved
    assert engagements.set_next_steps(store, engagement.id, []).next_steps == ()


@pytest.mark.parametrize("stored", ["not json", '{"what": 1}', '[{"what": "x"}]', "[1, 2]"])
def test_next_steps_stored_in_a_shape_this_version_did_not_write_count_as_none(store, engagement, stored):
    with store.write() as db:
        db.execute("UPDATE engagements SET next_steps = ? WHERE id = ?", [stored, engagement.id])
    assert engagements.current(store).next_steps == ()
