"""Every page of both sites in a real Chromium: diagrams render to SVG, no console error, no request off 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from handbook.core.sites import SITES
from handbook.core.validate import load_all
from tests.browser import DIAGRAMS_DRAWN, OPEN_SHADOW_ROOTS, PageWatch, browser, serve
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
