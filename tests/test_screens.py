"""The mapping from agenda item kind to what the projector and team laptops show is data, validated."""

import pytest

from okrcoach.errors import InputError
from okrcoach.workshop import screens
from okrcoach.workshop.agendas import ITEM_KINDS

EXPECTED = {
    "talk": ("prompts", "draft"),
    "exercise": ("exercise", "exercise"),
    "breakout": ("board", "drafting"),
    "share-out": ("presenter", "presenter"),
    "vote": ("tally", "ballot"),
    "review": ("alignment", "requests"),
    "break": ("break", "break"),
}


@pytest.mark.parametrize("kind", ITEM_KINDS)
def test_each_item_kind_maps_to_the_views_in_the_design(kind):
    views = screens.load().for_item(kind)
    assert (views.projector, views.team) == EXPECTED[kind]


def test_a_pin_changes_only_the_projector():
    pinned = screens.load().for_item("talk", "alignment")
    assert (pinned.projector, pinned.team) == ("alignment", "draft")


def test_following_the_agenda_and_unknown_pins_use_the_items_view():
    mapping = screens.load()
    assert mapping.for_item("breakout", screens.FOLLOW).projector == "board"
    assert mapping.for_item("breakout", "not-a-view").projector == "board"


def test_an_item_that_names_a_view_shows_it_whatever_its_kind():
    mapping = screens.load()
    assert mapping.for_item("exercise", view="candidates") == screens.Screens("candidates", "candidates")
    assert mapping.for_item("exercise", view="leadership-drafting") == screens.Screens("leadership", "drafting")
    assert mapping.for_item("talk", view="vote") == screens.Screens("tally", "ballot")
    assert mapping.for_item("exercise", "board", view="candidates") == screens.Screens("board", "candidates")


def test_no_run_shows_prompts_and_the_drafting_form():
    assert screens.load().for_item(None) == screens.Screens("prompts", "drafting")


def write(tmp_path, text: str):
    path = tmp_path / "screens.toml"
    path.write_text(text, encoding="utf-8")
    return path


VIEWS = '\n[views.candidates]\nprojector = "candidates"\nteam = "candidates"' \
        '\n[views.leadership-drafting]\nprojector = "leadership"\nteam = "drafting"\n'


def test_a_missing_named_view_is_named(tmp_path):
    body = "\n".join(f'[kinds.{k}]\nprojector = "prompts"\nteam = "draft"' for k in ITEM_KINDS)
    with pytest.raises(InputError, match=r"screens.toml: \[views\] has no entry for leadership-drafting"):
        screens.load(write(tmp_path, body + VIEWS.split("\n[views.leadership")[0]))


def test_a_missing_kind_is_named(tmp_path):
    with pytest.raises(InputError, match=r"screens.toml: \[kinds\] has no entry for .*break"):
        screens.load(write(tmp_path, "\n".join(
            f'[kinds.{k}]\nprojector = "prompts"\nteam = "draft"' for k in ITEM_KINDS if k != "break")))


def test_an_unknown_view_is_named_with_its_field(tmp_path):
    body = "\n".join(f'[kinds.{k}]\nprojector = "prompts"\nteam = "draft"' for k in ITEM_KINDS)
    body = body.replace('[kinds.vote]\nprojector = "prompts"', '[kinds.vote]\nprojector = "confetti"') + VIEWS
    with pytest.raises(InputError, match=r'screens.toml: kinds\.vote\.projector must be one of .*got "confetti"'):
        screens.load(write(tmp_path, body))


def test_a_broken_file_is_named(tmp_path):
    with pytest.raises(InputError, match="screens.toml: TOML syntax error"):
        screens.load(write(tmp_path, "[kinds\n"))


def test_an_unknown_kind_and_an_unknown_pin_are_named(tmp_path):
    body = "\n".join(f'[kinds.{k}]\nprojector = "prompts"\nteam = "draft"' for k in ITEM_KINDS)
    with pytest.raises(InputError, match=r'kinds\.lecture name must be one of .*got "lecture"'):
        screens.load(write(tmp_path, body + '\n[kinds.lecture]\nprojector = "prompts"\nteam = "draft"\n[pins]\n'))
    with pytest.raises(InputError, match=r'pins\.confetti name must be one of .*got "confetti"'):
        screens.load(write(tmp_path, body + VIEWS + '\n[pins]\nconfetti = "Confetti"\n'))


def test_a_content_file_is_parsed_once_per_change_and_an_edit_shows_at_the_next_load(tmp_path, monkeypatch):
    from okrcoach.content import loader
    parsed = []
    monkeypatch.setattr(loader, "decode_toml", lambda path, data, real=loader.decode_toml: parsed.append(path)
                        or real(path, data))
    body = "\n".join(f'[kinds.{k}]\nprojector = "prompts"\nteam = "draft"' for k in ITEM_KINDS) + VIEWS
    path = write(tmp_path, body)
    first = screens.load(path)
    assert screens.load(path) is first and len(parsed) == 1  # every session's redraw shares one parse
    path.write_text(body.replace('[kinds.vote]\nprojector = "prompts"', '[kinds.vote]\nprojector = "board"'))
    assert screens.load(path).kinds["vote"].projector == "board" and len(parsed) == 2
    path.write_text("[kinds\n")
    with pytest.raises(InputError, match="screens.toml: TOML syntax error"):
        screens.load(path)
