"""The scorecard page in a real Chromium: the live total and recommendation follow the rubric's rule as Python
computes it ("not asked" included), the draft survives a reload and clears, and the exports carry exactly what was
entered and match the committed JSON Schema of the export."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from jsonschema import Draft202012Validator

from handbook.core import scoring
from handbook.core.scorecard import follow_ups
from handbook.core.validate import load_all
from tests import scorecard_page as card
from tests.browser import PageWatch, browser, serve
from tests.helpers import ROOT, call_handbook

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


SCHEMA = ROOT / "data" / "schemas" / "scorecard.schema.json"


def schema_errors(card: dict) -> list[str]:
    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(card)]


def cases(rubric):
    named = [("all 4s", card.uniform(rubric, 4)), ("all 1s", card.uniform(rubric, 1)), ("veto", card.vetoed(rubric))]
    worked = [(c.name, dict(c.cards[0])) for c in rubric.recommendation.worked_cases if len(c.cards) == 1]
    assert any(scoring.NA in scores.values() for _, scores in worked)
    return named + worked


def test_total_and_recommendation_follow_the_rubric_rule(watch, rubric):
    page = watch.page
    assert card.shown(page) == ("–", "–")  # nothing is computed from a half-filled card
    seen = set()
    for name, scores in cases(rubric):
        card.fill(page, scores)
        expected = scoring.evaluate(rubric, scores)
        assert card.shown(page) == (expected.display, expected.label), name
        basis = page.inner_text("#scorecard-basis")
        if expected.not_asked:
            assert f"Over the {expected.assessed_weight}% of the weight assessed, weights renormalised" in basis, name
        else:
            assert basis == "Over all areas (none marked not asked).", name
        seen.add(expected.label)
    veto = scoring.evaluate(rubric, card.vetoed(rubric))
    assert veto.vetoed_by and veto.outcome != veto.uncapped  # the veto case really caps something
    assert {"Hire at mid level", "Hire at senior level", "No hire"} <= seen


def test_the_loaded_script_agrees_with_python_on_every_possible_card(watch, rubric):
    """The page's own copy of the rule (window.HandbookScoring with the page's data island), on all 5^5 cards."""
    ids = [a.id for a in rubric.areas]
    cards = [dict(zip(ids, combo, strict=True))
             for combo in itertools.product([*scoring.scale(rubric), scoring.NA], repeat=len(ids))]
    got = watch.page.evaluate("""cards => {
        const rule = JSON.parse(document.getElementById('scorecard-rubric').textContent);
        return cards.map((c) => { const r = HandbookScoring.evaluate(rule, c); return [r.total, HandbookScoring.label(r)]; });
    }""", cards)
    want = [[(r := scoring.evaluate(rubric, c)).display, r.label] for c in cards]
    assert got == want


def test_not_asked_is_a_choice_in_every_area_and_not_a_one(watch, rubric):
    page = watch.page
    for a in rubric.areas:
        values = page.eval_on_selector_all(f'input[name="score-{a.id}"]', "els => els.map(e => e.value)")
        assert values == [*map(str, scoring.scale(rubric)), "na"]
    at_mid = {a.id: a.expected.mid for a in rubric.areas}
    aws = "aws_infrastructure"
    card.fill(page, {**at_mid, aws: 1})
    as_one = card.shown(page)
    card.fill(page, {aws: "na"})
    as_na = card.shown(page)
    # AWS & Infrastructure is under the veto: not asked, it leaves no decision (hm_review item 6)
    assert as_one == ("2.60", "No hire") and as_na == ("3.00", "Not enough evidence")
    basis = page.inner_text("#scorecard-basis")
    assert "not asked: AWS & Infrastructure" in basis
    assert "AWS & Infrastructure must be asked (weighted 20% or more, under the veto): schedule the follow-up." in basis
    ps = "problem_solving"
    card.fill(page, {aws: 2, ps: 1})
    ps_one = card.shown(page)
    card.fill(page, {ps: "na"})
    assert (ps_one, card.shown(page)) == (("2.60", "No hire"), ("2.78", "Hire at mid level"))
    assert "must be asked" not in page.inner_text("#scorecard-basis")


def test_half_filled_card_shows_no_recommendation(watch, rubric):
    page = watch.page
    first, *rest = rubric.areas
    card.fill(page, {a.id: 4 for a in rest})
    assert card.shown(page) == ("–", "–")
    page.click("#scorecard-download")  # refuses, names the missing area, puts focus on it
    assert "or mark it not asked" in page.inner_text("#scorecard-message")
    assert first.title in page.inner_text("#scorecard-message")
    assert page.evaluate("document.activeElement.name") == f"score-{first.id}"


def test_draft_survives_reload_and_clear_removes_it(watch, rubric):
    page = watch.page
    scores = {a.id: 1 + i % 4 for i, a in enumerate(rubric.areas)}
    scores[rubric.areas[-1].id] = "na"
    notes = {a.id: f"Observed for {a.title}: <b>not HTML</b>" for a in rubric.areas}
    card.fill(page, scores, candidate="Ada Example", interviewer="Grace Panel", notes=notes, date="2026-03-02")
    skipped = list(follow_ups(load_all(ROOT).questions))[:2]
    card.tick_not_asked(page, skipped)
    before = card.shown(page)
    page.reload()
    for fid in skipped:
        assert page.is_checked(f'input[name="not-asked-follow-up"][value="{fid}"]')
    assert page.input_value("#scorecard-candidate") == "Ada Example"
    assert page.input_value("#scorecard-interviewer") == "Grace Panel"
    assert page.input_value("#scorecard-date") == "2026-03-02"
    for a in rubric.areas:
        assert page.is_checked(f'input[name="score-{a.id}"][value="{scores[a.id]}"]')
        assert page.input_value(f"#notes-{a.id}") == notes[a.id]
    assert card.shown(page) == before

    page.click("#scorecard-clear")
    assert page.locator("input[type=radio]:checked, input[type=checkbox]:checked").count() == 0
    assert page.input_value("#scorecard-candidate") == ""
    assert card.shown(page) == ("–", "–")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('handbook-scorecard'))")
    assert stored == []
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.input_value("#notes-" + rubric.areas[0].id) == ""


def test_exported_json_and_markdown_match_what_was_entered(watch, rubric, tmp_path):
    page = watch.page
    scores = {**card.vetoed(rubric), rubric.areas[-1].id: "na"}
    notes = {a.id: f"Evidence line for {a.id}\nsecond line" for a in rubric.areas}
    card.fill(page, scores, candidate="Ada Example", interviewer="Grace Panel", notes=notes, date="2026-03-02")
    known = follow_ups(load_all(ROOT).questions)
    ids = list(known)
    skipped = [ids[0], ids[-1]]
    card.tick_not_asked(page, skipped)
    exported = card.download_json(page, tmp_path)
    expected = scoring.evaluate(rubric, scores)
    assert exported == card.as_exported(rubric, scores, candidate="Ada Example", interviewer="Grace Panel",
                                        notes=notes, date="2026-03-02", not_asked_follow_ups=skipped)
    assert exported["scores"][rubric.areas[-1].id] == "na" and exported["level"] is None
    assert schema_errors(exported) == []
    assert [p.name for p in tmp_path.glob("*.json")] == ["scorecard-ada-example-grace-panel-2026-03-02.json"]

    page.click("#scorecard-copy")
    page.wait_for_function("document.getElementById('scorecard-message').textContent.startsWith('Copied')")
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown == page.input_value("#scorecard-markdown")
    assert f"**Weighted score {expected.display} → {expected.label}**" in markdown
    assert f"Over the {expected.assessed_weight}% of the weight assessed, weights renormalised" in markdown
    for a in rubric.areas:
        shown = "not asked" if scores[a.id] == "na" else f"{scores[a.id]} · "
        assert f"| {a.title} | {a.weight}% | {shown}" in markdown
        assert notes[a.id] in markdown
    for fid in skipped:
        assert f"- `{fid}` {' '.join(known[fid].split())}" in markdown


def test_a_hire_exports_its_level_and_the_schema_refuses_a_broken_card(watch, rubric, tmp_path):
    page = watch.page
    at_mid = {a.id: a.expected.mid for a in rubric.areas}
    card.fill(page, at_mid, candidate="Ada", interviewer="Grace", date="2026-03-02")
    exported = card.download_json(page, tmp_path)
    assert (exported["recommendation"], exported["level"], exported["weighted_score"]) == ("Hire", "mid", 2.8)
    assert schema_errors(exported) == []
    first = rubric.areas[0].id
    assert schema_errors({**exported, "scores": {**exported["scores"], first: "3"}})
    assert schema_errors({**exported, "level": "principal"})
    assert schema_errors({**exported, "extra": 1})
    assert schema_errors({k: v for k, v in exported.items() if k != "not_asked_follow_ups"})


def test_the_follow_up_list_is_the_default_plan(built_sites):
    html = (built_sites / "interviewer" / "scorecard" / "index.html").read_text(encoding="utf-8")
    on_page = re.findall(r'name="not-asked-follow-up" value="([^"]+)"', html)
    assert on_page == list(follow_ups(load_all(ROOT).questions))


def test_rule_numbers_reach_the_page_only_through_the_data_island(built_sites, rubric):
    """Weights, thresholds and the veto are in the page's JSON island and nowhere in the script."""
    html = (built_sites / "interviewer" / "scorecard" / "index.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="scorecard-rubric">')
    island = json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
    assert island == json.loads(json.dumps(scoring.browser_rule(rubric)))
    script = (ROOT / "docs" / "assets" / "javascripts" / "scorecard.js").read_text(encoding="utf-8")
    for outcome in (*scoring.LADDER, scoring.NOT_ENOUGH):
        assert f'"{outcome}"' not in script
    rule = rubric.recommendation
    for number in (rule.strong_margin, rule.strong_no_hire_below, rule.min_assessed_weight):
        assert str(number) not in script
    for a in rubric.areas:
        assert a.id not in script and a.title not in script


@pytest.mark.browser
def test_cards_downloaded_from_the_real_page_are_debriefed(site, rubric, tmp_path):
    """The round trip: the same panel filled in and downloaded in Chromium gives byte-identical files' content and
    the same debrief sheet."""
    base, b = site  # this module's one Chromium: a second sync Playwright in one process fails
    for name, scores in card.panel_scores(rubric).items():
        context = b.new_context(accept_downloads=True)
        watch = PageWatch(context)
        watch.page.goto(f"{base}/{card.URL}")
        card.fill(watch.page, scores, candidate="Sam Rivera", interviewer=name, notes=card.notes_of(name, rubric),
                  date="2026-03-02")
        card.download_json(watch.page, tmp_path)
        assert watch.errors == [] and watch.foreign == []
        context.close()
    (tmp_path / "exported").mkdir()
    exported = card.export_panel(rubric, tmp_path / "exported")
    downloaded = sorted(tmp_path.glob("*.json"))
    assert [json.loads(p.read_text()) for p in downloaded] == [json.loads(p.read_text()) for p in exported]
    assert (call_handbook("debrief", *map(str, downloaded)).stdout
            == call_handbook("debrief", *map(str, exported)).stdout)
