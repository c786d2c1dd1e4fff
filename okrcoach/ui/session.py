"""Who is looking: the store, the engagement, the workshop code, the team and the facilitator sign-in."""

import argparse
import functools
import secrets
import sys
from urllib.parse import urlencode

import streamlit as st
from streamlit import net_util

from okrcoach import text
from okrcoach.errors import InputError, StorageUnavailable
from okrcoach.storage.store import Store, resolve_path
from okrcoach.ui import pages, state
from okrcoach.workshop import access, engagements, laptops, teams
from okrcoach.workshop.engagements import Engagement
from okrcoach.workshop.teams import Team

JOIN_PAGE = pages.JOIN.script
LOOPBACK = "127.0.0.1"


@st.cache_resource
def _store(path: str) -> Store:
    return Store(path)


@functools.cache
def _cli_db() -> str | None:
    """`--db` after `streamlit run app.py --`: read once, as every page run asks (the arguments never change)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    return parser.parse_known_args(sys.argv[1:])[0].db


def store() -> Store:
    """The store for this server (shared by sessions; it holds only a path)."""
    return _store(str(resolve_path(_cli_db())))


def engagement() -> Engagement:
    """The engagement in use; a fresh database gets one, and its PIN goes to the terminal."""
    found = engagements.current(store())
    if found:
        return found
    created, pin = engagements.ensure_current(store())
    if pin:
        print(f"okrcoach: new engagement. Facilitator PIN: {pin}   Workshop code: {created.workshop_code}",
              flush=True)
    return created


def _remembered(name: str) -> str | None:
    value = st.query_params.get(name) or state.get(name)
    return value or None


def _remember(name: str, value: str) -> None:
    state.put(name, value)
    if st.query_params.get(name) != value:
        st.query_params[name] = value


def is_facilitator() -> bool:
    """Whether this browser signed in with the facilitator PIN (kept in the link across reloads)."""
    token = _remembered("fac")
    if access.token_valid(store(), token):
        _remember("fac", token)
        return True
    return False


def has_code(current: Engagement) -> bool:
    """Whether this browser gave the workshop code (or is the facilitator's)."""
    if access.code_matches(_remembered("code"), current.workshop_code) or is_facilitator():
        _remember("code", current.workshop_code)
        return True
    return False


def link_params(**extra: str) -> dict[str, str]:
    """Query parameters that keep this browser's access when moving to another page."""
    kept = {name: state.get(name) for name in ("code", "fac", "laptop") if state.get(name)}
    return {**kept, **extra}


def code_form(current: Engagement, *, key: str) -> None:
    """The 'Workshop code' form; the right code reruns the page with access. A wrong code in the link is said."""
    if st.query_params.get("code"):
        st.error("The code in this link is not this workshop's code. Type the code shown on the projector.")
    with st.form(key):
        typed = st.text_input("Workshop code", value=st.query_params.get("code", ""), max_chars=40,
                              help="The code shown on the projector.")
        if st.form_submit_button("Continue", type="primary"):
            if access.code_matches(typed, current.workshop_code):
                _remember("code", current.workshop_code)
                st.rerun()
            st.error("That is not this workshop's code. Check the projector and try again.")


def require_code(current: Engagement) -> None:
    """Continue only for browsers that gave the workshop code; others see the code form."""
    if has_code(current):
        return
    st.title("Join the workshop")
    code_form(current, key="code-gate")
    st.stop()


def require_team(current: Engagement) -> Team:
    """The team named in the link, or a clear message and a way back to the join page."""
    slug = _remembered("team")
    team = teams.by_slug(store(), current.id, slug) if slug else None
    if team is None:
        st.title("Team not found")
        st.info("This link does not name a team in this workshop. Pick your team on the join page.")
        st.page_link(JOIN_PAGE, label="Go to the join page", query_params=link_params())
        st.stop()
    _remember("team", team.slug)
    return team


def client_address() -> str | None:
    """The address this browser connects from (None where Streamlit cannot tell, as in tests)."""
    address = st.context.ip_address
    if address is None:
        return LOOPBACK  # Streamlit names no address for a browser on this laptop itself
    return address if isinstance(address, str) else None


def pin_form(*, key: str) -> bool:
    """The 'Facilitator PIN' sign-in; True once signed in."""
    with st.form(key):
        pin = st.text_input("Facilitator PIN", type="password", max_chars=12,
                            help="Printed in the terminal where okrcoach was started. "
                                 "`python -m okrcoach pin` sets a new one.")
        if st.form_submit_button("Sign in"):
            try:
                token = access.sign_in(store(), pin, address=client_address())
            except access.SignInPaused as paused:
                st.error(str(paused))
                return False
            if token:
                _remember("fac", token)
                return True
            st.error("That PIN is not right.")
    return False


def renew_sign_in() -> None:
    """Keep this facilitator signed in after their own action (new PIN, new engagement) ended every sign-in."""
    _remember("fac", access.renew(store()))


def sign_out() -> None:
    """End this browser's facilitator sign-in and forget it."""
    access.sign_out(store(), state.pop("fac"))
    st.query_params.pop("fac", None)


def require_facilitator() -> None:
    """Continue only for the signed-in facilitator; others see the PIN form."""
    if is_facilitator():
        return
    st.title("Facilitator sign-in")
    st.caption("This page is for the workshop facilitator.")
    if pin_form(key="pin-gate"):
        st.rerun()
    st.stop()


def laptop_id() -> str:
    """This laptop's random id, kept in its link (`?laptop=`) so its unsaved typing and name outlive the session."""
    found = _remembered("laptop")
    if not found or len(found) > 40 or not found.replace("-", "").replace("_", "").isalnum():
        found = secrets.token_urlsafe(9)
    _remember("laptop", found)
    return found


NAME_KEY = "author_name"  # the sidebar's "Your name" widget


def participant_name() -> str:
    """The name given on this laptop, kept in the database by laptop id; '' when none was given."""
    if NAME_KEY not in st.session_state and _remembered("laptop"):
        st.session_state[NAME_KEY] = laptops.name(store(), _remembered("laptop"))
    return text.one_line(st.session_state.get(NAME_KEY), "Your name")


def keep_name(typed_in: str = NAME_KEY) -> None:
    """Widget callback: keep the name just typed (in the widget keyed typed_in) for this laptop."""
    st.session_state[NAME_KEY] = st.session_state.get(typed_in)
    state.pop("name-problem")
    if _remembered("laptop"):
        try:
            laptops.set_name(store(), _remembered("laptop"), st.session_state.get(NAME_KEY))
        except (InputError, StorageUnavailable) as error:
            state.put("name-problem", str(error))


def name_problem() -> str | None:
    """Why the name typed last could not be kept, if it could not."""
    return state.get("name-problem")


def author(team: Team | None = None) -> str:
    """Who a save is recorded as in the revision log."""
    name = participant_name()
    if team is None:
        return name or "facilitator"
    return f"{name} ({team.name})" if name else f"{team.name} laptop"


def join_base(current: Engagement) -> str:
    """How team laptops reach this laptop: the address set in set-up, else this laptop's network address."""
    if current.join_address:
        return current.join_address
    return f"http://{net_util.get_internal_ip() or 'localhost'}:{st.get_option('server.port')}"




def projector_url(current: Engagement) -> str:
    """The projector's address: the workshop code only, never the facilitator's sign-in."""
    return f"projector?{urlencode({'code': current.workshop_code})}"


def facilitator_nav() -> None:
    """Links between the facilitator's pages, keeping the sign-in; the projector opens in its own tab."""
    with st.sidebar:
        for screen in pages.SCREENS:
            if screen.in_facilitator_nav:
                st.page_link(screen.script, label=screen.title, query_params=link_params())
        st.page_link(JOIN_PAGE, label="Join page", query_params=link_params())
        st.link_button("Open projector", projector_url(engagement()), icon=":material/open_in_new:",
                       help="Opens in a new tab with the workshop code only: drag it to the projector's screen.")
        if st.button("Sign out", key="sign-out"):
            sign_out()
            st.rerun()
