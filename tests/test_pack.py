"""The Word draft pack: structure in Word styles, tables with repeating headers, page numbers, hostile text."""

import re
from datetime import date
from io import BytesIO
from pathlib import Path

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
SECTIONS = ["Deployment parameters", "The agenda as run", "Top-level OKRs", "Team OKRs", "Alignment",
            "Executive candidates not chosen", "Review questions", "Parking lot", "Next steps"]
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


def test_cover_lists_client_workshop_date_and_facilitator(demo_doc):
    cover = [[cell.text for cell in row.cells] for row in demo_doc.tables[0].rows]
    assert cover[:4] == [["Client", "Fernhollow Outdoor Co."],
                         ["Workshop", "Fernhollow Outdoor Co. — OKRs launch, Q1 cycle"],
                         ["Date", "5 January 2026"], ["Facilitator", "Marta Lindqvist"]]


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


def test_without_a_run_the_agenda_section_says_none_was_recorded(demo_doc):
    assert "No agenda run recorded" in all_text(demo_doc)


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
                    ["", "Total", "", "45", "40", "−5"]]
    assert doc.core_properties.subject == "Short drafting session"
    assert "No agenda run recorded" not in all_text(doc)


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


def test_no_executive_session_says_so(demo_doc):
    assert "No executive drafting session was recorded" in all_text(demo_doc)


def test_parking_lot_lists_every_item_with_who_raised_it_and_whether_it_is_open(demo_store):
    store, engagement = demo_store
    runs.set_parked_done(store, runs.parked(store, engagement.id)[0].id, True)
    doc = reopen(pack.build_pack(store, engagement, now=T0))
    table, = table_with_header(doc, ["#", "Question or topic", "Raised by", "Status"])
    expected = [[str(n), item.text, item.raised_by, "dealt with" if item.done else "open"]
                for n, item in enumerate(runs.parked(store, engagement.id), start=1)]
    assert body_rows(table) == expected and len(expected) == 3
    assert expected[0][3] == "dealt with"


def test_alignment_tables_hold_what_the_alignment_functions_return(shared_demo, demo_doc):
    alignment = pytest.importorskip("okrcoach.review.alignment")
    store, engagement = shared_demo
    data = alignment.load(store, engagement)
    vertical, = table_with_header(demo_doc, ["Top-level objective", "Supporting teams", "Team objectives"])
    assert body_rows(vertical) == [[r.top_objective, r.supporting_teams, str(r.team_objectives)]
                                   for r in alignment.vertical_summary(data).itertuples(index=False)]
    horizontal, = table_with_header(demo_doc, ["Asking team", "Asked team", "Key result", "Answer", "Comment"])
    assert [(r[0], r[1], r[3]) for r in body_rows(horizontal)] == [
        (r.from_team, r.to_team, r.status) for r in alignment.horizontal(data).itertuples(index=False)]
    matrix, = table_with_header(demo_doc, ["Asking ↓ / asked →"])
    assert len(matrix.rows) == 1 + len(alignment.dependency_matrix(data).index)
    flags, = table_with_header(demo_doc, ["Point", "Team", "About", "Detail"])
    assert len(flags.rows) == 1 + len(alignment.flags(data))


def test_open_review_questions_are_listed_per_team(shared_demo, demo_doc):
    store, engagement = shared_demo
    table, = table_with_header(demo_doc, ["Team", "About", "Question", "Why we ask", "Status"])
    rows = body_rows(table)
    assert rows and all(row[2].strip() and row[3].strip() and row[4] == "open" for row in rows)
    assert {row[0] for row in rows} <= {team.name for team in teams.list_teams(store, engagement.id)}
    # the demo's Stores team has an objective with a single key result
    assert any(row[0] == "Stores team" and row[1].startswith("Objective 3") for row in rows)


def test_next_steps_are_a_numbered_list_ending_with_the_cycle_end(shared_demo, demo_doc):
    _, engagement = shared_demo
    paragraphs = demo_doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Next steps")
    steps = [p.text for p in paragraphs[start:] if p.style.name == "List Number"]
    assert len(steps) >= 5
    assert prose.long_date(engagement.cycle_end) in steps[-1]


def test_a_question_marked_discussed_stays_in_the_pack_marked_so(demo_store):
    store, engagement = demo_store
    online = teams.by_slug(store, engagement.id, "online-store")
    discussions.mark(store, online, "team", online.id, "too_many_objectives", "Aiko")
    table, = table_with_header(reopen(pack.build_pack(store, engagement, now=T0)),
                               ["Team", "About", "Question", "Why we ask", "Status"])
    row = next(r for r in body_rows(table) if r[0] == "Online store team" and "keep only 3" in r[2])
    assert row[4] == "discussed"


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


def test_a_prose_value_that_is_not_text_is_named(tmp_path, engagement):
    broken = tmp_path / "pack.toml"
    broken.write_text("[pack]\ntitle = 5\nsteps = [\"one\", 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pack\.toml: pack\.title must be a text, a list of texts or a table, got 5"):
        prose.load_prose(engagement, broken)
    broken.write_text("[pack]\nsteps = [\"one\", 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pack\.toml: pack\.steps must be a list of texts, got 2"):
        prose.load_prose(engagement, broken)
