"""handbook/core/validate.py, loading against checking: load_all builds the data set, the checks only report."""

from __future__ import annotations

from handbook.core import validate
from handbook.core.validate import load_all
from tests.helpers import VALID, copy_valid


def test_the_data_set_is_complete_before_the_checks_run_and_they_leave_it_as_it_was(monkeypatch):
    seen = {}
    check = validate._check_invariants

    def spy(data, docs, exercise_files):
        seen["before"] = (dict(data.exercises), dict(data.sources), dict(data.question_files))
        problems = check(data, docs, exercise_files)
        seen["after"] = (dict(data.exercises), dict(data.sources), dict(data.question_files))
        return problems

    monkeypatch.setattr(validate, "_check_invariants", spy)
    data = load_all(VALID)
    exercises, sources, _ = seen["before"]
    assert seen["after"] == seen["before"]
    assert set(exercises) == {"demo-review"} and exercises == data.exercises
    assert sources == {**{f"question:{q.id}": rel for rel, f in data.question_files.items() for q in f.questions},
                       "exercise:demo-review": "data/exercises/demo-review.yml",
                       "interview": "data/interview.yml", "rubric": "data/rubric.yml"}


def test_each_item_remembers_the_file_it_came_from(tmp_path):
    root = copy_valid(tmp_path / "repo")
    data = load_all(root)
    for rel, qf in data.question_files.items():
        for q in qf.questions:
            assert data.sources[f"question:{q.id}"] == rel
            assert data.part_of(q.id) == qf.part
