import threading

import pytest

from okrcoach.workshop import access, engagements

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

LAPTOP, OTHER_LAPTOP = "192.168.1.31", "192.168.1.32"


def fail_from(store, address: str, times: int, at: float = T0) -> None:
    for _ in range(times):
        assert access.sign_in(store, "000000", now=at, address=address) is None


def test_sign_in_is_open_before_any_attempt(pin_store):
    assert access.seconds_to_wait(pin_store, LAPTOP, now=T0) == 0


def test_wrong_pins_up_to_the_allowance_make_nobody_wait(pin_store):
    fail_from(pin_store, LAPTOP, access.FAILURES_PER_WINDOW - 1)
    assert access.seconds_to_wait(pin_store, LAPTOP, now=T0) == 0


def test_past_the_allowance_an_address_waits_and_its_pin_is_not_even_checked(pin_store):
    fail_from(pin_store, LAPTOP, access.FAILURES_PER_WINDOW)
    with pytest.raises(access.SignInPaused) as paused:
        access.sign_in(pin_store, PIN, now=T0 + 1, address=LAPTOP)
    assert 0 < paused.value.seconds <= access.FAILURE_WINDOW_S
    assert "Try again in" in str(paused.value)


def test_the_wait_counts_down_and_opens_again_after_the_window(pin_store):
    fail_from(pin_store, LAPTOP, access.FAILURES_PER_WINDOW)
    wait = access.seconds_to_wait(pin_store, LAPTOP, now=T0)
    assert wait == access.FAILURE_WINDOW_S
    assert 0 < access.seconds_to_wait(pin_store, LAPTOP, now=T0 + wait - 1) < wait
    assert access.seconds_to_wait(pin_store, LAPTOP, now=T0 + wait) == 0
    assert access.sign_in(pin_store, PIN, now=T0 + wait, address=LAPTOP)


def test_a_laptop_that_guesses_wrong_slows_only_itself(pin_store):
    fail_from(pin_store, LAPTOP, access.FAILURES_PER_WINDOW)
    assert access.seconds_to_wait(pin_store, LAPTOP, now=T0) > 0
    assert access.seconds_to_wait(pin_store, OTHER_LAPTOP, now=T0) == 0
    assert access.sign_in(pin_store, PIN, now=T0, address=OTHER_LAPTOP)


@pytest.mark.parametrize("own", ["127.0.0.1", "::1"])
def test_the_coachs_own_machine_is_never_throttled(pin_store, own):
    fail_from(pin_store, own, 3 * access.FAILURES_PER_WINDOW)
    assert access.seconds_to_wait(pin_store, own, now=T0) == 0
    assert access.sign_in(pin_store, PIN, now=T0, address=own)


def test_thirty_concurrent_wrong_pins_from_one_address_are_checked_at_most_five_a_minute(pin_store):
    outcomes = []

    def attempt() -> None:
        try:
            outcomes.append(access.sign_in(pin_store, "000000", now=T0, address=LAPTOP))
        except access.SignInPaused:
            outcomes.append("paused")

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(None) == access.FAILURES_PER_WINDOW
    assert outcomes.count("paused") == 30 - access.FAILURES_PER_WINDOW
    with pin_store.read() as db:
        checked = db.execute("SELECT count(*) FROM sign_in_attempts WHERE address = ?", [LAPTOP]).fetchone()[0]
    assert checked == access.FAILURES_PER_WINDOW


def test_the_right_pin_clears_its_own_addresss_wrong_ones(pin_store):
    fail_from(pin_store, LAPTOP, access.FAILURES_PER_WINDOW - 1)
    assert access.sign_in(pin_store, PIN, now=T0, address=LAPTOP)
    fail_from(pin_store, LAPTOP, access.FAILURES_PER_WINDOW - 1)
    assert access.seconds_to_wait(pin_store, LAPTOP, now=T0) == 0


# --- revoking sign-ins ----------------------------------------------------------------------------


def test_a_new_pin_ends_every_sign_in(pin_store, engagement):
    tokens = [access.sign_in(pin_store, PIN, now=T0) for _ in range(3)]
    engagements.set_pin(pin_store, engagement.id, "771204")
    assert not any(access.token_valid(pin_store, token, now=T0 + 1) for token in tokens)


def test_a_new_engagement_ends_every_sign_in(pin_store):
    token = access.sign_in(pin_store, PIN, now=T0)
    engagements.start_new(pin_store, "Next client")
    assert not access.token_valid(pin_store, token, now=T0 + 1)


def test_signing_out_ends_that_sign_in_only(pin_store):
    mine, theirs = access.sign_in(pin_store, PIN, now=T0), access.sign_in(pin_store, PIN, now=T0)
    access.sign_out(pin_store, mine)
    assert not access.token_valid(pin_store, mine, now=T0 + 1)
    assert access.token_valid(pin_store, theirs, now=T0 + 1)


def test_renew_gives_the_acting_facilitator_a_token_for_the_engagement_in_use(pin_store, engagement):
    engagements.set_pin(pin_store, engagement.id, "771204")
    assert access.token_valid(pin_store, access.renew(pin_store, now=T0), now=T0 + 1)


def test_production_hashes_the_pin_with_at_least_100k_rounds(monkeypatch):
    monkeypatch.undo()  # the suite's own lower round count (tests/conftest.py) is set through monkeypatch
    assert access.PIN_HASH_ITERATIONS >= 100_000
