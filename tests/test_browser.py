"""Every page of both sites in a real Chromium: diagrams render to SVG, no console error, no request off 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from tests.browser import OPEN_SHADOW_ROOTS, PageWatch, browser, serve

pytestmark = pytest.mark.browser


def pages_of(site):
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


@pytest.mark.parametrize("site_name", ["interviewer", "candidate"])
def test_every_page_renders_cleanly_offline(built_sites, site_name):
    site = built_sites / site_name
    problems = []
    diagrams_seen = 0
    with serve(site) as base, browser() as b:
        context = b.new_context()
        context.add_init_script(OPEN_SHADOW_ROOTS)
        watch = PageWatch(context)
        for path in pages_of(site):
            rel = path.relative_to(site).as_posix()
            expected = len(re.findall(r'<pre class="mermaid"', path.read_text(encoding="utf-8")))
            watch.reset()
            watch.page.goto(f"{base}/{rel}", wait_until="load")
            if expected:
                for i in range(expected):  # mermaid loads only when a diagram nears the viewport: visit each one
                    watch.page.evaluate("i => document.querySelectorAll('.mermaid')[i].scrollIntoView()", i)
                    watch.page.wait_for_timeout(30)
                watch.page.wait_for_function(
                    """n => [...document.querySelectorAll('*')].filter(e => e.shadowRoot)
                           .map(e => e.shadowRoot.querySelectorAll('svg[id^="__mermaid"], svg[aria-roledescription]').length)
                           .reduce((a, b) => a + b, 0) >= n""", arg=expected, timeout=20_000)
                diagrams_seen += expected
            watch.page.wait_for_timeout(50)
            if watch.errors:
                problems.append(f"{rel}: console errors {watch.errors}")
            if watch.foreign:
                problems.append(f"{rel}: requests off 127.0.0.1 {watch.foreign}")
    assert problems == []
    if site_name == "interviewer":
        assert diagrams_seen >= 11  # ten topic diagrams and the timeline, at least once each
    else:
        assert diagrams_seen >= 1  # the interview timeline
