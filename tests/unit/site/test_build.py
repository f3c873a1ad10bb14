"""handbook/site/build.py on tiny MkDocs projects (not the handbook's sites): atomic swap, the build environment,
the build date and the working-tree snapshot."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from handbook.core.sites import SITES
from handbook.site import build
from tests.helpers import ROOT, VALID

CONFIG = "site_name: {name}\ndocs_dir: docs-{name}\nstrict: true\ntheme: {{name: mkdocs}}\nnav: [{page}]\n"


def project(root: Path, broken: str | None = None) -> Path:
    """One tiny plain-MkDocs site per entry of SITES, under the configs SITES names; `broken` links a missing page.
    The valid fixture's data/, which the build checks once before the sites are written."""
    for name in ("data", "snippets", "diagrams"):
        shutil.copytree(VALID / name, root / name)
    shutil.copytree(ROOT / "data" / "schemas", root / "data" / "schemas", dirs_exist_ok=True)
    for name, site in SITES.items():
        (root / f"docs-{name}").mkdir(parents=True, exist_ok=True)
        (root / f"docs-{name}" / "index.md").write_text(f"# {name} home\n", encoding="utf-8")
        page = "missing.md" if name == broken else "index.md"
        (root / site.config).write_text(CONFIG.format(name=name, page=page), encoding="utf-8")
    return root


def test_both_sites_are_built_and_swapped_in(tmp_path, capsys):
    root = project(tmp_path / "repo")
    out = tmp_path / "out"
    assert build.build(root, out, list(SITES)) == 0
    assert capsys.readouterr().out.splitlines() == [f"built {out / name}" for name in SITES]
    for name in SITES:
        assert f"{name} home" in (out / name / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == sorted(SITES)  # no staging folder is left behind
    assert build.build(root, out, ["candidate"]) == 0  # a rebuild replaces the old site


def test_a_failing_site_leaves_every_site_as_it_was(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "interviewer").mkdir(parents=True)
    (out / "interviewer" / "old.txt").write_text("before", encoding="utf-8")
    root = project(tmp_path / "repo", broken="candidate")
    assert build.build(root, out, list(SITES)) == 1
    err = capsys.readouterr().err
    assert f"candidate site: build failed; {out / 'candidate'} was left as it was" in err
    assert f"interviewer site: built, but not swapped in while another site fails; {out / 'interviewer'}" in err
    assert "missing.md" in err  # MkDocs' own reason, not an INFO line
    assert (out / "interviewer" / "old.txt").read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in out.iterdir()) == ["interviewer"]


def git(root: Path, *args: str, env: dict | None = None) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_the_build_date_is_the_last_commit_or_a_fixed_date_never_the_clock(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build.source_date_epoch(tmp_path) == build.FALLBACK_EPOCH
    git(tmp_path, "init", "-q")
    assert build.source_date_epoch(tmp_path) == build.FALLBACK_EPOCH  # no commit yet
    (tmp_path / "f").write_text("x")
    date = "@1780000000 +0000"
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@e.org", GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    git(tmp_path, "add", "f")
    git(tmp_path, "commit", "-qm", "x", env=env)
    assert build.source_date_epoch(tmp_path) == "1780000000"
    env = build.mkdocs_env(tmp_path, HANDBOOK_VERSION_PROVIDER="mike")
    assert env["SOURCE_DATE_EPOCH"] == "1780000000" and env["NO_MKDOCS_2_WARNING"] == "1"
    assert env["HANDBOOK_VERSION_PROVIDER"] == "mike" and env["PATH"] == os.environ["PATH"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "5")
    assert build.mkdocs_env(tmp_path)["SOURCE_DATE_EPOCH"] == "5"  # a caller's date wins


def test_the_snapshot_copies_what_git_would_commit(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    git(src, "init", "-q")
    (src / ".gitignore").write_text("ignored.txt\n")
    for rel in ("tracked.txt", "deleted.txt", "data/a.yml", "ignored.txt", "new/untracked.txt"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(rel)
    (src / "link").symlink_to("tracked.txt")
    git(src, "add", ".gitignore", "tracked.txt", "deleted.txt", "data/a.yml", "link")
    (src / "deleted.txt").unlink()
    (src / "tracked.txt").write_text("edited, not committed")
    assert sorted(build.working_tree_files(src)) == [".gitignore", "data/a.yml", "link", "new/untracked.txt",
                                                     "tracked.txt"]
    dest = tmp_path / "dest"
    (dest / "tracked.txt").parent.mkdir(parents=True)
    (dest / "tracked.txt").write_text("old")
    build.snapshot(src, dest, exclude=("data",))
    assert (dest / "tracked.txt").read_text() == "edited, not committed"
    assert (dest / "link").is_symlink() and os.readlink(dest / "link") == "tracked.txt"
    assert not (dest / "data").exists() and not (dest / "ignored.txt").exists()
    assert (dest / "new" / "untracked.txt").is_file()


def test_outside_git_there_is_no_snapshot(tmp_path):
    with pytest.raises(subprocess.CalledProcessError):
        build.working_tree_files(tmp_path)
