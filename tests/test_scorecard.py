"""The scorecard page in a real Chromium: the live total and recommendation follow the rubric's rule as Python
computes it, the draft survives a reload and clears, and the exports carry exactly what was entered."""

from __future__ import annotations

import json

import pytest

from handbook.core import scoring
from handbook.core.validate import load_all
from tests import scorecard_page as card
from tests.browser import PageWatch, browser, serve
from tests.helpers import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rubric():
    return load_all(ROOT).rubric


@pytest.fixture(scope="module")
def site(built_sites):
    with serve(built_sites / "interviewer") as base, browser() as b:
        yield base, b


@pytest.fixture
def watch(site):
    """A fresh browser context (empty local storage) on the scorecard page; fails the test on any console error
    or request off 127.0.0.1."""
    base, b = site
    context = b.new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    w = PageWatch(context)
    w.page.goto(f"{base}/{card.URL}")
    yield w
    assert w.errors == []
    assert w.foreign == []
    context.close()


def cases(rubric):
    named = [("all 4s", card.uniform(rubric, 4)), ("all 1s", card.uniform(rubric, 1)), ("veto", card.vetoed(rubric))]
    landing = card.on_threshold(rubric)
    assert landing, "no mixed scores land exactly on a threshold: the threshold case cannot be tested"
    return named + [(f"on threshold {i}", s) for i, s in enumerate(landing)]


def test_total_and_recommendation_follow_the_rubric_rule(watch, rubric):
    page = watch.page
    assert card.shown(page) == ("–", "–")  # nothing is computed from a half-filled card
    seen = set()
    for name, scores in cases(rubric):
        card.fill(page, scores)
        expected = scoring.evaluate(rubric, scores)
        assert card.shown(page) == (expected.display, expected.outcome), name
        seen.add(expected.outcome)
    veto = scoring.evaluate(rubric, card.vetoed(rubric))
    assert veto.vetoed_by and veto.outcome != veto.threshold_outcome  # the veto case really caps something
    assert len(seen) >= 3


def test_a_threshold_score_earns_that_threshold_not_the_one_below(watch, rubric):
    page = watch.page
    thresholds = {scoring.threshold_points(t.min_score): t.outcome for t in rubric.recommendation.thresholds}
    for scores in card.on_threshold(rubric):
        card.fill(page, scores)
        points = sum(a.weight * scores[a.id] for a in rubric.areas)
        assert card.shown(page)[1] == thresholds[points]


def test_half_filled_card_shows_no_recommendation(watch, rubric):
    page = watch.page
    first, *rest = rubric.areas
    card.fill(page, {a.id: 4 for a in rest})
    assert card.shown(page) == ("–", "–")
    page.click("#scorecard-download")  # refuses, names the missing area, puts focus on it
    assert first.title in page.inner_text("#scorecard-message")
    assert page.evaluate("document.activeElement.name") == f"score-{first.id}"


def test_draft_survives_reload_and_clear_removes_it(watch, rubric):
    page = watch.page
    scores = {a.id: 1 + i % 4 for i, a in enumerate(rubric.areas)}
    notes = {a.id: f"Observed for {a.title}: <b>not HTML</b>" for a in rubric.areas}
    card.fill(page, scores, candidate="Ada Example", interviewer="Grace Panel", notes=notes, date="2026-03-02")
    before = card.shown(page)
    page.reload()
    assert page.input_value("#scorecard-candidate") == "Ada Example"
    assert page.input_value("#scorecard-interviewer") == "Grace Panel"
    assert page.input_value("#scorecard-date") == "2026-03-02"
    for a in rubric.areas:
        assert page.is_checked(f'input[name="score-{a.id}"][value="{scores[a.id]}"]')
        assert page.input_value(f"#notes-{a.id}") == notes[a.id]
    assert card.shown(page) == before

    page.click("#scorecard-clear")
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.input_value("#scorecard-candidate") == ""
    assert card.shown(page) == ("–", "–")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('handbook-scorecard'))")
    assert stored == []
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.input_value("#notes-" + rubric.areas[0].id) == ""


def test_exported_json_and_markdown_match_what_was_entered(watch, rubric, tmp_path):
    page = watch.page
    scores = card.vetoed(rubric)
    notes = {a.id: f"Evidence line for {a.id}\nsecond line" for a in rubric.areas}
    card.fill(page, scores, candidate="Ada Example", interviewer="Grace Panel", notes=notes, date="2026-03-02")
    exported = card.download_json(page, tmp_path)
    expected = scoring.evaluate(rubric, scores)
    assert exported == {
        "rubric_version": rubric.version, "candidate": "Ada Example", "interviewer": "Grace Panel",
        "date": "2026-03-02", "scores": scores, "notes": notes,
        "weighted_score": float(expected.display), "recommendation": expected.outcome,
    }
    assert [p.name for p in tmp_path.glob("*.json")] == ["scorecard-ada-example-grace-panel-2026-03-02.json"]

    page.click("#scorecard-copy")
    page.wait_for_function("document.getElementById('scorecard-message').textContent.startsWith('Copied')")
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown == page.input_value("#scorecard-markdown")
    assert f"**Weighted score {expected.display} → {expected.outcome}**" in markdown
    for a in rubric.areas:
        assert f"| {a.title} | {a.weight}% | {scores[a.id]} · " in markdown
        assert notes[a.id] in markdown


def test_rule_numbers_reach_the_page_only_through_the_data_island(built_sites, rubric):
    """Weights, thresholds and the veto are in the page's JSON island and nowhere in the script."""
    html = (built_sites / "interviewer" / "scorecard" / "index.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="scorecard-rubric">')
    island = json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
    assert island == json.loads(json.dumps(scoring.browser_rule(rubric)))
    script = (ROOT / "docs" / "assets" / "javascripts" / "scorecard.js").read_text(encoding="utf-8")
    for t in rubric.recommendation.thresholds:
        assert str(t.min_score) not in script and t.outcome not in script
    assert rubric.recommendation.below_all not in script
    for a in rubric.areas:
        assert a.id not in script and a.title not in script
