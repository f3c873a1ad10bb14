"""The rendered pages of the valid fixture, compared with the reference output committed in tests/fixtures/rendered/.

Each site's Markdown as the renderer hands it to MkDocs: the generated pages (parts, questions, exercises) and every
written page of docs/ with its markers filled. A change to a template, a filter or the renderer shows here as a diff
of plain Markdown. When the change is meant, regenerate the reference and review its diff before committing:

    make reference        # HANDBOOK_REGENERATE=1 .venv/bin/python -m pytest tests/unit/site/test_reference.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from handbook.core.sites import SITES
from handbook.core.validate import load_all
from handbook.core.view import view_of
from handbook.site.render import Renderer
from tests.helpers import ORG, ROOT, VALID

REFERENCE = ROOT / "tests" / "fixtures" / "rendered"
REGENERATE = os.environ.get("HANDBOOK_REGENERATE") == "1"


def rendered(site) -> dict[str, str]:
    """uri -> Markdown of every page of `site` rendered from the valid fixture (docs/ from this repository)."""
    renderer = Renderer(view_of(load_all(VALID), site.audience), org=ORG)
    pages = {page.uri: page.markdown for page in renderer.pages()}
    docs = ROOT / next(p for p in site.pages if p.startswith("docs/") and p != "docs/assets")
    for path in sorted(docs.rglob("*.md")):
        pages[path.relative_to(docs).as_posix()] = renderer.fill_markers(path.read_text(encoding="utf-8"))[0]
    return pages


def differences(pages: dict[str, str], folder: Path) -> list[str]:
    """Each page added, removed or changed against the reference in `folder`."""
    committed = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.md")}
    return ([f"{uri}: not in the reference" for uri in sorted(pages.keys() - committed.keys())]
            + [f"{uri}: no longer rendered" for uri in sorted(committed.keys() - pages.keys())]
            + [f"{uri}: differs" for uri in sorted(pages.keys() & committed.keys()) if pages[uri] != committed[uri]])


@pytest.mark.parametrize("site", SITES.values(), ids=SITES)
def test_the_rendered_pages_match_the_reference_output(site):
    pages = rendered(site)
    folder = REFERENCE / site.name
    if REGENERATE:
        for old in folder.rglob("*.md") if folder.exists() else []:
            old.unlink()
        for uri, markdown in pages.items():
            (folder / uri).parent.mkdir(parents=True, exist_ok=True)
            (folder / uri).write_text(markdown, encoding="utf-8")
    assert differences(pages, folder) == [], f"against {REFERENCE.relative_to(ROOT)}: if meant, run `make reference`"


def test_the_reference_output_is_what_a_reviewer_can_read():
    """The committed pages hold the fixture's content: a question page, its part, the candidate's view of the rubric."""
    interviewer, candidate = REFERENCE / "interviewer", REFERENCE / "candidate"
    assert (interviewer / "questions" / "demo-question-1.md").is_file()
    assert (interviewer / "parts" / "part1.md").is_file()
    assert not (candidate / "questions").exists()
    assert "## Areas and weights" in (candidate / "prepare.md").read_text(encoding="utf-8")
    assert not [p for p in REFERENCE.rglob("*") if p.is_file() and p.suffix != ".md"]


def test_a_changed_filter_shows_as_a_changed_page(monkeypatch):
    from handbook.site import render

    monkeypatch.setattr(render, "clock", lambda minutes: f"{minutes} min")  # the run sheet's times, say
    found = differences(rendered(SITES["interviewer"]), REFERENCE / "interviewer")
    assert "run-sheet.md: differs" in found and "index.md: differs" in found
    assert not [f for f in found if f.startswith("questions/")]  # pages that show no clock are untouched


