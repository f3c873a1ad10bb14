"""Test helpers: the repository root, running the CLI, copies of the valid fixture data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from handbook.site.build import mkdocs_env

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid"


def run_handbook(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python -m handbook ...` as a user would, capturing its output."""
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root, check=False, env=mkdocs_env(root))


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
