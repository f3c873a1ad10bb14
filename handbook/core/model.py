"""The interview as typed models; every field says who may read it (interviewer-only unless marked)."""

from __future__ import annotations

import datetime
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

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
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s/?#]+\.[^\s/?#]+(/\S*)?$", max_length=500)]


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
    public: Text = candidate()  # what this score looks like, in words for candidates (the anchors stay interviewer-only)


class Anchor(Node):
    score: int = Field(ge=1, le=9)
    behaviour: Text


class LevelExpectation(Node):
    """The score each level is expected to reach; the candidate guide says it in words, never as a number."""

    mid: int = candidate(ge=1, le=9)
    senior: int = candidate(ge=1, le=9)


class RubricArea(Node):
    id: AreaId = candidate()
    title: Line = candidate()
    weight: int = candidate(gt=0, le=100)
    criteria: list[Line] = candidate(min_length=1)
    anchors: list[Anchor] = Field(min_length=2)
    expected: LevelExpectation = candidate()


class Veto(Node):
    min_weight: int = Field(gt=0, le=100)  # the areas it covers; each must be assessed for a decision
    score_at_most: int = Field(ge=1, le=9)  # one card: a score at or below this
    panel_mean_at_most: float = Field(ge=1, le=9)  # a panel: an area's mean at or below this
    outcome: Line
    why: Text


class WorkedCase(Node):
    """A case of the rule: the panel's cards (a score or "na" per area) and the outcome the rule must give."""

    name: Line
    cards: list[dict[AreaId, Annotated[int, Field(ge=1, le=9)] | Literal["na"]]] = Field(min_length=1)
    outcome: Line
    level: Level | None = None
    why: Text


class RecommendationRule(Node):
    """Hire at a level when the weighted score is near that level's expected score and no area is far below it."""

    formula: Text
    levels: list[Level] = Field(min_length=1)  # tried in order, highest first: the level is the first that passes
    points_below_expected: int = Field(ge=0, le=8)  # Hire at a level: no area more than this below its expectation
    slack_points: int = Field(ge=0, le=8)  # and weighted ≥ the level's expected weighted score minus this many
    #                                        points in the heaviest area assessed
    distinguishing_at_level: int = Field(ge=0, le=8)  # Hire at a level above the lowest: at least this many of the
    #                                        areas it expects more of than the level below at or above its column
    strong_margin: float = Field(gt=0, le=8)  # Strong hire: weighted ≥ expected + this, and no area below expectation
    strong_hire_at: list[Level] = Field(min_length=1)  # the levels at which a Strong hire is given
    strong_no_hire_below: float = Field(ge=1, le=9)  # no level passes and weighted below this: Strong no hire
    min_assessed_weight: int = Field(gt=0, le=100)  # less weight than this assessed: Not enough evidence
    veto: Veto | None = None
    why: Text
    worked_cases: list[WorkedCase] = Field(min_length=1)


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
    # On the part's cue card (the room page and the room kit): a must-ask follow-up, with one line to listen for.
    card: bool = False
    card_listen_for: Line | None = None


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


class CandidateBrief(Node):
    """A problem as candidates may read it before the interview, for a question without an exercise of its own."""

    title: Line = candidate()
    text: Text = candidate()


class HistoryEntry(Node):
    version: Version
    change: Literal["added", "changed", "retired", "leaked"]
    note: Line


class Source(Node):
    """A primary source for a fact in the answer (a limit, a price, a version, a statistic)."""

    url: HttpsUrl
    # what the page confirms, so a reviewer knows what to re-check when it changes; blank text is empty
    supports: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Question(Node):
    id: Id = candidate()
    title: Line
    kind: Literal["coding", "design", "technical", "scenario", "practical", "behavioural"]
    status: Literal["active", "retired", "leaked"]
    seed: bool
    alternate_for: Id | None = None
    owner: Line
    last_reviewed: datetime.date
    levels: list[Level] = Field(min_length=1)
    tags: list[Id] = Field(min_length=1)
    minutes: Minutes
    rubric_areas: list[AreaId] = Field(min_length=1)
    # The 60-minute plan: "default" is asked in every interview (its minutes fill the part); "swap" replaces a
    # default question when the part's time cues say so; absent means bank or take-home only.
    run: Literal["default", "swap"] | None = None
    # the interview's focus_areas this question assesses, written as listed there (public names, so candidate())
    focus_areas: list[Line] = candidate([])
    prompt: Text
    follow_ups: list[FollowUp] = Field(min_length=1)
    signals: Signals
    level_bar: LevelBar
    anchors: list[Anchor] = []  # question-specific 1-4 anchors, one per scale score, when the area's are too general
    red_flags: list[Line] = Field(min_length=1)
    model_answer: list[Text] = Field(min_length=1)
    alternatives: list[Alternative] = []
    diagrams: list[Id] = []
    snippets: list[SnippetRef] = []
    exercise: Id | None = None
    candidate_brief: CandidateBrief | None = candidate(None)  # a practical problem's public brief (or its exercise's)
    calibration: list[CalibrationSample] = []
    sources: list[Source] = []
    history: list[HistoryEntry] = []
    card: bool = False  # its prompt's words in double quotes go on its part's cue card, read aloud verbatim

    @property
    def in_default_plan(self) -> bool:
        """Asked in every interview: `run: default` and active (the one definition the plan, scorecard and cards use)."""
        return self.run == "default" and self.status == "active"


class QuestionFile(Node):
    part: PartId
    questions: list[Question] = Field(min_length=1)


# --- exercises ------------------------------------------------------------------------------------


class KeyEntry(Node):
    id: Id
    lines: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)
    category: Literal["data_leakage", "train_serve_skew", "reproducibility", "security", "error_handling",
                      "resource_handling", "thread_safety", "performance", "testability", "release_safety",
                      "correctness"]
    severity: Literal["critical", "high", "medium", "low"]
    issue: Text
    fix: Text


class Exercise(Node):
    id: Id = candidate()
    title: Line = candidate()
    seed: Line = candidate()
    used_in: list[PartId] = candidate(min_length=1)
    # for an exercise no default-plan question uses: how a candidate may meet it outside the hour (public wording)
    outside_hour: Line | None = candidate(None)
    candidate_brief: Text | None = candidate(None)
    starter_snippets: list[SnippetRef] = candidate([])
    how_to_run: Text
    reference_snippets: list[SnippetRef] = []
    reviewed_file: Annotated[str, StringConstraints(pattern=r"^snippets/[A-Za-z0-9_./-]+$")] | None = None
    answer_key: list[KeyEntry] = []
    root_cause: Text | None = None
    investigation_path: list[Text] = []
    red_herrings: list[Text] = []
    sources: list[Source] = []
    history: list[HistoryEntry] = []


# --- the audience filter --------------------------------------------------------------------------


_VIEWS: dict[type[BaseModel], type[BaseModel]] = {}


def candidate_view_of(cls: type[BaseModel]) -> type[BaseModel]:
    """The model of what a candidate may read of `cls`: its `candidate(...)` fields only, each with its declared
    type and constraints (a model inside it replaced by that model's candidate view). Generated from the marks, so
    a new field is hidden until it is marked; a hidden field does not exist on the view, it is not None."""
    if cls not in _VIEWS:
        fields = {name: (_view_type(info.annotation), info) for name, info in cls.model_fields.items()
                  if audience_of(cls, name) == CANDIDATE}
        _VIEWS[cls] = create_model(f"Candidate{cls.__name__}", __base__=Node, __module__=__name__,
                                   __doc__=f"The candidate-visible fields of {cls.__name__}.", **fields)
    return _VIEWS[cls]


def _view_type(annotation: Any) -> Any:
    """`annotation` with every model in it (list[Part], Segment | None, ...) replaced by its candidate view."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return candidate_view_of(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is None or origin is Literal or not args:
        return annotation
    if origin is Annotated:
        return Annotated[(_view_type(args[0]), *annotation.__metadata__)]
    if origin in (Union, types.UnionType):
        return Union[tuple(_view_type(a) for a in args)]  # noqa: UP007 - built from a tuple of types
    return origin[tuple(_view_type(a) for a in args)]


def for_audience(value: Any, audience: str) -> Any:
    """What `audience` may read of the data: the value itself for the interviewer; for the candidate, an instance of
    the candidate view of each model (candidate_view_of), holding only the fields marked `candidate(...)`. The one
    audience filter."""
    if audience == INTERVIEWER:
        return value
    if audience != CANDIDATE:
        raise ValueError(f"unknown audience {audience!r} (known: {INTERVIEWER}, {CANDIDATE})")
    if isinstance(value, BaseModel):
        view = candidate_view_of(type(value))
        return view(**{name: for_audience(getattr(value, name), audience) for name in view.model_fields})
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
