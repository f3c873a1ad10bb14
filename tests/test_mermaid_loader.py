"""docs/assets/javascripts/mermaid-loader.js: mermaid's download waits until a diagram nears the viewport, and then
fetches only the modules that diagram needs, except on pages laid out for paper, which must print with their
diagrams drawn."""

from __future__ import annotations

import re

import pytest

from tests.browser import DIAGRAM_COUNT as SVGS
from tests.browser import OPEN_SHADOW_ROOTS, PageWatch, browser, serve

pytestmark = pytest.mark.browser


def diagrams_in(path) -> int:
    return len(re.findall(r'<pre class="mermaid"', path.read_text(encoding="utf-8")))


VENDOR = "/assets/vendor/mermaid-11.17.2/"


def mermaid_downloads(requests: list[str]) -> int:
    return sum(url.endswith(VENDOR + "mermaid.esm.min.mjs") for url in requests)


def chunk_downloads(requests: list[str]) -> int:
    return sum(VENDOR + "chunks/" in url for url in requests)


@pytest.fixture(scope="module")
def phone(built_sites):
    """A phone-sized page on the served sites, recording every request URL."""
    with serve(built_sites) as base, browser() as b:
        context = b.new_context(viewport={"width": 412, "height": 600})
        context.add_init_script(OPEN_SHADOW_ROOTS)
        watch = PageWatch(context)
        watch.requests = []
        watch.page.on("request", lambda r: watch.requests.append(r.url))
        yield base, watch
        context.close()


def test_mermaid_is_not_downloaded_until_a_diagram_nears_the_screen(built_sites, phone):
    base, watch = phone
    # The interviewer's Part 2 page: its first diagram sits well below the first screens on a phone. (The candidate
    # home hides its timeline below 600 px, where the table above it gives the same minutes.)
    page = built_sites / "interviewer" / "parts" / "part2" / "index.html"
    assert diagrams_in(page) >= 1
    watch.page.goto(f"{base}/interviewer/parts/part2/", wait_until="networkidle")
    top = watch.page.evaluate("document.querySelector('.mermaid').getBoundingClientRect().top")
    assert top > 2 * 600, "the page's first diagram must start below the second screen for this test to mean much"
    assert mermaid_downloads(watch.requests) == 0 and chunk_downloads(watch.requests) == 0
    assert watch.page.evaluate(SVGS) == 0

    watch.page.evaluate("document.querySelector('.mermaid').scrollIntoView()")
    watch.page.wait_for_function(f"({SVGS})() >= {diagrams_in(page)}", timeout=30_000)
    assert mermaid_downloads(watch.requests) == 1
    vendored = len(list((built_sites / "interviewer" / VENDOR.strip("/") / "chunks").rglob("*.mjs")))
    assert 0 < chunk_downloads(watch.requests) < vendored / 2, "a flowchart needs a few of mermaid's modules, not all"
    assert watch.errors == []
    assert watch.foreign == []

# The print kit draws every diagram without scrolling: tests/test_print_kit.py waits for all of them before printing.
