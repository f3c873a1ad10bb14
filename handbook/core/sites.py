"""The sites this repository builds, and the notebooks the interviewer site serves from outside docs/.

The one list of sites: `make build`, `make release`, `handbook diff`, `make linkcheck`, the bench and the tests read
it from here. Each site says where its pages, theme and configuration are (`pages`): a change under one of those
paths changes that site whatever data/ says. `sources` adds what every site is generated from (data, code).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import CANDIDATE, INTERVIEWER

# What both sites are generated from: the data, the code it quotes, the diagrams, and the package that renders them.
DATA_SOURCES = ("data", "snippets", "diagrams")
CODE_SOURCES = ("handbook",)
OUTPUT_DIR = "site"  # `make build` writes site/<name>/ for each site


@dataclass(frozen=True)
class Site:
    """One site: its name, MkDocs config, audience, the branch `make release` deploys it to, and its own files."""

    name: str
    config: str
    audience: str
    branch: str  # the interviewer's must never be gh-pages or any branch GitHub Pages could serve
    pages: tuple[str, ...]  # written pages, assets, theme overrides and every config file the site's config reads

    @property
    def output(self) -> str:
        """Where `make build` writes the site, relative to the repository root."""
        return f"{OUTPUT_DIR}/{self.name}"

    @property
    def sources(self) -> tuple[str, ...]:
        """Every path (relative to the repository root) whose change may change this site."""
        return (*DATA_SOURCES, *CODE_SOURCES, *self.pages)


INTERVIEWER_SITE = Site("interviewer", "mkdocs.yml", INTERVIEWER, "interviewer-pages",
                        ("docs/interviewer", "docs/assets", "overrides", "mkdocs.yml"))
# mkdocs.candidate.yml has `INHERIT: mkdocs.yml`: an edit to mkdocs.yml is an edit to the candidate site too.
CANDIDATE_SITE = Site("candidate", "mkdocs.candidate.yml", CANDIDATE, "gh-pages",
                      ("docs/candidate", "docs/assets", "overrides", "mkdocs.yml", "mkdocs.candidate.yml"))
SITES: dict[str, Site] = {s.name: s for s in (INTERVIEWER_SITE, CANDIDATE_SITE)}


def all_sources() -> tuple[str, ...]:
    """The paths any site is built from, each once, in a stable order (what a release must have committed)."""
    return tuple(dict.fromkeys(path for site in SITES.values() for path in site.sources))


# Notebooks live in snippets/notebooks/ and appear at notebooks/<name>/ on the site. Each is a jupytext percent .py
# (the file you edit) and, beside it, the .ipynb with its executed outputs that `make notebooks` writes from it and
# the site renders (handbook/tools/notebooks.py). Listed here by their .ipynb.
NOTEBOOK_DIR = "snippets"
NOTEBOOKS = ["notebooks/drift_detection.ipynb", "notebooks/ab_test_sizing.ipynb"]


def source_of(notebook: str) -> str:
    """snippets/notebooks/x.ipynb -> snippets/notebooks/x.py, the file a contributor edits."""
    return str(Path(notebook).with_suffix(".py"))
