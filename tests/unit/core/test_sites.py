"""handbook/core/sites.py: the one list of sites agrees with the MkDocs configs it names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handbook.core.model import CANDIDATE, INTERVIEWER
from handbook.core.sites import (
    CANDIDATE_SITE,
    DATA_SOURCES,
    INTERVIEWER_SITE,
    NOTEBOOK_DIR,
    NOTEBOOKS,
    SITES,
    all_sources,
    source_of,
)
from tests.helpers import ROOT


class _AnyTag(yaml.SafeLoader):
    """mkdocs.yml's !ENV and !!python/name tags read as plain values: only the plain keys matter here."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def resolved(name: str) -> tuple[dict, list[str]]:
    """A config with what it INHERITs merged in (top-level keys, as MkDocs does for these), and the files read."""
    cfg = yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_AnyTag)
    files = [name]
    if "INHERIT" in cfg:
        parent, more = resolved(cfg.pop("INHERIT"))
        cfg, files = {**parent, **cfg}, files + more
    return cfg, files


def config(site) -> dict:
    return resolved(site.config)[0]


def paths_the_config_reads(site) -> set[str]:
    """Every config file read, the docs folder (and what its symlinks point at) and the theme overrides."""
    cfg, files = resolved(site.config)
    docs = ROOT / cfg["docs_dir"]
    linked = {p.resolve().relative_to(ROOT).as_posix() for p in docs.iterdir() if p.is_symlink()}
    return {*files, cfg["docs_dir"], *linked, cfg["theme"]["custom_dir"]}


@pytest.mark.parametrize("site", SITES.values(), ids=SITES)
def test_each_site_matches_its_config_file(site):
    cfg = config(site)
    assert cfg["site_dir"] == site.output
    assert cfg["extra"]["handbook"]["audience"] == site.audience
    assert set(site.pages) == paths_the_config_reads(site)


def test_the_candidate_site_changes_with_the_config_it_inherits():
    assert resolved(CANDIDATE_SITE.config)[1] == ["mkdocs.candidate.yml", "mkdocs.yml"]
    assert "mkdocs.yml" in CANDIDATE_SITE.pages and "overrides" in CANDIDATE_SITE.pages


def test_sites_audiences_and_branches():
    assert (INTERVIEWER_SITE.audience, CANDIDATE_SITE.audience) == (INTERVIEWER, CANDIDATE)
    assert CANDIDATE_SITE.branch == "gh-pages"
    assert INTERVIEWER_SITE.branch not in ("gh-pages", "main", "master")  # never a branch GitHub Pages could serve
    assert list(SITES) == ["interviewer", "candidate"]


def test_every_source_exists_and_a_release_needs_each_once():
    sources = all_sources()
    assert len(sources) == len(set(sources))
    assert {*DATA_SOURCES, "handbook", "overrides", "mkdocs.yml", "mkdocs.candidate.yml"} <= set(sources)
    for path in sources:
        assert (ROOT / path).exists(), path
    for site in SITES.values():
        assert set(site.sources) <= set(sources)


def test_notebooks_are_listed_by_their_ipynb_beside_the_py_a_contributor_edits():
    assert source_of("snippets/notebooks/x.ipynb") == "snippets/notebooks/x.py"
    for nb in NOTEBOOKS:
        assert (ROOT / NOTEBOOK_DIR / source_of(nb)).is_file(), nb
        assert Path(nb).suffix == ".ipynb"
