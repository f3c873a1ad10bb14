"""handbook/core/view.py: an audience's view of the data set refers to nothing the audience may not read."""

from __future__ import annotations

import pytest

from handbook.core.model import CANDIDATE, INTERVIEWER, interviewer_only_strings
from handbook.core.validate import load_all
from handbook.core.view import view_of
from tests.helpers import VALID


@pytest.fixture(scope="module")
def data():
    return load_all(VALID)


def test_the_interviewer_view_is_the_whole_data_set(data):
    view = view_of(data, INTERVIEWER)
    assert view.interview is data.interview and view.rubric is data.rubric
    assert list(view.questions) == data.questions
    assert view.sources == data.sources
    for q in data.questions:
        assert view.part_of(q.id) == data.part_of(q.id)
    part = data.interview.parts[0].id
    assert view.questions_of(part) == data.questions_of(part)
    assert view.questions_of(part, active_only=True) == data.questions_of(part, active_only=True)
    assert view.part_files[part] == next(rel for rel, f in data.question_files.items() if f.part == part)
    assert view.diagram_path("demo") == data.diagram_path("demo")


def test_the_candidate_view_holds_no_interviewer_only_value(data):
    view = view_of(data, CANDIDATE)
    assert view.questions == () and view.question_parts == {} and view.part_files == {}
    assert set(view.sources) == {"interview", "rubric", *(f"exercise:{e}" for e in data.exercises)}
    held = "\n".join(repr(v) for v in (view.interview, view.rubric, *view.exercises.values()))
    candidate_text = {s for v in (view.interview, view.rubric, *view.exercises.values()) for s in _strings(v)}
    hidden = [s for obj in (data.interview, data.rubric, *data.questions, *data.exercises.values())
              for s in interviewer_only_strings(obj) if s not in candidate_text and len(s) > 12]
    assert hidden
    assert [s for s in hidden if s in held] == []


def test_an_unknown_audience_has_no_view(data):
    with pytest.raises(ValueError, match="unknown audience"):
        view_of(data, "panel")


def _strings(model) -> list[str]:
    out: list[str] = []

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str):
            out.append(v)

    walk(model.model_dump())
    return out
