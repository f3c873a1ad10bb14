"""The recommendation rule (handbook/core/scoring.py) without a browser or a site build: the worked cases of
data/rubric.yml, the two profiles that must be a hire at mid, "not asked", panels; and the scorecard's JavaScript
copy of the rule (docs/assets/javascripts/scorecard.js) run in node on the same cases and on every possible card."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from fractions import Fraction

import pytest

from handbook.core import scoring
from handbook.core.validate import load_all
from tests.helpers import ROOT

SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "scorecard.js"
NA = scoring.NA


@pytest.fixture(scope="module")
def rubric():
    return load_all(ROOT).rubric


def mid(rubric) -> dict:
    return {a.id: a.expected.mid for a in rubric.areas}


def senior(rubric) -> dict:
    return {a.id: a.expected.senior for a in rubric.areas}


def vetoable(rubric, area, score) -> bool:
    v = rubric.recommendation.veto
    return bool(v) and area.weight >= v.min_weight and score <= v.score_at_most


# --- the worked cases: the same table as the rubric page ----------------------------------------------


def test_the_worked_cases_cover_what_the_issue_asks_for(rubric):
    cases = rubric.recommendation.worked_cases
    profiles = [c.cards[0] for c in cases if len(c.cards) == 1]
    at_mid = mid(rubric)
    assert at_mid in profiles, "no case exactly at the mid bar"
    assert any(sum(p[a] != at_mid[a] for a in at_mid) == 1 and all(p[a] == at_mid[a] or p[a] == at_mid[a] - 1
                                                                   for a in at_mid) for p in profiles), \
        "no case at the mid bar with one area a point low"
    assert any(len(c.cards) == 2 and len({scoring.evaluate(rubric, card).outcome for card in c.cards}) == 2
               for c in cases), "no panel of two interviewers straddling the bar"
    assert any(scoring.case_result(rubric, c.cards).vetoed_by for c in cases), "no veto case"
    assert any(NA in card.values() for c in cases for card in c.cards), "no case with an area not asked"
    ids = [a.id for a in rubric.areas]
    by_profile = {tuple(c.cards[0][a] for a in ids): c for c in cases if len(c.cards) == 1}
    for review in ((4, 3, 3, 3, 3), (4, 3, 2, 4, 4)):  # hm_review item 1: senior under the old rule
        assert (by_profile[review].outcome, by_profile[review].level) == (scoring.HIRE, "mid"), review
    assert any(NA in c.cards[0].values() and c.outcome == scoring.NOT_ENOUGH
               and scoring.case_result(rubric, c.cards).unasked_vetoed for c in cases), \
        "no case of an area the veto covers left unasked"
    panels = [scoring.case_result(rubric, c.cards) for c in cases if len(c.cards) > 1]
    assert any(p.vetoed_by for p in panels), "no panel vetoed on an area's mean"
    assert any(not p.vetoed_by and p.outcome in scoring.HIRES for c in cases if len(c.cards) > 1
               for p in [scoring.case_result(rubric, c.cards)] if any(
                   scoring.evaluate(rubric, card).vetoed_by for card in c.cards)), \
        "no panel where one card's 1 does not carry to the mean"


def test_each_worked_case_gives_the_outcome_it_states(rubric):
    for case in rubric.recommendation.worked_cases:
        got = scoring.case_result(rubric, case.cards)
        assert (got.outcome, got.level) == (case.outcome, case.level), case.name


def test_the_straddling_panel_is_the_mean_of_its_two_cards(rubric):
    case = next(c for c in rubric.recommendation.worked_cases if len(c.cards) == 2)
    a, b = (scoring.evaluate(rubric, card) for card in case.cards)
    assert {a.outcome, b.outcome} == {scoring.HIRE, scoring.NO_HIRE}
    assert scoring.panel(rubric, case.cards).weighted == (a.weighted + b.weighted) / 2


# The issue's table, written out here as well (areas in rubric order: Python & OOP, ML System Design, AWS &
# Infrastructure, MLOps & Production, Problem Solving): what the rule must give for rubric version 2. The rubric page
# shows the same cases from data/rubric.yml; both the Python and the JavaScript rule are held to this table.
SPEC = [
    ("exactly at the mid bar", [(3, 3, 2, 3, 3)], "2.80", "Hire at mid level"),
    ("mid bar, ML System Design a point low", [(3, 2, 2, 3, 3)], "2.50", "Hire at mid level"),
    ("mid bar, Python & OOP a point low", [(2, 3, 2, 3, 3)], "2.55", "Hire at mid level"),
    ("mid bar, MLOps a point low", [(3, 3, 2, 2, 3)], "2.65", "Hire at mid level"),
    ("mid bar, Problem Solving a point low", [(3, 3, 2, 3, 2)], "2.70", "Hire at mid level"),
    ("mid bar, AWS a point low is a 1: veto", [(3, 3, 1, 3, 3)], "2.60", "No hire"),
    ("two interviewers straddling the mid bar", [(3, 3, 2, 3, 2), (3, 2, 2, 3, 2)], "2.55", "Hire at mid level"),
    ("the old knife-edge panel, 2.80 and 2.70", [(3, 3, 2, 3, 3), (3, 3, 2, 3, 2)], "2.75", "Hire at mid level"),
    ("a veto on a strong card", [(4, 4, 1, 4, 4)], "3.40", "No hire"),
    ("panel: AWS a 1 and a 2, mean 1.5: veto", [(3, 3, 1, 3, 3), (3, 3, 2, 3, 3)], "2.70", "No hire"),
    ("panel: AWS a 1 and a 3, mean 2: no veto", [(3, 3, 1, 3, 3), (3, 3, 3, 3, 3)], "2.80", "Hire at mid level"),
    ("AWS not asked: an area the veto covers", [(3, 3, NA, 3, 3)], "3.00", "Not enough evidence"),
    ("ML System Design not asked", [(4, NA, 4, 4, 4)], "4.00", "Not enough evidence"),
    ("Python & OOP not asked", [(NA, 4, 3, 3, 4)], "3.53", "Not enough evidence"),
    ("MLOps not asked", [(3, 3, 2, NA, 3)], "2.76", "Hire at mid level"),
    ("Problem Solving not asked", [(3, 3, 2, 3, NA)], "2.78", "Hire at mid level"),
    ("Problem Solving a 1 instead", [(3, 3, 2, 3, 1)], "2.60", "No hire"),
    ("two areas not asked", [(4, 4, NA, NA, 4)], "4.00", "Not enough evidence"),
    ("exactly at the senior expectations", [(3, 4, 3, 3, 4)], "3.40", "Hire at senior level"),
    ("clearly above senior", [(4, 4, 4, 3, 4)], "3.85", "Strong hire at senior level"),
    ("review: Python 4, senior areas at mid", [(4, 3, 3, 3, 3)], "3.25", "Hire at mid level"),
    ("review: Python, MLOps, PS 4; design, AWS mid", [(4, 3, 2, 4, 4)], "3.30", "Hire at mid level"),
    ("two senior areas at senior, design at mid", [(3, 3, 3, 3, 4)], "3.10", "Hire at senior level"),
    ("only design at senior, the rest 4 where shared", [(4, 4, 2, 4, 3)], "3.50", "Hire at mid level"),
    ("senior areas shown, Problem Solving not asked", [(3, 4, 3, 3, NA)], "3.33", "Hire at senior level"),
    ("one senior area shown, Problem Solving not asked", [(4, 4, 2, 4, NA)], "3.56", "Hire at mid level"),
    ("weak everywhere", [(2, 2, 2, 2, 2)], "2.00", "Strong no hire"),
]


def spec_cards(rubric, rows):
    ids = [a.id for a in rubric.areas]
    return [dict(zip(ids, row, strict=True)) for row in rows]


@pytest.mark.parametrize(("name", "rows", "display", "label"), SPEC, ids=[row[0] for row in SPEC])
def test_the_spec_table(rubric, name, rows, display, label):
    got = scoring.case_result(rubric, spec_cards(rubric, rows))
    assert (got.display, got.label) == (display, label), name


# --- the two profiles that must be a hire at mid ------------------------------------------------------


def test_exactly_at_the_mid_expectations_is_a_hire_at_mid(rubric):
    got = scoring.evaluate(rubric, mid(rubric))
    assert got.outcome in scoring.HIRES and got.level == "mid"
    assert got.weighted == Fraction(280, 100)  # 25×3 + 30×3 + 20×2 + 15×3 + 10×3 = 280


def test_any_single_area_a_point_lower_is_still_a_hire_at_mid_unless_vetoed(rubric):
    checked = 0
    for a in rubric.areas:
        profile = {**mid(rubric), a.id: a.expected.mid - 1}
        got = scoring.evaluate(rubric, profile)
        if vetoable(rubric, a, profile[a.id]):
            assert got.outcome == rubric.recommendation.veto.outcome and got.vetoed_by == (a.id,), a.id
        else:
            assert (got.outcome, got.level) == (scoring.HIRE, "mid"), (a.id, got.label)
            checked += 1
    assert checked == 4  # AWS & Infrastructure drops to 1 at mid: the veto stays


def test_the_same_holds_at_senior_and_the_level_is_decided_apart_from_the_strength(rubric):
    at_senior = scoring.evaluate(rubric, senior(rubric))
    assert (at_senior.outcome, at_senior.level) == (scoring.HIRE, "senior")
    for a in rubric.areas:
        got = scoring.evaluate(rubric, {**senior(rubric), a.id: a.expected.senior - 1})
        assert (got.outcome, got.level) == (scoring.HIRE, "senior"), a.id
    top = scoring.evaluate(rubric, {a.id: 4 for a in rubric.areas})
    assert (top.outcome, top.level) == (scoring.STRONG_HIRE, "senior")
    # two points below senior in one area: a strong profile elsewhere is hired at mid, not argued up to senior
    ps = {**{a.id: 4 for a in rubric.areas}, "problem_solving": 2}
    got = scoring.evaluate(rubric, ps)
    assert got.level == "mid" and got.outcome in scoring.HIRES


def test_the_knife_edge_check_finds_a_senior_condition_no_senior_profile_meets(rubric):
    """More distinguishing areas than senior has: not even the profile exactly at the senior column is a senior hire."""
    impossible = rubric.model_copy(update={"recommendation": rubric.recommendation.model_copy(
        update={"distinguishing_at_level": 4})})
    problems = scoring.knife_edges(impossible)
    assert problems[0] == "the profile exactly at the senior expectations gives Hire at mid level, not a hire at senior"
    assert scoring.evaluate(impossible, {a.id: 4 for a in rubric.areas}).label == "Hire at mid level"


def test_the_knife_edge_check_finds_a_rule_without_slack(rubric):
    assert scoring.knife_edges(rubric) == []
    tight = rubric.model_copy(update={"recommendation": rubric.recommendation.model_copy(update={"slack_points": 0})})
    problems = scoring.knife_edges(tight)
    assert any("mid profile with ML System Design one point lower (3 → 2) gives No hire" in p for p in problems)


# --- not asked ----------------------------------------------------------------------------------------


def test_not_asked_renormalises_the_weights_over_the_areas_assessed(rubric):
    card = {**mid(rubric), "problem_solving": NA}
    got = scoring.evaluate(rubric, card)
    assert got.weighted == Fraction(25 * 3 + 30 * 3 + 20 * 2 + 15 * 3, 90)
    assert got.display == "2.78" and got.not_asked == ("problem_solving",) and got.assessed_weight == 90
    assert (got.outcome, got.level) == (scoring.HIRE, "mid")


def test_not_asked_is_never_a_one(rubric):
    veto = rubric.recommendation.veto
    for a in rubric.areas:
        asked_as_one = scoring.evaluate(rubric, {**mid(rubric), a.id: 1})
        not_asked = scoring.evaluate(rubric, {**mid(rubric), a.id: NA})
        assert not_asked.weighted != asked_as_one.weighted
        assert not not_asked.vetoed_by
        assert asked_as_one.outcome == scoring.NO_HIRE, a.id  # two points below mid, or a 1 under the veto
        if a.weight >= veto.min_weight:  # an area the veto covers must be asked: no decision without it
            assert (not_asked.outcome, not_asked.unasked_vetoed) == (scoring.NOT_ENOUGH, (a.id,)), a.id
        else:
            assert (not_asked.outcome, not_asked.level, not_asked.unasked_vetoed) == (scoring.HIRE, "mid", ()), a.id


def test_an_area_the_veto_covers_not_asked_is_not_enough_evidence_even_with_the_weight_assessed(rubric):
    veto = rubric.recommendation.veto
    covered = [a for a in rubric.areas if a.weight >= veto.min_weight]
    assert [a.id for a in covered] == ["python_oop", "ml_system_design", "aws_infrastructure"]
    for a in covered:
        card = {**{b.id: 4 for b in rubric.areas}, a.id: NA}
        got = scoring.evaluate(rubric, card)
        assert got.assessed_weight >= rubric.recommendation.min_assessed_weight  # the 70% floor alone would decide
        assert (got.outcome, got.level, got.uncapped) == (scoring.NOT_ENOUGH, None, scoring.NOT_ENOUGH), a.id
        with_a_one = scoring.evaluate(rubric, {**card, next(b.id for b in covered if b is not a): 1})
        assert with_a_one.outcome == veto.outcome  # a veto seen elsewhere still says No hire
    no_veto = rubric.model_copy(update={"recommendation": rubric.recommendation.model_copy(update={"veto": None})})
    assert scoring.evaluate(no_veto, {**mid(rubric), "aws_infrastructure": NA}).label == "Hire at mid level"


# --- the level: a senior hire shows senior work where senior differs ------------------------------------


def test_the_distinguishing_areas_are_read_from_the_expectations(rubric):
    assert [a.id for a in scoring.distinguishing(rubric, "senior")] == [
        "ml_system_design", "aws_infrastructure", "problem_solving"]
    assert scoring.distinguishing(rubric, "mid") == []
    assert scoring.lower_level(rubric, "senior") == "mid" and scoring.lower_level(rubric, "mid") is None


def test_extra_points_where_both_levels_expect_the_same_do_not_buy_senior(rubric):
    """hm_review item 1: every card that clears the senior weighted bar and every senior floor, but shows fewer than
    `distinguishing_at_level` senior areas at their senior column, is hired at mid, never at senior."""
    n = rubric.recommendation.distinguishing_at_level
    senior_areas = scoring.distinguishing(rubric, "senior")
    ids = [a.id for a in rubric.areas]
    loophole = 0
    for combo in itertools.product(scoring.scale(rubric), repeat=len(ids)):
        card = dict(zip(ids, combo, strict=True))
        got = scoring.evaluate(rubric, card)
        shown = sum(card[a.id] >= a.expected.senior for a in senior_areas)
        if got.level == "senior":
            assert shown >= n, card
        elif shown < n and got.weighted >= got.bars["senior"] and not got.vetoed_by and \
                all(card[a.id] >= a.expected.senior - 1 for a in rubric.areas):
            loophole += 1
            assert got.label == "Hire at mid level", card  # senior under the old rule; mid now, and never "Strong"
    assert loophole >= 2  # the review's two profiles at least


def test_with_every_area_assessed_strong_hire_is_only_ever_at_senior(rubric):
    """Strong hire is given only at the levels in `strong_hire_at` (senior): the mid column of the rule's table says
    so, and no card is a Strong hire at mid, though some clear the mid expectation by the margin."""
    assert rubric.recommendation.strong_hire_at == ["senior"]
    ids = [a.id for a in rubric.areas]
    margin = Fraction(scoring.hundredths(rubric.recommendation.strong_margin), 100)
    labels, clear_at_mid = set(), 0
    for combo in itertools.product(scoring.scale(rubric), repeat=len(ids)):
        card = dict(zip(ids, combo, strict=True))
        got = scoring.evaluate(rubric, card)
        labels.add(got.label)
        if got.level == "mid" and got.weighted >= Fraction(280, 100) + margin and \
                all(card[a.id] >= a.expected.mid for a in rubric.areas):
            clear_at_mid += 1
    assert "Strong hire at senior level" in labels and "Strong hire at mid level" not in labels
    assert clear_at_mid > 0  # the cases the old rule would have called Strong hire at mid
    bars = {b["level"]: b for b in scoring.level_bars(rubric)}
    assert bars["mid"]["strong"] is None and bars["senior"]["strong"] == "3.70"
    wider = rubric.model_copy(update={"recommendation": rubric.recommendation.model_copy(
        update={"strong_hire_at": ["senior", "mid"]})})
    assert scoring.evaluate(wider, dict(zip(ids, (4, 3, 3, 3, 3), strict=True))).label == "Strong hire at mid level"


# --- the veto on a panel ------------------------------------------------------------------------------


def test_a_panel_is_vetoed_by_an_area_mean_at_or_below_one_and_a_half(rubric):
    veto = rubric.recommendation.veto
    assert (veto.score_at_most, veto.panel_mean_at_most) == (1, 1.5)
    one, two, three = ({**mid(rubric), "aws_infrastructure": v} for v in (1, 2, 3))
    both_low = scoring.panel(rubric, [one, two])
    assert both_low.vetoed_by == ("aws_infrastructure",) and both_low.outcome == scoring.NO_HIRE
    assert both_low.uncapped == scoring.HIRE  # the panel's 2.70 alone is a Hire at mid
    split = scoring.panel(rubric, [one, three])
    assert split.vetoed_by == () and split.label == "Hire at mid level"
    assert scoring.panel(rubric, [one, three, three]).vetoed_by == ()  # 1.67: one card of three
    assert scoring.panel(rubric, [one, one, two]).vetoed_by == ("aws_infrastructure",)  # 1.33
    assert scoring.panel(rubric, [one, two, three]).vetoed_by == ()  # 2.00
def test_too_little_assessed_is_not_enough_evidence_but_a_veto_still_says_no(rubric):
    two_cut = {a.id: (NA if a.id in ("aws_infrastructure", "mlops_production") else 4) for a in rubric.areas}
    got = scoring.evaluate(rubric, two_cut)
    assert got.assessed_weight == 65 and got.outcome == scoring.NOT_ENOUGH and got.level is None
    vetoed = {**two_cut, "python_oop": 1}
    assert scoring.evaluate(rubric, vetoed).outcome == scoring.NO_HIRE
    nothing = scoring.evaluate(rubric, dict.fromkeys(mid(rubric), NA))
    assert (nothing.weighted, nothing.display, nothing.outcome) == (None, "–", scoring.NOT_ENOUGH)


def test_a_panel_means_each_area_over_the_interviewers_who_assessed_it(rubric):
    a = {**mid(rubric), "problem_solving": NA}
    b = {**mid(rubric), "problem_solving": 4}
    assert scoring.panel_means(rubric, [a, b])["problem_solving"] == 4
    assert scoring.panel_means(rubric, [a, a])["problem_solving"] == NA
    assert scoring.panel(rubric, [a, b]).weighted == Fraction(280 + 10, 100)


def test_check_scores_names_each_problem(rubric):
    first = rubric.areas[0].id
    ok = {**mid(rubric), first: NA}
    assert scoring.check_scores(rubric, ok) == []
    problems = scoring.check_scores(rubric, {**{k: v for k, v in ok.items() if k != first}, "vibes": 3,
                                             "ml_system_design": True, "problem_solving": "3"})
    assert f"no score for rubric area {first!r} (a score 1-4, or 'na' for not asked)" in problems
    assert any(p.startswith("unknown rubric area 'vibes'") for p in problems)
    assert any("'ml_system_design' must be a whole number 1-4 or 'na'" in p for p in problems)
    assert any("'problem_solving' must be a whole number 1-4 or 'na'" in p for p in problems)
    with pytest.raises(scoring.ScoringError):
        scoring.evaluate(rubric, {first: 3})
    with pytest.raises(scoring.ScoringError):
        scoring.panel(rubric, [])


# --- the JavaScript rule, in node, against the Python rule ----------------------------------------------


def run_js(rubric, cards: list[dict]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the scorecard's rule is still compared in Chromium (test_scorecard.py)")
    program = (
        "const s = require(process.argv[1]);"
        "let input = ''; process.stdin.on('data', (d) => input += d); process.stdin.on('end', () => {"
        " const { rule, cards } = JSON.parse(input);"
        " const out = cards.map((c) => { const r = s.evaluate(rule, c);"
        "   return { total: r.total, outcome: r.outcome, level: r.level, label: s.label(r) }; });"
        " process.stdout.write(JSON.stringify(out)); });"
    )
    done = subprocess.run([node, "-e", program, str(SCRIPT)], input=json.dumps(
        {"rule": scoring.browser_rule(rubric), "cards": cards}), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def python_view(rubric, card) -> dict:
    r = scoring.evaluate(rubric, card)
    return {"total": r.display, "outcome": r.outcome, "level": r.level, "label": r.label}


def test_the_javascript_rule_gives_the_worked_cases_the_same_results(rubric):
    cards = [card for case in rubric.recommendation.worked_cases for card in case.cards]
    assert run_js(rubric, cards) == [python_view(rubric, c) for c in cards]
    singles = [(spec_cards(rubric, rows)[0], display, label) for _, rows, display, label in SPEC if len(rows) == 1]
    js = run_js(rubric, [c for c, _, _ in singles])
    assert [(j["total"], j["label"]) for j in js] == [(d, lab) for _, d, lab in singles]


def test_the_javascript_rule_agrees_with_python_on_every_possible_card(rubric):
    values = [*scoring.scale(rubric), NA]
    ids = [a.id for a in rubric.areas]
    cards = [dict(zip(ids, combo, strict=True)) for combo in itertools.product(values, repeat=len(ids))]
    assert len(cards) == 5 ** 5
    js = run_js(rubric, cards)
    mismatches = [(c, j, p) for c, j in zip(cards, js, strict=True) if j != (p := python_view(rubric, c))]
    assert mismatches == [], mismatches[:3]
    assert {j["label"] for j in js} >= {"Strong hire at senior level", "Hire at senior level", "Hire at mid level",
                                        "No hire", "Strong no hire", "Not enough evidence"}


def test_the_javascript_rule_follows_the_data_not_a_copy_of_it(rubric):
    """Change the rule's numbers: the script's results move with them (it holds none of them)."""
    strict = rubric.model_copy(update={"recommendation": rubric.recommendation.model_copy(
        update={"slack_points": 0, "min_assessed_weight": 95})})
    one_low = {**mid(rubric), "ml_system_design": 2}
    cut = {**mid(rubric), "problem_solving": NA}
    assert run_js(strict, [one_low, cut]) == [python_view(strict, one_low), python_view(strict, cut)]
    assert [r["outcome"] for r in run_js(strict, [one_low, cut])] == [scoring.NO_HIRE, scoring.NOT_ENOUGH]
    # the senior condition and the levels of a Strong hire come from the data too
    loophole = dict(zip([a.id for a in rubric.areas], (4, 3, 3, 3, 3), strict=True))
    looser = rubric.model_copy(update={"recommendation": rubric.recommendation.model_copy(
        update={"distinguishing_at_level": 1, "strong_hire_at": ["senior", "mid"]})})
    at_mid = {**mid(rubric), "python_oop": 4, "mlops_production": 4}
    assert [r["label"] for r in run_js(looser, [loophole, at_mid])] == [
        python_view(looser, loophole)["label"], python_view(looser, at_mid)["label"]] == [
        "Hire at senior level", "Strong hire at mid level"]
    assert [r["label"] for r in run_js(rubric, [loophole, at_mid])] == ["Hire at mid level", "Hire at mid level"]
