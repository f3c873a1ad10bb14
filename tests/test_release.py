"""`make release`: two releases in a temporary clone put each site on its own branch, versioned, with a working
version selector, and nothing of the interviewer handbook on gh-pages (the branch GitHub Pages publishes).

The clone is of this repository with the working tree's code, configs and pages committed on top, so the test
releases what a developer has in front of them. To keep four site builds fast it carries the small valid data set
of tests/fixtures/valid with its stand-in notebooks (the real data and notebooks are built by the session build in
tests/conftest.py). mike commits to branches of the clone only; nothing is pushed anywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.core.sites import SITES
from handbook.site.build import mkdocs_env, snapshot
from tests.browser import PageWatch, browser, serve
from tests.helpers import ROOT, candidate_site_text, copy_valid, hidden_strings, visible_text_of_field

MARKER = "This paragraph was added for release 1.1."
RUBRIC_CHANGE = 'history:\n  - {version: "1.1", change: changed, note: "Release test: anchors reworded for the 1.1 panel"}\n'
DATA = ("data", "snippets", "diagrams")  # replaced by the fixture data set
BRANCHES = {name: site.branch for name, site in SITES.items()}
BRANCHES_BEFORE: dict[Path, set[str]] = {}  # the clone's local branches before the first release


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def local_branches(repo: Path) -> set[str]:
    return set(git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads").split())


def release(repo: Path, version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "handbook.tools.release", version], cwd=repo, env=mkdocs_env(repo),
                          capture_output=True, text=True, check=False)


def clone_with_working_tree(dest: Path) -> Path:
    """`git clone` of this repository, plus a commit holding the working tree's files with the fixture data set."""
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    git(dest, "config", "user.name", "Release Test")
    git(dest, "config", "user.email", "release-test@example.com")
    snapshot(ROOT, dest, exclude=DATA)
    for name in DATA:
        shutil.rmtree(dest / name)
    copy_valid(dest / "fixture")
    for name in DATA:
        (dest / "fixture" / name).rename(dest / name)
    (dest / "fixture").rmdir()
    git(dest, "add", "--all")
    git(dest, "commit", "--quiet", "-m", "working tree under test, with the fixture data set")
    return dest


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A clone released as 1.0, then changed (a page paragraph, a rubric history entry) and released as 1.1."""
    repo = clone_with_working_tree(tmp_path_factory.mktemp("release") / "repo")
    BRANCHES_BEFORE[repo] = local_branches(repo)  # main locally; none in CI, whose checkout is a detached HEAD
    first = release(repo, "1.0")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    for page in ("docs/candidate/index.md", "docs/interviewer/index.md"):
        with (repo / page).open("a", encoding="utf-8") as f:
            f.write(f"\n{MARKER}\n")
    rubric = repo / "data" / "rubric.yml"
    rubric.write_text(rubric.read_text(encoding="utf-8") + RUBRIC_CHANGE, encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "1.1: a paragraph on each site, a rubric history entry")
    second = release(repo, "1.1")
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    return repo


def current_version(page) -> str:
    """The version the selector's button names (its first text node; the alias follows in a span)."""
    return page.eval_on_selector(".md-version__current", "e => e.firstChild.textContent.trim()")


def checkout(repo: Path, branch: str, dest: Path) -> Path:
    if not dest.exists():
        git(repo, "worktree", "add", "--quiet", "--detach", str(dest), branch)
    return dest


def test_each_site_is_on_its_own_branch_with_both_versions_latest_and_a_default(released):
    for site, branch in BRANCHES.items():
        top = set(git(released, "ls-tree", "--name-only", branch).split())
        assert top == {".nojekyll", "1.0", "1.1", "latest", "index.html", "versions.json"}, site
        versions = json.loads(git(released, "show", f"{branch}:versions.json"))
        assert versions == [{"version": "1.1", "title": "1.1", "aliases": ["latest"]},
                            {"version": "1.0", "title": "1.0", "aliases": []}], site
        assert "url=latest/" in git(released, "show", f"{branch}:index.html"), site
        # the selector is on in release builds: Material reads its settings from this script tag
        assert '"provider": "mike"' in git(released, "show", f"{branch}:1.0/index.html"), site
        assert MARKER in git(released, "show", f"{branch}:1.1/index.html")
        assert MARKER not in git(released, "show", f"{branch}:1.0/index.html")
    interviewer = set(git(released, "ls-tree", "--name-only", "interviewer-pages:1.1").split())
    assert {"questions", "parts", "exercises", "changes"} <= interviewer
    changes = git(released, "show", "interviewer-pages:1.1/changes/index.html")
    assert "Release test: anchors reworded for the 1.1 panel" in changes
    assert "Release test" not in git(released, "show", "interviewer-pages:1.0/changes/index.html")
    # mike wrote exactly these two branches; the checked-out branch still holds the sources, not a site
    assert local_branches(released) - BRANCHES_BEFORE[released] == set(BRANCHES.values())
    assert (released / "data" / "rubric.yml").is_file() and not (released / "versions.json").exists()


def test_gh_pages_never_held_interviewer_content(released, tmp_path):
    """Pushing gh-pages pushes its whole history: no commit of it may hold the interviewer handbook."""
    no_common = subprocess.run(["git", "merge-base", "gh-pages", "interviewer-pages"], cwd=released,
                               capture_output=True, check=False)
    assert no_common.returncode == 1, "gh-pages and interviewer-pages must share no history"
    paths = set(git(released, "log", "--format=", "--name-only", "gh-pages").split())
    assert not [p for p in paths if "/questions/" in p or "/parts/" in p or "/exercises/" in p or "/changes/" in p]

    site = checkout(released, "gh-pages", tmp_path / "gh-pages")
    texts = candidate_site_text(site)
    # the leak test's own definition of interviewer-only text (tests/test_sites.py), applied to every version
    needles = [n for n in (visible_text_of_field(s) for s in hidden_strings(released)) if len(n.split()) >= 3]
    assert len(needles) > 50
    everything = "\n".join(texts.values())
    leaks = [f"{name}: {n[:80]!r}" for n in needles if n in everything for name, text in texts.items() if n in text]
    assert leaks == []
    # the same search finds most of them on the interviewer branch, so the empty result above means something
    interviewer = candidate_site_text(checkout(released, "interviewer-pages", tmp_path / "interviewer-pages") / "1.1")
    everything = "\n".join(interviewer.values())
    assert sum(n in everything for n in needles) > len(needles) // 2


def test_release_refuses_a_bad_version_or_uncommitted_data(released):
    result = release(released, "1.4.0-rc1")
    assert result.returncode == 1
    assert result.stderr.strip() == ("release: VERSION must look like 1.4 or 1.4.2, got '1.4.0-rc1'; "
                                     "usage: make release VERSION=1.4")
    rubric = released / "data" / "rubric.yml"
    original = rubric.read_text(encoding="utf-8")
    before = {b: git(released, "rev-parse", b) for b in BRANCHES.values()}
    try:
        rubric.write_text(original + "  - {version: \"1.2\", change: changed, note: \"not committed\"}\n")
        result = release(released, "1.2")
        assert result.returncode == 1
        assert "uncommitted changes in data/rubric.yml: commit them first" in result.stderr
    finally:
        rubric.write_text(original, encoding="utf-8")
    override = released / "overrides" / "main.html"  # the theme of both sites: a release once shipped it uncommitted
    theme = override.read_text(encoding="utf-8")
    try:
        override.write_text(theme + "<!-- not committed -->\n", encoding="utf-8")
        result = release(released, "1.2")
        assert result.returncode == 1
        assert "uncommitted changes in overrides/main.html: commit them first" in result.stderr
    finally:
        override.write_text(theme, encoding="utf-8")
    assert {b: git(released, "rev-parse", b) for b in BRANCHES.values()} == before


def test_make_release_runs_the_release_module():
    dry = subprocess.run(["make", "-n", "release", "VERSION=1.4"], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    assert dry.returncode == 0, dry.stderr
    assert '-m handbook.tools.release "1.4"' in dry.stdout


@pytest.mark.browser
def test_version_selector_lists_both_versions_and_switches_between_them(released, tmp_path):
    problems: list[str] = []
    with browser() as b:
        for site, branch in BRANCHES.items():
            root = checkout(released, branch, tmp_path / branch)
            with serve(root) as base:
                watch = PageWatch(b.new_context())
                page = watch.page
                page.set_default_timeout(10_000)
                page.goto(f"{base}/", wait_until="load")
                page.wait_for_url(f"{base}/latest/", timeout=10_000)  # the default redirect
                page.wait_for_selector(".md-version__list .md-version__link", state="attached", timeout=10_000)
                listed = page.eval_on_selector_all(".md-version__link", "els => els.map(e => e.href)")
                assert sorted(listed) == [f"{base}/1.0/", f"{base}/1.1/"], site
                assert current_version(page) == "1.1", site
                assert MARKER in page.inner_text("article")

                page.hover(".md-version")  # opens the list, as a reader would
                page.click(f'.md-version__link[href="{base}/1.0/"]')
                page.wait_for_url(f"{base}/1.0/", timeout=10_000)
                page.wait_for_selector(".md-version__current", timeout=10_000)
                assert current_version(page) == "1.0", site
                assert MARKER not in page.inner_text("article"), f"{site}: /1.0/ shows the 1.1 build"

                page.hover(".md-version")  # opens the list, as a reader would
                page.click(f'.md-version__link[href="{base}/1.1/"]')
                page.wait_for_url(f"{base}/1.1/", timeout=10_000)
                page.wait_for_selector(".md-version__current", timeout=10_000)
                assert MARKER in page.inner_text("article")
                if watch.errors:
                    problems.append(f"{site}: console errors {watch.errors}")
                if watch.foreign:
                    problems.append(f"{site}: requests off 127.0.0.1 {watch.foreign}")
    assert problems == []
