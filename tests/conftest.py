"""Shared fixtures: both sites built once per run, shared by every pytest-xdist worker.

Under xdist the controller starts that build in the background as the session begins, so the workers run the tests
that need no site (snippets, validator, notebooks) meanwhile instead of waiting for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from filelock import FileLock

from handbook.site.build import mkdocs_env
from tests.helpers import ROOT, run_handbook

BACKGROUND = "HANDBOOK_TEST_SITES"  # folder of the background build, passed to the workers through the environment


def may_need_sites(args: list[str]) -> bool:
    """Whether the selected tests could use `built_sites`: not when they are all unit tests (`make check`) or files
    that never name the fixture."""
    for arg in args:
        path = (ROOT / arg.split("::")[0]).resolve() if not Path(arg).is_absolute() else Path(arg.split("::")[0])
        if path.is_relative_to(ROOT / "tests" / "unit"):
            continue
        if path.is_file() and "built_sites" not in path.read_text(encoding="utf-8"):
            continue
        return True
    return False


def pytest_configure(config):
    workers = getattr(config.option, "numprocesses", None)
    if os.environ.get("PYTEST_XDIST_WORKER") or not workers or os.environ.get(BACKGROUND):
        return
    if not may_need_sites(config.args):
        return
    out = Path(tempfile.mkdtemp(prefix="handbook-test-sites-"))
    record_exit_code = "import subprocess, sys, pathlib; pathlib.Path(sys.argv[1]).write_text(str(subprocess.call(sys.argv[2:])))"
    with open(out / "build.log", "w") as log:  # the child keeps its own handle
        config._handbook_build = subprocess.Popen([sys.executable, "-c", record_exit_code, str(out / "rc"),
                          sys.executable, "-m", "handbook", "--root", str(ROOT), "build", "--out", str(out / "site")],
                         cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=mkdocs_env(ROOT))
    os.environ[BACKGROUND] = str(out)


def pytest_unconfigure(config):
    process = getattr(config, "_handbook_build", None)
    if process is not None:
        if process.poll() is None:
            process.kill()
        process.wait()
        shutil.rmtree(os.environ.pop(BACKGROUND), ignore_errors=True)


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory) -> Path:
    """Both sites of this repository, built with --strict exactly as `make build` does (once, whatever the workers)."""
    if os.environ.get(BACKGROUND):
        out = Path(os.environ[BACKGROUND])
        deadline = time.monotonic() + 900
        while not (out / "rc").exists():
            assert time.monotonic() < deadline, "the background site build did not finish"
            time.sleep(0.5)
        log = (out / "build.log").read_text()
        assert (out / "rc").read_text() == "0", f"make build failed:\n{log}"
        return out / "site"
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # all workers share one build
    out = shared / "built-sites"
    with FileLock(str(shared / "built-sites.lock")):
        if not (shared / "built-sites.complete").exists():
            result = run_handbook("build", "--out", str(out))
            assert result.returncode == 0, f"make build failed:\n{result.stdout}\n{result.stderr}"
            (shared / "built-sites.complete").touch()
    return out


# Scheduling for `pytest -n 2 --dist loadscope --no-loadscope-reorder`: each module (or test class) goes whole to
# one worker, in this order, so the longest ones start first and short ones fill the gaps at the end (left to
# xdist's default, modules with the most tests go first and the release test, a few tests taking a minute, ran last
# on one worker while the other sat idle). The first two need no site build: it is still running in the background.
LONGEST_FIRST = [  # measured on an idle machine, 2026-12-01 (pytest --durations=0, summed per module)
    "tests/test_release.py", "tests/test_hostile.py", "tests/test_browser.py", "tests/test_scorecard.py",
    "tests/unit/core/test_validate.py", "tests/test_print_kit.py", "tests/test_serve.py", "tests/test_sites.py",
    "tests/unit/tools/test_debrief.py", "tests/test_reproducible.py", "tests/test_room_browser.py",
    "tests/test_accessibility.py", "tests/test_docs_commands.py", "tests/test_candidate_guide.py",
    "tests/test_search.py", "tests/test_hooks.py", "tests/snippets/test_notebooks/", "tests/test_links.py",
    "tests/test_serve_cache.py", "tests/test_properties.py",
]


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
                    len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: within a module, tests keep their order
    # Coverage measures snippets/ through tests/snippets/ and the package through its unit tests, tests/unit/
    # (pyproject.toml: [tool.coverage.run]). Its tracer, on Python 3.11, slows every line it sees by about 85%, so it
    # is paused (pytest-cov's no_cover marker) while the site builds, browser and hypothesis tests run: they run the
    # package end to end, in other processes mostly, and the unit tests are what must cover it line by line.
    for item in items:
        if item.nodeid.startswith("tests/") and not item.nodeid.startswith(MEASURED):
            item.add_marker(pytest.mark.no_cover)


MEASURED = ("tests/snippets/", "tests/unit/")
