"""handbook/core/declared.py: each data file against the schema its header names, read by the handbook's loader
(the pre-commit hook `data-matches-declared-schema`; tests/test_hooks.py runs the configured hook itself)."""

from __future__ import annotations

import shutil

from handbook.core import declared, schema
from tests.helpers import ROOT, VALID


def test_the_real_data_matches_its_declared_schemas_dates_included():
    files = sorted((ROOT / "data").rglob("*.yml"))
    assert files and declared.check_files(files, ROOT) == []


def test_each_problem_names_the_line_of_the_value(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(VALID / "data", root / "data")
    schema.write(root)
    rubric = root / "data" / "rubric.yml"
    text = rubric.read_text(encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("version: "))
    rubric.write_text(text.replace("version: ", "version: two # was ", 1), encoding="utf-8")
    problems = [str(p) for p in declared.check(rubric, root)]
    assert problems == [f"data/rubric.yml:{line}: version: 'two' is not of type 'integer'"]


def test_a_file_without_a_header_or_with_a_missing_schema_says_so(tmp_path):
    headless, nowhere = tmp_path / "a.yml", tmp_path / "c.yml"
    headless.write_text("version: 2\n")
    nowhere.write_text("# yaml-language-server: $schema=schemas/none.json\nversion: 2\n")
    assert "the first line must be `# yaml-language-server" in str(declared.check(headless, tmp_path)[0])
    assert "cannot read the schema schemas/none.json" in str(declared.check(nowhere, tmp_path)[0])


def test_dates_are_seen_as_the_text_an_editor_sees():
    import datetime

    assert declared.as_json({"d": [datetime.date(2026, 11, 20)]}) == {"d": ["2026-11-20"]}
