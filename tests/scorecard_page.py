"""Driving the scorecard page in a real browser as an interviewer does: pick scores, write notes, export."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from handbook.core import scoring
from handbook.core.model import Rubric

URL = "scorecard/"


def fill(page, scores: dict[str, int], candidate: str = "", interviewer: str = "", notes: dict[str, str] | None = None,
         date: str | None = None) -> None:
    """Fill the card by clicking the radio buttons and typing into the fields (events fire as for a user)."""
    if candidate:
        page.fill("#scorecard-candidate", candidate)
    if interviewer:
        page.fill("#scorecard-interviewer", interviewer)
    if date:
        page.fill("#scorecard-date", date)
    for area, score in scores.items():
        page.check(f'input[name="score-{area}"][value="{score}"]')
    for area, text in (notes or {}).items():
        page.fill(f"#notes-{area}", text)


def shown(page) -> tuple[str, str]:
    return page.inner_text("#scorecard-total").strip(), page.inner_text("#scorecard-recommendation").strip()


def download_json(page, dest: Path) -> dict:
    """Click "Download JSON", save the file under dest, return it parsed."""
    with page.expect_download() as info:
        page.click("#scorecard-download")
    download = info.value
    path = dest / download.suggested_filename
    download.save_as(path)
    return json.loads(path.read_text(encoding="utf-8"))


def uniform(rubric: Rubric, score: int) -> dict[str, int]:
    return {a.id: score for a in rubric.areas}


def vetoed(rubric: Rubric) -> dict[str, int]:
    """The best scores the veto still caps: top marks everywhere except a veto-low score in the heaviest veto area."""
    veto = rubric.recommendation.veto
    assert veto, "the rubric has no veto"
    heavy = max((a for a in rubric.areas if a.weight >= veto.min_weight), key=lambda a: a.weight)
    top = max(scoring.scale(rubric))
    return {a.id: veto.score_at_most if a is heavy else top for a in rubric.areas}


def on_threshold(rubric: Rubric) -> list[dict[str, int]]:
    """For each threshold, mixed scores (not all equal, no veto) whose weighted total equals its min_score exactly."""
    veto = rubric.recommendation.veto
    out = []
    for t in rubric.recommendation.thresholds:
        target = scoring.threshold_points(t.min_score)
        for combo in itertools.product(scoring.scale(rubric), repeat=len(rubric.areas)):
            scores = dict(zip((a.id for a in rubric.areas), combo, strict=True))
            if len(set(combo)) == 1 or sum(a.weight * scores[a.id] for a in rubric.areas) != target:
                continue
            if veto and any(a.weight >= veto.min_weight and scores[a.id] <= veto.score_at_most for a in rubric.areas):
                continue
            out.append(scores)
            break
    return out
