"""handbook/core/schema.py: the JSON Schemas editors use are generated from the model and kept fresh."""

from __future__ import annotations

import json
import shutil

from handbook.core import schema
from handbook.core.model import ROOT_MODELS
from tests.helpers import ROOT, VALID


def test_one_schema_per_kind_of_data_file_with_its_audience_marks():
    generated = schema.schemas()
    assert sorted(generated) == sorted([*(f"{kind}.schema.json" for kind in ROOT_MODELS), "scorecard.schema.json"])
    interview = json.loads(generated["interview.schema.json"])
    assert interview["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert interview["title"] == "ML Engineer interview handbook: interview file"
    assert interview["properties"]["role"]["audience"] == "candidate"  # the mark shows in the editor's hover
    assert "audience" not in interview["properties"]["timing_resolution"]


def test_the_committed_schemas_are_fresh():
    assert schema.stale(ROOT) == []


def test_write_replaces_stale_files_and_reports_them(tmp_path):
    shutil.copytree(VALID / "data", tmp_path / "data")
    assert sorted(schema.stale(tmp_path)) == sorted(schema.schemas())  # the fixture has no schemas folder
    (tmp_path / "data" / "schemas").mkdir()
    (tmp_path / "data" / "schemas" / "rubric.schema.json").write_text("{}")
    assert sorted(schema.write(tmp_path)) == sorted(schema.schemas())
    assert schema.stale(tmp_path) == [] and schema.write(tmp_path) == []


def test_each_data_file_is_checked_against_the_schema_its_header_names(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(VALID / "data", root / "data")
    schema.write(root)
    rubric = root / "data" / "rubric.yml"
    assert schema.declared_problems(str(rubric)) == []
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(text.replace("version: ", "version: two # was ", 1) + "extra_key: 1\n", encoding="utf-8")
    problems = schema.declared_problems(str(rubric))
    assert f"{rubric}: version: 'two' is not of type 'integer'" in problems
    assert any(p.startswith(f"{rubric}: (top level): Additional properties are not allowed ('extra_key'") for p in problems)


def test_a_file_without_a_header_or_unreadable_says_so(tmp_path):
    headless, broken, nowhere = tmp_path / "a.yml", tmp_path / "b.yml", tmp_path / "c.yml"
    headless.write_text("version: 2\n")
    broken.write_text("# yaml-language-server: $schema=x.json\nversion: [\n")
    nowhere.write_text("# yaml-language-server: $schema=schemas/none.json\nversion: 2\n")
    assert schema.declared_problems(str(headless)) == [
        f"{headless}:1: the first line must be # yaml-language-server: $schema=<relative path>"]
    assert schema.declared_problems(str(broken))[0].startswith(f"{broken}:3: invalid YAML")
    assert schema.declared_problems(str(nowhere)) == [
        f"{nowhere}:1: the schema its first line names, schemas/none.json, does not exist"]


def test_the_pre_commit_hook_runs_this_check(tmp_path):
    from tests.helpers import call_handbook

    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: .venv/bin/python -m handbook schema --declared\n" in config
    good = ROOT / "data" / "rubric.yml"
    assert call_handbook("schema", "--declared", str(good)).returncode == 0
    bad = tmp_path / "x.yml"
    bad.write_text("version: 2\n")
    result = call_handbook("schema", "--declared", str(good), str(bad))
    assert (result.returncode, result.stdout.count("\n")) == (1, 1)
