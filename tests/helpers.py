"""Test helpers: the repository root, running the CLI, copies of the valid fixture data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid"


QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1"}  # silences Material's end-of-life banner


def run_handbook(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python -m handbook ...` as a user would, capturing its output."""
    env = {**os.environ, **QUIET_ENV}
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root, check=False,
                          env=env)


def call_handbook(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m handbook ...` in this process (same entry point, same output; no interpreter start-up), for tests
    that run the command many times. run_handbook remains the check that the real command line works."""
    import contextlib
    import io

    from handbook.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--root", str(root), *args])
        except SystemExit as exit_:  # argparse
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(["python", "-m", "handbook", *args], code, out.getvalue(), err.getvalue())


def copy_valid(dest: Path) -> Path:
    """A fresh copy of the small valid data set (data/, snippets/, diagrams/), with the real schemas."""
    shutil.copytree(VALID, dest)
    shutil.copytree(ROOT / "data" / "schemas", dest / "data" / "schemas")
    return dest


def site_root(dest: Path, data_from: Path) -> Path:
    """A buildable project in dest: real configs, docs and package, with data/snippets/diagrams from data_from."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "mkdocs.candidate.yml", "docs", "handbook", "overrides"):
        (dest / name).symlink_to(ROOT / name)
    for name in ("data", "snippets", "diagrams"):
        shutil.copytree(data_from / name, dest / name, symlinks=True)
    if not (dest / "data" / "schemas").exists():
        shutil.copytree(ROOT / "data" / "schemas", dest / "data" / "schemas")
    nb = dest / "snippets" / "notebooks"
    if not nb.exists():
        shutil.copytree(ROOT / "snippets" / "notebooks", nb)
    return dest


def repo_copy(dest: Path) -> Path:
    """This repository as a fresh clone would have it (tracked files, plus new ones not ignored), committed in a new
    git repository without tags, with this worktree's .venv. `origin/main` points at that commit."""
    listing = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    files = subprocess.run(listing, cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in (f.decode() for f in files if f):
        source = ROOT / name
        if source.is_symlink():  # e.g. docs/interviewer/assets -> ../assets, as git stores it
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).symlink_to(os.readlink(source))
        elif source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-qm", "copy", "--no-verify"], cwd=dest, check=True)
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=dest, check=True)
    return dest
