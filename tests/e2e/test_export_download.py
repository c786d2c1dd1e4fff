"""The facilitator's /export in a browser: the pack, the CSV and the workbook download; a wrong backup is
refused in one line; a restored backup archives the engagement in use, and switching back brings it back."""

import json
from io import BytesIO
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from okrcoach.exports import backup, csv_export
from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements, teams
from tests.e2e.conftest import PIN, wait_idle


def _export_page(server, open_page) -> Page:
    return open_page(f"{server.url}/export?fac={access.sign_in(Store(server.db_path), PIN)}")


def _download(page: Page, label: str) -> tuple[bytes, str]:
    button = page.get_by_role("button", name=label)
    expect(button).to_be_visible()
    with page.expect_download() as download:
        button.click()
    return Path(download.value.path()).read_bytes(), download.value.suggested_filename


def _restore(page: Page, path: Path) -> None:
    page.locator("input[type='file']").set_input_files(path)
    expect(page.get_by_text(path.name)).to_be_visible()
    page.get_by_text("Archive the engagement in use and restore this backup in its place").click()
    page.get_by_role("button", name="Restore").click()
    wait_idle(page)


def test_facilitator_downloads_a_pack_with_every_team(server, open_page):
    store = Store(server.db_path)
    data, name = _download(_export_page(server, open_page), "Download the draft pack (.docx)")
    document = Document(BytesIO(data))
    headings = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
    for team in teams.list_teams(store, engagements.current(store).id):
        assert team.name in headings
    assert name.endswith("-draft-pack.docx")


def test_facilitator_downloads_the_csv_and_the_workbook(server, open_page):
    store = Store(server.db_path)
    page = _export_page(server, open_page)
    data, name = _download(page, "Download the CSV for the OKR tool")
    assert name.endswith("-okrs.csv") and data == csv_export.build_csv(store, engagements.current(store))
    assert data.startswith(b"\xef\xbb\xbfobjective_id,key_result_id,team,team_level,")
    data, name = _download(page, "Download the workbook for the OKR tool (.xlsx)")
    workbook = load_workbook(BytesIO(data))
    assert name.endswith("-okrs.xlsx") and workbook.sheetnames == ["Top-level OKRs", "Team OKRs"]
    assert workbook["Team OKRs"].freeze_panes == "A2"


def test_a_wrong_backup_is_refused_in_one_line_and_changes_nothing(server, open_page, tmp_path):
    store = Store(server.db_path)
    before, archived = engagements.current(store), engagements.archived(store)
    content = backup.build_backup(store, before)
    content["engagement"]["max_key_results"] = 0
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    page = _export_page(server, open_page)
    _restore(page, path)
    message = ("wrong.json: engagement.max_key_results must be a whole number from 1 to 6, got 0. "
               "Nothing was changed.")
    expect(page.get_by_role("alert").filter(has_text=message)).to_have_text(message)
    assert engagements.current(store) == before and engagements.archived(store) == archived


def test_a_restore_archives_the_engagement_in_use_and_switch_back_brings_it_back(server, open_page, tmp_path):
    store = Store(server.db_path)
    before = engagements.current(store)
    content = backup.build_backup(store, before)
    content["engagement"]["name"] = "Copy for the sponsor"
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    page = _export_page(server, open_page)
    _restore(page, path)
    expect(page.get_by_text("Restored 'Copy for the sponsor'").first).to_be_visible()
    assert engagements.current(store).name == "Copy for the sponsor"

    switch = page.get_by_role("button", name="Switch back")
    switch.click()
    wait_idle(page)
    expect(page.get_by_text("Tick the box to confirm.")).to_be_visible()
    assert engagements.current(store).name == "Copy for the sponsor"  # it asks first
    page.get_by_text("Archive the engagement in use and switch back to this one").click()
    switch.click()
    expect(page.get_by_text(f"Switched back to '{before.name}'").first).to_be_visible()
    assert engagements.current(store).id == before.id
    assert "Copy for the sponsor" in {row["name"] for row in engagements.archived(store)}
