"""Combine a panel's exported scorecards into a debrief sheet: scores side by side, the panel result, disagreements.

The panel's recommendation is computed, not negotiated: the same fixed rule as each card, applied to the mean
score of each area (mechanical combination predicts better than a discussion that ends in a vote; Conway, Jako
& Goodman 1995). Areas where two interviewers are 2 or more points apart are listed first for the debrief.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from pydantic import ValidationError

from ..core import scoring
from ..core.model import Rubric
from ..core.scorecard import ScorecardExport

SPREAD_TO_DISCUSS = 2
REQUIRED = tuple(name for name, f in ScorecardExport.model_fields.items() if f.is_required())
NOT_ASKED = "not asked"


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
    scores: dict[str, int | str]  # a score, or scoring.NA for not asked
    notes: dict[str, str]
    not_asked_follow_ups: tuple[str, ...]
    result: scoring.Result


_UNION_TAGS = re.compile(r"^(int|float|none|str|bool|constrained-.*|literal\[.*\]|function-.*)$")


def _schema_problems(name: str, err: ValidationError, skip: tuple[str, ...] = ()) -> list[str]:
    """Pydantic's errors as one line per field: the alternatives of a union ("a whole number or 'na'") joined."""
    by_field: dict[str, tuple[list[str], object]] = {}
    for e in err.errors():
        loc = [str(p) for p in e["loc"] if not (isinstance(p, str) and _UNION_TAGS.match(p))]
        if loc and loc[0] in skip:
            continue
        msgs, _ = by_field.setdefault(".".join(loc) or "(the card)", ([], e.get("input")))
        if e["msg"] not in msgs:
            msgs.append(e["msg"])
    return [f"{name}: {where}: {' or '.join(msgs)} (got {json.dumps(got)[:80]}; see data/schemas/scorecard.schema.json)"
            for where, (msgs, got) in by_field.items()]


def read_card(path: Path, rubric: Rubric, follow_ups: Mapping[str, str] | None = None) -> tuple[Card | None, list[str]]:
    """One exported scorecard, checked against the export's schema (data/schemas/scorecard.schema.json, generated
    from ScorecardExport) and the rubric; or the problems with it, each naming the file.

    `follow_ups`: the follow-up ids of the default plan (checked when given)."""
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
    if isinstance(raw["scores"], dict):  # the rubric's own words for scores first (areas, the scale, "na")
        problems = [f"{name}: {p}" for p in scoring.check_scores(rubric, raw["scores"])]
    try:
        card = ScorecardExport.model_validate(raw)
    except ValidationError as err:
        return None, problems + _schema_problems(name, err, skip=("scores",) if problems else ())
    ids = [a.id for a in rubric.areas]
    problems += [f"{name}: notes for unknown rubric area {k!r}" for k in card.notes if k not in ids]
    if follow_ups is not None:
        problems += [f"{name}: not_asked_follow_ups: unknown follow-up {f!r} (a question id of the default plan and "
                     "its follow-up's number, from 1)" for f in card.not_asked_follow_ups if f not in follow_ups]
    if problems:
        return None, problems
    result = scoring.evaluate(rubric, card.scores)
    said = "–" if card.weighted_score is None else f"{card.weighted_score:.2f}"
    if (said, card.recommendation, card.level) != (result.display, result.outcome, result.level):
        level = f" at {card.level} level" if card.level else ""
        return None, [(f"{name}: says weighted score {said} and {card.recommendation!r}{level}, but its scores give "
                       f"{result.display} and {result.label!r} under rubric version {rubric.version}: "
                       "the file was changed after export; re-export it from the scorecard")]
    return Card(path, card.candidate.strip(), card.interviewer.strip(), card.date, dict(card.scores),
                {a: card.notes.get(a, "") for a in ids}, tuple(card.not_asked_follow_ups), result), []


def read_cards(paths: list[Path], rubric: Rubric, follow_ups: Mapping[str, str] | None = None) -> list[Card]:
    cards, problems = [], []
    for path in paths:
        card, errors = read_card(path, rubric, follow_ups)
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


def _score(value: int | str) -> str:
    return NOT_ASKED if value == scoring.NA else str(value)


def render(cards: list[Card], rubric: Rubric, follow_ups: Mapping[str, str] | None = None) -> str:
    """The debrief sheet as Markdown."""
    panel = scoring.panel(rubric, [c.scores for c in cards])
    means = scoring.panel_means(rubric, [c.scores for c in cards])
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
        given = [s for s in scores if s != scoring.NA]
        spread = max(given) - min(given) if given else 0
        mark = f"**{spread}** ⚑" if spread >= SPREAD_TO_DISCUSS else (str(spread) if given else "—")
        if spread >= SPREAD_TO_DISCUSS:
            flagged.append(a)
        mean = NOT_ASKED if means[a.id] == scoring.NA else scoring.two_decimals(means[a.id])
        lines.append(f"| {_cell(a.title)} | {a.weight}% | " + " | ".join(map(_score, scores)) + f" | {mean} | {mark} |")
    lines.append("| **Weighted score** | | " + " | ".join(c.result.display for c in cards)
                 + f" | **{panel.display}** | |")
    lines.append("| **Recommendation** | | " + " | ".join(_cell(c.result.label) for c in cards)
                 + f" | **{_cell(panel.label)}** | |")
    all_assessed = all(s != scoring.NA for c in cards for s in c.scores.values())
    how = f"the mean of the {n} weighted scores" if all_assessed else \
        "from each area's mean over the interviewers who assessed it, weights renormalised over the areas assessed"
    lines += ["", "## Panel result", "", f"Panel score **{panel.display}** ({how}) → **{panel.label}**."]
    rule = rubric.recommendation
    if panel.not_asked:
        titles = ", ".join(a.title for a in rubric.areas if a.id in panel.not_asked)
        lines.append(f"Not asked by anyone: {titles}. The rule used the {panel.assessed_weight}% of the weight "
                     "that was assessed" + (f" (less than {rule.min_assessed_weight}%: schedule the follow-up)."
                                            if panel.assessed_weight < rule.min_assessed_weight else "."))
    if panel.unasked_vetoed:
        titles = ", ".join(a.title for a in rubric.areas if a.id in panel.unasked_vetoed)
        lines.append(f"{titles}: weighted {rule.veto.min_weight}% or more, under the veto, and asked by no one: "
                     f"{scoring.NOT_ENOUGH}; schedule the follow-up.")
    panel_at_most = scoring.two_decimals(Fraction(str(rule.veto.panel_mean_at_most))) if rule.veto else ""
    if panel.vetoed_by and panel.outcome != panel.uncapped:
        titles = ", ".join(a.title for a in rubric.areas if a.id in panel.vetoed_by)
        lines.append(f"The scores alone give {panel.uncapped}; the veto caps it at {rule.veto.outcome} "
                     f"because the panel's mean in {titles} is {panel_at_most} or less.")
    split_veto = [a for a in rubric.areas if rule.veto and a.weight >= rule.veto.min_weight
                  and a.id not in panel.vetoed_by
                  and any(c.scores[a.id] != scoring.NA and c.scores[a.id] <= rule.veto.score_at_most for c in cards)]
    if split_veto:
        lines.append("⚑ A veto on one card that the panel does not apply: "
                     + ", ".join(f"{a.title} (mean {scoring.two_decimals(means[a.id])})" for a in split_veto)
                     + f" got {rule.veto.score_at_most} on some card, but the panel veto needs an area's mean of "
                     f"{panel_at_most} or less. Re-score those cards against the anchors before reading the result.")
    lines.append("The rule is fixed: the discussion may send a card back for re-scoring against the anchors, "
                 "but it does not vote on the outcome.")
    skipped = [(h, f) for h, c in zip(heads, cards, strict=True) for f in c.not_asked_follow_ups]
    if skipped:
        lines += ["", "## Follow-ups not asked", ""]
        for h, f in skipped:
            lines.append(f"- **{h}:** `{f}`" + (f" {_cell((follow_ups or {}).get(f, ''))}" if follow_ups else ""))
    lines += ["", "## Discuss first", ""]
    if not flagged:
        lines.append(f"No area differs by {SPREAD_TO_DISCUSS} or more points between interviewers.")
    for a in flagged:
        lines += [f"### {_cell(a.title)}: " + ", ".join(f"{h} {_score(c.scores[a.id])}"
                                                       for h, c in zip(heads, cards, strict=True)), ""]
        for h, c in zip(heads, cards, strict=True):
            lines.append(f"- **{h} ({_score(c.scores[a.id])}):** {_cell(c.notes.get(a.id, ''))}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
