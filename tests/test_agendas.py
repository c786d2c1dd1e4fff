import pytest

from okrcoach.errors import InputError
from okrcoach.workshop.agendas import (
    AGENDA_KINDS,
    AGENDAS_DIR,
    ITEM_KINDS,
    Agenda,
    load_agenda,
    load_agendas,
)

GOOD_AGENDA = """\
title = "Short drafting session"
kind = "team-drafting"
audience = "Two teams"
minutes = 50
description = "A tiny agenda for tests."

[[items]]
title = "Welcome"
minutes = 10
kind = "talk"
prompts = ["Why are we here?"]
notes = "Keep it short."

[[items]]
title = "Draft objectives"
minutes = 40
kind = "breakout"
prompts = ["What matters most this cycle?", "Why now?"]
notes = "Ask, do not tell."
"""

SHIPPED = ("coach-training", "executive-drafting", "fundamentals", "team-drafting")


def write(tmp_path, text, name="broken.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def error_for(tmp_path, text, name="broken.toml"):
    with pytest.raises(InputError) as caught:
        load_agenda(write(tmp_path, text, name))
    return str(caught.value)


def test_shipped_agendas_all_load_without_errors():
    agendas, errors = load_agendas(AGENDAS_DIR)
    assert errors == []
    assert tuple(agenda.slug for agenda in agendas) == SHIPPED


def test_shipped_agendas_total_minutes_equal_sum_of_items():
    agendas, _ = load_agendas(AGENDAS_DIR)
    for agenda in agendas:
        assert agenda.minutes == sum(item.minutes for item in agenda.items), agenda.slug


def test_shipped_agendas_cover_every_agenda_kind_once():
    agendas, _ = load_agendas(AGENDAS_DIR)
    assert sorted(agenda.kind for agenda in agendas) == sorted(AGENDA_KINDS)


def test_shipped_agendas_use_every_item_kind():
    agendas, _ = load_agendas(AGENDAS_DIR)
    used = {item.kind for agenda in agendas for item in agenda.items}
    assert used == set(ITEM_KINDS)


def test_shipped_agendas_have_between_7_and_14_items():
    agendas, _ = load_agendas(AGENDAS_DIR)
    for agenda in agendas:
        assert 7 <= len(agenda.items) <= 14, agenda.slug


def test_good_file_loads_into_frozen_records_with_slug_from_file_name(tmp_path):
    agenda = load_agenda(write(tmp_path, GOOD_AGENDA, "short.toml"))
    assert isinstance(agenda, Agenda)
    assert agenda.slug == "short"
    assert agenda.minutes == 50
    assert [item.title for item in agenda.items] == ["Welcome", "Draft objectives"]
    assert agenda.items[1].prompts == ("What matters most this cycle?", "Why now?")
    assert agenda.items[0].instructions == ""
    with pytest.raises(AttributeError):
        agenda.items[0].minutes = 5


def test_instructions_are_kept_when_given(tmp_path):
    text = broken(
        GOOD_AGENDA, 'notes = "Keep it short."', 'notes = "x"\ninstructions = "1. Write."'
    )
    assert load_agenda(write(tmp_path, text)).items[0].instructions == "1. Write."


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_AGENDA.encode("utf-8"))
    assert load_agenda(path).title == "Short drafting session"


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(InputError, match=r"^nowhere\.toml: cannot be read"):
        load_agenda(tmp_path / "nowhere.toml")


def test_toml_syntax_error_names_file_line_and_column(tmp_path):
    text = broken(GOOD_AGENDA, 'audience = "Two teams"', "audience Two teams")
    message = error_for(tmp_path, text)
    assert message.startswith("broken.toml: TOML syntax error")
    assert "line 3" in message
    assert "column" in message


def test_non_utf8_bytes_name_file_and_line(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(GOOD_AGENDA.replace("Two teams", "Deux équipes").encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_agenda(path)
    assert str(caught.value) == (
        "latin.toml: is not UTF-8 text (byte 0xe9 on line 3); save the file as UTF-8"
    )


def test_missing_top_level_field_is_named(tmp_path):
    text = broken(GOOD_AGENDA, 'audience = "Two teams"\n', "")
    assert error_for(tmp_path, text) == 'broken.toml: missing field "audience"'


def test_missing_item_field_names_item_number_and_title(tmp_path):
    text = broken(GOOD_AGENDA, 'notes = "Ask, do not tell."\n', "")
    assert error_for(tmp_path, text) == (
        'broken.toml, item 2 "Draft objectives": missing field "notes"'
    )


def test_missing_item_title_names_item_number_only(tmp_path):
    text = broken(GOOD_AGENDA, 'title = "Welcome"\n', "")
    assert error_for(tmp_path, text) == 'broken.toml, item 1: missing field "title"'


def test_wrong_type_names_field_and_value(tmp_path):
    text = broken(GOOD_AGENDA, 'notes = "Keep it short."', "notes = 5")
    assert error_for(tmp_path, text) == 'broken.toml, item 1 "Welcome": notes must be text, got 5'


def test_empty_title_is_rejected(tmp_path):
    text = broken(GOOD_AGENDA, 'title = "Short drafting session"', 'title = "  "')
    assert error_for(tmp_path, text) == "broken.toml: title must not be empty"


def test_item_minutes_zero_is_rejected(tmp_path):
    text = broken(GOOD_AGENDA, "minutes = 10", "minutes = 0")
    assert error_for(tmp_path, text) == (
        'broken.toml, item 1 "Welcome": minutes must be a whole number above 0, got 0'
    )


def test_item_minutes_negative_is_rejected(tmp_path):
    text = broken(GOOD_AGENDA, "minutes = 40", "minutes = -40")
    assert error_for(tmp_path, text) == (
        'broken.toml, item 2 "Draft objectives": minutes must be a whole number above 0, got -40'
    )


def test_item_minutes_bool_is_rejected_although_python_counts_it_as_int(tmp_path):
    text = broken(GOOD_AGENDA, "minutes = 10", "minutes = true")
    assert error_for(tmp_path, text) == (
        'broken.toml, item 1 "Welcome": minutes must be a whole number above 0, got true'
    )


def test_item_minutes_string_is_rejected_with_the_value_quoted(tmp_path):
    text = broken(GOOD_AGENDA, "minutes = 40", 'minutes = "ten"')
    assert error_for(tmp_path, text, "team-drafting.toml") == (
        'team-drafting.toml, item 2 "Draft objectives": minutes must be a whole number above 0,'
        ' got "ten"'
    )


def test_total_minutes_not_a_number_is_rejected(tmp_path):
    text = broken(GOOD_AGENDA, "minutes = 50", "minutes = 50.5")
    assert error_for(tmp_path, text) == (
        "broken.toml: minutes must be a whole number above 0, got 50.5"
    )


def test_unknown_item_kind_lists_the_allowed_kinds(tmp_path):
    text = broken(GOOD_AGENDA, 'kind = "talk"', 'kind = "lecture"')
    message = error_for(tmp_path, text)
    assert message.startswith('broken.toml, item 1 "Welcome": kind must be one of ')
    assert message.endswith('got "lecture"')
    for kind in ITEM_KINDS:
        assert f'"{kind}"' in message


def test_unknown_agenda_kind_lists_the_allowed_kinds(tmp_path):
    text = broken(GOOD_AGENDA, 'kind = "team-drafting"', 'kind = "offsite"')
    message = error_for(tmp_path, text)
    assert message.startswith("broken.toml: kind must be one of ")
    for kind in AGENDA_KINDS:
        assert f'"{kind}"' in message


def test_prompts_not_a_list_is_rejected(tmp_path):
    text = broken(GOOD_AGENDA, 'prompts = ["Why are we here?"]', 'prompts = "Why are we here?"')
    assert error_for(tmp_path, text) == (
        'broken.toml, item 1 "Welcome": prompts must be a list of text, got "Why are we here?"'
    )


def test_prompt_that_is_not_text_is_named_by_number(tmp_path):
    text = broken(GOOD_AGENDA, '"Why now?"]', "42]")
    assert error_for(tmp_path, text) == (
        'broken.toml, item 2 "Draft objectives": prompt 2 must be text, got 42'
    )


def test_total_mismatch_states_both_numbers(tmp_path):
    text = broken(GOOD_AGENDA, "minutes = 50", "minutes = 60")
    assert error_for(tmp_path, text) == (
        "broken.toml: minutes says 60 but the items add up to 50; make them equal"
    )


def test_unknown_top_level_key_is_named_with_the_allowed_ones(tmp_path):
    text = broken(GOOD_AGENDA, 'audience = "Two teams"', 'audience = "Two teams"\nlength = 3')
    message = error_for(tmp_path, text)
    assert message.startswith('broken.toml: unknown field "length" (allowed: title, kind')


def test_unknown_item_keys_are_all_named(tmp_path):
    text = broken(GOOD_AGENDA, 'notes = "Keep it short."', 'note = "x"\nprompt = "y"')
    message = error_for(tmp_path, text)
    assert message.startswith('broken.toml, item 1 "Welcome": unknown fields "note", "prompt"')


def test_agenda_without_items_is_rejected(tmp_path):
    text = GOOD_AGENDA.split("[[items]]")[0].replace("minutes = 50", "minutes = 5")
    assert error_for(tmp_path, text) == 'broken.toml: missing field "items"'


def test_agenda_with_empty_item_list_is_rejected(tmp_path):
    text = GOOD_AGENDA.split("[[items]]")[0] + "items = []\n"
    assert error_for(tmp_path, text) == (
        "broken.toml: items must not be empty: add at least one [[items]] table"
    )


def test_load_agendas_keeps_good_files_and_reports_the_broken_one(tmp_path):
    write(tmp_path, GOOD_AGENDA, "a-good.toml")
    write(tmp_path, broken(GOOD_AGENDA, "minutes = 10", "minutes = 0"), "b-broken.toml")
    (tmp_path / "readme.txt").write_text("not an agenda", encoding="utf-8")
    agendas, errors = load_agendas(tmp_path)
    assert [agenda.slug for agenda in agendas] == ["a-good"]
    assert len(errors) == 1
    assert errors[0].startswith("b-broken.toml, item 1")


def test_load_agendas_sorts_by_file_name(tmp_path):
    for name in ("c.toml", "a.toml", "b.toml"):
        write(tmp_path, GOOD_AGENDA, name)
    agendas, _ = load_agendas(tmp_path)
    assert [agenda.slug for agenda in agendas] == ["a", "b", "c"]


def test_load_agendas_on_missing_folder_reports_it(tmp_path):
    agendas, errors = load_agendas(tmp_path / "missing")
    assert agendas == []
    assert errors == [f"{tmp_path / 'missing'}: agenda folder not found"]


def test_an_item_that_is_not_a_table_is_named_by_number(tmp_path):
    text = GOOD_AGENDA.split("[[items]]")[0] + 'items = ["Welcome"]\n'
    assert error_for(tmp_path, text) == 'broken.toml: item 1 must be a table, got "Welcome"'


def test_an_item_names_its_view_and_otherwise_shows_its_kinds(tmp_path):
    text = broken(GOOD_AGENDA, 'kind = "talk"\n', 'kind = "talk"\nview = "candidates"\n')
    agenda = load_agenda(write(tmp_path, text, "good.toml"))
    assert [(item.view, item.shows) for item in agenda.items] == [("candidates", "candidates"), ("", "breakout")]


def test_an_unknown_view_is_named_with_the_allowed_ones(tmp_path):
    message = error_for(tmp_path, broken(GOOD_AGENDA, 'kind = "talk"\n', 'kind = "talk"\nview = "confetti"\n'))
    assert message.startswith('broken.toml, item 1 "Welcome": view must be one of "talk"')
    assert '"candidates", "leadership-drafting", got "confetti"' in message


def test_the_executive_sessions_candidate_and_drafting_items_name_their_views():
    agenda = load_agenda(AGENDAS_DIR / "executive-drafting.toml")
    shows = {item.title: item.shows for item in agenda.items}
    assert shows["Candidate objectives"] == "candidates"
    assert shows["Dot vote"] == "vote"
    assert shows["Draft Why now?"] == shows["Draft key results"] == "leadership-drafting"
