"""The recommendation rule of data/rubric.yml `recommendation:` in exact arithmetic.

One card (or a panel's mean scores) gives a score per area, or "na" (not asked). The rule, in order:
1. Only the areas assessed count. With less than `min_assessed_weight` of the weight assessed, or an area the veto
   covers (weighted `veto.min_weight` or more) not asked: Not enough evidence.
2. Weighted score = Σ weight × score / Σ weight, over the areas assessed (the weights renormalised).
3. For each level, highest first: Hire at that level when no assessed area is more than `points_below_expected`
   below its expectation at the level, the weighted score is at least the level's expected weighted score
   (over the same areas) minus `slack_points` points in the heaviest area assessed, and (for a level above the
   lowest) at least `distinguishing_at_level` of the level's distinguishing areas (those it expects more of than the
   level below) were assessed at or above the level's column. The level is the first that passes.
   Strong hire at that level, for a level in `strong_hire_at`, when the weighted score is at least its expected
   weighted score + `strong_margin` and no area is below its expectation. No level passes: No hire, or Strong no hire
   below `strong_no_hire_below`.
4. The veto: a card's score at or below `veto.score_at_most`, or a panel's mean at or below `veto.panel_mean_at_most`,
   in an assessed area weighted `veto.min_weight` or more caps the outcome at `veto.outcome` (and then no level is
   recommended).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .model import Rubric, RubricArea

NA = "na"  # "not asked": the value of the scorecard's radio and of the export, per area
STRONG_HIRE, HIRE, NO_HIRE, STRONG_NO_HIRE = "Strong hire", "Hire", "No hire", "Strong no hire"
LADDER = (STRONG_HIRE, HIRE, NO_HIRE, STRONG_NO_HIRE)  # best to worst
NOT_ENOUGH = "Not enough evidence"
HIRES = (STRONG_HIRE, HIRE)


class ScoringError(ValueError):
    """The scores do not fit the rubric (an area missing or unknown, a score off the scale)."""


@dataclass(frozen=True)
class Result:
    """What the rule says about one set of area scores (one card, or a panel's mean scores)."""

    weighted: Fraction | None  # exact, over the areas assessed; None when none was
    outcome: str  # the recommendation after the veto
    level: str | None  # the level of a Hire or Strong hire; None otherwise
    uncapped: str  # the recommendation before the veto
    vetoed_by: tuple[str, ...]  # ids of the areas that triggered the veto (empty when it did not apply)
    not_asked: tuple[str, ...] = ()  # ids of the areas marked not asked
    assessed_weight: int = 100
    bars: dict[str, Fraction] = field(default_factory=dict)  # level -> the weighted score a Hire there needs
    unasked_vetoed: tuple[str, ...] = ()  # ids of areas the veto covers that were not asked: Not enough evidence

    @property
    def display(self) -> str:
        """The weighted score rounded to 2 decimals for people ("–" when nothing was assessed)."""
        return "–" if self.weighted is None else two_decimals(self.weighted)

    @property
    def label(self) -> str:
        """The recommendation as the card shows it: "Hire at mid level", "No hire"."""
        return f"{self.outcome} at {self.level} level" if self.level else self.outcome


def two_decimals(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def hundredths(value: float) -> int:
    """A rule number (written with at most 2 decimals) × 100, exactly."""
    return math.ceil(Fraction(str(value)) * 100)


def scale(rubric: Rubric) -> list[int]:
    return [s.score for s in rubric.scale]


def expected(area: RubricArea, level: str) -> int:
    return getattr(area.expected, level)


def lower_level(rubric: Rubric, level: str) -> str | None:
    """The level below `level` in the rule's levels (highest first), or None for the lowest."""
    levels = rubric.recommendation.levels
    i = levels.index(level)
    return levels[i + 1] if i + 1 < len(levels) else None


def distinguishing(rubric: Rubric, level: str) -> list[RubricArea]:
    """The areas `level` expects more of than the level below (none for the lowest level)."""
    below = lower_level(rubric, level)
    return [] if below is None else [a for a in rubric.areas if expected(a, level) > expected(a, below)]


def veto_hit(rubric: Rubric, area: RubricArea, score: int | Fraction) -> bool:
    """Whether this assessed score (a card's whole number, or a panel's mean) is one the veto covers."""
    veto = rubric.recommendation.veto
    if not veto or area.weight < veto.min_weight:
        return False
    whole = Fraction(score).denominator == 1
    return score <= veto.score_at_most if whole else score <= Fraction(str(veto.panel_mean_at_most))


def check_scores(rubric: Rubric, scores: Mapping[str, object]) -> list[str]:
    """What is wrong with one card's scores, as sentences (empty when they fit the rubric)."""
    problems = []
    ids = [a.id for a in rubric.areas]
    allowed = scale(rubric)
    for area in ids:
        if area not in scores:
            problems.append(f"no score for rubric area {area!r} (a score {allowed[0]}-{allowed[-1]}, or {NA!r} "
                            "for not asked)")
    for area, value in scores.items():
        if area not in ids:
            problems.append(f"unknown rubric area {area!r} (rubric version {rubric.version} has {', '.join(ids)})")
        elif value != NA and (isinstance(value, bool) or not isinstance(value, int) or value not in allowed):
            problems.append(f"score for {area!r} must be a whole number {allowed[0]}-{allowed[-1]} or {NA!r} "
                            f"(not asked), got {value!r}")
    return problems


def evaluate(rubric: Rubric, scores: Mapping[str, int | Fraction | str]) -> Result:
    """Apply the rule to one score (or "na") per area: whole numbers for a card, exact means for a panel."""
    ids = {a.id for a in rubric.areas}
    if set(scores) != ids:
        raise ScoringError(f"scores are for areas {sorted(scores)}, the rubric has {sorted(ids)}")
    rule = rubric.recommendation
    assessed = [a for a in rubric.areas if scores[a.id] != NA]
    not_asked = tuple(a.id for a in rubric.areas if scores[a.id] == NA)
    weight = sum(a.weight for a in assessed)
    if not assessed:
        return Result(None, NOT_ENOUGH, None, NOT_ENOUGH, (), not_asked, 0, {},
                      tuple(a.id for a in rubric.areas if rule.veto and a.weight >= rule.veto.min_weight))
    s = {a.id: Fraction(scores[a.id]) for a in assessed}
    weighted = sum(a.weight * s[a.id] for a in assessed) / weight
    vetoed_by = tuple(a.id for a in assessed if veto_hit(rubric, a, s[a.id]))
    unasked_vetoed = tuple(a.id for a in rubric.areas if rule.veto and a.id in not_asked
                           and a.weight >= rule.veto.min_weight)
    if weight < rule.min_assessed_weight or unasked_vetoed:  # too little to pass anyone; a veto still says No hire
        capped = rule.veto.outcome if vetoed_by else NOT_ENOUGH
        return Result(weighted, capped, None, NOT_ENOUGH, vetoed_by, not_asked, weight, {}, unasked_vetoed)
    slack = Fraction(max(a.weight for a in assessed) * rule.slack_points, weight)
    bars, outcome, level = {}, None, None
    for lvl in rule.levels:
        exp = sum(a.weight * expected(a, lvl) for a in assessed) / Fraction(weight)
        bars[lvl] = exp - slack
        if outcome:
            continue
        near = all(s[a.id] >= expected(a, lvl) - rule.points_below_expected for a in assessed)
        shown = sum(1 for a in distinguishing(rubric, lvl) if a.id in s and s[a.id] >= expected(a, lvl))
        enough_shown = lower_level(rubric, lvl) is None or shown >= rule.distinguishing_at_level
        if near and enough_shown and weighted >= exp - slack:
            level = lvl
            at_or_above = all(s[a.id] >= expected(a, lvl) for a in assessed)
            clearly = weighted >= exp + Fraction(hundredths(rule.strong_margin), 100)
            outcome = STRONG_HIRE if lvl in rule.strong_hire_at and at_or_above and clearly else HIRE
    if outcome is None:
        outcome = STRONG_NO_HIRE if weighted < Fraction(hundredths(rule.strong_no_hire_below), 100) else NO_HIRE
    uncapped = outcome
    if vetoed_by and LADDER.index(rule.veto.outcome) > LADDER.index(outcome):
        outcome, level = rule.veto.outcome, None  # the veto caps; it never raises
    return Result(weighted, outcome, level, uncapped, vetoed_by, not_asked, weight, bars, unasked_vetoed)


def panel_means(rubric: Rubric, cards: Sequence[Mapping[str, int | str]]) -> dict[str, Fraction | str]:
    """Each area's mean over the cards that assessed it; "na" where no card did."""
    means: dict[str, Fraction | str] = {}
    for a in rubric.areas:
        given = [card[a.id] for card in cards if card[a.id] != NA]
        means[a.id] = Fraction(sum(given), len(given)) if given else NA
    return means


def panel(rubric: Rubric, cards: Sequence[Mapping[str, int | str]]) -> Result:
    """The panel's result: the rule applied to each area's mean over the interviewers who assessed it.

    When every card assessed every area, the panel's weighted score is the mean of the cards' weighted scores;
    the veto applies when an area's mean score is at or below `veto.panel_mean_at_most` (one card's score equal to
    `veto.score_at_most` that does not carry to the mean is flagged by the debrief, not applied).
    """
    if not cards:
        raise ScoringError("a panel needs at least one scorecard")
    return evaluate(rubric, panel_means(rubric, cards))


def case_result(rubric: Rubric, cards: Sequence[Mapping[str, int | str]]) -> Result:
    """A worked case: one card's result, or the panel's."""
    return evaluate(rubric, cards[0]) if len(cards) == 1 else panel(rubric, cards)


def knife_edges(rubric: Rubric) -> list[str]:
    """Where the rule is knife-edge, as sentences (empty when it is not): for each level, the profile exactly at the
    level's expectations, and the same profile with any one area a point lower, must both be a Hire at that level,
    unless the lower score is one the veto covers."""
    problems = []
    low = scale(rubric)[0]
    veto = rubric.recommendation.veto
    for lvl in rubric.recommendation.levels:
        profile = {a.id: expected(a, lvl) for a in rubric.areas}
        got = evaluate(rubric, profile)
        if got.outcome not in HIRES or got.level != lvl:
            problems.append(f"the profile exactly at the {lvl} expectations gives {got.label}, not a hire at {lvl}")
        for a in rubric.areas:
            if profile[a.id] - 1 < low:
                continue
            one_low = {**profile, a.id: profile[a.id] - 1}
            if veto and a.weight >= veto.min_weight and one_low[a.id] <= veto.score_at_most:
                continue
            got = evaluate(rubric, one_low)
            if got.outcome not in HIRES or got.level != lvl:
                problems.append(f"the {lvl} profile with {a.title} one point lower ({profile[a.id]} → "
                                f"{one_low[a.id]}) gives {got.label}, not a hire at {lvl}: the rule is knife-edge")
    return problems


def level_bars(rubric: Rubric) -> list[dict]:
    """Per level, highest first, with every area assessed: the expected weighted score, what a Hire and a Strong hire
    need, and the lowest score an area may have (for the rubric page, the scorecard and the print kit)."""
    rule = rubric.recommendation
    total = sum(a.weight for a in rubric.areas)
    heaviest = max(rubric.areas, key=lambda a: a.weight)
    out = []
    for lvl in rule.levels:
        exp = Fraction(sum(a.weight * expected(a, lvl) for a in rubric.areas), total)
        out.append({"level": lvl, "expected": two_decimals(exp),
                    "hire": two_decimals(exp - Fraction(heaviest.weight * rule.slack_points, total)),
                    "strong": (two_decimals(exp + Fraction(hundredths(rule.strong_margin), 100))
                               if lvl in rule.strong_hire_at else None),
                    "distinguishing": distinguishing(rubric, lvl), "below": lower_level(rubric, lvl),
                    "slack": two_decimals(Fraction(heaviest.weight * rule.slack_points, total)),
                    "floors": {a.id: expected(a, lvl) - rule.points_below_expected for a in rubric.areas},
                    "heaviest": heaviest})
    return out


def case_rows(rubric: Rubric) -> list[dict]:
    """The worked cases of data/rubric.yml, each recomputed: its cards' results and the panel's."""
    ids = [a.id for a in rubric.areas]
    rows = []
    for case in rubric.recommendation.worked_cases:
        cards = [{a: card[a] for a in ids} for card in case.cards]
        rows.append({"case": case, "cards": [(c, evaluate(rubric, c)) for c in cards],
                     "result": case_result(rubric, cards)})
    return rows


def browser_rule(rubric: Rubric) -> dict:
    """The rubric as the scorecard's script needs it: the only copy of the rule's numbers in the browser.

    Every number is an integer (weights, scores, hundredths), so the script decides in exact integer arithmetic."""
    rule = rubric.recommendation
    return {
        "version": rubric.version,
        "na": NA,
        "scale": [{"score": s.score, "label": s.label} for s in rubric.scale],
        "areas": [{"id": a.id, "title": a.title, "weight": a.weight,
                   "expected": {lvl: expected(a, lvl) for lvl in rule.levels}} for a in rubric.areas],
        "levels": list(rule.levels),
        "points_below_expected": rule.points_below_expected,
        "slack_points": rule.slack_points,
        "distinguishing_at_level": rule.distinguishing_at_level,
        "strong_hire_at": list(rule.strong_hire_at),
        "strong_margin_hundredths": hundredths(rule.strong_margin),
        "strong_no_hire_below_hundredths": hundredths(rule.strong_no_hire_below),
        "min_assessed_weight": rule.min_assessed_weight,
        "outcomes": {"strong_hire": STRONG_HIRE, "hire": HIRE, "no_hire": NO_HIRE, "strong_no_hire": STRONG_NO_HIRE,
                     "not_enough": NOT_ENOUGH, "ladder": list(LADDER)},
        "veto": ({"min_weight": rule.veto.min_weight, "score_at_most": rule.veto.score_at_most,
                  "outcome": rule.veto.outcome} if rule.veto else None),
    }
