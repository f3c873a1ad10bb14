"""Search in a real browser: the index loads only once the reader starts a search (overrides/main.html), and then
finds what they type, on both sites."""

from __future__ import annotations

import pytest

from tests.browser import PageWatch, browser, serve

pytestmark = pytest.mark.browser
INDEX = "search/search_index.json"
# (site, page, query, a result title the query must find)
CASES = [
    ("interviewer", "questions/data-processor/", "rollbacks", "Model versioning and rollbacks in production"),
    ("candidate", "", "whiteboard", "The ML Engineer interview"),
]


def index_requests(watch: PageWatch, requests: list[str]) -> int:
    return sum(url.endswith(INDEX) for url in requests)


@pytest.mark.parametrize(("site", "path", "query", "title"), CASES, ids=[c[0] for c in CASES])
def test_search_index_waits_for_the_reader_then_finds_results(built_sites, site, path, query, title):
    with serve(built_sites / site) as base, browser() as b:
        context = b.new_context(viewport={"width": 1280, "height": 800})
        watch = PageWatch(context)
        requests: list[str] = []
        watch.page.on("request", lambda r: requests.append(r.url))
        watch.page.goto(f"{base}/{path}", wait_until="load")
        watch.page.wait_for_load_state("networkidle")
        assert index_requests(watch, requests) == 0, "the search index loaded before anyone searched"

        watch.page.click("label[for='__search']") if not watch.page.is_visible(".md-search__input") \
            else watch.page.click(".md-search__input")
        watch.page.keyboard.type(query, delay=20)
        results = watch.page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        assert index_requests(watch, requests) == 1
        texts = results.all_inner_texts()
        assert texts, f"no result for {query!r}"
        if title:
            assert any(title in t for t in texts), texts
        assert watch.errors == [] and watch.foreign == []


def test_a_link_from_a_search_result_highlights_without_a_search_first(built_sites):
    """search.highlight: a result link carries ?h=...; that page loads the index itself to mark the words."""
    with serve(built_sites / "interviewer") as base, browser() as b:
        watch = PageWatch(b.new_context())
        requests: list[str] = []
        watch.page.on("request", lambda r: requests.append(r.url))
        watch.page.goto(f"{base}/rubric/?h=weight", wait_until="load")
        watch.page.locator("mark").first.wait_for(timeout=15_000)
        assert index_requests(watch, requests) == 1
        assert watch.errors == [] and watch.foreign == []
