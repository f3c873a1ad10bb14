"""Driving the scorecard page in a real browser as an interviewer does: pick scores, write notes, export."""

from __future__ import annotations

import json
from pathlib import Path

from handbook.core import scoring
from handbook.core.model import Rubric

URL = "scorecard/"


def fill(page, scores: dict[str, int | str], candidate: str = "", interviewer: str = "", notes: dict[str, str] | None = None,
         date: str | None = None) -> None:
    """Fill the card by clicking the radio buttons ("na": not asked) and typing into the fields (events fire as for a
    user)."""
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


def tick_not_asked(page, follow_up_ids: list[str]) -> None:
    """Open the follow-up list and tick the follow-ups not asked."""
    if follow_up_ids and not page.locator("details.scorecard-follow-ups").evaluate("d => d.open"):
        page.click("details.scorecard-follow-ups summary")
    for fid in follow_up_ids:
        page.check(f'input[name="not-asked-follow-up"][value="{fid}"]')


def shown(page) -> tuple[str, str]:
    """The card's weighted score and recommendation ("Hire at mid level") as displayed."""
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
    """Top marks everywhere except a veto-low score in the heaviest veto area where that score alone would still be
    a hire: the veto is what makes it a No hire."""
    veto = rubric.recommendation.veto
    assert veto, "the rubric has no veto"
    top = max(scoring.scale(rubric))
    for heavy in sorted((a for a in rubric.areas if a.weight >= veto.min_weight), key=lambda a: -a.weight):
        scores = {a.id: veto.score_at_most if a is heavy else top for a in rubric.areas}
        if scoring.evaluate(rubric, scores).uncapped in scoring.HIRES:
            return scores
    raise AssertionError("the veto never caps a hire: it cannot be tested")


def as_exported(rubric: Rubric, scores: dict[str, int | str], candidate: str = "", interviewer: str = "",
                notes: dict[str, str] | None = None, date: str = "", not_asked_follow_ups: list[str] | None = None,
                ) -> dict:
    """The JSON the scorecard's "Download JSON" writes for these entries (test_scorecard proves the page writes
    exactly this), so the debrief's card checks can run without a browser."""
    result = scoring.evaluate(rubric, scores)
    return {
        "rubric_version": rubric.version, "candidate": candidate, "interviewer": interviewer, "date": date,
        "scores": dict(scores), "notes": {a.id: (notes or {}).get(a.id, "") for a in rubric.areas},
        "not_asked_follow_ups": list(not_asked_follow_ups or []),
        "weighted_score": None if result.weighted is None else float(result.display),
        "recommendation": result.outcome, "level": result.level,
    }


# --- the panel of test_debrief and the scorecard's round trip ---------------------------------------------

def panel_scores(rubric) -> dict[str, dict[str, int]]:
    """Three interviewers: two agree, the third is 2 points below on the heaviest area and 1 above elsewhere."""
    ids = [a.id for a in rubric.areas]
    heavy = max(rubric.areas, key=lambda a: a.weight).id
    alice = dict.fromkeys(ids, 3)
    bob = {i: 3 if i == heavy else 2 for i in ids}
    carol = {i: 1 if i == heavy else 3 for i in ids}
    return {"Alice Chen": alice, "Bob Okafor": bob, "Carol Diaz": carol}


def notes_of(name: str, rubric) -> dict[str, str]:
    return {a.id: f"{name.split()[0]} on {a.title}: evidence | with a pipe" for a in rubric.areas}


def export_panel(rubric, dest):
    """The panel's cards, as the scorecard page exports them, written to dest; their paths, sorted."""
    import json

    for name, scores in panel_scores(rubric).items():
        data = as_exported(rubric, scores, candidate="Sam Rivera", interviewer=name,
                           notes=notes_of(name, rubric), date="2026-03-02")
        (dest / f"scorecard-sam-rivera-{name.split()[0].lower()}.json").write_text(json.dumps(data, indent=2))
    return sorted(dest.glob("*.json"))
