"""The pages agree with the rubric's expectations table (data/rubric.yml `expected`): no "senior bar" describes more
than the senior column, and no text calls an expected score "below the bar". No browser, no site build."""

from __future__ import annotations

import re

import pytest

from handbook.core.model import CANDIDATE, INTERVIEWER
from handbook.core.validate import load_all
from handbook.site.render import Renderer
from tests.helpers import ROOT

BELOW_THE_BAR = re.compile(r"below\s+(the\s+|our\s+|a\s+)?(hire\s+|hiring\s+)?bar", re.IGNORECASE)
SENIOR_BAR = re.compile(r"senior[\s-]+(level\s+)?bar", re.IGNORECASE)
HEADER = re.compile(r"^\| (Mid-level bar \(expects (?P<mid>[^)]*)\) \| Senior bar \(expects (?P<senior>[^)]*)\)"
                    r"|Mid- and senior-level bar \(both expect (?P<both>[^)]*)\) \| Depth beyond the bar \(earns a 4; "
                    r"not required at senior\)) \|$", re.MULTILINE)
QUESTION_TEMPLATE = "handbook/site/templates/question_body.md.j2"


def sources():
    yield from sorted((ROOT / "data").rglob("*.yml"))
    yield from sorted((ROOT / "docs").rglob("*.md"))
    yield from sorted((ROOT / "handbook" / "site" / "templates").glob("*.j2"))


@pytest.fixture(scope="module")
def data():
    return load_all(ROOT)


def test_no_source_calls_a_score_below_the_bar_or_writes_its_own_senior_bar():
    """A 2 is what AWS & Infrastructure expects at mid: "below the bar" for 1-2 is wrong there. "Senior bar" is
    written only by the question template, whose heading states the senior column."""
    found = []
    for path in sources():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}: {m.group(0)!r}" for m in BELOW_THE_BAR.finditer(text)]
        if rel != QUESTION_TEMPLATE:
            found += [f"{rel}: {m.group(0)!r}" for m in SENIOR_BAR.finditer(text)]
    assert found == []


def test_each_question_page_states_the_expected_scores_of_its_areas(data):
    renderer = Renderer(data, INTERVIEWER)
    rendered = {q.id: renderer.render("question_body.md.j2", q=q, h="###", rel="") for q in data.questions}
    areas = {a.id: a for a in data.rubric.areas}
    for q in data.questions:
        (m,) = HEADER.finditer(rendered[q.id])  # exactly one level-bar table per question
        wanted = [areas[a] for a in q.rubric_areas]
        rises = any(a.expected.senior > a.expected.mid for a in wanted)
        mid = ", ".join(f"{a.title.replace('&', '&amp;')} {a.expected.mid}" for a in wanted)
        senior = ", ".join(f"{a.title.replace('&', '&amp;')} {a.expected.senior}" for a in wanted)
        if rises:
            assert (m["mid"], m["senior"]) == (mid, senior), q.id
        else:  # senior expects what mid expects: the second column is depth (a 4), never a "senior bar"
            assert m["both"] == mid and m["senior"] is None, q.id
    assert any(m is not None for m in (HEADER.search(t)["both"] for t in rendered.values())), \
        "no question where senior expects what mid expects: the depth heading is untested"


@pytest.mark.parametrize("audience", [INTERVIEWER, CANDIDATE])
def test_the_rubric_page_says_nothing_is_below_the_bar(data, audience):
    text = Renderer(data, audience).render("marker_rubric.md.j2")
    assert not BELOW_THE_BAR.search(text)
    assert not SENIOR_BAR.search(text)
    if audience == INTERVIEWER:
        assert "a 2 meets the mid expectation in AWS & Infrastructure" in text
        for a in data.rubric.areas:  # the areas table shows the expectations the question headings state
            row = next(line for line in text.splitlines()
                       if line.startswith(f"| {a.title.replace('&', '&amp;')} | {a.weight}% |"))
            assert row.endswith(f"| {a.expected.mid} | {a.expected.senior} |"), row
