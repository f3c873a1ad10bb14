"""The "What changed" page: versions newest first (compared as numbers), each question's lifecycle, rubric changes."""

from __future__ import annotations

import re

from handbook.core.validate import load_all
from handbook.site.render import MARKER_SOURCES, Renderer
from tests.helpers import copy_valid

PAGE = "<!-- handbook:changes -->"


def add_history(path, *entries: str) -> None:
    text = path.read_text(encoding="utf-8")
    old = '      - {version: "1.0", change: added, note: "Fixture question"}\n'
    assert old in text
    path.write_text(text.replace(old, old + "".join(f"      - {e}\n" for e in entries)), encoding="utf-8")


def render(root, audience: str = "interviewer") -> str:
    markdown, source = Renderer(load_all(root), audience).fill_markers(PAGE)
    assert source == MARKER_SOURCES["changes"] == "data/questions"
    return markdown


def test_versions_are_listed_newest_first_as_numbers_with_each_questions_lifecycle(tmp_path):
    root = copy_valid(tmp_path / "repo")
    questions = root / "data" / "questions"
    add_history(questions / "part1.yml", '{version: "1.9", change: changed, note: "Follow-up on back-pressure added"}',
                '{version: "1.10", change: changed, note: "Prompt states the batch size"}')
    add_history(questions / "part2.yml", '{version: "1.2", change: leaked, note: "Prompt posted on a prep forum"}')
    part2 = questions / "part2.yml"
    part2.write_text(part2.read_text(encoding="utf-8").replace("status: active", "status: leaked"), encoding="utf-8")
    rubric = root / "data" / "rubric.yml"
    rubric.write_text(rubric.read_text(encoding="utf-8") +
                      'history:\n  - {version: "1.0", change: added, note: "Rubric v1"}\n'
                      '  - {version: "1.9", change: changed, note: "System design weight 30 -> 35"}\n', encoding="utf-8")

    page = render(root)
    headings = re.findall(r"^## Version (\S+)", page, re.MULTILINE)
    assert headings == ["1.10", "1.9", "1.2", "1.0"], "1.10 is newer than 1.9: versions sort as numbers"
    assert page.splitlines()[0] == ("Versions: [1.10](#version-1-10) · [1.9](#version-1-9) · [1.2](#version-1-2) · "
                                    "[1.0](#version-1-0)")
    assert "| [Demo question 1](questions/demo-question-1.md) | active | 1.0 | 1.10 | — |" in page
    assert "| [Demo question 2](questions/demo-question-2.md) | leaked | 1.0 | — | leaked in 1.2 |" in page
    v19 = page.split("## Version 1.9")[1].split("## Version")[0]
    assert "- *changed:* System design weight 30 -> 35" in v19
    assert "| [Demo question 1](questions/demo-question-1.md) | " in v19 and "Follow-up on back-pressure added" in v19
    assert v19.index("**Rubric**") < v19.index("**Questions**")
    v10 = page.split("## Version 1.0")[1]
    assert "- *added:* Rubric v1" in v10
    assert v10.count("| added | Fixture question |") == 4


def test_the_page_renders_nothing_for_candidates(tmp_path):
    assert render(copy_valid(tmp_path / "repo"), "candidate").strip() == ""
