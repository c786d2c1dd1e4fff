"""A model-based room: a facilitator and team laptops take random steps from a seed; invariants after every step.

Three Chromium laptops of one team and one laptop of another team (which answers the first team's requests)
edit, type, save, add, remove, restore and answer; the facilitator (through the same domain calls the
console and set-up make) renames teams, rewords top-level objectives and moves the agenda between a
breakout and a break; laptops reload and the server restarts. After every step:

- every acknowledged save is in the database, unless a later acknowledged save or a person's choice replaced it;
- every text a laptop typed and left is still in its field on that laptop, unless that laptop saved or discarded it;
- no "Saved" without the stored row; every page free of exceptions; `PRAGMA integrity_check` is ok.

    python -m tests.e2e.room --seed 7 --steps 200      # a soak; the same seed replays the same steps
"""

import argparse
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from okrcoach.drafting import dependencies, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams
from tests.e2e.conftest import CHROMIUM_ARGS, IDLE, Server
from tests.e2e.laptops import EXCEPTION, editor, jump, new_laptop_id, team_url, wait_kept
from tests.perf.bench import demo_store

STEPS = {"type": 5, "save": 5, "type_new": 1, "add": 1, "remove": 1, "restore": 1, "discard": 1, "answer": 1,
         "rename": 1, "reword": 1, "agenda": 1, "reload": 1, "restart": 1}
WAIT = 15_000
SUCCESS = "[data-testid='okc-success']"
SHOWN_VALUES = "els => els.filter(e => e.offsetParent !== null).map(e => e.value)"  # fields a person can see


@dataclass
class Laptop:
    """One Chromium laptop and what its person typed and left, not yet saved: editor -> (label, text)."""

    name: str
    page: Page
    laptop_id: str
    team: teams.Team
    typed: dict[str, tuple[str, str]] = field(default_factory=dict)


class RoomModel:
    """The room's expected state and the steps that change it."""

    def __init__(self, browser: Browser, server: Server, seed: int, *, restarts: bool = True, log=print,
                 context: BrowserContext | None = None):
        self.rng, self.server, self.browser, self.log = random.Random(seed), server, browser, log
        self.store = Store(server.db_path)
        self.engagement = engagements.current(self.store)
        self.params = self.engagement.params
        suffix = f"{seed}-{new_laptop_id()[:4]}"
        self.team = teams.add(self.store, self.engagement.id, f"Room {suffix}")
        self.helpers = teams.add(self.store, self.engagement.id, f"Room helpers {suffix}")
        objective = drafts.add_objective(self.store, self.team, ObjectiveFields("Seed objective"), self.params, "seed")
        drafts.add_key_result(self.store, self.team, objective.id, KeyResultFields(
            "Seed key result, from 1 to 2", depends_on=(self.helpers.id,)), self.params, self.engagement.cycle_end,
            "seed")
        self.texts = self._stored_texts()  # (entity, id) -> the text people last saved
        self.removed = self._stored_removed()
        self.answers = self._stored_answers()
        self.in_break = False
        self.restarts = restarts
        self.count = 0
        # One context, a tab a laptop: each tab is its own session and laptop id; the app's scripts load once.
        # A context passed in lends the tabs an earlier room left on about:blank (loading a link in a tab
        # starts a new session, and spares compiling the app's scripts in a new tab).
        self.lent = context is not None
        self.context = context or self.browser.new_context(viewport={"width": 1280, "height": 1000})
        self.idle = [page for page in self.context.pages if page.url == "about:blank"]
        self.laptops = [self._open(f"{self.team.slug}#{n}", self.team) for n in range(3)]
        self.laptops.append(self._open(f"{self.helpers.slug}#0", self.helpers))

    # --- set-up and reading the database ---------------------------------------------------------------
    def _open(self, name: str, team: teams.Team) -> Laptop:
        page = self.idle.pop() if self.idle else self.context.new_page()
        page.bring_to_front()  # as a new tab comes to the front (a tab behind others draws no frames)
        page.set_default_timeout(WAIT)
        laptop = Laptop(name, page, new_laptop_id(), team)
        page.goto(team_url(self.server.url, team.slug, laptop.laptop_id))
        self._idle(page)
        return laptop

    def close(self) -> None:
        if not self.lent:
            self.context.close()
            return
        for laptop in self.laptops:  # each session ends, as when its tab closes
            try:
                laptop.page.goto("about:blank")
            except Exception:  # noqa: BLE001 - a tab that will not leave its page is closed instead
                laptop.page.close()

    def _stored_texts(self) -> dict[tuple[str, int], str]:
        with self.store.read() as db:
            rows = db.query("SELECT 'objective' AS entity, id, text FROM objectives WHERE team_id = :t UNION ALL "
                            "SELECT 'key_result', k.id, k.text FROM key_results k JOIN objectives o "
                            "ON o.id = k.objective_id WHERE o.team_id = :t", {"t": self.team.id})
            return {(r["entity"], r["id"]): r["text"] for r in rows}

    def _stored_removed(self) -> set[tuple[str, int]]:
        with self.store.read() as db:
            rows = db.query("SELECT 'objective' AS entity, id FROM objectives WHERE team_id = :t AND removed_at "
                            "IS NOT NULL UNION ALL SELECT 'key_result', k.id FROM key_results k JOIN objectives o "
                            "ON o.id = k.objective_id WHERE o.team_id = :t AND k.removed_at IS NOT NULL",
                            {"t": self.team.id})
            return {(r["entity"], r["id"]) for r in rows}

    def _stored_answers(self) -> dict[int, tuple[str, str]]:
        return {r.id: (r.status, r.comment) for r in dependencies.asked_of(self.store, self.helpers.id)}

    def _live(self) -> list[tuple[str, int]]:
        draft = drafts.load(self.store, self.team.id)
        return [("objective", o.id) for o in draft.objectives] + [
            ("key_result", k.id) for o in draft.objectives for k in o.key_results]

    def _text(self, laptop: Laptop) -> str:
        self.count += 1
        return f"{laptop.name} typed {self.count}"

    @staticmethod
    def _idle(page: Page) -> None:
        page.wait_for_selector(IDLE, state="attached")

    # --- one step ---------------------------------------------------------------------------------------
    def step(self, number: int) -> None:
        """Take one random step, then check every invariant."""
        kinds = [k for k in STEPS if self.restarts or k != "restart"]
        kind = self.rng.choices(kinds, weights=[STEPS[k] for k in kinds])[0]
        team_laptops = [lap for lap in self.laptops if lap.team.id == self.team.id]
        laptop = self.rng.choice(team_laptops)
        self.log(f"step {number}: {kind} on {laptop.name}")
        getattr(self, f"do_{kind}")(laptop)
        self.check()

    def do_type(self, laptop: Laptop) -> None:
        """Type into an item's editor (opening it) and leave the field."""
        live = self._live()
        if not live:
            return
        entity, item = self.rng.choice(live)
        name = f"{'objective' if entity == 'objective' else 'kr'}-{item}"
        page = laptop.page
        if name not in laptop.typed and editor(page, name).count() == 0:
            card = page.locator(f".st-key-{'objective' if entity == 'objective' else 'kr'}-card-{item}")
            button = card.get_by_role("button", name=re.compile("^Edit (objective|key result)$")).first
            if self.in_break or button.count() == 0:
                return  # read-only during the break: nothing to open
            button.click()
        label = "Objective" if entity == "objective" else "Key result"
        self._type(laptop, name, label)

    def do_type_new(self, laptop: Laptop) -> None:
        """Type into an add form (opening it) and leave the field, without adding."""
        if self.in_break:
            return
        draft = drafts.load(self.store, self.team.id)
        choices = ([(f"add-objective-{self.team.id}", "Objective", "Add an objective")]
                   if len(draft.objectives) < self.params.max_objectives else [])
        choices += [(f"add-kr-{o.id}", "Key result", f"Add a key result to objective {n}")
                    for n, o in enumerate(draft.objectives, 1) if len(o.key_results) < self.params.max_key_results]
        if not choices:
            return
        name, label, title = self.rng.choice(choices)
        page = laptop.page
        if editor(page, name).count() == 0:
            summary = page.locator("[data-testid='stExpander'] summary").filter(has_text=title)
            if summary.count() == 0:
                return  # this laptop has not redrawn the latest change yet: the person would wait
            summary.first.click()
        self._type(laptop, name, label)

    def _type(self, laptop: Laptop, name: str, label: str) -> None:
        box = editor(laptop.page, name).get_by_label(label, exact=True)
        text = self._text(laptop)
        box.fill(text)
        box.press("Tab")
        wait_kept(self.server.db_path, laptop.laptop_id, name, "text", text)
        laptop.typed[name] = (label, text)

    def do_save(self, laptop: Laptop) -> None:
        """Save (or add) one editor with typing; a stale edit is answered 'Keep my version', a removed item restored."""
        if not laptop.typed:
            return
        name = self.rng.choice(sorted(laptop.typed))
        page, (_, text) = laptop.page, laptop.typed[name]
        kind, _, item = name.rpartition("-")
        orphan = page.locator(f".st-key-orphan-card-{'objective' if kind == 'objective' else 'key_result'}-{item}")
        if kind in ("objective", "kr") and orphan.count():
            self._orphan(laptop, name, orphan, text)
            return
        scope = editor(page, name)
        scope.get_by_role("button", name=re.compile("^(Save|Add) (objective|key result|purpose)$")).click()
        deadline = time.monotonic() + WAIT / 1000
        while time.monotonic() < deadline:
            keep = page.get_by_role("button", name="Keep my version")
            if keep.count():
                keep.first.click()
                self._idle(page)
                continue
            error = scope.locator("[data-testid='stAlertContentError']")
            if error.count():
                raise AssertionError(f"{laptop.name}: saving {name} showed: {error.first.inner_text()}")
            if editor(page, name).count() == 0 or (kind.startswith("add") and self._emptied(page, name)):
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"{laptop.name}: saving {name} got no answer")
        expect(page.locator(SUCCESS).first).to_be_visible()
        del laptop.typed[name]
        self._acknowledged(kind, item, text)

    def _emptied(self, page: Page, name: str) -> bool:
        fields = editor(page, name).locator("textarea")
        return fields.count() > 0 and fields.first.input_value() == ""

    def _acknowledged(self, kind: str, item: str, text: str) -> None:
        """A 'Saved' on screen: the text is now the record's (a new record for an add form)."""
        if kind == "add-objective":
            key = next(("objective", i) for (e, i), t in self._stored_texts().items() if t == text)
        elif kind == "add-kr":
            key = next(("key_result", i) for (e, i), t in self._stored_texts().items() if t == text)
        else:
            key = ("objective" if kind == "objective" else "key_result", int(item))
        self.texts[key] = text
        self.removed.discard(key)

    def _orphan(self, laptop: Laptop, name: str, orphan, text: str) -> None:
        """The item under this editor was removed: restore it with my text, or (if it cannot be) discard."""
        page = laptop.page
        orphan.get_by_role("button", name="Restore it with my text").click()
        _until(lambda: orphan.count() == 0 or orphan.locator("[data-testid='stAlertContentError']").count() > 0,
               f"{laptop.name}: restoring {name} with its text")
        self._idle(page)
        if orphan.count() and orphan.locator("[data-testid='stAlertContentError']").count():
            orphan.get_by_role("button", name="Discard my text").click()  # a person's choice: it goes
            expect(orphan).to_have_count(0)
            del laptop.typed[name]
            return
        del laptop.typed[name]
        kind, _, item = name.rpartition("-")
        self._acknowledged(kind, item, text)
        self.removed = self._stored_removed()  # a restored objective brings back its key results too

    def do_add(self, laptop: Laptop) -> None:
        """Type and add a new objective or key result in one go."""
        self.do_type_new(laptop)
        adds = [n for n in laptop.typed if n.startswith("add-")]
        if adds:
            text = laptop.typed[adds[-1]][1]
            name = adds[-1]
            laptop.typed = {n: v for n, v in laptop.typed.items() if n != name} | {name: laptop.typed[name]}
            self._save_named(laptop, name, text)

    def _save_named(self, laptop: Laptop, name: str, text: str) -> None:
        rng, self.rng = self.rng, _Fixed(name)
        try:
            self.do_save(laptop)
        finally:
            self.rng = rng

    def do_remove(self, laptop: Laptop) -> None:
        """Open an item's editor and remove it; refused when it changed since (then the editor is discarded)."""
        if self.in_break:
            return
        live = self._live()
        if len(live) < 2:
            return
        entity, item = self.rng.choice(live)
        name = f"{'objective' if entity == 'objective' else 'kr'}-{item}"
        page = laptop.page
        if editor(page, name).count() == 0:
            button = page.locator(f".st-key-{name.split('-')[0]}-card-{item}").get_by_role(
                "button", name=re.compile("^Edit (objective|key result)$"))
            if button.count() == 0:
                return  # not redrawn yet, or the editor is this laptop's stale-edit choice
            button.first.click()
        scope = editor(page, name)
        scope.get_by_role("button", name=re.compile("^Remove (objective|key result)")).click()
        page.get_by_role("button", name=re.compile("^Yes, remove")).click()
        refused = page.get_by_text("Nothing was removed", exact=False)
        _until(lambda: editor(page, name).count() == 0 or refused.count() > 0, f"{laptop.name}: removing {name}")
        self._idle(page)
        laptop.typed.pop(name, None)  # a person's own Remove (or, refused, Discard) ends their typing
        if refused.count():
            editor(page, name).get_by_role("button", name="Discard").click()
            expect(editor(page, name)).to_have_count(0)
            return
        self.removed = self._stored_removed()
        assert (entity, item) in self.removed, f"{laptop.name}: 'Removed' shown but {entity} {item} is in the draft"

    def do_restore(self, laptop: Laptop) -> None:
        """Restore the newest removed item from the team's list."""
        if not self.removed:
            return
        page = laptop.page
        box = page.locator("[data-testid='stExpander']").filter(has_text="Removed objectives and key results")
        buttons = box.get_by_role("button", name="Restore", exact=True)
        if buttons.count() == 0:
            box.locator("summary").click()
            expect(box.get_by_text("removed by", exact=False).first).to_be_visible()
        before = self._stored_removed()
        buttons.first.click()
        _until(lambda: self._stored_removed() != before or box.locator("[data-testid='stAlertContentError']").count(),
               f"{laptop.name}: restoring")
        self._idle(page)
        self.removed = self._stored_removed()

    def do_discard(self, laptop: Laptop) -> None:
        """Discard one editor's typing: the person's own choice."""
        names = [n for n in sorted(laptop.typed) if editor(laptop.page, n).count()]
        if not names:
            return
        name = self.rng.choice(names)
        editor(laptop.page, name).get_by_role("button", name="Discard").click()
        fields = editor(laptop.page, name).get_by_label(laptop.typed[name][0], exact=True)
        _until(lambda: laptop.typed[name][1] not in fields.evaluate_all(SHOWN_VALUES),
               f"{laptop.name}: discarding {name}")
        del laptop.typed[name]

    def do_answer(self, _: Laptop) -> None:
        """The other team's laptop accepts or declines a request with a comment."""
        helper = self.laptops[-1]
        asked = dependencies.asked_of(self.store, self.helpers.id)
        if not asked:
            return
        request = self.rng.choice(asked)
        box = helper.page.locator(f".st-key-request-{request.id}")
        if box.count() == 0:
            return
        comment = self._text(helper)
        box.get_by_label("Comment", exact=True).fill(comment)
        box.get_by_label("Comment", exact=True).press("Tab")
        status = self.rng.choice(["accepted", "declined"])
        box.get_by_role("button", name="Accept" if status == "accepted" else "Decline").click()
        expect(helper.page.get_by_text(f": {status}.", exact=False).first).to_be_visible()
        self.answers[request.id] = (status, comment)

    def do_rename(self, _: Laptop) -> None:
        """The facilitator renames one of the two teams."""
        renamed = self.rng.choice([self.team, self.helpers])
        self.count += 1
        teams.rename(self.store, renamed.id, f"{renamed.name.split(' ·')[0]} · {self.count}")

    def do_reword(self, _: Laptop) -> None:
        """Leadership rewords a top-level objective."""
        tops = drafts.top_objectives(self.store, self.engagement.id)
        top = self.rng.choice(tops)
        leadership = next(t for t in teams.list_teams(self.store, self.engagement.id) if t.id == top.team_id)
        self.count += 1
        drafts.save_objective(self.store, leadership, top.id, ObjectiveFields(
            f"{top.fields.text.split(' ·')[0]} · {self.count}", top.fields.why_now, top.fields.status,
            top.fields.contributes_to), top.version, "Leadership")

    def do_agenda(self, _: Laptop) -> None:
        """The facilitator moves from the breakout to a break, or back."""
        self.in_break = not self.in_break
        jump(self.server.db_path, "break" if self.in_break else "breakout")
        view = "break" if self.in_break else "drafting"
        for laptop in self.laptops:
            expect(laptop.page.locator(f".st-key-agenda-view-{view}")).to_be_attached(timeout=WAIT)
            self._idle(laptop.page)

    def do_reload(self, laptop: Laptop) -> None:
        """A laptop reloads its page (a new browser session on the same link)."""
        laptop.page.reload()
        self._idle(laptop.page)

    def do_restart(self, _: Laptop) -> None:
        """The server stops and starts again on the same file; every laptop reloads."""
        self.server.stop()
        self.server.start()
        for laptop in self.laptops:
            laptop.page.reload()
            self._idle(laptop.page)

    # --- invariants ------------------------------------------------------------------------------------
    def check(self) -> None:
        """Every invariant of the room, checked against the database and every laptop's screen."""
        stored = self._stored_texts()
        for key, text in self.texts.items():
            assert stored.get(key) == text, f"{key}: stored {stored.get(key)!r}, last acknowledged {text!r}"
        assert self._stored_removed() == self.removed, "removed items differ from what people removed and restored"
        answers = self._stored_answers()
        for request, answer in self.answers.items():  # a request leaves with its removed key result
            assert answers.get(request, answer) == answer, f"request {request}: stored {answers[request]}, not {answer}"
        for laptop in self.laptops:
            expect(laptop.page.locator(EXCEPTION)).to_have_count(0)
            for name, (label, text) in laptop.typed.items():
                box = editor(laptop.page, name).get_by_label(label, exact=True).filter(visible=True)
                expect(box, f"{laptop.name}: typing in {name} left the screen").to_have_value(text, timeout=WAIT)
        with self.store.read() as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _until(check, what: str) -> None:
    """Poll until check() holds (a page or the database caught up), or fail naming what did not happen."""
    deadline = time.monotonic() + WAIT / 1000
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: no answer within {WAIT / 1000:.0f} s")
        time.sleep(0.05)


class _Fixed:
    """A stand-in random source that always picks one editor (an add step saving what it just typed)."""

    def __init__(self, name: str):
        self.name = name

    def choice(self, options):
        return self.name


def run(browser: Browser, server: Server, seed: int, steps: int, *, restarts: bool = True, log=print,
        context: BrowserContext | None = None) -> None:
    """Take `steps` random steps from `seed` in a fresh pair of teams on this server (in tabs of `context`)."""
    model = RoomModel(browser, server, seed, restarts=restarts, log=log, context=context)
    try:
        for number in range(1, steps + 1):
            model.step(number)
    finally:
        model.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="okrcoach-room-"))
    store = demo_store(folder)
    server = Server(store.path, folder / "streamlit.log")
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                run(browser, server, args.seed, args.steps)
            finally:
                browser.close()
    finally:
        server.stop()
    print(f"seed {args.seed}: {args.steps} steps, every invariant held (server log: {folder / 'streamlit.log'})")


if __name__ == "__main__":
    sys.exit(main())
