"""The drafting handout: blank pages per the deployment parameters, or pre-filled with a team's draft."""

import re
from datetime import date

import pytest
from docx.oxml.ns import qn

from okrcoach.drafting import demo, drafts, guidance
from okrcoach.errors import InputError
from okrcoach.exports import handout
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters
from tests.conftest import quick_pin_hashes
from tests.test_pack import (
    CONTROL_VISIBLE,
    EMOJI,
    LONG_WHY_NOW,
    MARKUP,
    RTL,
    all_text,
    headings,
    hostile_engagement,
    reopen,
)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """The demo engagement, shared by this module's tests: they only read it."""
    store = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    with quick_pin_hashes():
        return store, demo.load_demo(store, today=date(2026, 1, 5))


def objective_sections(doc) -> list[str]:
    return [text for style, text in headings(doc) if style == "Heading 1" and text.startswith("Objective ")]


def key_result_forms(doc) -> list[str]:
    """The label of each key result form ('Key result 1.2'), in order."""
    return [t.rows[0].cells[0].text.split("\n")[0] for t in doc.tables
            if t.rows[0].cells[0].text.startswith("Key result ")]


def key_result_tables(doc):
    return [t for t in doc.tables if t.rows[0].cells[0].text.startswith("Key result ")]


def test_blank_handout_has_one_section_per_allowed_objective_and_its_properties(demo_store):
    store, engagement = demo_store
    doc = reopen(handout.build_handout(store, engagement))
    assert objective_sections(doc) == ["Objective 1", "Objective 2", "Objective 3"]
    assert headings(doc)[0] == ("Title", "OKRs drafting handout")
    assert ("Heading 1", "Our team") in headings(doc)
    assert ("Heading 1", "A worked example") in headings(doc)
    properties = doc.core_properties
    assert properties.title == "OKRs drafting handout: Fernhollow Outdoor Co."
    assert properties.author == "Marta Lindqvist"
    assert properties.subject == "Blank worksheet"


def test_blank_handout_has_room_for_the_maximum_key_results_of_each_objective(demo_store):
    store, engagement = demo_store
    doc = reopen(handout.build_handout(store, engagement))
    assert key_result_forms(doc) == [f"Key result {o}.{k}" for o in range(1, 4) for k in range(1, 5)]
    text = all_text(doc)
    assert "☒" not in text
    assert "Team: ____" in text  # the header, so loose pages stay with their team


def test_blank_handout_for_three_objectives_is_six_pages_one_per_objective(demo_store):
    store, engagement = demo_store
    assert engagement.params.max_objectives == 3
    doc = reopen(handout.build_handout(store, engagement))
    breaks = [p.text for p in doc.paragraphs if p.paragraph_format.page_break_before]
    # Guidance; example and team; one page per objective with its key results; checklist (LibreOffice: 6 pages).
    assert breaks == ["A worked example", "Objective 1", "Objective 2", "Objective 3", "Before you hand it in"]


def test_each_key_result_has_two_centimetres_to_write_in_and_a_full_width_from_to_line(demo_store):
    store, engagement = demo_store
    doc = reopen(handout.build_handout(store, engagement))
    for table in key_result_tables(doc):
        first, line = table._tbl.tr_lst[:2]
        height = first.trPr.find(qn("w:trHeight"))
        assert int(height.get(qn("w:val"))) >= 2 * 567 and height.get(qn("w:hRule")) == "atLeast"
        cells = line.tc_lst
        assert len(cells) == 1 and cells[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "4"
        text = "".join(t.text for t in cells[0].iter(qn("w:t")))
        assert re.fullmatch(r"From +_{20,} +to +_{20,} +unit +_{10,} +by +_{10,}", text)
        assert "☐ Metric" in table.rows[0].cells[0].text


def test_the_worked_example_is_a_complete_okr_in_the_engagements_dates(demo_store):
    store, engagement = demo_store
    doc = reopen(handout.build_handout(store, engagement))
    text = all_text(doc)
    assert "Objective\nTurn overdue invoices back into cash" in text.replace("\t", "")
    example, = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["#", "Key result", "Type"]]
    rows = [[c.text for c in row.cells] for row in example.rows[1:]]
    assert [row[2] for row in rows] == ["Metric", "Baseline", "Metric"]
    assert rows[0][1].endswith("by 4 April 2026") and rows[0][3] == "$18M → $9M"
    assert all(row[4] for row in rows)  # one champion each
    assert "okrcoach" not in text.lower()


def test_handout_honours_the_engagements_parameters(tmp_path):
    store = Store(tmp_path / "params.db")
    engagement = engagements.ensure_current(store)[0]
    engagement = engagements.update(
        store, engagement.id, name="Spring cycle", client="Acme", facilitator="Kim", cycle_kind="custom",
        cycle_start=date(2026, 2, 2), cycle_end=date(2026, 5, 29),
        params=DeploymentParameters(levels=("team",), max_objectives=2, min_key_results=2, max_key_results=3,
                                    milestones_allowed=False))
    doc = reopen(handout.build_handout(store, engagement))
    text = all_text(doc)
    assert objective_sections(doc) == ["Objective 1", "Objective 2"]
    assert key_result_forms(doc) == ["Key result 1.1", "Key result 1.2", "Key result 1.3",
                                     "Key result 2.1", "Key result 2.2", "Key result 2.3"]
    assert "At most 2 objectives per team" in text
    assert "29 May 2026" in text
    assert "2 to 3 key results per objective" in text
    assert "does not use milestone key results" in text
    assert "☐ Milestone" not in text and "☐ Metric" in text
    assert "Contributes to" not in text  # OKRs are set at team level only here


def test_guidance_comes_from_the_guidance_file_the_drafting_page_uses(demo_store):
    store, engagement = demo_store
    guide = guidance.load(engagement)
    text = all_text(reopen(handout.build_handout(store, engagement)))
    for passage in (guide.task_to_key_result, guide.health_metric, guide.why_now_help, guide.objective_help,
                    guide.key_result_help, guide.purpose_question):
        assert passage in text
    for spec in guide.kr_types.values():
        assert spec.summary in text and spec.example in text


def test_prefilled_handout_holds_the_teams_current_draft(demo_store):
    store, engagement = demo_store
    team = teams.by_slug(store, engagement.id, "stores")
    draft = drafts.load(store, team.id)
    doc = reopen(handout.build_handout(store, engagement, "stores"))
    text = all_text(doc)
    assert team.purpose in text
    for objective in draft.objectives:
        assert objective.fields.text in text
        assert objective.fields.why_now in text
        for kr in objective.key_results:
            assert kr.fields.text in text
            assert kr.fields.champion in text
    assert "☒ Metric" in text and "☒ Milestone" in text
    assert "☒  Win back the loyalty of our core outdoor customers" in text
    assert doc.core_properties.subject == "Stores team"
    assert doc.sections[0].header.paragraphs[0].text == "Stores team"


def test_prefilled_handout_shows_every_objective_even_over_the_limit(demo_store):
    store, engagement = demo_store
    draft = drafts.load(store, teams.by_slug(store, engagement.id, "online-store").id)
    assert len(draft.objectives) > engagement.params.max_objectives
    doc = reopen(handout.build_handout(store, engagement, "online-store"))
    assert len(objective_sections(doc)) == len(draft.objectives)
    assert "Reduce questions to customer care" in all_text(doc)
    assert "Stores team: requested" in all_text(doc)


def test_prefilled_handout_adds_blank_key_result_forms_up_to_the_maximum(demo_store):
    store, engagement = demo_store
    doc = reopen(handout.build_handout(store, engagement, "stores"))
    forms = key_result_forms(doc)
    assert [f for f in forms if f.startswith("Key result 3.")] == [f"Key result 3.{k}" for k in range(1, 5)]


def test_an_unknown_team_is_refused_with_its_link_name(demo_store):
    store, engagement = demo_store
    with pytest.raises(InputError, match="no team with the link name 'nobody'"):
        handout.build_handout(store, engagement, "nobody")


def test_handout_footer_counts_pages(demo_store):
    store, engagement = demo_store
    doc = reopen(handout.build_handout(store, engagement))
    footer = doc.sections[0].footer._element
    assert [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]


def test_hostile_text_yields_a_valid_prefilled_handout(tmp_path):
    store = Store(tmp_path / "hostile.db")
    engagement, team = hostile_engagement(store)
    doc = reopen(handout.build_handout(store, engagement, team.slug))
    text = all_text(doc)
    for visible in (CONTROL_VISIBLE, EMOJI, RTL, MARKUP, LONG_WHY_NOW):
        assert visible in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert reopen(handout.build_handout(store, engagement)).core_properties.title.startswith("OKRs drafting")
