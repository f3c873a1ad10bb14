"""The interview as typed models; every field says who may read it (interviewer-only unless marked)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

INTERVIEWER = "interviewer"
CANDIDATE = "candidate"
DEFAULT_AUDIENCE = INTERVIEWER  # the one place a field's default audience is decided


def candidate(default: Any = ..., **kwargs: Any) -> Any:
    """A field that the public candidate site may show."""
    return Field(default, json_schema_extra={"audience": CANDIDATE}, **kwargs)


def audience_of(model: type[BaseModel], name: str) -> str:
    extra = model.model_fields[name].json_schema_extra
    return extra.get("audience", DEFAULT_AUDIENCE) if isinstance(extra, dict) else DEFAULT_AUDIENCE


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
AreaId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
PartId = Annotated[str, StringConstraints(pattern=r"^part[1-9]$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Minutes = Annotated[int, Field(gt=0, le=240)]
Level = Literal["mid", "senior"]
Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]


class Node(BaseModel):
    """Base of every model: unknown keys and type coercion are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- interview plan -------------------------------------------------------------------------------


class Part(Node):
    id: PartId = candidate()
    title: Line = candidate()
    minutes: Minutes = candidate()
    seed_minutes: Minutes = candidate()
    rubric_areas: list[AreaId] = candidate(min_length=1)
    summary: Text = candidate()
    how_it_runs: Text = candidate()
    topics: list[Line] = candidate(min_length=1)
    scenario: Text | None = None
    time_cues: list[Line] = Field(min_length=1)
    cut_when_behind: Text


class Segment(Node):
    """A timed slot of the run sheet that is not a part (opening, candidate questions)."""

    id: Id = candidate()
    title: Line = candidate()
    minutes: Minutes = candidate()
    what_to_do: Text


class Interview(Node):
    role: Line = candidate()
    levels: list[Level] = candidate(min_length=1)
    slot_minutes: Minutes = candidate()
    focus_areas: list[Line] = candidate(min_length=1)
    opening: Segment = candidate()
    parts: list[Part] = candidate(min_length=1)
    closing: Segment = candidate()
    timing_resolution: Text


# --- rubric ---------------------------------------------------------------------------------------


class ScaleLevel(Node):
    score: int = candidate(ge=1, le=9)
    label: Line = candidate()
    meaning: Text


class Anchor(Node):
    score: int = Field(ge=1, le=9)
    behaviour: Text


class LevelExpectation(Node):
    mid: int = Field(ge=1, le=9)
    senior: int = Field(ge=1, le=9)


class RubricArea(Node):
    id: AreaId = candidate()
    title: Line = candidate()
    weight: int = candidate(gt=0, le=100)
    criteria: list[Line] = candidate(min_length=1)
    anchors: list[Anchor] = Field(min_length=2)
    expected: LevelExpectation


class Threshold(Node):
    min_score: float = Field(ge=1, le=9)
    outcome: Line


class Veto(Node):
    min_weight: int = Field(gt=0, le=100)
    score_at_most: int = Field(ge=1, le=9)
    outcome: Line
    why: Text


class RecommendationRule(Node):
    formula: Text
    thresholds: list[Threshold] = Field(min_length=2)
    below_all: Line
    veto: Veto | None = None


class Rubric(Node):
    version: int = candidate(ge=1)
    scale: list[ScaleLevel] = candidate(min_length=2)
    areas: list[RubricArea] = candidate(min_length=1)
    recommendation: RecommendationRule
    differentiators: list[Line] = candidate(min_length=1)
    red_flags: list[Line] = Field(min_length=1)
    history: list[HistoryEntry] = []  # rubric versions, oldest first (the "What changed" page)


# --- questions ------------------------------------------------------------------------------------


class SnippetRef(Node):
    path: Annotated[str, StringConstraints(pattern=r"^snippets/[A-Za-z0-9_./-]+$")] = candidate()
    section: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$")] | None = candidate(None)
    title: Line | None = candidate(None)


class FollowUp(Node):
    ask: Text
    probe: list[Line] = Field(min_length=1)
    hint: Text
    listen_for: Text
    see: list[SnippetRef] = []


class Signals(Node):
    weak: Text
    solid: Text
    strong: Text


class LevelBar(Node):
    mid: Text
    senior: Text


class Alternative(Node):
    design: Line
    trade_off: Text


class CalibrationSample(Node):
    level: Literal["weak", "solid", "strong"]
    answer: Text
    scores: dict[AreaId, int]
    why: Text


class HistoryEntry(Node):
    version: Version
    change: Literal["added", "changed", "retired", "leaked"]
    note: Line


class Question(Node):
    id: Id = candidate()
    title: Line
    kind: Literal["coding", "design", "technical", "scenario", "practical"]
    status: Literal["active", "retired", "leaked"]
    seed: bool
    alternate_for: Id | None = None
    owner: Line
    last_reviewed: datetime.date
    levels: list[Level] = Field(min_length=1)
    tags: list[Id] = Field(min_length=1)
    minutes: Minutes
    rubric_areas: list[AreaId] = Field(min_length=1)
    prompt: Text
    follow_ups: list[FollowUp] = Field(min_length=1)
    signals: Signals
    level_bar: LevelBar
    red_flags: list[Line] = Field(min_length=1)
    model_answer: list[Text] = Field(min_length=1)
    alternatives: list[Alternative] = []
    diagrams: list[Id] = []
    snippets: list[SnippetRef] = []
    exercise: Id | None = None
    calibration: list[CalibrationSample] = []
    history: list[HistoryEntry] = []


class QuestionFile(Node):
    part: PartId
    questions: list[Question] = Field(min_length=1)


# --- exercises ------------------------------------------------------------------------------------


class KeyEntry(Node):
    id: Id
    lines: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)
    category: Literal["data_leakage", "train_serve_skew", "reproducibility", "security", "error_handling",
                      "resource_handling", "thread_safety", "performance", "testability"]
    severity: Literal["critical", "high", "medium", "low"]
    issue: Text
    fix: Text


class Exercise(Node):
    id: Id = candidate()
    title: Line = candidate()
    seed: Line = candidate()
    used_in: list[PartId] = candidate(min_length=1)
    candidate_brief: Text | None = candidate(None)
    starter_snippets: list[SnippetRef] = candidate([])
    how_to_run: Text
    reference_snippets: list[SnippetRef] = []
    reviewed_file: Annotated[str, StringConstraints(pattern=r"^snippets/[A-Za-z0-9_./-]+$")] | None = None
    answer_key: list[KeyEntry] = []
    root_cause: Text | None = None
    investigation_path: list[Text] = []
    red_herrings: list[Text] = []


# --- the audience filter --------------------------------------------------------------------------


def for_audience(value: Any, audience: str) -> Any:
    """The same data with every field the audience may not read emptied. The one audience filter."""
    if audience == INTERVIEWER:
        return value
    if isinstance(value, BaseModel):
        cls = type(value)
        update = {}
        for name in cls.model_fields:
            if audience_of(cls, name) == CANDIDATE:
                update[name] = for_audience(getattr(value, name), audience)
            else:
                update[name] = None
        return value.model_copy(update=update)
    if isinstance(value, list):
        return [for_audience(v, audience) for v in value]
    if isinstance(value, dict):
        return {k: for_audience(v, audience) for k, v in value.items()}
    return value


def interviewer_only_strings(value: Any, inside_hidden: bool = False) -> list[str]:
    """Every string the candidate site must never show (used by the leak test)."""
    out: list[str] = []
    if isinstance(value, BaseModel):
        cls = type(value)
        for name in cls.model_fields:
            hidden = inside_hidden or audience_of(cls, name) != CANDIDATE
            out += interviewer_only_strings(getattr(value, name), hidden)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out += interviewer_only_strings(v, inside_hidden)
    elif isinstance(value, dict):
        for v in value.values():
            out += interviewer_only_strings(v, inside_hidden)
    elif isinstance(value, str) and inside_hidden:
        out.append(value)
    return out


ROOT_MODELS: dict[str, type[Node]] = {
    "interview": Interview,
    "rubric": Rubric,
    "questions": QuestionFile,
    "exercise": Exercise,
}
