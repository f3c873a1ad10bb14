"""The printable interviewer kit: `python -m handbook pdf` prints the run sheet, each part's questions and a blank
scorecard into one PDF, each part starting on its own page, without the site's navigation or search."""

from __future__ import annotations

import pypdfium2
import pytest

from handbook.core.validate import load_all
from tests.browser import need_chromium
from tests.helpers import ROOT, run_handbook

pytestmark = pytest.mark.browser


def part_titles() -> list[str]:
    """The kit's part titles, from the data: the same words the template writes as headings."""
    data = load_all(ROOT)
    return (["Run sheet"]
            + [f"Questions, part {i}: {p.title}" for i, p in enumerate(data.interview.parts, 1)]
            + ["Scorecard"])


@pytest.fixture(scope="module")
def kit(built_sites, tmp_path_factory):
    need_chromium()
    out = tmp_path_factory.mktemp("pdf") / "interviewer-kit.pdf"
    result = run_handbook("pdf", "--site", str(built_sites / "interviewer"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    pdf = pypdfium2.PdfDocument(out)  # PDFium's text layer: the kit's 70 pages in under a second
    try:
        return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


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
