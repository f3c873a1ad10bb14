"""The recommendation rule of data/rubric.yml in exact arithmetic: weighted score, thresholds, veto."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .model import Rubric


class ScoringError(ValueError):
    """The scores do not fit the rubric (an area missing or unknown, a score off the scale)."""


@dataclass(frozen=True)
class Result:
    """What the rule says about one set of area scores (one card, or a panel's mean scores)."""

    weighted: Fraction  # exact; Σ weight × score / 100
    outcome: str  # the recommendation after the veto
    threshold_outcome: str  # the recommendation the weighted score alone earns
    vetoed_by: tuple[str, ...]  # ids of the areas that triggered the veto (empty when it did not apply)

    @property
    def display(self) -> str:
        """The weighted score rounded to 2 decimals for people; comparisons use `weighted`."""
        return two_decimals(self.weighted)


def two_decimals(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def scale(rubric: Rubric) -> list[int]:
    return [s.score for s in rubric.scale]


def outcomes(rubric: Rubric) -> list[str]:
    """Every recommendation from best to worst: the thresholds highest first, then below_all."""
    rule = rubric.recommendation
    return [t.outcome for t in sorted(rule.thresholds, key=lambda t: t.min_score, reverse=True)] + [rule.below_all]


def threshold_points(min_score: float) -> int:
    """The smallest Σ weight × score (an integer) that reaches min_score: ceil(min_score × 100), exactly."""
    return math.ceil(Fraction(str(min_score)) * 100)


def check_scores(rubric: Rubric, scores: Mapping[str, object]) -> list[str]:
    """What is wrong with one card's scores, as sentences (empty when they fit the rubric)."""
    problems = []
    ids = [a.id for a in rubric.areas]
    allowed = scale(rubric)
    for area in ids:
        if area not in scores:
            problems.append(f"no score for rubric area {area!r}")
    for area, value in scores.items():
        if area not in ids:
            problems.append(f"unknown rubric area {area!r} (rubric version {rubric.version} has {', '.join(ids)})")
        elif isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            problems.append(f"score for {area!r} must be a whole number {allowed[0]}-{allowed[-1]}, got {value!r}")
    return problems


def evaluate(rubric: Rubric, scores: Mapping[str, int | Fraction]) -> Result:
    """Apply the rule to one score per area (whole numbers for a card, exact means for a panel)."""
    ids = {a.id for a in rubric.areas}
    if set(scores) != ids:
        raise ScoringError(f"scores are for areas {sorted(scores)}, the rubric has {sorted(ids)}")
    rule = rubric.recommendation
    ladder = outcomes(rubric)
    points = sum(Fraction(a.weight) * Fraction(scores[a.id]) for a in rubric.areas)  # exact Σ weight × score
    threshold_outcome = rule.below_all
    for t in sorted(rule.thresholds, key=lambda t: t.min_score, reverse=True):
        if points >= Fraction(str(t.min_score)) * 100:  # min_score is inclusive
            threshold_outcome = t.outcome
            break
    outcome, vetoed_by = threshold_outcome, ()
    if rule.veto:
        v = rule.veto
        if v.outcome not in ladder:
            raise ScoringError(f"veto outcome {v.outcome!r} is not one of the recommendations {ladder}")
        vetoed_by = tuple(a.id for a in rubric.areas if a.weight >= v.min_weight and scores[a.id] <= v.score_at_most)
        if vetoed_by:  # the veto caps: the lower of the two outcomes in the ladder
            outcome = ladder[max(ladder.index(threshold_outcome), ladder.index(v.outcome))]
    return Result(points / 100, outcome, threshold_outcome, vetoed_by)


def panel(rubric: Rubric, cards: Sequence[Mapping[str, int]]) -> Result:
    """The panel's result: the rule applied to the mean score of each area across the cards.

    The weighted score of the mean scores equals the mean of the cards' weighted scores (the rubric's formula);
    the veto applies when an area's mean score is at or below the veto score.
    """
    if not cards:
        raise ScoringError("a panel needs at least one scorecard")
    n = len(cards)
    means = {a.id: Fraction(sum(card[a.id] for card in cards), n) for a in rubric.areas}
    return evaluate(rubric, means)


def browser_rule(rubric: Rubric) -> dict:
    """The rubric as the scorecard page's script needs it: the only copy of the rule's numbers in the browser."""
    rule = rubric.recommendation
    return {
        "version": rubric.version,
        "scale": [{"score": s.score, "label": s.label} for s in rubric.scale],
        "areas": [{"id": a.id, "title": a.title, "weight": a.weight} for a in rubric.areas],
        "thresholds": [{"min_score": t.min_score, "min_points": threshold_points(t.min_score), "outcome": t.outcome}
                       for t in sorted(rule.thresholds, key=lambda t: t.min_score, reverse=True)],
        "below_all": rule.below_all,
        "veto": ({"min_weight": rule.veto.min_weight, "score_at_most": rule.veto.score_at_most,
                  "outcome": rule.veto.outcome} if rule.veto else None),
    }
