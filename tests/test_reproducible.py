"""Builds are reproducible and atomic.

A copy of this working tree is committed once (at a fixed date) and built twice from scratch, into two different
folders, with the notebook cache emptied in between: both sites must come out byte for byte the same, with every
timestamp taken from that commit, not the clock. Then the candidate site is broken while the interviewer site still
builds: `build` must fail and leave the site folder exactly as it was.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from handbook.build import source_date_epoch
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
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
        elif src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).symlink_to(os.readlink(src))
    date = f"@{COMMIT_TIME} +0000"
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    env.pop("SOURCE_DATE_EPOCH", None)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "snapshot"]):
        subprocess.run(cmd, cwd=dest, env=env, check=True, capture_output=True)
    return dest


@pytest.fixture(scope="module")
def two_builds(clone) -> tuple[Path, Path]:
    first, second = clone / "build-a", clone / "build-b"
    for out in (first, second):
        shutil.rmtree(clone / ".cache", ignore_errors=True)  # notebooks execute afresh each time
        result = run_handbook("build", "--out", out.name, root=clone)
        assert result.returncode == 0, result.stderr[-3000:]
    return first, second


def test_the_build_date_is_the_last_commits(clone):
    assert source_date_epoch(clone) == str(COMMIT_TIME)


def test_two_builds_of_one_commit_are_byte_identical(two_builds):
    first, second = two_builds
    a, b = files_of(first), files_of(second)
    assert any(k.startswith("interviewer/notebooks/") for k in a), "the notebooks were not built"
    assert len(a) > 100
    diff = differences(a, b)
    assert diff == [], "\n".join(diff[:10])


def test_timestamps_come_from_the_commit_not_the_clock(two_builds):
    first, _ = two_builds
    for site in ("interviewer", "candidate"):
        raw = (first / site / "sitemap.xml.gz").read_bytes()
        # the gzip header's modification time: the day of the commit (mkdocs dates pages by day), not today
        assert int.from_bytes(raw[4:8], "little") == COMMIT_TIME - COMMIT_TIME % 86_400
        assert gzip.decompress(raw) == (first / site / "sitemap.xml").read_bytes()


def test_a_failed_candidate_build_after_a_good_interviewer_build_leaves_the_site_untouched(clone, two_builds):
    first, _ = two_builds
    before = files_of(first)
    broken = clone / "docs" / "candidate" / "broken.md"
    broken.write_text("# Broken\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    try:
        result = run_handbook("build", "--out", first.name, root=clone)
    finally:
        broken.unlink()
    assert result.returncode == 1
    assert "missing.md" in result.stderr
    assert f"candidate site: build failed; {first / 'candidate'} was left as it was" in result.stderr
    assert "interviewer site: build failed" not in result.stderr  # the interviewer build itself succeeded...
    assert files_of(first) == before  # ...and still was not swapped in
    assert sorted(p.name for p in first.iterdir()) == ["candidate", "interviewer"]  # no staging folder left behind
