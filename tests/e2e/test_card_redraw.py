"""A teammate's edit of one card redraws that card alone on the other laptops of the team; a change of the
page's shape (a removed objective) redraws the whole page. Driven by the load harness's protocol client,
which counts whole-page runs as a browser's page would see them."""

import asyncio
import concurrent.futures
import dataclasses
import time

from okrcoach.drafting import drafts
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams
from tests.e2e.conftest import CODE
from tests.perf.protocol import StreamlitSession


def test_a_teammates_edit_redraws_only_its_card_and_a_removal_the_whole_page(server):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    team = teams.by_slug(store, engagement.id, "stores")

    def shown(page: StreamlitSession, text: str) -> bool:
        return any(text in element.body for _, element in page.elements("html"))

    async def journey() -> None:
        page = StreamlitSession(server.url, "team", f"team=stores&code={CODE}&laptop=card-redraw", "laptop", print)
        await page.open()
        try:
            await page.until(lambda: page.full_runs >= 1 and page.elements("button"), 30)
            objectives = drafts.load(store, team.id).objectives
            edits = len([b for _, b in page.elements("button") if b.label.startswith("Edit")])
            whole_page_runs = page.full_runs

            first = objectives[0]
            text = f"Fill every shelf by nine, every day ({time.time()})"
            drafts.save_objective(store, team, first.id, dataclasses.replace(first.fields, text=text),
                                  first.version, "another laptop")
            await page.until(lambda: shown(page, text), 10)
            kr = objectives[1].key_results[0]
            kr_text = f"Raise on-shelf availability from 91 to 97 % ({time.time()})"
            drafts.save_key_result(store, team, kr.id, dataclasses.replace(kr.fields, text=kr_text), kr.version,
                                   engagement.params, engagement.cycle_end, "another laptop")
            await page.until(lambda: shown(page, kr_text), 10)
            assert page.full_runs == whole_page_runs, "a teammate's edit of one card redrew the whole page"
            assert len([b for _, b in page.elements("button") if b.label.startswith("Edit")]) == edits
            assert shown(page, objectives[2].fields.text), "the cards around the edited one stay on the page"

            drafts.remove_objective(store, team, objectives[2].id, "another laptop")
            await page.until(lambda: page.full_runs > whole_page_runs, 10)
            await page.until(lambda: not shown(page, objectives[2].fields.text), 10)
        finally:
            await page.close()

    # On a thread of its own: Playwright's sync API may already run an event loop on this worker's thread.
    with concurrent.futures.ThreadPoolExecutor(1) as own_loop:
        own_loop.submit(asyncio.run, journey()).result(timeout=120)
