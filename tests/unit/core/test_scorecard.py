"""handbook/core/scorecard.py: the export's model and the follow-ups a card can mark "not asked"."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from handbook.core import scorecard
from handbook.core.validate import load_all
from tests.helpers import ROOT


def test_the_follow_ups_are_those_of_the_default_plan_numbered_from_one():
    data = load_all(ROOT)
    listed = scorecard.follow_ups(data.questions)
    plan = data.default_plan()
    assert set(listed) == {f"{q.id}/{n}" for q in plan for n in range(1, len(q.follow_ups) + 1)}
    first = plan[0]
    assert listed[f"{first.id}/1"] == f"{first.title}: {first.follow_ups[0].ask}"


def export(**changes) -> dict:
    card = {"rubric_version": 2, "candidate": "Sam", "interviewer": "Ada", "date": "2026-03-02",
            "scores": {"python_oop": 3, "ml_system_design": "na"}, "notes": {"python_oop": "clear"},
            "not_asked_follow_ups": ["data-processor/2"], "weighted_score": 3.0, "recommendation": "Hire",
            "level": "mid"}
    return {**card, **changes}


def test_a_card_as_the_page_exports_it_is_accepted():
    assert scorecard.ScorecardExport.model_validate(export()).scores["ml_system_design"] == "na"


@pytest.mark.parametrize("changes", [
    {"scores": {"python_oop": "3"}},  # strict: a quoted score is not a score
    {"not_asked_follow_ups": ["data-processor"]},  # no follow-up number
    {"date": "02/03/2026"},
    {"extra": 1},
    {"level": "principal"},
])
def test_a_card_that_breaks_the_format_is_refused(changes):
    with pytest.raises(ValidationError):
        scorecard.ScorecardExport.model_validate(export(**changes))
