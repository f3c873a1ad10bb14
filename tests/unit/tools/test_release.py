"""handbook/tools/release.py without mike or a build: what `make release` refuses before it starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from handbook.core.sites import SITES, all_sources
from handbook.tools import release


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding one committed file under each path a release is built from, and a README."""
    root = tmp_path / "repo"
    for source in all_sources():
        path = root / source / "file.txt" if "." not in source else root / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("committed\n", encoding="utf-8")
    (root / "README.md").write_text("readme\n", encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "base")
    return root


def test_a_clean_tree_may_be_released_and_edits_outside_the_sources_do_not_count(repo):
    release.check(repo, "1.4")
    (repo / "README.md").write_text("edited\n", encoding="utf-8")
    release.check(repo, "1.4.2")


@pytest.mark.parametrize("path", ["overrides/main.html", "overrides/partials/search.html", "mkdocs.yml",
                                  "docs/assets/x.css", "data/rubric.yml", "handbook/new.py"])
def test_an_uncommitted_change_to_what_a_site_is_built_from_is_refused(repo, path):
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text("not committed\n", encoding="utf-8")
    with pytest.raises(release.ReleaseError) as err:
        release.check(repo, "1.4")
    assert str(err.value).startswith(f"uncommitted changes in {path.split('/')[0]}")  # git names a new folder
    assert str(err.value).endswith("commit them first, a release is built from a commit")


def test_make_release_refuses_an_uncommitted_theme_override(repo, monkeypatch, capsys):
    """The bug this module had: overrides/ was not among the sources, so its edits shipped uncommitted."""
    (repo / "overrides" / "file.txt").write_text("edited, not committed\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    assert release.main(["1.4"]) == 1
    assert capsys.readouterr().err.strip() == ("release: uncommitted changes in overrides/file.txt: commit them "
                                               "first, a release is built from a commit")


def test_many_uncommitted_files_are_summed_up(repo):
    for i in range(7):
        (repo / "data" / f"f{i}.yml").write_text("x\n", encoding="utf-8")
    with pytest.raises(release.ReleaseError, match=r"and 2 more: commit them first"):
        release.check(repo, "1.4")


@pytest.mark.parametrize("version", ["1", "v1.4", "1.4.0-rc1", "1.4.2.1", ""])
def test_a_version_that_is_not_major_minor_is_refused(repo, version):
    with pytest.raises(release.ReleaseError, match="VERSION must look like 1.4 or 1.4.2"):
        release.check(repo, version)


def test_outside_git_the_reason_is_one_line(tmp_path):
    with pytest.raises(release.ReleaseError, match="is not a git repository"):
        release.check(tmp_path, "1.4")


def test_usage_without_a_version(capsys):
    assert release.main([]) == 2
    assert "usage: python -m handbook.tools.release VERSION" in capsys.readouterr().err


def test_the_release_environment_switches_on_the_version_selector_and_uses_this_venv(repo):
    env = release.release_env(repo)
    assert env["HANDBOOK_VERSION_PROVIDER"] == "mike"
    assert env["NO_MKDOCS_2_WARNING"] == "1" and env["SOURCE_DATE_EPOCH"].isdigit()
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)


def test_redirect_detection_reads_the_branch_index(repo):
    assert not release.redirects_to(repo, SITES["candidate"].branch, release.ALIAS)
    git(repo, "checkout", "--quiet", "--orphan", "gh-pages")
    git(repo, "rm", "-rf", "--quiet", ".")
    (repo / "index.html").write_text('<meta http-equiv="refresh" content="0; url=latest/">', encoding="utf-8")
    git(repo, "add", "index.html")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "pages")
    assert release.redirects_to(repo, "gh-pages", "latest")


class FakeMike:
    """Stands in for subprocess.run in release.py: records mike's commands; git show answers as the branch would."""

    def __init__(self, fail: str | None = None, released: bool = False) -> None:
        self.commands: list[list[str]] = []
        self.fail, self.released = fail, released

    def __call__(self, cmd, **kwargs):
        if cmd[:2] == ["git", "show"]:
            body = '<meta http-equiv="refresh" content="0; url=latest/">' if self.released else ""
            return subprocess.CompletedProcess(cmd, 0 if self.released else 128, body, "")
        if Path(cmd[0]).name != "mike":  # git status, git log (the build date): nothing to report
            return subprocess.CompletedProcess(cmd, 0, "", "")
        self.commands.append([Path(cmd[0]).name, *cmd[1:]])
        failed = self.fail is not None and self.fail in cmd
        return subprocess.CompletedProcess(cmd, 1 if failed else 0, f"ran {cmd[1]}\n", "boom\n" if failed else "")


def test_a_first_release_deploys_each_site_to_its_branch_and_sets_the_default(repo, monkeypatch, capsys):
    mike = FakeMike()
    monkeypatch.setattr(release.subprocess, "run", mike)
    release.release(repo, "1.4")
    expected = []
    for name in sorted(SITES):
        site = SITES[name]
        expected += [["mike", "deploy", "--config-file", site.config, "--branch", site.branch, "--update-aliases",
                      "1.4", "latest"],
                     ["mike", "set-default", "--config-file", site.config, "--branch", site.branch, "latest"]]
    assert sorted(mike.commands) == sorted(expected)
    out = capsys.readouterr().out
    assert out.endswith("released 1.4: gh-pages (candidate site) and interviewer-pages (interviewer site), "
                        "not pushed\n")
    assert "candidate site 1.4 -> branch gh-pages" in out and "interviewer site 1.4 -> branch interviewer-pages" in out


def test_a_later_release_only_deploys(repo, monkeypatch, capsys):
    mike = FakeMike(released=True)
    monkeypatch.setattr(release.subprocess, "run", mike)
    release.release(repo, "1.5")
    assert sorted(c[1] for c in mike.commands) == ["deploy", "deploy"]


def test_a_failing_mike_names_the_command_and_the_branch(repo, monkeypatch, capsys):
    monkeypatch.setattr(release.subprocess, "run", FakeMike(fail="interviewer-pages"))
    with pytest.raises(release.ReleaseError) as err:
        release.release(repo, "1.4")
    assert str(err.value) == ("`mike deploy --config-file mkdocs.yml --branch interviewer-pages --update-aliases 1.4 "
                              "latest` failed (see above); branch interviewer-pages is as mike left it")
    assert "boom" in capsys.readouterr().out
