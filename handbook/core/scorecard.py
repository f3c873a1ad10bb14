"""The scorecard export: the JSON file the scorecard page downloads and `handbook debrief` reads.

Its JSON Schema (data/schemas/scorecard.schema.json, `make schema`) is generated from `ScorecardExport`; the
rubric-dependent checks (which areas, the scale, the recomputed result) are in handbook/tools/debrief.py.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .model import AreaId, Level, Question

FollowUpId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*/[1-9][0-9]*$")]
Score = Annotated[int, Field(ge=1, le=9)] | Literal["na"]


class ScorecardExport(BaseModel):
    """One interviewer's card, as exported by the scorecard's "Download JSON"."""

    model_config = ConfigDict(extra="forbid", strict=True, title="ML Engineer interview handbook: scorecard export")

    rubric_version: int = Field(ge=1, description="data/rubric.yml `version` the card was scored against")
    candidate: str
    interviewer: str
    date: Annotated[str, StringConstraints(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = Field(
        description="YYYY-MM-DD, or empty")
    scores: dict[AreaId, Score] = Field(
        description='every rubric area: a whole score on the scale, or "na" for not asked')
    notes: dict[AreaId, str] = Field(description="evidence per rubric area")
    not_asked_follow_ups: list[FollowUpId] = Field(
        description='follow-ups of the default plan not asked, as "<question id>/<n>" (n from 1)')
    weighted_score: float | None = Field(
        description="over the areas assessed, weights renormalised, rounded to 2 decimals; null if none was")
    recommendation: str
    level: Level | None = Field(description="the level of a Hire or Strong hire; null otherwise")


def follow_up_id(question: Question, n: int) -> str:
    """The id of a question's n-th follow-up (from 1), as the export writes it."""
    return f"{question.id}/{n}"


def default_plan(questions: list[Question]) -> list[Question]:
    """The questions an interview runs by default, in the order given (Question.in_default_plan)."""
    return [q for q in questions if q.in_default_plan]


def follow_ups(questions: list[Question]) -> dict[str, str]:
    """Every follow-up of the default plan: id -> "question title: the follow-up's question"."""
    return {follow_up_id(q, n): f"{q.title}: {fu.ask}"
            for q in default_plan(questions) for n, fu in enumerate(q.follow_ups, start=1)}
