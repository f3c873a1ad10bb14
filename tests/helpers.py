"""Test helpers: the repository root, running the CLI, copies of the valid fixture data, the leak test's reading of
a built candidate site. Shared by test modules, which never import each other."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown

from handbook.core.model import interviewer_only_strings
from handbook.core.sites import CODE_SOURCES, DATA_SOURCES, SITES
from handbook.core.validate import load_all
from handbook.site.build import mkdocs_env
from handbook.site.render import safe_markdown

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
    own = {path.split("/")[0] for site in SITES.values() for path in site.pages}  # configs, docs/, overrides/
    for name in sorted(own | set(CODE_SOURCES)):
        (dest / name).symlink_to(ROOT / name)
    for name in DATA_SOURCES:
        shutil.copytree(data_from / name, dest / name, symlinks=True)
    if not (dest / "data" / "schemas").exists():
        shutil.copytree(ROOT / "data" / "schemas", dest / "data" / "schemas")
    nb = dest / "snippets" / "notebooks"
    if not nb.exists():
        shutil.copytree(ROOT / "snippets" / "notebooks", nb)
    return dest


# --- what a reader sees of a built site (the leak test, tests/test_sites.py and tests/test_release.py)

TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """What a reader sees of some HTML or Markdown-rendered text: tags stripped, entities decoded, spaces folded."""
    return " ".join(html.unescape(TAG.sub(" ", text)).split())


def visible_text_of_field(text: str) -> str:
    return plain(markdown.markdown(safe_markdown(text), extensions=["tables"]))


def candidate_site_text(site: Path) -> dict[str, str]:
    """Every file of the candidate site as readable text (HTML stripped; search index and sitemap included)."""
    out = {}
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix in {".png", ".ico", ".woff", ".woff2", ".svg", ".gz"}:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.name == "search_index.json":
            raw = " ".join(d["title"] + " " + d["text"] for d in json.loads(raw)["docs"])
        out[str(path.relative_to(site))] = plain(raw)
    return out


def hidden_strings(root: Path) -> list[str]:
    data = load_all(root)
    strings = []
    for obj in [data.interview, data.rubric, *data.questions, *data.exercises.values()]:
        strings += interviewer_only_strings(obj)
    return strings


# A complete extra.handbook.org (handbook/site/org.py) for renderers built outside MkDocs.
ORG = {"company": "Acme Robotics", "contact": "hiring@acme.test", "editor": "CoderPad", "whiteboard": "Excalidraw",
       "process": [{"step": "Recruiter call", "minutes": 30, "about": "Role and logistics."},
                   {"step": "Technical interview", "minutes": 60, "about": "This one.", "this": True}]}


def repo_copy(dest: Path) -> Path:
    """This repository as a fresh clone would have it (tracked files, plus new ones not ignored), committed in a new
    git repository without tags, with this worktree's .venv. `origin/main` points at that commit."""
    from handbook.site.build import working_tree_files  # the one working-tree snapshot

    for name in working_tree_files(ROOT):
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
