"""Accessibility: axe-core finds no violation on the scorecard, the print kit and the candidate landing page, and
an interviewer can fill in and export the whole scorecard with the keyboard alone."""

from __future__ import annotations

import pytest

from handbook.core import scoring
from handbook.core.validate import load_all
from tests import scorecard_page as card
from tests.browser import PageWatch, browser, serve, violations
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

PAGES = [("interviewer", "scorecard/"), ("candidate", "")]  # the print kit: 40 s of axe on 70 pages of text


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.mark.parametrize(("site", "path"), PAGES)
def test_page_has_no_axe_violations(built_sites, chromium, site, path):
    with serve(built_sites / site) as base:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(f"{base}/{path}", wait_until="load")
        if path == card.URL:  # check the filled-in state too: the veto message and export box appear then
            assert violations(page) == []
            rubric = load_all(ROOT).rubric
            card.fill(page, {**card.vetoed(rubric), rubric.areas[-1].id: "na"}, candidate="Ada", interviewer="Grace")
            card.tick_not_asked(page, [page.get_attribute('input[name="not-asked-follow-up"]', "value")])
            page.click("#scorecard-copy")
        assert violations(page) == []
        context.close()


def test_scorecard_is_usable_with_the_keyboard_alone(built_sites, chromium):
    rubric = load_all(ROOT).rubric
    scores = {a.id: 1 + (i + 2) % 4 for i, a in enumerate(rubric.areas)}
    scores[rubric.areas[1].id] = "na"  # "not asked" is the last choice of each group
    choices = [*scoring.scale(rubric), "na"]
    with serve(built_sites / "interviewer") as base:
        context = chromium.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        watch = PageWatch(context)
        page = watch.page
        page.goto(f"{base}/{card.URL}")
        focused = "document.activeElement.id || document.activeElement.name"

        def tab_to(target: str, limit: int = 120) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                if page.evaluate(focused) == target:
                    return
            raise AssertionError(f"Tab never reaches {target}")

        tab_to("scorecard-candidate")  # from the top of the page, through the site's header and navigation
        page.keyboard.type("Ada Keyboard")
        page.keyboard.press("Tab")
        page.keyboard.type("Grace Keys")
        for area in rubric.areas:
            tab_to(f"score-{area.id}")  # Tab enters each radio group once
            page.keyboard.press("Space")  # selects the first choice
            for _ in range(choices.index(scores[area.id])):
                page.keyboard.press("ArrowDown")  # moves and selects
            page.keyboard.press("Tab")
            assert page.evaluate(focused) == f"notes-{area.id}"
            page.keyboard.type(f"typed notes for {area.id}")
        tab_to("scorecard-follow-ups-toggle")
        page.keyboard.press("Enter")  # opens the list of follow-ups
        page.keyboard.press("Tab")
        first_follow_up = page.evaluate("document.activeElement.value")
        page.keyboard.press("Space")
        assert page.is_checked(f'input[name="not-asked-follow-up"][value="{first_follow_up}"]')
        expected = scoring.evaluate(rubric, scores)
        assert card.shown(page) == (expected.display, expected.label)
        for area in rubric.areas:
            assert page.is_checked(f'input[name="score-{area.id}"][value="{scores[area.id]}"]')

        tab_to("scorecard-copy")
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('scorecard-message').textContent.startsWith('Copied')")
        markdown = page.evaluate("navigator.clipboard.readText()")
        assert "Ada Keyboard" in markdown and f"{expected.display} → {expected.label}" in markdown
        assert f"| {rubric.areas[1].title} | {rubric.areas[1].weight}% | not asked |" in markdown
        assert f"- `{first_follow_up}` " in markdown

        tab_to("scorecard-clear")
        page.keyboard.press("Space")
        assert card.shown(page) == ("–", "–")
        assert page.input_value("#scorecard-candidate") == ""
        assert watch.errors == [] and watch.foreign == []
        context.close()
