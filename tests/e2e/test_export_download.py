"""The facilitator downloads the draft pack from /export; it opens and has every team."""

from io import BytesIO

from docx import Document
from playwright.sync_api import expect

from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements, teams
from tests.e2e.conftest import PIN


def test_facilitator_downloads_a_pack_with_every_team(server, open_page):
    store = Store(server.db_path)
    token = access.sign_in(store, PIN)
    page = open_page(f"{server.url}/export?fac={token}")
    button = page.get_by_role("button", name="Download the draft pack (.docx)")
    expect(button).to_be_visible()
    with page.expect_download() as download:
        button.click()
    document = Document(BytesIO(open(download.value.path(), "rb").read()))
    headings = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
    for team in teams.list_teams(store, engagements.current(store).id):
        assert team.name in headings
    assert download.value.suggested_filename.endswith("-draft-pack.docx")
