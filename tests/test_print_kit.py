"""The printed kits. `python -m handbook pdf` (make pdf) prints the room kit: a cover with the timeline, the cue cards
and a blank scorecard in at most 8 A4 pages. `--kit prep` (make pdf KIT=prep) prints the run sheet, every active
question of each part (alternates included) and a blank scorecard, each part on its own page. Neither shows the
site's navigation or search."""

from __future__ import annotations

import re

import pypdfium2
import pytest

from handbook.core import cards
from handbook.core.validate import load_all
from handbook.tools.pdf import ROOM_KIT_MAX_PAGES
from tests.browser import need_chromium
from tests.helpers import ROOT, run_handbook

pytestmark = pytest.mark.browser


def part_titles() -> list[str]:
    """The kit's part titles, from the data: the same words the template writes as headings."""
    data = load_all(ROOT)
    return (["Run sheet"]
            + [f"Questions, part {i}: {p.title}" for i, p in enumerate(data.interview.parts, 1)]
            + ["Scorecard"])


def pages_of(built_sites, tmp_path_factory, kit_name: str) -> list[str]:
    need_chromium()
    out = tmp_path_factory.mktemp("pdf") / f"{kit_name}-kit.pdf"
    result = run_handbook("pdf", "--kit", kit_name, "--site", str(built_sites / "interviewer"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    pdf = pypdfium2.PdfDocument(out)  # PDFium's text layer: the prep kit's ~100 pages in about a second
    try:
        return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def kit(built_sites, tmp_path_factory):
    return pages_of(built_sites, tmp_path_factory, "prep")


@pytest.fixture(scope="module")
def room_kit(built_sites, tmp_path_factory):
    return pages_of(built_sites, tmp_path_factory, "room")


def test_pdf_has_pages_and_every_part(kit):
    assert len(kit) > len(part_titles())
    text = " ".join(kit)
    for title in part_titles():
        assert " ".join(title.split()) in text, title


def test_each_part_starts_on_a_new_page_in_order(kit):
    starts = []
    for title in part_titles():
        pages = [i for i, page in enumerate(kit) if page.startswith(title)]
        assert pages, f"no page starts with {title!r}: the page break before it is missing"
        starts.append(pages[0])
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_print_layout_drops_navigation_search_and_buttons(kit):
    text = " ".join(kit)
    for chrome in ("Skip to content", "Question bank", "Calibration pack", "Copy as Markdown", "Download JSON"):
        assert chrome not in text


def test_blank_scorecard_lists_every_area_and_score_label(kit):
    rubric = load_all(ROOT).rubric
    card = " ".join(page for page in kit if "weight" in page and "Not demonstrated" in page)
    for area in rubric.areas:
        assert f"{area.title} · weight {area.weight}%" in card
    for level in rubric.scale:
        assert level.label in card


def test_prep_kit_holds_every_active_question_alternates_included(kit):
    data = load_all(ROOT)
    text = " ".join(kit)
    active = [q for q in data.questions if q.status == "active"]
    assert any(not q.seed for q in active), "the data has no active alternate: this test would prove nothing"
    for q in active:
        assert (" ".join(q.title.split()) if q.seed else f"Alternate: {' '.join(q.title.split())}") in text, q.id
    for q in data.questions:
        if q.status != "active":
            assert f"Alternate: {' '.join(q.title.split())}" not in text, q.id


def test_room_kit_is_at_most_8_a4_pages_cover_cards_scorecard(room_kit):
    data = load_all(ROOT)
    assert 3 <= len(room_kit) <= ROOM_KIT_MAX_PAGES, f"{len(room_kit)} pages"
    cover = room_kit[0]
    assert cover.startswith("Room kit") and "Timeline" in cover
    for c in cards.cards(data.interview, data.rubric, data.questions_of):
        title = " ".join(c.item.title.split())
        assert title in cover, f"{title} missing from the cover's timeline"
    text = " ".join(room_kit)
    starts = []
    for c in cards.cards(data.interview, data.rubric, data.questions_of):
        heading = " ".join(f"{c.start // 60}:{c.start % 60:02d}–{c.end // 60}:{c.end % 60:02d} ·".split())
        assert heading in text, heading
        starts.append(text.index(heading))
        for m in c.must_ask:
            assert " ".join(m.follow_up.card_listen_for.split()) in text
    assert starts == sorted(starts), "cards out of interview order"
    scorecard = [i for i, page in enumerate(room_kit) if page.startswith("Scorecard")]
    assert scorecard, "no page starts with the scorecard"
    card_text = " ".join(room_kit[scorecard[0]:])
    for area in data.rubric.areas:
        assert f"{area.title} · weight {area.weight}%" in card_text
    for chrome in ("Skip to content", "Question bank", "Copy as Markdown", "Start the interview", "Notes, Part"):
        assert chrome not in text
    for q in data.questions:  # the long material stays in the prep kit
        for answer in q.model_answer:
            assert " ".join(re.sub(r"\*\*|`", "", answer).split())[:60] not in text
