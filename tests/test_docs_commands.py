"""Every command README.md and CONTRIBUTING.md tell a reader to type runs as written on a fresh clone.

The commands are extracted from the ```bash / ```sh blocks, from every `make <target>` mention, and from inline
`.venv/bin/...` and `git ...` commands. Each is either run here, on a copy of the repository committed in a new git
repository without tags (what `git clone` gives), or listed in SKIPPED with the reason and the test that covers it.
A command the documents gain that is in neither list fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from handbook.site.build import mkdocs_env
from tests.helpers import ROOT, repo_copy

DOCS = ("README.md", "CONTRIBUTING.md")

# command -> why it is not run here (and where it is tested)
SKIPPED = {
    "make serve": "runs until stopped; tests/test_serve.py drives it",
    "make test": "the whole suite (minutes); this test is part of it",
    "make release VERSION=1.2": "writes two branches and takes minutes; tests/test_release.py runs it in a clone",
    "make release VERSION=1.4": "as make release VERSION=1.2",
    "make release": "as make release VERSION=1.2",
    "make bench": "minutes of builds and Lighthouse, needs node; bench/run.py",
    "make linkcheck": "requests every external link: needs the internet; tests/test_links.py checks internal links",
    "make lock": "re-resolves every pin against PyPI and rewrites constraints.txt",
    "make pdf": "a build plus headless Chromium (a minute); tests/test_print_kit.py",
    "make a11y": "browser tests, part of make test: tests/test_accessibility.py",
    "make notebooks": "starts a Jupyter kernel per notebook and rewrites the .ipynb; tests/snippets/test_notebooks",
    ".venv/bin/python -m handbook debrief CARD.json...": "needs exported scorecards; tests/test_debrief.py",
    ".venv/bin/python -m handbook diff BASE": "a placeholder; the same command runs here with the merge base",
    ".venv/bin/python -m handbook diff <base commit>": "a placeholder; the same command runs here with the merge base",
    ".venv/bin/python -m handbook notebooks --check": "runs each notebook in a kernel; tests/snippets/test_notebooks",
    "git switch main && git pull": "needs a remote to pull from: the release steps for a lead on main",
    "git push origin v1.2.0": "pushes a tag to GitHub",
    "git push origin v1.4.0": "pushes a tag to GitHub",
    "git clone . /tmp/handbook-release && cd /tmp/handbook-release": "the release try-out: tests/test_release.py",
    "make release VERSION=1.2 (in the clone)": "as make release VERSION=1.2",
    ".venv/bin/mike serve --branch gh-pages -a 127.0.0.1:8001": "serves until stopped, after a release",
    ".venv/bin/mike serve --branch interviewer-pages -a 127.0.0.1:8002": "serves until stopped, after a release",
    ".venv/bin/mike serve --branch gh-pages": "serves until stopped, after a release",
    "git tag -a v1.2.0": "tags main for a release: a lead's step; the workflow it starts is tests/test_workflows.py",
    "git tag -a v1.4.0": "as git tag -a v1.2.0",
    ".venv/bin/python -m handbook": "names the entry point in a table; its subcommands are listed here",
    "make check": "the unit tests with coverage (half a minute); they run in make test as tests/unit/",
    "make reference": "rewrites tests/fixtures/rendered/; tests/unit/site/test_reference.py compares with it",
    "make pdf KIT=prep": "as make pdf",
    ".venv/bin/python -m handbook build": "what make build runs, which runs here",
    ".venv/bin/pre-commit run --all-files --show-diff-on-failure": "every hook on every file: tests/test_hooks.py runs "
                                                                   "the configured hooks on a fresh copy",
}

# commands run here, in this order, with what their success looks like
RUN = {
    "make setup": "",
    "git switch -c part3-feature-store-latency": "Switched to a new branch",
    "make help": "validate",
    ".venv/bin/pre-commit install": "pre-commit installed",
    "make validate": "data/ is valid",
    "make schema": "",
    "make lint": "All checks passed!",
    ".venv/bin/python -m handbook validate": "data/ is valid",
    '.venv/bin/python -m handbook diff "$(git merge-base origin/main HEAD)"': "Candidate site: no change",
    "git tag --list 'v*' --sort=-v:refname | head -n 1": "",
    "make serve PORT=8001": None,  # run with a taken port below: it must name PORT before building anything
    "make build": "built ",
}


def commands() -> list[str]:
    """Each command the two documents give, normalised as listed above."""
    found: list[str] = []
    for name in DOCS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for block in re.findall(r"^ *```(?:bash|sh)\n(.*?)^ *```", text, re.DOTALL | re.MULTILINE):
            for line in block.splitlines():
                line = line.split("  #", 1)[0].strip()
                if line.startswith("git tag -a"):
                    line = " ".join(line.split()[:4])
                if line:
                    found.append(line)
        found += re.findall(r"`(make [a-z0-9-]+(?: [A-Z]+=[^`\s]+)?)`", text)
        found += re.findall(r"`(\.venv/bin/[^`]+|git (?:switch|tag|describe|clone)[^`]*)`", text)
    return list(dict.fromkeys(found))


def test_every_documented_command_is_run_here_or_skipped_with_a_reason():
    found = commands()
    assert "make validate" in found and ".venv/bin/pre-commit install" in found
    unclassified = [c for c in found if c not in RUN and c not in SKIPPED and not c.startswith("make release")]
    assert unclassified == [], "classify each new command in tests/test_docs_commands.py: run it, or say why not"


def test_one_way_to_run_the_package():
    """A fresh shell has no venv active: the documents write `.venv/bin/python -m handbook`, never bare `python`."""
    for name in DOCS:
        text = (ROOT / name).read_text(encoding="utf-8")
        assert re.findall(r"(?<![/\w])python3? -m handbook", text) == [], name


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    root = repo_copy(tmp_path_factory.mktemp("docs") / "repo")
    for name in ("pyproject.toml", "constraints.txt"):
        os.utime(root / name, (946684800, 946684800))  # older than the shared .venv's stamp: `make setup` is a no-op
    return root


def run(command: str, cwd) -> subprocess.CompletedProcess:
    env = mkdocs_env(ROOT)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, env=env, check=False,
                          timeout=600)


@pytest.mark.parametrize("command", [c for c in RUN if RUN[c] is not None])
def test_the_command_runs_as_written_on_a_fresh_clone(clone, command):
    assert command in commands(), f"{command!r} is no longer in the documents: drop it from RUN"
    result = run(command, clone)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert RUN[command] in result.stdout + result.stderr, result.stdout + result.stderr
    if command == "make schema":
        diff = run("git status --porcelain data/schemas", clone)
        assert diff.stdout == "", "make schema changed the committed schemas"


def test_make_serve_port_on_a_taken_port_names_port_before_building(clone):
    import socket

    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", 8001))
            taken.listen()
        except OSError:
            pass  # something on this machine holds 8001 already: busy all the same
        result = run("make serve PORT=8001", clone)
    assert result.returncode != 0
    assert "port 8001 is in use" in result.stderr and "PORT=8002" in result.stderr
    assert "Building documentation" not in result.stdout + result.stderr


# Each sentence of the documents saying a tool refuses something, and the test that proves it.
REFUSALS = {
    "The validator refuses unknown keys": "tests/unit/core/test_validate.py::test_broken_data_is_refused_with_exact_messages",
    "The validator refuses a fourth, a missing listen line": "tests/fixtures/negative/card-too-many-follow-ups.yml",
    "(the validator refuses a copy)": "tests/fixtures/negative/scale-public-copies-meaning.yml",
    "so a file whose hash differs is refused": "tests/test_lock.py::test_setup_refuses_a_file_the_lock_does_not_vouch_for",
    "`make build` refuses invalid data": "tests/test_sites.py::test_invalid_data_writes_no_site_and_says_where",
    "`make release` refuses a version": "tests/test_release.py::test_release_refuses_a_bad_version_or_uncommitted_data",
    "`make validate` refuses a data file without it": "tests/fixtures/negative/wrong-schema-header.yml",
    "version lower than the entry before it is refused": "tests/fixtures/negative/history-out-of-order.yml",
    "It refuses uncommitted changes": "tests/test_release.py::test_release_refuses_a_bad_version_or_uncommitted_data",
}


def test_every_claim_that_a_tool_refuses_something_names_its_test():
    sentences = []
    for name in DOCS:
        text = " ".join((ROOT / name).read_text(encoding="utf-8").split())
        sentences += [s for s in re.split(r"(?<=[.:])\s", text) if re.search(r"\brefuse[sd]?\b", s)]
    assert sentences
    for sentence in sentences:
        claim = [c for c in REFUSALS if c in sentence]
        assert claim, f"a refusal with no test in REFUSALS: {sentence!r}"
    for proof in REFUSALS.values():
        path, _, func = proof.partition("::")
        assert (ROOT / path).is_file(), proof
        if func:
            assert re.search(rf"^def {func}\(", (ROOT / path).read_text(encoding="utf-8"), re.MULTILINE), proof
