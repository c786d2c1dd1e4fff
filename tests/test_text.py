import pytest

from okrcoach import text
from okrcoach.errors import InputError

AS_TYPED = [
    "Grow revenue 🚀 by 20 % 👩‍👩‍👧‍👦",
    "زيادة رضا العملاء في جميع المتاجر",
    "להגדיל את שביעות רצון הלקוחות",
    "Mixed עברית and English, 42 %",
    "Bidi \u202eevil\u202c override and \u200b zero width",
    "**bold** _it_ [link](http://example.com) `code`\n# Heading\n- item",
    "<script>alert('x')</script> <b>bold</b> &amp; <img src=x onerror=alert(1)>",
    "'); DROP TABLE objectives;--",
    "Ünïcödé — “quotes” ‘single’ … ½ ≠ ≤",
    "line one\nline two\n\ttabbed",
]


@pytest.mark.parametrize("value", AS_TYPED)
def test_clean_keeps_text_exactly_as_typed(value):
    assert text.clean(value, "The objective") == value


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])
def test_clean_strips_control_characters(control):
    assert text.clean(f"a{control}b", "The objective") == "ab"


@pytest.mark.parametrize("control", ["\x80", "\x85", "\x9b", "\x9f"])
def test_clean_strips_c1_control_characters(control):
    assert text.clean(f"a{control}b", "The objective") == "ab"


def test_clean_keeps_the_letters_just_above_the_c1_controls():
    assert text.clean("caf\xe9\xa0\xbd \u0100", "The objective") == "caf\xe9\xa0\xbd \u0100"


def test_clean_strips_a_terminal_escape_sequence_to_harmless_text():
    assert text.clean("red\x1b[31m alert\x1b[0m", "Why now?") == "red[31m alert[0m"


def test_clean_keeps_newlines_and_tabs_inside_the_text():
    assert text.clean("first\n\tsecond\n\nthird", "Why now?") == "first\n\tsecond\n\nthird"


def test_clean_normalises_windows_and_old_mac_line_ends():
    assert text.clean("one\r\ntwo\rthree", "Why now?") == "one\ntwo\nthree"


def test_clean_trims_outer_spaces_only():
    assert text.clean("  a  b \n", "The objective") == "a  b"


def test_clean_accepts_exactly_ten_thousand_characters():
    value = "x" * text.MAX_CHARS
    assert text.MAX_CHARS == 10_000
    assert text.clean(value, "Why now?") == value


def test_clean_refuses_ten_thousand_and_one_characters_naming_the_field_and_the_limit():
    with pytest.raises(InputError) as refused:
        text.clean("x" * 10_001, "Why now?")
    message = str(refused.value)
    assert "Why now?" in message
    assert "10,000" in message
    assert "10,001" in message


def test_clean_counts_the_limit_after_stripping_control_characters():
    value = "x" * 10_000 + "\x00" * 5
    assert text.clean(value, "Why now?") == "x" * 10_000


def test_clean_counts_emoji_as_characters_not_bytes():
    value = "🚀" * 10_000
    assert text.clean(value, "The objective") == value


def test_clean_honours_a_smaller_limit_given_by_the_caller():
    with pytest.raises(InputError, match="Comment.*500"):
        text.clean("x" * 501, "Comment", max_chars=500)


@pytest.mark.parametrize("value", ["", "   ", "\n\t\n", "\x00\x1b", None])
def test_clean_refuses_empty_text_when_required_naming_the_field(value):
    with pytest.raises(InputError, match="The objective is empty"):
        text.clean(value, "The objective", required=True)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_clean_accepts_empty_text_when_optional(value):
    assert text.clean(value, "Why now?") == ""


def test_one_line_joins_lines_and_tabs_with_spaces():
    assert text.one_line("Priya\n(Marketing)\tDirector", "Champion") == "Priya (Marketing) Director"


@pytest.mark.parametrize("line_end", ["\r", "\n", "\r\n"])
def test_one_line_turns_every_kind_of_line_end_into_one_space(line_end):
    assert text.one_line(f"Stores{line_end}team", "Team name") == "Stores team"


def test_one_line_has_a_short_default_limit():
    assert text.one_line("x" * 200, "Team name") == "x" * 200
    with pytest.raises(InputError, match="Team name"):
        text.one_line("x" * 201, "Team name")


@pytest.mark.parametrize("value", AS_TYPED[:5])
def test_one_line_keeps_single_line_text_exactly_as_typed(value):
    assert text.one_line(value, "Champion") == value


def test_distinct_numbers_repeats_in_order_and_leaves_unique_labels_alone():
    assert text.distinct({1: "Grow", 2: "Keep", 3: "Grow", 4: "Grow"}) == {1: "Grow", 2: "Keep", 3: "Grow (2)",
                                                                           4: "Grow (3)"}
    assert text.distinct({1: "A", 2: "A (2)", 3: "A"}) == {1: "A", 2: "A (2)", 3: "A (3)"}  # a typed "(2)" kept
    assert text.distinct({}) == {}
