"""Builds are reproducible and atomic.

A copy of this working tree (tracked and new files, as a fresh clone would have them, with no notebook cache) is
built from scratch and compared byte for byte with the session build of the repository itself: same commit, same
sites, whatever the clock or the output folder. The copy is committed at a fixed date to show
that the build date is read from git. Then the copy's candidate site is broken while its interviewer site still
builds: `build` must fail and leave the site folder exactly as it was.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.core.sites import SITES
from handbook.site.build import mkdocs_env, snapshot, source_date_epoch
from tests.helpers import ROOT, run_handbook

COMMIT_TIME = 1_780_000_000  # 2026-05-28T20:26:40Z: far from the clock and from the fallback date


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    out = [f"only in the first build: {k}" for k in sorted(a.keys() - b.keys())]
    out += [f"only in the second build: {k}" for k in sorted(b.keys() - a.keys())]
    for k in sorted(a.keys() & b.keys()):
        if a[k] != b[k]:
            i = next((i for i, (x, y) in enumerate(zip(a[k], b[k])) if x != y), min(len(a[k]), len(b[k])))
            out.append(f"{k} differs at byte {i}: {a[k][max(0, i - 60):i + 60]!r} vs {b[k][max(0, i - 60):i + 60]!r}")
    return out


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The working tree's files (tracked and new, not ignored) in a fresh git repository with one commit."""
    dest = tmp_path_factory.mktemp("clone") / "repo"
    snapshot(ROOT, dest)
    date = f"@{COMMIT_TIME} +0000"
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    env.pop("SOURCE_DATE_EPOCH", None)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "snapshot"]):
        subprocess.run(cmd, cwd=dest, env=env, check=True, capture_output=True)
    return dest


@pytest.fixture(scope="module")
def fresh_build(clone) -> Path:
    """The copy built once, dated like the session build (by the repository's last commit)."""
    env = mkdocs_env(clone, SOURCE_DATE_EPOCH=source_date_epoch(ROOT))
    result = subprocess.run([sys.executable, "-m", "handbook", "--root", str(clone), "build", "--out", "fresh"],
                            cwd=clone, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return clone / "fresh"


def test_the_build_date_is_read_from_the_last_commit(clone, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch(clone) == str(COMMIT_TIME)
    assert mkdocs_env(clone)["SOURCE_DATE_EPOCH"] == str(COMMIT_TIME)
    assert source_date_epoch(tmp_path) == "1767225600"  # no git at all: a fixed date, never the clock


def test_a_fresh_build_is_byte_identical_to_the_session_build(built_sites, fresh_build):
    """Same sources, another folder, another process: the same bytes, file for file."""
    for site in SITES:
        a, b = files_of(built_sites / site), files_of(fresh_build / site)
        assert len(a) > 50
        diff = differences(a, b)
        hint = "\n(only notebooks differ? a stale .cache/mkdocs-jupyter from older settings: `make clean`)" \
            if diff and all("notebooks/" in d or "search_index" in d for d in diff) else ""
        assert diff == [], f"{site}:\n" + "\n".join(diff[:10]) + hint
    assert any(k.startswith("notebooks/") for k in files_of(fresh_build / "interviewer")), "no notebooks built"


def test_timestamps_come_from_the_commit(built_sites):
    day = int(source_date_epoch(ROOT)) // 86_400 * 86_400  # mkdocs dates pages by the day
    for site in SITES:
        raw = (built_sites / site / "sitemap.xml.gz").read_bytes()
        assert int.from_bytes(raw[4:8], "little") == day  # the gzip header's modification time
        assert gzip.decompress(raw) == (built_sites / site / "sitemap.xml").read_bytes()


def test_a_failed_candidate_build_after_a_good_interviewer_build_leaves_the_site_untouched(clone, fresh_build):
    first = fresh_build
    before = files_of(first)
    page = clone / "docs" / "candidate" / "faq.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n<!-- handbook:no-such-table -->\n", encoding="utf-8")
    try:
        result = run_handbook("build", "--out", first.name, root=clone)
    finally:
        page.write_text(text, encoding="utf-8")
    assert result.returncode == 1
    assert "faq.md: unknown handbook marker 'no-such-table'" in result.stderr
    assert f"candidate site: build failed; {first / 'candidate'} was left as it was" in result.stderr
    assert "interviewer site: build failed" not in result.stderr  # the interviewer build itself succeeded...
    assert files_of(first) == before  # ...and still was not swapped in
    assert sorted(p.name for p in first.iterdir()) == ["candidate", "interviewer"]  # no staging folder left behind
