"""handbook/cli.py: each command's wiring, in this process (tests/unit/core/test_validate.py runs the real
command line once)."""

from __future__ import annotations

import runpy
import shutil
import sys

import pytest

from handbook import cli
from handbook.core import schema
from tests.helpers import VALID, call_handbook, copy_valid


def test_validate_summarises_a_valid_data_set():
    result = call_handbook("validate", root=VALID)
    assert result.returncode == 0
    assert result.stdout.startswith("data/ is valid: 4 parts, ") and "exercises, 60-minute slot" in result.stdout


def test_validate_lists_every_problem_and_counts_them(tmp_path):
    root = copy_valid(tmp_path / "repo")
    (root / "data" / "stray.txt").write_text("x")
    (root / "data" / "interview.yml").unlink()
    result = call_handbook("validate", root=root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        ("data/stray.txt:1: (file): unexpected file in data/: data files are data/interview.yml, data/rubric.yml, "
        "data/questions/<name>.yml and data/exercises/<id>.yml"),
        "data/interview.yml:1: (file): required file is missing",
        "2 problems found in data/"]


def test_schema_writes_the_files_and_check_finds_a_stale_one(tmp_path):
    root = copy_valid(tmp_path / "repo")
    shutil.rmtree(root / "data" / "schemas")
    assert call_handbook("schema", "--check", root=root).returncode == 1
    written = call_handbook("schema", root=root)
    assert written.stdout.splitlines() == [f"wrote data/schemas/{name}" for name in schema.schemas()]
    assert call_handbook("schema", "--check", root=root).returncode == 0
    (root / "data" / "schemas" / "rubric.schema.json").write_text("{}")
    stale = call_handbook("schema", "--check", root=root)
    assert stale.returncode == 1
    assert stale.stderr == ("data/schemas/rubric.schema.json: out of date with handbook/core/model.py; run "
                            "`make schema`\n")


def test_build_passes_the_chosen_sites_and_output_folder(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(cli.build, "build", lambda root, out, sites: calls.append((root, out, sites)) or 0)
    assert call_handbook("build", root=tmp_path).returncode == 0
    assert call_handbook("build", "--site", "candidate", "--out", "elsewhere", root=tmp_path).returncode == 0
    assert calls == [(tmp_path, tmp_path / "site", ["interviewer", "candidate"]),
                     (tmp_path, tmp_path / "elsewhere", ["candidate"])]
    assert call_handbook("build", "--site", "public", root=tmp_path).returncode == 2  # argparse names the choices


def test_diff_outside_git_is_one_line(tmp_path):
    result = call_handbook("diff", "main", root=tmp_path)
    assert (result.returncode, result.stderr) == (2, f"handbook diff: {tmp_path} is not inside a git repository\n")


def test_debrief_refuses_invalid_data_or_a_card_it_cannot_read(tmp_path):
    root = copy_valid(tmp_path / "repo")
    missing = tmp_path / "nope.json"
    result = call_handbook("debrief", str(missing), root=root)
    assert result.returncode == 1 and str(missing) in result.stderr and result.stdout == ""
    (root / "data" / "rubric.yml").unlink()
    result = call_handbook("debrief", str(missing), root=root)
    assert (result.returncode, result.stderr) == (1, "data/rubric.yml:1: (file): required file is missing\n")


@pytest.mark.parametrize(("command", "module", "expected"), [
    (["pdf", "--site", "s", "--out", "k.pdf"], "pdf", ("s", "k.pdf", "room")),
    (["linkcheck", "--no-external"], "linkcheck", (False,)),
    (["notebooks", "--check"], "notebooks", (True,)),
])
def test_the_tools_are_called_with_their_options(tmp_path, monkeypatch, command, module, expected):
    import importlib

    calls = []
    tool = importlib.import_module(f"handbook.tools.{module}")
    monkeypatch.setattr(tool, "main", lambda root, *args, **kwargs: calls.append((root, args, kwargs)) or 0)
    assert call_handbook(*command, root=tmp_path).returncode == 0
    (root, args, kwargs), = calls
    assert root == tmp_path
    shown = tuple(str(a.relative_to(tmp_path)) if hasattr(a, "relative_to") and a.is_absolute() else
                  (str(a) if hasattr(a, "relative_to") else a) for a in (*args, *kwargs.values()))
    assert shown == expected


def test_python_dash_m_handbook_runs_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["python -m handbook", "--root", str(VALID), "validate"])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("handbook", run_name="__main__")
    assert done.value.code == 0 and capsys.readouterr().out.startswith("data/ is valid")
