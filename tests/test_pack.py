"""The Word draft pack: structure in Word styles, tables with repeating headers, page numbers, hostile text."""

import re
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn

from okrcoach.drafting import demo, discussions, drafts, executive
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.exports import pack, prose, word
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, runs, teams
from okrcoach.workshop.agendas import Agenda, AgendaItem
from okrcoach.workshop.engagements import DeploymentParameters
from tests.conftest import quick_pin_hashes
from tests.perf.bench_pack import synthetic_engagement

T0 = 1_767_600_000.0  # 5 January 2026, 08:00 UTC
# The demo ran no agenda and held no executive session: those sections are left out of its pack.
SECTIONS = ["At a glance", "Deployment parameters", "Top-level OKRs", "Team OKRs", "Alignment", "Parking lot",
            "Next steps"]
QUESTION_COLUMNS = ["About", "Question or point", "Why it matters"]
KR_COLUMNS = ["#", "Key result", "Type", "From → to", "Due", "Champion", "Depends on"]
RELAXED = DeploymentParameters(max_objectives=99, max_key_results=99)

# Text people (or an old backup) could put in the database, and what must survive of it.
CONTROL = "Null\x00 bell\x07 tab-like\x0b form\x0c escape\x1b delete\x7f end"
CONTROL_VISIBLE = "Null bell tab-like form escape delete end"
EMOJI = "Launch 🚀 with 👩🏽‍💻 and 🇳🇱"
RTL = "تحسين رضا العملاء — שיפור חוויית הלקוח \u202egnirts desrever"
MARKUP = "<script>alert('x')</script> **bold** [link](http://x) &amp; </w:t>"
LONG_WHY_NOW = ("Customers wait too long and tell us so. " * 300)[:10_000].strip()
UNBROKEN = "Q" * 3_000


def reopen(data: bytes):
    """The .docx bytes opened again, as Word would."""
    return Document(BytesIO(data))


def headings(doc) -> list[tuple[str, str]]:
    """(style, text) of every Title and Heading paragraph, in order."""
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def all_text(doc) -> str:
    """Every paragraph and table cell's text, headers and footers included."""
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def table_with_header(doc, first_cells: list[str]):
    """Every table whose header row starts with these cell texts."""
    return [t for t in doc.tables if [c.text for c in t.rows[0].cells][:len(first_cells)] == first_cells]


def body_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def blocks(doc) -> list[tuple[str, str]]:
    """The body in order: ("Heading 2", team name) for headings, ("table", first header cell) for tables."""
    found = []
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and style.get(qn("w:val")).startswith("Heading"):
                found.append((f"Heading {style.get(qn('w:val'))[-1]}",
                              "".join(t.text for t in element.iter(qn("w:t")))))
        elif element.tag == qn("w:tbl"):
            first = element.find(qn("w:tr"))
            found.append(("table", "".join(t.text for t in first.find(qn("w:tc")).iter(qn("w:t")))))
    return found


def small_agenda() -> Agenda:
    return Agenda(slug="small", title="Short drafting session", kind="team-drafting", audience="Two teams",
                  minutes=45, description="", path=Path("small.toml"), items=(
                      AgendaItem("Welcome", 20, "talk", ("Who are you?",), ""),
                      AgendaItem("Draft objectives", 10, "breakout", ("Why now?",), ""),
                      AgendaItem("Share out", 15, "share-out", (), "")))


def _demo(folder: Path):
    store = Store(folder / "demo.db")
    engagement = demo.load_demo(store, today=date(2026, 1, 5))
    with store.write() as db:  # the demo's agenda was never run here: the pack has no agenda as run
        db.execute("UPDATE runs SET archived_at = 1")
    return store, engagement


@pytest.fixture
def demo_store(tmp_path):
    """The demo engagement of this test's own, for tests that change it."""
    return _demo(tmp_path)


@pytest.fixture(scope="module")
def shared_demo(tmp_path_factory):
    """The demo engagement shared by the tests of this module that only read it."""
    with quick_pin_hashes():
        return _demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo_doc(shared_demo):
    """The shared demo's pack, built once per module."""
    store, engagement = shared_demo
    return reopen(pack.build_pack(store, engagement, now=T0))


def hostile_engagement(store: Store):
    """An engagement whose every text field holds control characters, emoji, RTL, markup or 10,000 characters."""
    engagement = engagements.ensure_current(store, today=date(2026, 1, 5))[0]
    engagement = engagements.update(
        store, engagement.id, name=f"Launch {EMOJI}", client=f"Client {RTL}", facilitator=f"Coach {EMOJI}",
        cycle_kind="quarter", cycle_start=date(2026, 1, 5), cycle_end=None, params=DeploymentParameters())
    top = teams.add(store, engagement.id, f"Top {RTL}"[:60], kind="top")
    team = teams.add(store, engagement.id, f"Team {EMOJI}", slug="hostile")
    other = teams.add(store, engagement.id, "<b>Other</b> **team**", slug="other")
    team = teams.save_purpose(store, team, f"{MARKUP} {RTL}", team.purpose_version, "test")
    top_objective = drafts.add_objective(store, top, ObjectiveFields(f"Top {MARKUP}", why_now=RTL), RELAXED, "t")
    objective = drafts.add_objective(store, team, ObjectiveFields(
        f"{MARKUP} {EMOJI} {RTL}", why_now=LONG_WHY_NOW, contributes_to=(top_objective.id,)), RELAXED, "t")
    drafts.add_objective(store, team, ObjectiveFields(UNBROKEN, why_now=UNBROKEN), RELAXED, "t")
    drafts.add_key_result(store, team, objective.id, KeyResultFields(
        UNBROKEN, kr_type="metric", baseline=1.5, target=1e12, unit=EMOJI[:40], champion=RTL[:120],
        contributors=MARKUP, depends_on=(other.id,)), RELAXED, engagement.cycle_end, "t")
    drafts.add_key_result(store, team, objective.id, KeyResultFields(
        f"{RTL} {MARKUP}", kr_type="baseline", champion=EMOJI), RELAXED, engagement.cycle_end, "t")
    runs.add_parked(store, engagement.id, f"{MARKUP} {EMOJI}", raised_by=RTL[:100])
    executive.propose(store, engagement.id, f"{EMOJI} {RTL}", MARKUP, "CEO")
    # The domain strips control characters on save; an old backup or a hand-edited database may not have.
    with store.write() as db:
        db.execute("UPDATE objectives SET text = text || ? WHERE id = ?", [" " + CONTROL, objective.id])
        db.execute("UPDATE teams SET name = name || ?, purpose = purpose || ? WHERE id = ?",
                   [" \x01", " " + CONTROL, team.id])
        db.execute("UPDATE engagements SET client = client || ? WHERE id = ?", ["\x02\x1f", engagement.id])
        db.execute("UPDATE parking_lot SET text = text || ?", [" " + CONTROL])
        db.execute("UPDATE candidates SET why = why || ?", [" " + CONTROL])
    return engagements.current(store), team


# --- word helpers ------------------------------------------------------------------------------

def test_safe_removes_characters_xml_cannot_hold_and_keeps_the_rest():
    assert word.safe(CONTROL) == CONTROL_VISIBLE
    assert word.safe(f"{EMOJI}\t{MARKUP}\n{RTL[:20]}") == f"{EMOJI}\t{MARKUP}\n{RTL[:20]}"
    assert word.safe("a\r\nb\rc\ud800d") == "a\nb\ncd"
    assert word.safe(None) == ""


def test_safe_closes_a_right_to_left_override_so_it_cannot_reverse_what_follows():
    assert word.safe("abc\u202edef") == "abc\u202edef\u202c"
    assert word.safe("\u202eab\u202c cd") == "\u202eab\u202c cd"
    assert word.safe("\u2067ab") == "\u2067ab\u2069"
    assert word.short("\u202e" + "word " * 50, 20).endswith("…\u202c")


def test_short_cuts_long_text_at_a_word_with_an_ellipsis():
    assert word.short("one two three four", 9) == "one two…"
    assert word.short("  spaced \n out  ") == "spaced out"
    assert len(word.short(UNBROKEN, 100)) == 101


def test_table_marks_its_header_row_to_repeat_and_fits_the_page():
    doc = word.new_document("T", "S", "A")
    table = word.table(doc, ["a", "b", "c"], [["1", "2", "3"]], [10.0, 10.0, 10.0])
    doc = reopen(word.to_bytes(doc))
    tbl = doc.tables[0]._tbl
    assert tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) <= round(word.TEXT_WIDTH_CM * 567) + 3
    assert table is not None


# --- the demo pack -----------------------------------------------------------------------------

def test_pack_core_properties_name_the_client_the_workshop_and_the_facilitator(shared_demo, demo_doc):
    _, engagement = shared_demo
    properties = demo_doc.core_properties
    assert properties.title == "Draft OKRs: Fernhollow Outdoor Co."
    assert properties.author == "Marta Lindqvist"
    assert properties.subject == engagement.name  # no agenda run: the engagement names the workshop


def test_pack_cover_is_the_title_and_each_section_a_heading_1_in_design_order(demo_doc):
    found = headings(demo_doc)
    assert found[0] == ("Title", "Draft OKRs")
    assert [text for style, text in found if style == "Heading 1"] == SECTIONS


def test_cover_lists_client_workshop_facilitator_and_the_day_the_first_draft_was_saved(shared_demo, demo_doc):
    store, engagement = shared_demo
    cover = [[cell.text for cell in row.cells] for row in demo_doc.tables[0].rows]
    with store.read() as db:
        first = db.execute("SELECT min(saved_at) FROM revisions").fetchone()[0]
    day = datetime.fromtimestamp(first, ZoneInfo("Europe/London")).date()
    assert cover[:4] == [["Client", "Fernhollow Outdoor Co."],
                         ["Workshop", "Fernhollow Outdoor Co. — OKRs launch, Q1 cycle"],
                         ["Date", f"{day.day} {day:%B %Y}"], ["Facilitator", "Marta Lindqvist"]]


def test_the_cover_date_is_the_day_the_agenda_ran_not_the_day_of_export(demo_store):
    store, engagement = demo_store
    run = runs.start_run(store, engagement.id, small_agenda(), now=T0 - 60)
    runs.act(store, run.id, "start", T0 + 2 * 86400)
    doc = reopen(pack.build_pack(store, engagement, now=T0 + 30 * 86400))
    assert [cell.text for cell in doc.tables[0].rows[2].cells] == ["Date", "7 January 2026"]


def test_every_demo_team_is_a_heading_2_with_its_objectives_as_heading_3(shared_demo, demo_doc):
    store, engagement = shared_demo
    found = headings(demo_doc)
    team_headings = [text for style, text in found if style == "Heading 2"]
    objective_headings = [text for style, text in found if style == "Heading 3"]
    for draft in drafts.load_all(store, engagement.id):
        assert draft.team.name in team_headings
        for number, objective in enumerate(draft.objectives, start=1):
            assert f"Objective {number}: {objective.fields.text}" in objective_headings


def test_why_now_and_key_results_of_each_objective_are_in_the_pack(shared_demo, demo_doc):
    store, engagement = shared_demo
    text = all_text(demo_doc)
    for draft in drafts.load_all(store, engagement.id):
        for objective in draft.objectives:
            assert objective.fields.why_now in text
            for kr in objective.key_results:
                assert kr.fields.text in text


def test_key_result_tables_repeat_their_header_row_on_every_page(shared_demo, demo_doc):
    store, engagement = shared_demo
    kr_tables = table_with_header(demo_doc, KR_COLUMNS)
    with_krs = [o for d in drafts.load_all(store, engagement.id) for o in d.objectives if o.key_results]
    assert len(kr_tables) == len(with_krs)
    for table in kr_tables:
        assert table._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None


def test_key_result_rows_show_type_from_to_due_champion_and_dependency_status(shared_demo, demo_doc):
    _, engagement = shared_demo
    rows = [row for table in table_with_header(demo_doc, KR_COLUMNS) for row in body_rows(table)]
    first = rows[0]
    assert first[:5] == ["1.1", ("Increase the 90-day repeat purchase rate of first-time buyers from 22% to 30% "
                                 "by the end of the quarter"), "Metric", "22% → 30%", "4 Apr 2026"]
    assert engagement.cycle_end == date(2026, 4, 4)  # a key result without a date is due at the cycle end
    assert first[5].startswith("Priya (Marketing Director)\nWith: Store managers")
    assert any(row[2] == "Baseline" and row[3] == "to be measured" for row in rows)
    assert any(row[2] == "Milestone" and row[3] == "done / not done" for row in rows)
    assert any(row[6] == "Online store team: declined" for row in rows)
    assert any(row[6] == "Supply and warehouse team: accepted" for row in rows)


def test_every_table_fits_between_the_margins_of_an_a4_page(demo_doc):
    section = demo_doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in demo_doc.tables:
        width = int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
        assert width * 635 <= text_width + 635 * 3


def test_footer_counts_pages_with_a_page_field_and_the_cover_has_none(demo_doc):
    section = demo_doc.sections[0]
    fields = [f.get(qn("w:instr")).strip() for f in section.footer._element.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.different_first_page_header_footer
    assert "PAGE" not in section.first_page_footer._element.xml


def test_sections_with_nothing_in_them_are_left_out_and_no_text_names_the_tool(demo_doc):
    found = [text for style, text in headings(demo_doc)]
    assert "The agenda as run" not in found and "Executive candidates not chosen" not in found
    text = all_text(demo_doc).lower()
    assert "okrcoach" not in text and "recorded" not in text
    assert "okrcoach" not in (demo_doc.core_properties.comments + demo_doc.core_properties.author).lower()


def test_agenda_as_run_shows_planned_against_actual_minutes(demo_store):
    store, engagement = demo_store
    run = runs.start_run(store, engagement.id, small_agenda(), now=T0 - 60)
    runs.act(store, run.id, "start", T0)
    runs.act(store, run.id, "next", T0 + 25 * 60)   # Welcome: 20 planned, 25 taken
    runs.act(store, run.id, "next", T0 + 35 * 60)   # Draft objectives: 10 and 10
    doc = reopen(pack.build_pack(store, engagement, now=T0 + 40 * 60))  # Share out running for 5 min
    table, = table_with_header(doc, ["#", "Agenda item", "Kind", "Started", "Planned", "Actual", "Difference"])
    rows = [[row[i] for i in (0, 1, 2, 4, 5, 6)] for row in body_rows(table)]
    assert rows == [["1", "Welcome", "talk", "20", "25", "+5"],
                    ["2", "Draft objectives", "breakout", "10", "10", "0"],
                    ["3", "Share out", "share-out", "15", "5 (running)", "−10"],
                    ["", "Total of the items run", "", "45", "40", "−5"]]
    assert doc.core_properties.subject == "Short drafting session"
    assert [row[3] for row in body_rows(table)][:3] == ["08:00", "08:25", "08:35"]  # London in January: UTC


def test_agenda_items_never_reached_are_skipped_and_left_out_of_the_totals(demo_store):
    store, engagement = demo_store
    run = runs.start_run(store, engagement.id, small_agenda(), now=T0 - 60)
    runs.act(store, run.id, "start", T0)
    runs.act(store, run.id, "finish", T0 + 10 * 60)
    doc = reopen(pack.build_pack(store, engagement, now=T0 + 3600))
    table, = table_with_header(doc, ["#", "Agenda item"])
    rows = body_rows(table)
    assert [row[5] for row in rows][:3] == ["10", "skipped", "skipped"]
    assert rows[-1][4:6] == [str(small_agenda().items[0].minutes), "10"]  # planned and actual of what was run
    assert rows[-1][6] == "−10"
    # The totals add up: the sum of the figures printed in the rows above.
    assert int(rows[-1][4]) == sum(int(r[4]) for r in rows[:-1] if r[5].isdigit())


def test_run_times_are_shown_in_the_engagements_time_zone(demo_store):
    store, engagement = demo_store
    run = runs.start_run(store, engagement.id, small_agenda(), now=T0 - 60)
    runs.act(store, run.id, "start", T0)
    engagement = engagements.set_locale(store, engagement.id, "en_US", "America/New_York")
    doc = reopen(pack.build_pack(store, engagement, now=T0 + 600))
    table, = table_with_header(doc, ["#", "Agenda item"])
    assert body_rows(table)[0][3] == "3:00\u202fAM"  # 08:00 UTC is 3 AM in New York in January
    assert "America/New_York" in all_text(doc)


def test_candidates_not_chosen_are_listed_and_the_chosen_one_is_a_top_level_objective(store, engagement, top_team):
    ids = [executive.propose(store, engagement.id, text, f"why {n}", "CEO")
           for n, text in enumerate(["Own the weekend trip", "Halve returns", "Open a repair café"])]
    executive.cast(store, engagement.id, "Ana", {ids[0]: 1, ids[2]: 2})
    executive.promote(store, engagement.id, ids[1], "facilitator")
    doc = reopen(pack.build_pack(store, engagements.current(store), now=T0))
    table, = table_with_header(doc, ["Candidate objective", "Why", "Proposed by", "Dots"])
    assert body_rows(table) == [["Open a repair café", "why 2", "CEO", "2"],
                                ["Own the weekend trip", "why 0", "CEO", "1"]]
    assert ("Heading 3", "Objective 1: Halve returns") in headings(doc)


def test_parking_lot_lists_every_item_with_who_raised_it_and_whether_it_is_open(demo_store):
    store, engagement = demo_store
    runs.set_parked_done(store, runs.parked(store, engagement.id)[0].id, True)
    doc = reopen(pack.build_pack(store, engagement, now=T0))
    table, = table_with_header(doc, ["#", "Question or topic", "Raised by", "Status"])
    expected = [[str(n), item.text, item.raised_by, "dealt with" if item.done else "open"]
                for n, item in enumerate(runs.parked(store, engagement.id), start=1)]
    assert body_rows(table) == expected and len(expected) == 3
    assert expected[0][3] == "dealt with"


def test_vertical_alignment_is_a_table_per_top_level_objective(shared_demo, demo_doc):
    store, engagement = shared_demo
    all_drafts = drafts.load_all(store, engagement.id)
    tops = [o for d in all_drafts if d.team.kind == "top" for o in d.objectives]
    order = blocks(demo_doc)
    start = order.index(("Heading 2", "Vertical: team objectives under each top-level objective"))
    for top in tops:
        at = order.index(("Heading 3", top.fields.text), start)
        assert order[at + 1] == ("table", "Team")
    tables = table_with_header(demo_doc, ["Team", "Team objective", "Status", "Key results"])
    rows = [row for table in tables[:len(tops)] for row in body_rows(table)]
    expected = [[d.team.name, o.fields.text] for top in tops for d in all_drafts if d.team.kind != "top"
                for o in d.objectives if top.id in o.fields.contributes_to]
    assert [row[:2] for row in rows] == expected


def test_horizontal_alignment_lists_every_request_with_its_answer_in_words(shared_demo, demo_doc):
    alignment = pytest.importorskip("okrcoach.review.alignment")
    store, engagement = shared_demo
    data = alignment.load(store, engagement)
    horizontal, = table_with_header(demo_doc, ["Asking team", "Asked team", "Key result", "Answer", "Comment"])
    words = {"requested": "not answered yet", "accepted": "accepted", "declined": "declined"}
    assert [(r[0], r[1], r[3]) for r in body_rows(horizontal)] == [
        (r.from_team, r.to_team, words[r.status]) for r in alignment.horizontal(data).itertuples(index=False)]
    matrix, = table_with_header(demo_doc, ["Asking ↓ / asked →"])
    assert len(matrix.rows) == 1 + len(alignment.dependency_matrix(data).index)


def test_each_teams_open_questions_are_in_a_box_right_after_its_okrs(shared_demo, demo_doc):
    store, engagement = shared_demo
    order = blocks(demo_doc)
    team_names = [t.name for t in teams.list_teams(store, engagement.id)]
    boxes = 0
    for name in team_names:
        at = order.index(("Heading 2", name))
        following = next((i for i in range(at + 1, len(order)) if order[i][0] in ("Heading 1", "Heading 2")),
                         len(order))
        section = order[at:following]
        if ("table", "About") in section:
            boxes += 1
            box = section.index(("table", "About"))
            assert all(kind != "table" or first != "#" for kind, first in section[box:])  # after its OKRs
    assert boxes >= 4
    assert not table_with_header(demo_doc, ["Team", "About", "Question", "Why we ask", "Status"])  # none at the end
    stores = next(t for t in table_with_header(demo_doc, QUESTION_COLUMNS)
                  if any(r[0] == "Objective 3" and "2 to 4 key results" in r[2] + r[1] for r in body_rows(t)))
    assert all(row[1].strip() and row[2].strip() for row in body_rows(stores))


def test_a_question_marked_discussed_leaves_the_teams_box(demo_store):
    store, engagement = demo_store
    online = teams.by_slug(store, engagement.id, "online-store")

    def online_box():
        doc = reopen(pack.build_pack(store, engagement, now=T0))
        order = blocks(doc)
        at = order.index(("Heading 2", "Online store team"))
        index = sum(1 for kind, first in order[:order.index(("table", "About"), at)] if kind == "table")
        return [row[1] for row in body_rows(doc.tables[index])]

    assert any("keep only 3" in question for question in online_box())
    discussions.mark(store, online, "team", online.id, "too_many_objectives", "Aiko")
    assert not any("keep only 3" in question for question in online_box())


def test_the_facilitator_can_leave_the_questions_out_of_the_client_copy(shared_demo):
    store, engagement = shared_demo
    doc = reopen(pack.build_pack(store, engagement, now=T0, with_questions=False))
    assert not table_with_header(doc, QUESTION_COLUMNS)
    assert "Still to answer" not in all_text(doc) and "coaching questions" not in all_text(doc)


def test_the_summary_counts_the_drafts_support_limits_and_decisions(shared_demo, demo_doc):
    store, engagement = shared_demo
    all_drafts = drafts.load_all(store, engagement.id)
    objectives = [o for d in all_drafts for o in d.objectives]
    ready = sum(o.fields.status == "ready" for o in objectives)
    order = blocks(demo_doc)
    assert order[0][0] == "table" and order[1] == ("Heading 1", "At a glance")  # cover details, then the summary
    figures = {row.cells[0].text: row.cells[1].text for row in demo_doc.tables[1].rows}
    breakout = sum(d.team.kind != "top" for d in all_drafts)
    assert figures["Teams"] == f"{breakout} teams drafted, besides the leadership team"
    assert figures["Objectives"] == f"{len(objectives)}: {ready} ready for review, {len(objectives) - ready} still drafting"
    assert figures["Key results"].startswith(f"{sum(len(o.key_results) for o in objectives)}: ")
    assert figures["Requests between teams"] == "6: 1 accepted, 4 not answered yet, 1 declined"
    support, = table_with_header(demo_doc, ["Top-level objective", "Team objectives", "Teams"])
    tops = [o for d in all_drafts if d.team.kind == "top" for o in d.objectives]
    assert [row[:2] for row in body_rows(support)] == [
        [top.fields.text, str(sum(top.id in o.fields.contributes_to for o in objectives))] for top in tops]
    paragraphs = [p.text for p in demo_doc.paragraphs]
    limits = paragraphs[paragraphs.index("Outside the limits agreed") + 1:paragraphs.index("Decisions for the sponsor")]
    assert "Online store team: 4 objectives, at most 3 agreed" in limits
    assert "Stores team, objective 3: 1 key result, 2 to 4 agreed" in limits
    decisions = paragraphs[paragraphs.index("Decisions for the sponsor") + 1:paragraphs.index("Contents")]
    assert any(d.startswith("1 request for help was declined (Supply and warehouse team → Online store team)")
               for d in decisions)
    assert any(d.startswith("4 requests for help have no answer yet") for d in decisions)


def test_a_table_of_contents_links_every_section_and_team_to_its_page(demo_doc):
    body = demo_doc.element.body
    toc, = [sdt for sdt in body.iter(qn("w:sdt"))
            if sdt.find(f".//{qn('w:docPartGallery')}").get(qn("w:val")) == "Table of Contents"]
    entries = ["".join(t.text for t in p.iter(qn("w:t")))[:-1] for p in toc.iter(qn("w:p"))]  # minus the '?'
    instructions = [i.text.strip() for i in toc.iter(qn("w:instrText"))]
    bookmarks = {b.get(qn("w:name")): "".join(t.text for t in b.getparent().iter(qn("w:t")))
                 for b in body.iter(qn("w:bookmarkStart"))}
    assert [bookmarks[i.split()[1]] for i in instructions] == entries
    assert all(i.startswith("PAGEREF _Toc") and i.endswith("\\h") for i in instructions)
    sections = [text for style, text in headings(demo_doc) if style in ("Heading 1", "Heading 2")]
    assert entries[:2] == ["At a glance", "Deployment parameters"] and "Stores team" in entries
    assert entries == [e for e in sections if e in entries] and set(SECTIONS) <= set(entries)
    settings = demo_doc.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_objective_heading_status_why_now_and_key_results_are_kept_together(demo_doc):
    body = list(demo_doc.element.body.iterchildren())
    headings_3 = [i for i, e in enumerate(body) if e.tag == qn("w:p") and
                  (e.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None) and
                  e.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Heading3" and
                  "".join(t.text for t in e.iter(qn("w:t"))).startswith("Objective ")]
    assert headings_3
    for start in headings_3:
        table_at = next(i for i in range(start, len(body)) if body[i].tag == qn("w:tbl"))
        for element in body[start:table_at]:  # heading, status, Why now? label and lines
            assert element.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        rows = body[table_at].findall(qn("w:tr"))
        for row in rows[:-1]:
            assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in row.iter(qn("w:p")))


def test_money_goes_where_the_engagements_language_writes_it(store, engagement, top_team):
    team = teams.add(store, engagement.id, "Sales team", slug="sales")
    objective = drafts.add_objective(store, team, ObjectiveFields("Win bigger baskets"), RELAXED, "t")
    for unit in ("$", "EUR", "customers"):
        drafts.add_key_result(store, team, objective.id, KeyResultFields(
            f"Basket in {unit}", kr_type="metric", baseline=86, target=1234567.5, unit=unit), RELAXED,
            engagement.cycle_end, "t")

    def from_to_cells(engagement):
        doc = reopen(pack.build_pack(store, engagement, now=T0))
        return [row[3] for table in table_with_header(doc, KR_COLUMNS) for row in body_rows(table)]

    assert from_to_cells(engagements.current(store)) == ["$86 → $1,234,567.5", "€86 → €1,234,567.5",
                                                         "86 customers → 1,234,567.5 customers"]
    german = engagements.set_locale(store, engagement.id, "de_DE", "Europe/Berlin")
    assert from_to_cells(german) == ["86\u00a0$ → 1.234.567,5\u00a0$", "86\u00a0€ → 1.234.567,5\u00a0€",
                                     "86 customers → 1.234.567,5 customers"]


def test_next_steps_are_dated_from_the_workshop_and_name_who_acts(shared_demo, demo_doc):
    store, engagement = shared_demo
    table, = table_with_header(demo_doc, ["#", "Step", "Who", "By"])
    rows = body_rows(table)
    with store.read() as db:
        first = db.execute("SELECT min(saved_at) FROM revisions").fetchone()[0]
    week_later = datetime.fromtimestamp(first, ZoneInfo("Europe/London")).date() + timedelta(days=7)
    assert rows[0][1].startswith("Refine the drafts") and rows[0][2] == "Every team"
    assert rows[0][3] == f"{week_later.day} {week_later:%B %Y}"  # a week after the workshop
    assert rows[-1][3] == "4 April 2026"  # the cycle's end
    answer = next(row for row in rows if row[1].startswith("Answer every request"))
    # the teams asked that have not answered, and the team whose request was declined
    assert answer[2] == "Stores team, Supply and warehouse team" and answer[3] == rows[0][3]
    assert all(row[3] for row in rows)
    questions = [p.text for p in demo_doc.paragraphs if p.style.name == "List Number"][-5:]
    assert questions[0].startswith("Will we reach this key result by the end of the cycle?")


def test_next_steps_edited_by_the_facilitator_replace_the_worked_out_ones(demo_store):
    store, engagement = demo_store
    engagement = engagements.set_next_steps(store, engagement.id, [
        engagements.NextStep("Board meeting on the drafts", "Sponsor", "12 March"),
        engagements.NextStep("  ", "nobody", "never")])  # an empty step is dropped
    doc = reopen(pack.build_pack(store, engagement, now=T0))
    table, = table_with_header(doc, ["#", "Step", "Who", "By"])
    assert body_rows(table) == [["1", "Board meeting on the drafts", "Sponsor", "12 March"]]
    engagement = engagements.set_next_steps(store, engagement.id, None)
    assert engagement.next_steps == ()


def test_a_broken_prose_file_names_the_file_and_the_field(tmp_path, engagement):
    broken = tmp_path / "pack.toml"
    broken.write_text('[pack]\ntitle = "Draft for {customer}"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"pack\.toml: pack\.title has an unknown placeholder \{customer\}"):
        prose.load_prose(engagement, broken)
    shipped = prose.load_prose(engagement)
    with pytest.raises(InputError, match='pack.toml: missing field "pack.nothing"'):
        shipped("pack.nothing")


# --- hostile text and size ---------------------------------------------------------------------

def test_hostile_text_yields_a_valid_pack_with_the_visible_text_kept(store):
    engagement, _ = hostile_engagement(store)
    data = pack.build_pack(store, engagement, now=T0)
    doc = reopen(data)
    text = all_text(doc)
    for visible in (CONTROL_VISIBLE, EMOJI, RTL, MARKUP, LONG_WHY_NOW, UNBROKEN):
        assert visible in text
    assert "<script>" in text and "**bold**" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert ("Heading 2", f"Team {EMOJI}") in headings(doc)
    assert doc.core_properties.title == f"Draft OKRs: Client {RTL}\u202c"
    objective_heading = next(t for s, t in headings(doc) if s == "Heading 3" and t.startswith("Objective 2"))
    assert len(objective_heading) < 200 and objective_heading.endswith("…")


def test_pack_for_a_twelve_team_engagement_builds_with_every_team(tmp_path):
    store = Store(tmp_path / "twelve.db")
    engagement = synthetic_engagement(store, 12)
    doc = reopen(pack.build_pack(store, engagement))
    found = headings(doc)
    okrs = found[found.index(("Heading 1", "Top-level OKRs")):found.index(("Heading 1", "Alignment"))]
    team_headings = [text for style, text in okrs if style == "Heading 2"]
    assert team_headings == ["Leadership team", *[f"Team {n:03d}" for n in range(1, 13)]]
    assert len(table_with_header(doc, KR_COLUMNS)) == 12 * 3
    # No cell lists every team: the summary names six and counts the rest, alignment has a row per objective.
    support, = table_with_header(doc, ["Top-level objective", "Team objectives", "Teams"])
    assert all(row[2].endswith("and 6 more") for row in body_rows(support))
    vertical = table_with_header(doc, ["Team", "Team objective", "Status", "Key results"])
    assert [len(table.rows) - 1 for table in vertical] == [12, 12, 12]
    assert not table_with_header(doc, ["Asking ↓ / asked →"])  # a 12-team matrix would not fit: left out


def test_a_prose_value_that_is_not_text_is_named(tmp_path, engagement):
    broken = tmp_path / "pack.toml"
    broken.write_text("[pack]\ntitle = 5\nsteps = [\"one\", 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pack\.toml: pack\.title must be a text, a list of texts or a table, got 5"):
        prose.load_prose(engagement, broken)
    broken.write_text("[pack]\nsteps = [\"one\", 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pack\.toml: pack\.steps must be a list of texts, got 2"):
        prose.load_prose(engagement, broken)
