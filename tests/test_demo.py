"""The demo engagement (okrcoach/drafting/demo.py) and the drafting guidance filled in from it (okrcoach/drafting/guidance.py)."""

from datetime import date, timedelta

import pytest

from okrcoach.content import loader as content
from okrcoach.drafting import demo, drafts, guidance
from okrcoach.drafting.drafts import ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters, Engagement
from tests.conftest import quick_pin_hashes

TODAY = date(2025, 1, 6)


def load_demo_into(store):
    demo.load_demo(store, code="abcd42", pin="1234", today=TODAY)
    return store


@pytest.fixture(scope="module")
def shared_demo(tmp_path_factory):
    """The demo loaded once for the tests below that only read it (loading takes a quarter second)."""
    with quick_pin_hashes():
        return load_demo_into(Store(tmp_path_factory.mktemp("demo") / "okrcoach.db"))


@pytest.fixture
def demo_store(shared_demo):
    """A store with the demo engagement loaded on a known day, with a known code and PIN; do not change it."""
    return shared_demo


@pytest.fixture
def own_demo_store(store):
    """A store with the demo engagement, for a test that changes it."""
    return load_demo_into(store)


@pytest.fixture
def loaded(demo_store):
    """The demo's drafts by team slug."""
    engagement = engagements.current(demo_store)
    return {draft.team.slug: draft for draft in drafts.load_all(demo_store, engagement.id)}


def dependency_statuses(store) -> list[tuple[str, str, str]]:
    with store.read() as db:
        return [(r["asking"], r["asked"], r["status"]) for r in db.query(
            "SELECT f.slug AS asking, t.slug AS asked, d.status FROM dependencies d "
            "JOIN key_results k ON k.id = d.key_result_id JOIN objectives o ON o.id = k.objective_id "
            "JOIN teams f ON f.id = o.team_id JOIN teams t ON t.id = d.to_team_id "
            "WHERE t.removed_at IS NULL AND t.engagement_id = (SELECT id FROM engagements WHERE archived_at IS NULL)")]


# --- the demo engagement --------------------------------------------------------------------------


def test_demo_has_one_top_level_team_and_four_breakout_teams_each_with_objectives(demo_store, loaded):
    assert [(slug, draft.team.kind) for slug, draft in loaded.items()] == [
        ("leadership", "top"), ("online-store", "team"), ("stores", "team"), ("customer-care", "team"),
        ("supply", "team")]
    assert all(draft.objectives for draft in loaded.values())


def test_demo_engagement_settings_come_from_the_demo_file(demo_store):
    engagement = engagements.current(demo_store)
    assert engagement.client == "Fernhollow Outdoor Co."
    assert engagement.facilitator == "Marta Lindqvist"
    assert (engagement.cycle_kind, engagement.cycle_start, engagement.cycle_end) == (
        "quarter", TODAY, engagements.cycle_end_for("quarter", TODAY))
    assert engagement.params == DeploymentParameters(max_objectives=3, min_key_results=2, max_key_results=4,
                                                     milestones_allowed=True)


def test_demo_team_objectives_contribute_to_top_level_objectives_but_one(loaded):
    top_ids = {o.id for o in loaded["leadership"].objectives}
    team_objectives = [o for slug, d in loaded.items() if slug != "leadership" for o in d.objectives]
    assert all(set(o.fields.contributes_to) <= top_ids for o in team_objectives)
    assert [o.fields.text for o in team_objectives if not o.fields.contributes_to] == [
        "Make our warehouse a place where everyone goes home unhurt"]


def test_demo_plants_a_team_over_the_objective_limit(demo_store, loaded):
    limit = engagements.current(demo_store).params.max_objectives
    over = [slug for slug, draft in loaded.items() if len(draft.objectives) > limit]
    assert over == ["online-store"]


def test_demo_plants_an_objective_with_five_key_results(loaded):
    counts = {o.fields.text: len(o.key_results) for d in loaded.values() for o in d.objectives}
    assert counts["Get spring gear onto shelves before customers come looking"] == 5
    assert max(counts.values()) == 5


def test_demo_plants_an_objective_without_why_now_and_a_team_without_purpose(loaded):
    empty_why = [o.fields.text for d in loaded.values() for o in d.objectives if not o.fields.why_now]
    assert empty_why == ["Make our product pages the most trusted gear advice in the region"]
    assert [slug for slug, d in loaded.items() if not d.team.purpose] == ["customer-care"]


def test_demo_plants_accepted_declined_and_open_dependency_requests(demo_store):
    statuses = dependency_statuses(demo_store)
    assert ("stores", "supply", "accepted") in statuses
    assert ("supply", "online-store", "declined") in statuses
    assert sum(status == "requested" for _, _, status in statuses) >= 2


def test_demo_has_parking_lot_items(demo_store):
    engagement = engagements.current(demo_store)
    with demo_store.read() as db:
        items = list(db.query("SELECT text, raised_by FROM parking_lot WHERE engagement_id = ?", [engagement.id]))
    assert len(items) == 3
    assert all(item["text"] and item["raised_by"] for item in items)


def test_demo_key_results_fall_due_within_the_cycle(demo_store, loaded):
    engagement = engagements.current(demo_store)
    dues = [kr.fields.due for d in loaded.values() for o in d.objectives for kr in o.key_results]
    assert all(TODAY < due <= engagement.cycle_end for due in dues)
    assert TODAY + timedelta(days=84) in dues


def test_demo_applies_the_code_and_pin_it_is_given(demo_store):
    assert engagements.current(demo_store).workshop_code == "ABCD42"
    assert access.sign_in(demo_store, "1234", now=1_700_000_000.0)


def test_demo_keeps_the_code_and_pin_in_use_when_none_are_given(store):
    engagement, pin = engagements.ensure_current(store)
    loaded = demo.load_demo(store)
    assert loaded.workshop_code == engagement.workshop_code
    assert access.sign_in(store, pin, now=1_700_000_000.0)


def test_loading_the_demo_twice_archives_the_first_and_keeps_its_rows(own_demo_store):
    demo_store = own_demo_store
    first = engagements.current(demo_store)
    second = demo.load_demo(demo_store, today=TODAY)
    assert second.id != first.id
    assert [a["id"] for a in engagements.archived(demo_store)] == [first.id]
    assert len(teams.list_teams(demo_store, first.id)) == 5
    assert len(teams.list_teams(demo_store, second.id)) == 5
    assert second.workshop_code == "ABCD42"
    with demo_store.read() as db:
        assert db.execute("SELECT count(*) FROM parking_lot WHERE engagement_id = ?", [second.id]).fetchone()[0] == 3


def test_demo_drafts_obey_the_engagements_limits_from_then_on(demo_store, loaded):
    online = loaded["online-store"].team
    with pytest.raises(InputError, match="If you could keep only 3"):
        drafts.add_objective(demo_store, online, ObjectiveFields("Fifth"), engagements.current(demo_store).params,
                             "coach")


# --- guidance -------------------------------------------------------------------------------------


GUIDANCE_KEYS = guidance.TEXT_KEYS


@pytest.fixture
def engagement():
    """An engagement as guidance needs it (no database: guidance only reads its parameters and cycle end)."""
    return Engagement(id=1, name="E", client="", facilitator="", cycle_kind="quarter", cycle_start=TODAY,
                      cycle_end=engagements.cycle_end_for("quarter", TODAY), params=DeploymentParameters(),
                      workshop_code="ABCD42")


def test_guidance_fills_in_the_engagements_parameters(demo_store):
    engagement = engagements.current(demo_store)
    shown = guidance.load(engagement)
    assert "at most 3 objectives" in shown.objective_help
    assert "2 to 4 key results" in shown.key_result_help
    assert engagement.cycle_end.strftime("%B %Y") in shown.objective_help
    assert all("{" not in shown.texts[key] for key in GUIDANCE_KEYS)
    assert set(shown.kr_types) == {"metric", "baseline", "milestone"}
    assert shown.kr_types["milestone"].label == "Milestone"


def test_guidance_follows_changed_parameters(store):
    engagement, _ = engagements.ensure_current(store)
    changed = engagements.update(store, engagement.id, name="E", client="", facilitator="", cycle_kind="custom",
                                 cycle_start=date(2025, 1, 1), cycle_end=date(2025, 3, 9),
                                 params=DeploymentParameters(max_objectives=2, min_key_results=3,
                                                             max_key_results=5))
    shown = guidance.load(changed)
    assert "at most 2 objectives" in shown.objective_help
    assert "3 to 5 key results" in shown.key_result_help
    assert "9 March 2025" in shown.objective_help


def write_guidance(tmp_path, text: str):
    path = tmp_path / "guidance.toml"
    path.write_text(text, encoding="utf-8")
    return path


def shipped_guidance() -> str:
    return guidance.GUIDANCE_FILE.read_text(encoding="utf-8")


def without_line(text: str, key: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith(f"{key} ="))


@pytest.mark.parametrize("key", GUIDANCE_KEYS)
def test_a_guidance_file_missing_a_field_is_refused_naming_the_file_and_the_field(tmp_path, engagement, key):
    path = write_guidance(tmp_path, without_line(shipped_guidance(), key))
    with pytest.raises(InputError, match=f'guidance.toml: missing field "{key}"'):
        guidance.load(engagement, path)


@pytest.mark.parametrize("value", ['""', '"   "', "42", "[\"a\"]"])
def test_a_guidance_field_that_is_not_text_is_refused_naming_it(tmp_path, engagement, value):
    path = write_guidance(tmp_path, without_line(shipped_guidance(), "champion_help")
                          .replace("[kr_types.metric]", f"champion_help = {value}\n\n[kr_types.metric]"))
    with pytest.raises(InputError, match="guidance.toml: champion_help must"):
        guidance.load(engagement, path)


@pytest.mark.parametrize("placeholder", ["{max_objectivs}", "{0}", "{", "{max_objectives:q}"])
def test_a_guidance_field_with_an_unknown_placeholder_is_refused_naming_it(tmp_path, engagement, placeholder):
    path = write_guidance(tmp_path, shipped_guidance().replace(
        'health_metric = "', f'health_metric = "{placeholder} '))
    with pytest.raises(InputError, match="guidance.toml: health_metric has an unknown placeholder"):
        guidance.load(engagement, path)


def test_a_guidance_file_that_is_not_toml_is_refused_naming_it(tmp_path, engagement):
    path = write_guidance(tmp_path, 'purpose_question = "unterminated\n')
    with pytest.raises(InputError, match="guidance.toml: TOML syntax error"):
        guidance.load(engagement, path)


def test_a_missing_guidance_file_is_refused_naming_it(tmp_path, engagement):
    with pytest.raises(InputError, match="guidance.toml: cannot be read"):
        guidance.load(engagement, tmp_path / "guidance.toml")


def test_a_guidance_file_without_a_key_result_type_is_refused_naming_the_table(tmp_path, engagement):
    text = shipped_guidance().split("[kr_types.milestone]")[0]
    with pytest.raises(InputError, match='guidance.toml: missing field "kr_types.milestone"'):
        guidance.load(engagement, write_guidance(tmp_path, text))


def test_a_guidance_file_whose_kr_types_is_not_a_table_is_refused_naming_it(tmp_path, engagement):
    text = shipped_guidance().split("[kr_types.metric]")[0] + '\nkr_types = "metric, baseline, milestone"\n'
    with pytest.raises(InputError, match="guidance.toml"):
        guidance.load(engagement, write_guidance(tmp_path, text))


def test_unknown_guidance_attributes_raise_attribute_error(engagement):
    shown = guidance.load(engagement)
    with pytest.raises(AttributeError):
        shown.not_a_field  # noqa: B018


def _broken_demo(tmp_path, old: str, new: str):
    text = demo.DEMO_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "demo_engagement.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, expected", [
    ('kr_type = "metric"', 'kr_type = "kpi"',
     r'team 1 "leadership", objective 1 "top-1", key result 1: kr_type must be'),
    ('contributes_to = ["top-1"]', 'contributes_to = ["top-9"]',
     r"contributes to 'top-9', which no earlier objective"),
    ("milestones_allowed = true", 'milestones_allowed = "yes"',
     r"engagement\.milestones_allowed must be true or false"),
    ('name = "Leadership team"', 'name = "Leadership team"\ncolour = "red"',
     r'team 1 "leadership": unknown field "colour"'),
])
def test_a_broken_demo_file_names_the_team_objective_and_field(tmp_path, old, new, expected):
    with pytest.raises(InputError, match=rf"demo_engagement\.toml, .*{expected}|demo_engagement\.toml: .*{expected}"):
        content.load(_broken_demo(tmp_path, old, new), demo.DemoFile)


def test_a_broken_demo_file_leaves_the_engagement_in_use_alone(tmp_path, store, monkeypatch):
    in_use, _ = engagements.ensure_current(store)
    monkeypatch.setattr(demo, "DEMO_FILE", _broken_demo(tmp_path, 'kr_type = "metric"', 'kr_type = "kpi"'))
    with pytest.raises(InputError):
        demo.load_demo(store)
    assert engagements.current(store) == in_use
