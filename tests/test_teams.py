import pytest

from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError, StaleEdit
from okrcoach.storage import revisions
from okrcoach.workshop import engagements, teams


def team_row(store, team_id) -> dict:
    with store.read() as db:
        return db["teams"].get(team_id)


def engagement_stamp(store, engagement_id) -> int:
    with store.read() as db:
        return db["engagements"].get(engagement_id)["stamp"]


# --- slugs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, slug", [
    ("Stores team", "stores-team"),
    ("Équipe Été", "equipe-ete"),
    ("Customer care & support!!", "customer-care-support"),
    ("  --Ops--  ", "ops"),
    ("R&D / Data 2.0", "r-d-data-2-0"),
    ("Straße", "strae"),
    ("Team 🚀 Rocket", "team-rocket"),
])
def test_slugify_keeps_lower_case_ascii_letters_digits_and_single_hyphens(name, slug):
    assert teams.slugify(name) == slug


def test_slugify_is_at_most_forty_characters():
    assert len(teams.slugify("A very long team name " * 5)) <= 40


@pytest.mark.parametrize("name", ["🚀🚀", "!!!", "---", "…"])
def test_add_refuses_a_name_without_a_letter_or_digit_for_its_link(store, engagement, name):
    with pytest.raises(InputError, match="at least one letter or digit"):
        teams.add(store, engagement.id, name)
    assert teams.list_teams(store, engagement.id) == []


@pytest.mark.parametrize("name", ["فريق المبيعات", "צוות המכירות", "Ομάδα", "Продажи", "営業"])
def test_add_accepts_a_name_written_in_a_non_latin_script(store, engagement, name):
    added = teams.add(store, engagement.id, name)
    assert added.name == name and added.slug
    assert teams.by_slug(store, engagement.id, added.slug) == added


def test_add_accepts_a_non_latin_name_when_given_a_slug(store, engagement):
    team = teams.add(store, engagement.id, "فريق المبيعات", slug="sales")
    assert (team.name, team.slug) == ("فريق المبيعات", "sales")


@pytest.mark.parametrize("name", ["", "   ", None])
def test_add_refuses_an_empty_name(store, engagement, name):
    with pytest.raises(InputError, match="Team name is empty"):
        teams.add(store, engagement.id, name)


def test_add_refuses_an_unknown_kind(store, engagement):
    with pytest.raises(InputError, match="kind"):
        teams.add(store, engagement.id, "Board", kind="board")


# --- adding teams ---------------------------------------------------------------------------------


def test_add_stores_the_team_and_lists_the_top_level_team_first(store, engagement):
    first = teams.add(store, engagement.id, "Stores team")
    top = teams.add(store, engagement.id, "Leadership team", kind="top")
    assert (first.name, first.slug, first.kind, first.purpose, first.purpose_version) == (
        "Stores team", "stores-team", "team", "", 0)
    assert teams.list_teams(store, engagement.id) == [top, first]
    assert teams.by_slug(store, engagement.id, "STORES-TEAM ") == first


def test_add_bumps_the_engagement_stamp(store, engagement):
    before = engagement_stamp(store, engagement.id)
    teams.add(store, engagement.id, "Stores team")
    assert engagement_stamp(store, engagement.id) == before + 1


@pytest.mark.parametrize("name, slug", [("Stores team", None), ("stores TEAM!", None), ("Shops", "stores-team")])
def test_add_refuses_a_second_team_with_the_same_link(store, engagement, team, name, slug):
    with pytest.raises(InputError, match="'stores-team' exists already"):
        teams.add(store, engagement.id, name, slug=slug)
    assert len(teams.list_teams(store, engagement.id)) == 2


def test_the_same_slug_is_allowed_in_another_engagement(store, engagement, team):
    new = engagements.start_new(store, "Next client")
    assert teams.add(store, new.id, "Stores team").slug == team.slug


def test_add_refuses_a_second_top_level_team(store, engagement, top_team):
    with pytest.raises(InputError, match="already a top-level team"):
        teams.add(store, engagement.id, "Board", kind="top")
    assert [t.kind for t in teams.list_teams(store, engagement.id)] == ["top"]


def test_by_slug_finds_nothing_for_an_unknown_or_missing_slug(store, engagement, team):
    assert teams.by_slug(store, engagement.id, "nope") is None
    assert teams.by_slug(store, engagement.id, None) is None
    assert teams.by_slug(store, engagement.id + 1, team.slug) is None


# --- renaming and removing ------------------------------------------------------------------------


def test_rename_changes_the_name_and_keeps_the_link(store, engagement, team):
    renamed = teams.rename(store, team.id, "  Retail stores  ")
    assert (renamed.name, renamed.slug) == ("Retail stores", team.slug)
    assert teams.by_slug(store, engagement.id, team.slug).name == "Retail stores"


def test_rename_refuses_an_empty_name_and_keeps_the_old_one(store, team):
    with pytest.raises(InputError, match="Team name is empty"):
        teams.rename(store, team.id, " ")
    assert team_row(store, team.id)["name"] == team.name


def test_remove_keeps_the_rows_and_hides_the_team(store, engagement, team, params):
    objective = drafts.add_objective(store, team, ObjectiveFields("Kept objective", "Because"), params, "Sam")
    drafts.add_key_result(store, team, objective.id, KeyResultFields("Kept key result"), params,
                          engagement.cycle_end, "Sam")

    teams.remove(store, team.id, "coach")

    row = team_row(store, team.id)
    assert row["removed_at"] is not None
    assert row["name"] == team.name
    assert team.id not in {t.id for t in teams.list_teams(store, engagement.id)}
    assert teams.by_slug(store, engagement.id, team.slug) is None
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM objectives WHERE team_id = ?", [team.id]).fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM key_results").fetchone()[0] == 1


def test_remove_writes_a_removed_revision_with_the_teams_drafts(store, team, params):
    drafts.add_objective(store, team, ObjectiveFields("First", "Why one"), params, "Sam")
    drafts.add_objective(store, team, ObjectiveFields("Second"), params, "Sam")
    teams.save_purpose(store, team, "We serve walkers", 0, "Sam")

    teams.remove(store, team.id, "coach")

    [logged] = revisions.history(store, "team", team.id)
    assert (logged["outcome"], logged["author"]) == ("removed", "coach")
    assert logged["body"]["name"] == team.name
    assert logged["body"]["purpose"] == "We serve walkers"
    assert [(o["text"], o["why_now"]) for o in logged["body"]["objectives"]] == [("First", "Why one"), ("Second", "")]


def test_a_removed_teams_link_can_be_used_again(store, engagement, team):
    teams.remove(store, team.id, "coach")
    again = teams.add(store, engagement.id, team.name)
    assert again.slug == team.slug and again.id != team.id


def test_draft_count_counts_objectives_not_removed(store, team, params):
    first = drafts.add_objective(store, team, ObjectiveFields("First"), params, "Sam")
    drafts.add_objective(store, team, ObjectiveFields("Second"), params, "Sam")
    drafts.remove_objective(store, team, first.id, "Sam")
    assert teams.draft_count(store, team.id) == 1


def test_removing_a_team_redraws_the_pages_of_teams_it_asked_for_help(store, engagement, team, other_team, params):
    objective = drafts.add_objective(store, team, ObjectiveFields("Objective"), params, "Sam")
    drafts.add_key_result(store, team, objective.id, KeyResultFields("Needs help", depends_on=(other_team.id,)),
                          params, engagement.cycle_end, "Sam")
    before = teams.stamp(store, other_team.id)
    teams.remove(store, team.id, "coach")
    assert teams.stamp(store, other_team.id) > before


# --- purpose --------------------------------------------------------------------------------------


def test_save_purpose_stores_it_and_counts_the_version(store, team):
    saved = teams.save_purpose(store, team, "We turn a visit into expert advice.\n", 0, "Sam")
    assert (saved.purpose, saved.purpose_version) == ("We turn a visit into expert advice.", 1)
    again = teams.save_purpose(store, saved, "Shorter.", 1, "Sam")
    assert (again.purpose, again.purpose_version) == ("Shorter.", 2)
    assert [h["body"]["purpose"] for h in revisions.history(store, "purpose", team.id)] == [
        "We turn a visit into expert advice.", "Shorter."]


def test_save_purpose_bumps_the_team_and_engagement_stamps(store, engagement, team):
    team_before, engagement_before = teams.stamp(store, team.id), engagement_stamp(store, engagement.id)
    teams.save_purpose(store, team, "Why", 0, "Sam")
    assert teams.stamp(store, team.id) == team_before + 1
    assert engagement_stamp(store, engagement.id) == engagement_before + 1


def test_stale_purpose_save_raises_stale_edit_changes_nothing_and_logs_both(store, engagement, team):
    teams.save_purpose(store, team, "Laptop A's purpose", 0, "A")
    stamp, engagement_before = teams.stamp(store, team.id), engagement_stamp(store, engagement.id)

    with pytest.raises(StaleEdit) as stale:
        teams.save_purpose(store, team, "Laptop B's purpose", 0, "B")

    assert stale.value.mine == {"purpose": "Laptop B's purpose"}
    assert stale.value.theirs == {"purpose": "Laptop A's purpose"}
    assert stale.value.their_version == 1
    row = team_row(store, team.id)
    assert (row["purpose"], row["purpose_version"]) == ("Laptop A's purpose", 1)
    assert teams.stamp(store, team.id) == stamp
    assert engagement_stamp(store, engagement.id) == engagement_before
    history = revisions.history(store, "purpose", team.id)
    assert [(h["outcome"], h["author"], h["body"]["purpose"]) for h in history] == [
        ("saved", "A", "Laptop A's purpose"), ("conflict", "B", "Laptop B's purpose")]


def test_save_purpose_refuses_text_over_the_limit_and_logs_nothing(store, team):
    with pytest.raises(InputError, match="Team purpose"):
        teams.save_purpose(store, team, "x" * 10_001, 0, "Sam")
    assert team_row(store, team.id)["purpose_version"] == 0
    assert revisions.history(store, "purpose", team.id) == []


def test_stamp_of_an_unknown_team_is_minus_one(store):
    assert teams.stamp(store, 12345) == -1


def test_a_rename_made_on_a_name_that_changed_meanwhile_is_refused_and_changes_nothing(store, engagement):
    team = teams.add(store, engagement.id, "Stores team")
    teams.rename(store, team.id, "Retail stores", seen_name="Stores team", author="Marta")
    with pytest.raises(InputError, match="was renamed to 'Retail stores' meanwhile"):
        teams.rename(store, team.id, "Shops", seen_name="Stores team", author="Ola")
    assert teams.by_slug(store, engagement.id, team.slug).name == "Retail stores"


def test_every_rename_is_in_the_revision_log_with_who_and_the_name_before(store, engagement):
    team = teams.add(store, engagement.id, "Stores team")
    teams.rename(store, team.id, "Retail stores", seen_name="Stores team", author="Marta")
    teams.rename(store, team.id, "Shops", seen_name="Retail stores", author="Ola")
    logged = revisions.history(store, "team_name", team.id)
    assert [(r["version"], r["body"], r["author"]) for r in logged] == [
        (1, {"name": "Retail stores", "was": "Stores team"}, "Marta"),
        (2, {"name": "Shops", "was": "Retail stores"}, "Ola")]
