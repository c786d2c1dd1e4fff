import pytest

from okrcoach import access, engagements

T0 = 1_700_000_000.0
PIN = "482913"


@pytest.fixture
def pin_store(store, engagement):
    """A store whose engagement's facilitator PIN is known."""
    engagements.set_pin(store, engagement.id, PIN)
    return store


def fail(store, times: int, at: float = T0) -> None:
    for _ in range(times):
        assert access.sign_in(store, "000000", now=at) is None


# --- workshop code --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ABCD42", "abcd42", "AbCd42", " ABCD42 ", "ab cd 42", "A B C D 4 2", "\tabcd42\n"])
def test_code_matches_ignores_case_and_spaces(typed):
    assert access.code_matches(typed, "ABCD42")


@pytest.mark.parametrize("typed", ["ABCD43", "ABCD4", "ABCD422", "ABCD-42", "", None, "   "])
def test_code_matches_refuses_other_codes_and_empty_input(typed):
    assert not access.code_matches(typed, "ABCD42")


@pytest.mark.parametrize("typed", ["ABCD4É", "ÀBCD42", "ABCD42🚀", "АВСD42"])
def test_code_matches_answers_no_to_a_typed_code_with_non_ascii_characters(typed):
    assert access.code_matches(typed, "ABCD42") is False


def test_new_codes_use_only_letters_and_digits_that_read_unambiguously():
    codes = {access.new_code() for _ in range(50)}
    assert len(codes) > 1
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("0O1IL")
        assert access.normalise_code(code) == code


def test_new_pin_is_six_digits():
    for _ in range(20):
        pin = access.new_pin()
        assert len(pin) == 6 and pin.isdigit()


# --- signing in -----------------------------------------------------------------------------------


def test_sign_in_with_the_right_pin_gives_a_valid_token(pin_store):
    token = access.sign_in(pin_store, PIN, now=T0)
    assert token
    assert access.token_valid(pin_store, token, now=T0 + 1)


def test_sign_in_accepts_the_pin_with_spaces_around_it(pin_store):
    assert access.sign_in(pin_store, f"  {PIN} ", now=T0)


@pytest.mark.parametrize("wrong", ["000000", PIN[:-1], PIN + "0", "", None, "' OR 1=1 --"])
def test_sign_in_with_a_wrong_pin_gives_no_token(pin_store, wrong):
    assert access.sign_in(pin_store, wrong, now=T0) is None


def test_sign_in_on_a_database_without_an_engagement_gives_no_token(store):
    assert access.sign_in(store, "1234", now=T0) is None


def test_each_sign_in_gives_a_different_token(pin_store):
    assert access.sign_in(pin_store, PIN, now=T0) != access.sign_in(pin_store, PIN, now=T0)


@pytest.mark.parametrize("token", [None, "", "made-up-token"])
def test_token_valid_refuses_missing_and_unknown_tokens(pin_store, token):
    assert not access.token_valid(pin_store, token, now=T0)


def test_token_expires_after_its_lifetime(pin_store):
    token = access.sign_in(pin_store, PIN, now=T0)
    assert access.token_valid(pin_store, token, now=T0 + access.TOKEN_LIFETIME_S - 1)
    assert not access.token_valid(pin_store, token, now=T0 + access.TOKEN_LIFETIME_S)
    assert not access.token_valid(pin_store, token, now=T0 + access.TOKEN_LIFETIME_S + 3600)


# --- throttling wrong PINs ------------------------------------------------------------------------


def test_sign_in_is_open_before_any_attempt(pin_store):
    assert access.seconds_to_wait(pin_store, now=T0) == 0


def test_four_wrong_pins_do_not_make_anyone_wait(pin_store):
    fail(pin_store, access.FAILURES_BEFORE_WAIT - 1)
    assert access.seconds_to_wait(pin_store, now=T0) == 0


def test_five_wrong_pins_make_sign_in_wait_and_each_further_one_waits_longer(pin_store):
    fail(pin_store, access.FAILURES_BEFORE_WAIT)
    waits = [access.seconds_to_wait(pin_store, now=T0)]
    for _ in range(4):
        fail(pin_store, 1)
        waits.append(access.seconds_to_wait(pin_store, now=T0))
    assert waits[0] > 0
    assert waits == sorted(waits) and len(set(waits)) == len(waits)


def test_the_wait_counts_down_and_opens_again(pin_store):
    fail(pin_store, access.FAILURES_BEFORE_WAIT)
    wait = access.seconds_to_wait(pin_store, now=T0)
    assert 0 < access.seconds_to_wait(pin_store, now=T0 + wait - 1) < wait
    assert access.seconds_to_wait(pin_store, now=T0 + wait) == 0


def test_the_wait_never_exceeds_the_failure_window(pin_store):
    fail(pin_store, access.FAILURES_BEFORE_WAIT + 7)  # 5 s doubled 7 times is past the window
    assert 0 < access.seconds_to_wait(pin_store, now=T0) <= access.FAILURE_WINDOW_S + 1


def test_wrong_pins_older_than_the_window_are_forgotten(pin_store):
    fail(pin_store, access.FAILURES_BEFORE_WAIT, at=T0)
    assert access.seconds_to_wait(pin_store, now=T0 + access.FAILURE_WINDOW_S + 1) == 0


def test_the_right_pin_resets_the_wait(pin_store):
    fail(pin_store, access.FAILURES_BEFORE_WAIT + 2)
    assert access.seconds_to_wait(pin_store, now=T0) > 0
    assert access.sign_in(pin_store, PIN, now=T0)
    assert access.seconds_to_wait(pin_store, now=T0) == 0
    fail(pin_store, access.FAILURES_BEFORE_WAIT - 1)
    assert access.seconds_to_wait(pin_store, now=T0) == 0


def test_production_hashes_the_pin_with_at_least_100k_rounds(monkeypatch):
    monkeypatch.undo()  # the suite's own lower round count (tests/conftest.py) is set through monkeypatch
    assert access.PIN_HASH_ITERATIONS >= 100_000
