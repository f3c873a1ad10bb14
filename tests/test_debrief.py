"""`python -m handbook debrief`: a panel's scorecards, exported by the real scorecard page, combined by the fixed
rule; disagreements of 2+ points flagged; bad or mismatched cards refused with the file named."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from handbook.core import scoring
from handbook.core.validate import load_all
from tests import scorecard_page as card
from tests.browser import PageWatch, browser, serve
from tests.helpers import ROOT, call_handbook, run_handbook

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rubric():
    return load_all(ROOT).rubric


def panel_scores(rubric) -> dict[str, dict[str, int]]:
    """Three interviewers: two agree, the third is 2 points below on the heaviest area and 1 above elsewhere."""
    ids = [a.id for a in rubric.areas]
    heavy = max(rubric.areas, key=lambda a: a.weight).id
    alice = dict.fromkeys(ids, 3)
    bob = {i: 3 if i == heavy else 2 for i in ids}
    carol = {i: 1 if i == heavy else 3 for i in ids}
    return {"Alice Chen": alice, "Bob Okafor": bob, "Carol Diaz": carol}


@pytest.fixture(scope="module")
def exported(built_sites, rubric, tmp_path_factory):
    """The panel's cards, filled in and downloaded from the real scorecard page."""
    dest = tmp_path_factory.mktemp("cards")
    with serve(built_sites / "interviewer") as base, browser() as b:
        for name, scores in panel_scores(rubric).items():
            context = b.new_context(accept_downloads=True)
            watch = PageWatch(context)
            watch.page.goto(f"{base}/{card.URL}")
            notes = {a.id: f"{name.split()[0]} on {a.title}: evidence | with a pipe" for a in rubric.areas}
            card.fill(watch.page, scores, candidate="Sam Rivera", interviewer=name, notes=notes, date="2026-03-02")
            card.download_json(watch.page, dest)
            assert watch.errors == [] and watch.foreign == []
            context.close()
    return sorted(dest.glob("*.json"))


def debrief(*paths):
    return call_handbook("debrief", *map(str, paths))


def test_the_debrief_command_line_works(exported):
    """The real `python -m handbook debrief` (the other tests call the same entry point in-process)."""
    result = run_handbook("debrief", *map(str, exported))
    assert result.returncode == 0, result.stderr
    assert result.stdout == debrief(*exported).stdout and result.stdout.startswith("# ")


def test_debrief_combines_the_panel_by_the_fixed_rule(exported, rubric):
    assert len(exported) == 3
    result = debrief(*exported)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    cards = [json.loads(p.read_text()) for p in exported]
    panel = scoring.panel(rubric, [c["scores"] for c in cards])
    mean_of_cards = sum(Fraction(str(c["weighted_score"])) for c in cards) / len(cards)
    assert panel.weighted == mean_of_cards  # the rubric's formula: the mean of the interviewers' weighted scores
    assert f"Panel score **{panel.display}** (the mean of the 3 weighted scores) → **{panel.outcome}**." in out
    assert out.startswith("# Debrief: Sam Rivera\n")
    for c in cards:
        assert c["interviewer"] in out
    for a in rubric.areas:  # each area's scores side by side, in the cards' order
        row = next(line for line in out.splitlines() if line.startswith(f"| {a.title} |"))
        assert " | ".join(str(c["scores"][a.id]) for c in cards) in row


def test_debrief_flags_areas_two_or_more_points_apart(exported, rubric):
    out = debrief(*exported).stdout
    discuss = out.split("## Discuss first", 1)[1]
    cards = [json.loads(p.read_text()) for p in exported]
    for a in rubric.areas:
        scores = [c["scores"][a.id] for c in cards]
        flagged = f"### {a.title}:" in discuss
        assert flagged == (max(scores) - min(scores) >= 2), a.id
    heavy = max(rubric.areas, key=lambda a: a.weight)
    assert "Carol on " + heavy.title + r": evidence \| with a pipe" in discuss  # the notes come along, table-safe


def test_one_card_alone_gives_that_cards_result(exported, rubric):
    c = json.loads(exported[0].read_text())
    out = debrief(exported[0]).stdout
    assert f"→ **{c['recommendation']}**" in out
    assert "No area differs by 2 or more points" in out


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def refused(*paths) -> str:
    result = debrief(*paths)
    assert result.returncode == 1 and result.stdout == ""
    return result.stderr


def test_bad_cards_are_refused_naming_the_file(exported, rubric, tmp_path):
    good = json.loads(exported[0].read_text())
    first = rubric.areas[0].id
    cases = {
        "old-rubric.json": ({**good, "rubric_version": rubric.version + 1}, "rubric version"),
        "missing-area.json": ({**good, "scores": {k: v for k, v in good["scores"].items() if k != first}},
                              f"no score for rubric area {first!r}"),
        "out-of-range.json": ({**good, "scores": {**good["scores"], first: 5}}, f"score for {first!r} must be"),
        "not-a-number.json": ({**good, "scores": {**good["scores"], first: "3"}}, f"score for {first!r} must be"),
        "unknown-area.json": ({**good, "scores": {**good["scores"], "vibes": 4}}, "unknown rubric area 'vibes'"),
        "edited.json": ({**good, "recommendation": "Strong hire" if good["recommendation"] != "Strong hire"
                         else "Hire"}, "edited after export"),
        "not-json.json": ("{scores: 3", "not valid JSON"),
        "a-list.json": ([good], "expected a JSON object"),
        "no-scores.json": ({k: v for k, v in good.items() if k != "scores"}, "missing scores"),
    }
    for name, (data, message) in cases.items():
        err = refused(write(tmp_path, name, data))
        line = next((ln for ln in err.splitlines() if ln.startswith(str(tmp_path / name) + ":")), "")
        assert message in line, (name, err)


def test_every_bad_card_is_reported_at_once(exported, rubric, tmp_path):
    good = json.loads(exported[0].read_text())
    a = write(tmp_path, "a.json", {**good, "rubric_version": 0})
    b = write(tmp_path, "b.json", "[]")
    err = refused(exported[1], a, b)
    assert str(a) in err and str(b) in err and str(exported[1]) not in err


def test_cards_for_different_candidates_are_not_combined(exported, tmp_path):
    other = {**json.loads(exported[1].read_text()), "candidate": "Someone Else"}
    path = write(tmp_path, "other.json", other)
    err = refused(exported[0], path)
    assert str(path) in err and "Someone Else" in err


def test_the_same_card_twice_is_refused(exported):
    assert "given twice" in refused(exported[0], exported[0])
