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
