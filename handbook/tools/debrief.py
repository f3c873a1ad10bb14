"""Combine a panel's exported scorecards into a debrief sheet: scores side by side, the panel result, disagreements.

The panel's recommendation is computed, not negotiated: the same fixed rule as each card, applied to the mean
score of each area (mechanical combination predicts better than a discussion that ends in a vote; Conway, Jako
& Goodman 1995). Areas where two interviewers are 2 or more points apart are listed first for the debrief.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..core import scoring
from ..core.model import Rubric

SPREAD_TO_DISCUSS = 2
REQUIRED = ("rubric_version", "candidate", "interviewer", "date", "scores", "notes", "weighted_score",
            "recommendation")


class CardError(Exception):
    """One or more cards cannot be combined; `problems` name the file and what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Card:
    path: Path
    candidate: str
    interviewer: str
    date: str
    scores: dict[str, int]
    notes: dict[str, str]
    result: scoring.Result


def read_card(path: Path, rubric: Rubric) -> tuple[Card | None, list[str]]:
    """One exported scorecard, checked against the rubric; or the problems with it, each naming the file."""
    name = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [f"{name}: cannot read it: {exc.strerror}"]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [f"{name}: not a scorecard export (not valid JSON: {exc})"]
    if not isinstance(raw, dict):
        return None, [f"{name}: not a scorecard export (expected a JSON object, got {type(raw).__name__})"]
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        return None, [f"{name}: not a scorecard export (missing {', '.join(missing)})"]
    if raw["rubric_version"] != rubric.version:
        return None, [(f"{name}: scored against rubric version {raw['rubric_version']!r}, but data/rubric.yml is "
                       f"version {rubric.version}; re-score it on the current scorecard or debrief with that version")]
    problems = []
    for key in ("candidate", "interviewer", "date", "recommendation"):
        if not isinstance(raw[key], str):
            problems.append(f"{name}: {key} must be text, got {raw[key]!r}")
    if not isinstance(raw["scores"], dict):
        problems.append(f"{name}: scores must be an object of area id to score, got {raw['scores']!r}")
    else:
        problems += [f"{name}: {p}" for p in scoring.check_scores(rubric, raw["scores"])]
    notes = raw["notes"]
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        problems.append(f"{name}: notes must be an object of area id to text")
    if problems:
        return None, problems
    result = scoring.evaluate(rubric, raw["scores"])
    said = (raw["weighted_score"], raw["recommendation"])
    if isinstance(said[0], bool) or not isinstance(said[0], int | float) or \
            f"{said[0]:.2f}" != result.display or said[1] != result.outcome:
        return None, [(f"{name}: says weighted score {said[0]!r} and {said[1]!r}, but its scores give "
                       f"{result.display} and {result.outcome!r} under rubric version {rubric.version}: "
                       "the file was edited after export")]
    return Card(path, raw["candidate"].strip(), raw["interviewer"].strip(), raw["date"], dict(raw["scores"]),
                {k: v for k, v in notes.items()}, result), []


def read_cards(paths: list[Path], rubric: Rubric) -> list[Card]:
    cards, problems = [], []
    for path in paths:
        card, errors = read_card(path, rubric)
        problems += errors
        if card:
            cards.append(card)
    if problems:
        raise CardError(problems)
    named = {c.candidate.casefold(): c for c in cards if c.candidate}
    if len(named) > 1:
        first, *others = named.values()
        raise CardError([f"{c.path}: candidate {c.candidate!r} differs from {first.candidate!r} in {first.path}; "
                         "a debrief combines one candidate's cards" for c in others])
    seen: dict[str, Card] = {}
    for c in cards:
        key = c.path.resolve().as_posix()
        if key in seen:
            raise CardError([f"{c.path}: given twice; each interviewer's card counts once"])
        seen[key] = c
    return cards


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "—"


def render(cards: list[Card], rubric: Rubric) -> str:
    """The debrief sheet as Markdown."""
    panel = scoring.panel(rubric, [c.scores for c in cards])
    heads = [_cell(c.interviewer or c.path.stem) for c in cards]
    candidate = next((c.candidate for c in cards if c.candidate), "(candidate not named on the cards)")
    n = len(cards)
    lines = [
        f"# Debrief: {_cell(candidate)}",
        "",
        f"Rubric version {rubric.version} · {n} scorecard{'s' if n != 1 else ''}: "
        + ", ".join(f"{h} ({c.date or 'undated'})" for h, c in zip(heads, cards, strict=True)),
        "",
        "## Scores by area",
        "",
        "| Area | Weight | " + " | ".join(heads) + " | Mean | Spread |",
        "|---|---|" + "---|" * n + "---|---|",
    ]
    flagged = []
    for a in rubric.areas:
        scores = [c.scores[a.id] for c in cards]
        spread = max(scores) - min(scores)
        mark = f"**{spread}** ⚑" if spread >= SPREAD_TO_DISCUSS else str(spread)
        if spread >= SPREAD_TO_DISCUSS:
            flagged.append(a)
        mean = scoring.two_decimals(sum(map(scoring.Fraction, scores)) / n)
        lines.append(f"| {_cell(a.title)} | {a.weight}% | " + " | ".join(map(str, scores)) + f" | {mean} | {mark} |")
    lines.append("| **Weighted score** | | " + " | ".join(c.result.display for c in cards)
                 + f" | **{panel.display}** | |")
    lines.append("| **Recommendation** | | " + " | ".join(_cell(c.result.outcome) for c in cards)
                 + f" | **{_cell(panel.outcome)}** | |")
    lines += ["", "## Panel result", "",
              f"Panel score **{panel.display}** (the mean of the {n} weighted scores) → **{panel.outcome}**."]
    rule = rubric.recommendation
    if panel.vetoed_by and panel.outcome != panel.threshold_outcome:
        titles = ", ".join(a.title for a in rubric.areas if a.id in panel.vetoed_by)
        lines.append(f"The score alone gives {panel.threshold_outcome}; the veto caps it at {rule.veto.outcome} "
                     f"because the panel's mean in {titles} is {rule.veto.score_at_most} or less.")
    split_veto = [a for a in rubric.areas if rule.veto and a.weight >= rule.veto.min_weight
                  and a.id not in panel.vetoed_by and any(c.scores[a.id] <= rule.veto.score_at_most for c in cards)]
    if split_veto:
        lines.append("Not every interviewer's veto carries to the panel: "
                     + ", ".join(a.title for a in split_veto)
                     + f" got {rule.veto.score_at_most} or less on some card but not on average. Discuss it first.")
    lines.append("The rule is fixed: the discussion may send a card back for re-scoring against the anchors, "
                 "but it does not vote on the outcome.")
    lines += ["", "## Discuss first", ""]
    if not flagged:
        lines.append(f"No area differs by {SPREAD_TO_DISCUSS} or more points between interviewers.")
    for a in flagged:
        lines += [f"### {_cell(a.title)}: " + ", ".join(f"{h} {c.scores[a.id]}" for h, c in zip(heads, cards,
                                                                                                 strict=True)), ""]
        for h, c in zip(heads, cards, strict=True):
            lines.append(f"- **{h} ({c.scores[a.id]}):** {_cell(c.notes.get(a.id, ''))}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
