"""The pre-commit hooks as configured in .pre-commit-config.yaml, run by pre-commit itself on a copy of the repository.

A contributor commits with these hooks installed: they must pass on the repository as it is (the real data/), and
each must fail on the kind of mistake it exists for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.helpers import ROOT, repo_copy

HOOK_IDS = re.findall(r"^\s+- id: ([a-z-]+)$", (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"),
                      re.MULTILINE)

# hook id -> (file, text to find or None to create it, text to put there, words the hook's output must hold)
PLANTED = {
    "handbook-validate": ("data/interview.yml", "slot_minutes: 60", "slot_minutes: 61", "but the slot is 61 minutes"),
    "handbook-schema-fresh": ("data/schemas/questions.schema.json", '"title": "ML Engineer', '"title": "Hand-edited',
                              "data/schemas/questions.schema.json: out of date"),
    "data-matches-declared-schema": ("data/questions/part3.yml", "last_reviewed: 2026-", 'last_reviewed: "soon" #',
                                     "'soon' is not a 'date'"),
    "ruff": ("handbook/cli.py", "import argparse\n", "import argparse\nimport os\n", "F401"),
    "shellcheck": ("snippets/shell/planted.sh", None, '#!/usr/bin/env bash\nrm -rf $1/build\n', "SC2086"),
    "yamllint": ("data/rubric.yml", "\n", "   \n", "trailing spaces"),
    "actionlint": (".github/workflows/ci.yml", "runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    timeout-minutes: soon",
                   "timeout-minutes"),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return repo_copy(tmp_path_factory.mktemp("hooks") / "repo")


def pre_commit(repo, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(ROOT / ".venv" / "bin" / "pre-commit"), "run", *args], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)


def test_the_configured_hooks_pass_on_the_repository_as_it_is(repo):
    result = pre_commit(repo, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.findall(r"\.{3,}Passed$", result.stdout, re.MULTILINE)
    assert len(passed) == len(HOOK_IDS) == len(PLANTED), result.stdout  # each hook ran on something; none skipped


@pytest.mark.parametrize("hook", sorted(PLANTED))
def test_each_hook_fails_on_a_planted_error(repo, hook):
    assert hook in HOOK_IDS
    rel, find, replace, said = PLANTED[hook]
    path = repo / rel
    before = path.read_text(encoding="utf-8") if find is not None else None
    try:
        if before is None:
            path.write_text(replace, encoding="utf-8")
            subprocess.run(["git", "add", rel], cwd=repo, check=True)
        else:
            assert find in before, f"{rel} no longer holds {find!r}: update the planted error"
            path.write_text(before.replace(find, replace, 1), encoding="utf-8")
        result = pre_commit(repo, hook, "--all-files")
        assert result.returncode == 1, result.stdout
        assert re.search(r"\.{3,}Failed$", result.stdout, re.MULTILINE), result.stdout
        assert said in result.stdout, result.stdout
    finally:
        if before is None:
            subprocess.run(["git", "rm", "-q", "--cached", rel], cwd=repo, check=True)
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")


def test_the_schema_hook_reads_dates_as_the_loader_does(tmp_path):
    """The old inline hook read `last_reviewed: 2026-11-20` with yaml.safe_load and refused it as a non-string."""
    from handbook.core import declared

    part = ROOT / "data" / "questions" / "part3.yml"
    assert "last_reviewed: 2026-" in part.read_text(encoding="utf-8")
    assert declared.check(part, ROOT) == []
    bad = tmp_path / "data" / "questions" / "part3.yml"
    bad.parent.mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "schemas", tmp_path / "data" / "schemas")
    bad.write_text(re.sub(r"^    minutes: \d+\n", "    minutes: four\n", part.read_text(encoding="utf-8"), count=1,
                          flags=re.MULTILINE), encoding="utf-8")
    problems = [str(p) for p in declared.check(bad, tmp_path)]
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "minutes: four" in text)
    assert problems == [f"data/questions/part3.yml:{line}: questions[0].minutes: 'four' is not of type 'integer'"]
