"""handbook/core/model.py: the audience marks and the one audience filter (for_audience)."""

from __future__ import annotations

import datetime

import pytest
from pydantic import BaseModel, ValidationError

from handbook.core import model
from handbook.core.model import (
    CANDIDATE,
    INTERVIEWER,
    Exercise,
    Node,
    Question,
    Rubric,
    audience_of,
    candidate,
    candidate_view_of,
    for_audience,
    interviewer_only_strings,
)
from handbook.core.validate import load_all
from tests.helpers import VALID

NODES = [c for c in vars(model).values() if isinstance(c, type) and issubclass(c, Node) and c is not Node
         and not c.__name__.startswith("Candidate")]


class Probe(Node):
    shown: str = candidate()
    secret: str
    when: datetime.date | None = candidate(None)
    inner: list[Probe2] = candidate([])


class Probe2(Node):
    label: str = candidate()
    note: str = "hidden by default"


Probe.model_rebuild()


def test_a_field_is_interviewer_only_unless_marked():
    assert audience_of(Probe, "shown") == CANDIDATE
    assert audience_of(Probe, "secret") == INTERVIEWER
    view = for_audience(Probe(shown="a", secret="b", inner=[Probe2(label="c", note="d")]), CANDIDATE)
    assert view.model_dump() == {"shown": "a", "when": None, "inner": [{"label": "c"}]}
    assert not hasattr(view, "secret") and not hasattr(view.inner[0], "note")


def test_every_audience_mark_names_a_known_audience():
    """A mark with a typo (`audience: public`) would be neither audience; every mark in the model is one of two."""
    marks = [(cls.__name__, name, (info.json_schema_extra or {}).get("audience"))
             for cls in NODES for name, info in cls.model_fields.items()
             if isinstance(info.json_schema_extra, dict) and "audience" in info.json_schema_extra]
    assert marks  # the model marks some fields
    assert [m for m in marks if m[2] not in (INTERVIEWER, CANDIDATE)] == []
    assert audience_of(Question, "prompt") == INTERVIEWER and audience_of(Exercise, "starter_snippets") == CANDIDATE
    assert audience_of(Rubric, "differentiators") == CANDIDATE


@pytest.mark.parametrize("cls", NODES, ids=lambda c: c.__name__)
def test_each_candidate_view_has_exactly_the_marked_fields_with_their_declared_types(cls):
    view = candidate_view_of(cls)
    marked = [name for name in cls.model_fields if audience_of(cls, name) == CANDIDATE]
    assert list(view.model_fields) == marked
    for name in marked:
        original, shown = cls.model_fields[name], view.model_fields[name]
        assert shown.metadata == original.metadata and shown.is_required() == original.is_required(), name
        if not (isinstance(original.annotation, type) and issubclass(original.annotation, BaseModel)):
            assert "Candidate" in repr(shown.annotation) or shown.annotation == original.annotation, name
    assert candidate_view_of(cls) is view  # generated once


def test_the_candidate_view_of_real_data_validates_against_its_own_types():
    data = load_all(VALID)
    for obj in (data.interview, data.rubric, *data.questions, *data.exercises.values()):
        view = for_audience(obj, CANDIDATE)
        assert type(view) is candidate_view_of(type(obj))
        again = type(view).model_validate(view.model_dump(), strict=False)  # every value has its field's type
        assert again == view
        assert interviewer_only_strings(obj), type(obj).__name__  # there was something to hide ...
        assert interviewer_only_strings(view) == []  # ... and none of it is left
        for name, info in type(view).model_fields.items():
            assert not info.is_required() or getattr(view, name) is not None, name  # never None in a `str`


def test_a_question_seen_by_a_candidate_is_its_id_and_public_fields_alone():
    question = load_all(VALID).questions[0]
    view = for_audience(question, CANDIDATE)
    # the brief's public focus-area names and a practical problem's public brief; nothing else
    assert view.model_dump() == {"id": question.id, "focus_areas": question.focus_areas,
                                 "candidate_brief": question.candidate_brief}
    with pytest.raises(AttributeError):
        view.title  # noqa: B018 - the attribute does not exist; it is not None
    assert for_audience(question, INTERVIEWER) is question


def test_views_are_frozen_and_strict_like_the_models():
    view = for_audience(load_all(VALID).interview, CANDIDATE)
    with pytest.raises(ValidationError):
        view.slot_minutes = 30
    with pytest.raises(ValidationError):
        type(view).model_validate({**view.model_dump(), "timing_resolution": "x"})  # no hidden field comes back


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="unknown audience 'public'"):
        for_audience(load_all(VALID).rubric, "public")


def test_lists_and_mappings_are_filtered_item_by_item():
    probes = {"k": [Probe(shown="a", secret="b")]}
    assert for_audience(probes, CANDIDATE)["k"][0].model_dump() == {"shown": "a", "when": None, "inner": []}
    assert for_audience("text", CANDIDATE) == "text"
