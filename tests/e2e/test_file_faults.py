"""When the workshop's file refuses writes (locked by another program, read-only, a full disk), a person sees one
plain sentence, keeps their typing, loses nothing acknowledged, and saving works again once the file does."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, runs
from tests.e2e.conftest import CODE, PIN, ROOT, Server, wait_idle

PARKED = "Ask finance which cost baseline the stores should use"


def workshop(folder: Path) -> tuple[Path, str]:
    """A demo workshop and a facilitator token, made by a process that has ended: the file is complete and closed."""
    path = folder / "okrcoach.db"
    made = subprocess.run(
        [sys.executable, "-c", "import sys; from okrcoach.workshop import access; from okrcoach.drafting import demo; "
         "from okrcoach.storage.store import Store; "
         "store = Store(sys.argv[1]); demo.load_demo(store, code=sys.argv[2], pin=sys.argv[3]); "
         "print(access.sign_in(store, sys.argv[3]))", str(path), CODE, PIN],
        cwd=ROOT, capture_output=True, text=True, check=True)
    return path, made.stdout.strip()


def park(console: Page, text: str) -> None:
    field = console.get_by_label("Deferred question or topic")
    field.fill(text)
    console.get_by_role("button", name="Park it").click()


def expect_paused(console: Page, words: str) -> None:
    """The plain sentence is shown, no traceback, and the typing is still in its field."""
    expect(console.get_by_text(words)).to_be_visible(timeout=30_000)
    expect(console.get_by_text("Traceback")).to_have_count(0)
    expect(console.get_by_label("Deferred question or topic")).to_have_value(PARKED)


def parked_texts(path: Path) -> list[str]:
    store = Store(path)
    return [item.text for item in runs.parked(store, engagements.current(store).id)]


def test_a_write_lock_held_past_the_busy_timeout_pauses_saving_plainly_and_it_resumes(tmp_path, open_page):
    path, token = workshop(tmp_path)
    server = Server(path, tmp_path / "streamlit.log")
    server.start()
    try:
        console = open_page(f"{server.url}/console?fac={token}")
        other_program = sqlite3.connect(path, isolation_level=None)
        other_program.execute("BEGIN IMMEDIATE")
        try:  # held until the save has waited out the busy timeout and the page says so
            park(console, PARKED)
            expect_paused(console, "Saving is paused: another program is holding the workshop's file.")
            assert PARKED not in parked_texts(path)
        finally:
            other_program.execute("ROLLBACK")
            other_program.close()
        console.get_by_role("button", name="Park it").click()
        expect(console.get_by_text(PARKED)).to_be_visible(timeout=20_000)
        wait_idle(console)
        assert PARKED in parked_texts(path)
    finally:
        server.stop()


def test_a_read_only_file_keeps_every_reading_page_working_and_refuses_saves_plainly(tmp_path, open_page):
    path, token = workshop(tmp_path)
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    server = Server(path, tmp_path / "streamlit.log")
    try:
        server.start()
        page = None
        for reading in (f"/team?team=stores&code={CODE}", f"/projector?code={CODE}", f"/alignment?code={CODE}",
                        f"/setup?fac={token}", f"/export?fac={token}"):
            if page is None:
                page = open_page(server.url + reading)
            else:  # the same tab: each load is a session of its own, on the app's scripts compiled once
                page.goto(server.url + reading)
                wait_idle(page)
            expect(page.get_by_text("Something went wrong")).to_have_count(0)
        expect(page.get_by_role("button", name="Download the draft pack (.docx)")).to_be_visible()
        console = open_page(f"{server.url}/console?fac={token}")
        park(console, PARKED)
        expect_paused(console, "Saving is paused: the laptop running the workshop cannot write its file.")
        subprocess.run(["chattr", "-i", str(path)], check=True)
        console.get_by_role("button", name="Park it").click()
        expect(console.get_by_text(PARKED)).to_be_visible(timeout=20_000)
        assert PARKED in parked_texts(path)
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        server.stop()


def test_a_full_disk_pauses_saving_plainly_and_it_resumes_once_space_is_freed(tmp_path, open_page):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    server = None
    try:
        path, token = workshop(disk)
        server = Server(path, tmp_path / "streamlit.log")
        server.start()
        console = open_page(f"{server.url}/console?fac={token}")
        filler = disk / "filler"
        with filler.open("wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 4096)
                    out.flush()
            except OSError:
                pass  # the disk is full
        park(console, PARKED)
        expect_paused(console, "Saving is paused: the disk of the laptop running the workshop is full.")
        filler.unlink()
        console.get_by_role("button", name="Park it").click()
        expect(console.get_by_text(PARKED)).to_be_visible(timeout=20_000)
        assert PARKED in parked_texts(path)
    finally:
        if server:
            server.stop()
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
