"""The validator: every problem in data/ is reported as path:line: where: what, all at once, never as a traceback."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml

from handbook import cli
from handbook.core import schema, validate
from handbook.core.validate import load_all
from tests.helpers import ROOT, VALID, call_handbook, copy_valid, run_handbook

NEGATIVE = sorted((ROOT / "tests" / "fixtures" / "negative").glob("*.yml"))


def apply_case(case: dict, root: Path) -> None:
    """Turn a copy of the valid fixture into the broken data set a negative case describes."""
    for rel, edits in (case.get("edit") or {}).items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for edit in edits:
            assert edit["replace"] in text, f"case edit does not apply to {rel}: {edit['replace']!r}"
            text = text.replace(edit["replace"], edit["with"], 1)
        path.write_text(text, encoding="utf-8")
    for rel, text in (case.get("write") or {}).items():
        (root / rel).write_text(text, encoding="utf-8")
    for rel, b64 in (case.get("write_bytes") or {}).items():
        (root / rel).write_bytes(base64.b64decode(b64))
    for rel, pad in (case.get("pad") or {}).items():  # grow a file without storing megabytes in the case
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(pad["text"] * pad["times"])
    for rel in case.get("delete") or []:
        (root / rel).unlink()


def test_the_real_data_is_valid():
    result = run_handbook("validate")  # the real command line, in a new interpreter (the others run in-process)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data/ is valid: 4 parts, ")


def test_the_valid_fixture_is_valid(tmp_path):
    result = call_handbook("validate", root=copy_valid(tmp_path / "repo"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("data/ is valid: 4 parts, 4 questions (4 active), 5 rubric areas, 1 exercises, "
                                     "60-minute slot")


@pytest.mark.parametrize("case_file", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_broken_data_is_refused_with_exact_messages(case_file, tmp_path, capsys):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    assert case["expected"], f"{case_file.name} must list the exact messages it produces"
    root = copy_valid(tmp_path / "repo")
    apply_case(case, root)
    assert cli.main(["--root", str(root), "validate"]) == 1  # in-process: the same code path, without a fresh interpreter
    lines = capsys.readouterr().err.strip().splitlines()
    n = len(case["expected"])
    assert lines[:-1] == case["expected"], case["why"]
    assert lines[-1] == f"{n} problem{'s' if n != 1 else ''} found in data/"


def test_the_seed_timing_of_75_minutes_is_rejected_for_a_60_minute_slot(tmp_path):
    root = copy_valid(tmp_path / "repo")
    interview = root / "data" / "interview.yml"
    text = interview.read_text(encoding="utf-8")
    for now, seed in [(15, 20), (20, 25), (10, 15), (10, 15)]:
        text = text.replace(f"    minutes: {now}\n    seed_minutes: {seed}", f"    minutes: {seed}\n    seed_minutes: {seed}", 1)
    interview.write_text(text, encoding="utf-8")
    result = call_handbook("validate", root=root)
    assert result.returncode == 1
    assert ("data/interview.yml:4: slot_minutes: opening (3) + parts (20 + 25 + 15 + 15) + closing (2) = 80 minutes, "
            "but the slot is 60 minutes") in result.stderr


def test_every_data_file_names_its_schema_for_the_editor():
    for path in sorted((ROOT / "data").rglob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: schema {target} does not exist"


def test_committed_schemas_match_the_model():
    assert schema.stale(ROOT) == [], "data/schemas is stale: run `make schema` and commit the result"


def test_schema_check_fails_when_a_schema_is_stale(tmp_path):
    root = copy_valid(tmp_path / "repo")
    target = root / "data" / "schemas" / "questions.schema.json"
    doc = json.loads(target.read_text())
    doc["title"] = "edited by hand"
    target.write_text(json.dumps(doc))
    result = call_handbook("schema", "--check", root=root)
    assert result.returncode == 1
    assert "data/schemas/questions.schema.json: out of date" in result.stderr


def test_the_schemas_accept_the_real_data_files():
    from jsonschema import Draft202012Validator

    kinds = {"interview.yml": "interview", "rubric.yml": "rubric"}
    for path in sorted((ROOT / "data").rglob("*.yml")):
        kind = kinds.get(path.name) or {"questions": "questions", "exercises": "exercise"}[path.parent.name]
        validator = Draft202012Validator(json.loads((ROOT / "data" / "schemas" / f"{kind}.schema.json").read_text()))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as text, as an editor sees them
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], f"{path}: {errors[:3]}"


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


def test_the_rule_refuses_a_strong_hire_level_it_does_not_have_and_too_few_distinguishing_areas():
    """validate._check_rule on the real rubric, changed in memory: a Strong hire at a level the rule does not decide,
    and a Hire at senior that needs more areas above mid than senior has."""
    rubric = load_all(ROOT).rubric
    rule = rubric.recommendation.model_copy(update={"levels": ["senior"], "strong_hire_at": ["senior", "mid"]})
    problems = []
    validate._check_rule(rubric.model_copy(update={"recommendation": rule}), [1, 2, 3, 4],
                         lambda path, message: problems.append((path, message)))
    assert (("strong_hire_at", 1), "unknown level 'mid' (the rule's levels: senior)") in problems
    rule = rubric.recommendation.model_copy(update={"distinguishing_at_level": 4})
    problems = []
    validate._check_rule(rubric.model_copy(update={"recommendation": rule}), [1, 2, 3, 4],
                         lambda path, message: problems.append((path, message)))
    assert problems[0] == (("distinguishing_at_level",),
                           "senior expects more than mid in 3 area(s), fewer than the 4 a Hire at senior needs")


def test_the_rule_refuses_a_level_twice_and_a_strong_no_hire_line_off_the_scale():
    rubric = load_all(ROOT).rubric
    rule = rubric.recommendation.model_copy(update={"levels": ["senior", "senior"], "strong_no_hire_below": 5.0})
    problems = []
    validate._check_rule(rubric.model_copy(update={"recommendation": rule}), [1, 2, 3, 4],
                         lambda path, message: problems.append((path, message)))
    assert problems[:2] == [(("levels",), "each level once, highest first, got ['senior', 'senior']"),
                            (("strong_no_hire_below",), "must lie on the scale 1-4, got 5.0")]
