"""Every page of both sites in a real Chromium: diagrams render to SVG, no console error, no request off 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from handbook.core.sites import SITES
from handbook.core.validate import load_all
from tests.browser import DIAGRAMS_DRAWN, OPEN_SHADOW_ROOTS, PageWatch, browser, serve, serve_under
from tests.helpers import ROOT

pytestmark = pytest.mark.browser
CHUNKS = {"interviewer": 4, "candidate": 1}  # pages split into classes: pytest-xdist (--dist loadscope) spreads classes
DIAGRAM = '<pre class="mermaid"'


def pages_of(site):
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_every_diagram_is_on_a_page(built_sites):
    """Each diagram file is drawn on the page of a question that uses it, and the timeline on both sites."""
    data = load_all(ROOT)
    site = built_sites / "interviewer"
    for q in data.questions:
        for _ in q.diagrams:
            page = (site / "questions" / q.id / "index.html").read_text(encoding="utf-8")
            assert page.count(DIAGRAM) >= len(q.diagrams), q.id
    for name in SITES:
        assert DIAGRAM in (built_sites / name / "index.html").read_text(encoding="utf-8")  # the timeline
    assert sum(p.read_text(encoding="utf-8").count(DIAGRAM) for p in pages_of(site)) >= 11


def check_pages(built_sites, site_name: str, chunk: int) -> None:
    site = built_sites / site_name
    pages = pages_of(site)[chunk::CHUNKS[site_name]]
    assert pages
    problems = []
    with serve(site) as base, browser() as b:
        context = b.new_context()
        context.add_init_script(OPEN_SHADOW_ROOTS)
        watch = PageWatch(context)
        for path in pages:
            rel = path.relative_to(site).as_posix()
            expected = len(re.findall(DIAGRAM, path.read_text(encoding="utf-8")))
            watch.reset()
            watch.page.goto(f"{base}/{rel}", wait_until="load")
            if expected:
                for i in range(expected):  # mermaid loads only when a diagram nears the viewport: visit each one
                    watch.page.evaluate("i => document.querySelectorAll('.mermaid')[i].scrollIntoView()", i)
                    watch.page.wait_for_timeout(30)
                watch.page.wait_for_function(DIAGRAMS_DRAWN, arg=expected, timeout=30_000)
            watch.page.wait_for_timeout(50)
            if watch.errors:
                problems.append(f"{rel}: console errors {watch.errors}")
            if watch.foreign:
                problems.append(f"{rel}: requests off 127.0.0.1 {watch.foreign}")
    assert problems == []


# One class per chunk of pages, so that `pytest -n 2 --dist loadscope` spreads them over both workers; each page
# belongs to exactly one chunk (pages_of(site)[chunk::n]).
def _chunk_class(site_name: str, chunk: int) -> type:
    def test_pages_render_cleanly_offline(self, built_sites):
        check_pages(built_sites, site_name, chunk)

    name = f"Test{site_name.title()}PagesChunk{chunk}"
    return type(name, (), {"test_pages_render_cleanly_offline": test_pages_render_cleanly_offline})


for _site, _n in CHUNKS.items():
    for _chunk in range(_n):
        _cls = _chunk_class(_site, _chunk)
        globals()[_cls.__name__] = _cls


# --- phones and sub-paths -------------------------------------------------------------------------------------------

TIMELINE_LABELS = """() => {
  for (const host of document.querySelectorAll('*')) {
    if (!host.shadowRoot) continue;
    const svg = host.shadowRoot.querySelector('svg[aria-roledescription="gantt"]');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    });
    return {svg: {left: box.left, right: box.right}, labels, viewport: document.documentElement.clientWidth};
  }
  return null;
}"""


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (a["left"] < b["right"] - slack and b["left"] < a["right"] - slack
            and a["top"] < b["bottom"] - slack and b["top"] < a["bottom"] - slack)


PHONE_CUTOFF = 600  # handbook.css: below this width the timeline is left out and its table carries the plan


def test_on_a_phone_the_timeline_gives_way_to_its_table(built_sites):
    """At 412 px the chart's labels would be about 8 px and float beside their bars, so handbook.css hides it (not in
    print); the table just above it, still on screen, gives every segment with its minutes."""
    data = load_all(ROOT)
    with serve(built_sites / "candidate") as base, browser() as b:
        page = b.new_context(viewport={"width": 412, "height": 915}).new_page()
        page.goto(f"{base}/", wait_until="load")
        shown = page.evaluate("""() => { const t = document.querySelector('.hb-timeline');
            return t && {chart: t.getBoundingClientRect().height, display: getComputedStyle(t).display,
                         table: t.previousElementSibling.textContent,
                         tableDisplay: getComputedStyle(t.previousElementSibling).display}; }""")
        page.emulate_media(media="print")
        printed = page.evaluate("getComputedStyle(document.querySelector('.hb-timeline')).display")
    assert shown is not None, "the timeline has no .hb-timeline wrapper: the phone rule cannot find it"
    assert shown["display"] == "none" and shown["chart"] == 0 and printed != "none"
    assert shown["tableDisplay"] != "none"
    segments = [data.interview.opening, *data.interview.parts, data.interview.closing]
    for seg in segments:
        assert re.search(rf"{re.escape(seg.title)}\s+{seg.minutes}\b", shown["table"]), seg.title


@pytest.mark.parametrize("width", [PHONE_CUTOFF + 1, 768, 1280])
def test_timeline_labels_neither_overlap_nor_run_off_the_edge(built_sites, width):
    """The interview timeline (a mermaid gantt drawn from data/interview.yml) on the candidate home page, from the
    narrowest width that shows it (a large phone held sideways, a small tablet) to a desktop: every text label's box
    is inside the chart and clear of every other label."""
    data = load_all(ROOT)
    site = built_sites / "candidate"
    with serve(site) as base, browser() as b:
        context = b.new_context(viewport={"width": width, "height": 915})
        context.add_init_script(OPEN_SHADOW_ROOTS)
        page = context.new_page()
        page.goto(f"{base}/", wait_until="load")
        page.evaluate("document.querySelector('.mermaid').scrollIntoView()")
        page.wait_for_function(f"({TIMELINE_LABELS})() !== null", timeout=30_000)
        page.wait_for_timeout(200)  # fonts and layout settle
        drawn = page.evaluate(TIMELINE_LABELS)
    labels, svg = drawn["labels"], drawn["svg"]
    texts = [lab["text"] for lab in labels]
    segments = 2 + len(data.interview.parts)
    assert sum("min)" in t for t in texts) == segments, texts  # one bar label per segment: nothing went missing
    assert f"{data.interview.slot_minutes}-minute interview" in texts
    assert svg["left"] >= 0 and svg["right"] <= drawn["viewport"]
    clipped = [lab["text"] for lab in labels if lab["left"] < svg["left"] - 0.5 or lab["right"] > svg["right"] + 0.5]
    assert clipped == [], f"labels cut off at the chart's edge at {width} px"
    clashes = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:] if overlaps(a, b)]
    assert clashes == [], f"overlapping labels at {width} px"


HEADER_COLOUR = "rgb(0, 105, 92)"  # handbook.css: the candidate site's teal, darkened for contrast


def _not_found_styles(base: str, path: str) -> dict:
    with browser() as b:
        page = b.new_page()
        response = page.goto(base + path, wait_until="load")
        return {"status": response.status,
                "sheets": page.evaluate("[...document.styleSheets].map(s => s.href || '')"),
                "header": page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")}


def test_404_page_keeps_its_styles_under_a_sub_path(built_sites):
    """GitHub Pages serves a project site (and mike serves each version) under a sub-path, and answers a missing page
    with 404.html. Its asset paths come from site_url, so served under that path it is styled; served under another
    path than site_url's, the same file is not (as it was with no site_url: root-absolute asset paths), which shows the
    check can tell."""
    from urllib.parse import urlparse

    site = built_sites / "candidate"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    prefix = urlparse(re.search(r"<loc>([^<]+)</loc>", sitemap).group(1)).path
    assert prefix != "/" and prefix.endswith("/"), "site_url has no sub-path: this test would not test anything"
    with serve_under(site, prefix) as base:
        found = _not_found_styles(base, f"{prefix}no/such/page/")
    with serve_under(site, "/somewhere-else/") as base:  # mounted where site_url does not say: the bug this prevents
        elsewhere = _not_found_styles(base, "/somewhere-else/no/such/page/")
    assert found["status"] == 404
    assert any(h.endswith(f"{prefix}assets/stylesheets/handbook.css") for h in found["sheets"]), found["sheets"]
    assert found["header"] == HEADER_COLOUR
    assert elsewhere["status"] == 404 and elsewhere["header"] != HEADER_COLOUR
