"""`python -m handbook debrief`: a panel's scorecards combined by the fixed rule; disagreements of 2+ points flagged;
"not asked" areas and follow-ups carried; bad or mismatched cards refused with the file named.

The cards are written as the scorecard exports them (scorecard_page.as_exported, which test_scorecard proves equal
to the page's download), so every check here runs without a browser; one test round-trips the real page's files."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from handbook.core import scoring
from handbook.core.scorecard import follow_ups
from handbook.core.validate import load_all
from tests import scorecard_page as card
from tests.helpers import ROOT, call_handbook, run_handbook


@pytest.fixture(scope="module")
def rubric():
    return load_all(ROOT).rubric


@pytest.fixture(scope="module")
def exported(rubric, tmp_path_factory):
    """The panel's cards, as the scorecard page exports them."""
    return card.export_panel(rubric, tmp_path_factory.mktemp("cards"))


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
    assert f"Panel score **{panel.display}** (the mean of the 3 weighted scores) → **{panel.label}**." in out
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
    level = f" at {c['level']} level" if c["level"] else ""
    assert f"→ **{c['recommendation']}{level}**" in out
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
                         else "Hire"}, "changed after export"),
        "edited-level.json": ({**good, "level": "senior"}, "changed after export"),
        "extra-key.json": ({**good, "overall_feeling": "great"}, "overall_feeling: Extra inputs are not permitted"),
        "bad-date.json": ({**good, "date": "2 March"}, "date: String should match pattern"),
        "bool-score.json": ({**good, "scores": {**good["scores"], first: True}}, f"score for {first!r} must be"),
        "unknown-follow-up.json": ({**good, "not_asked_follow_ups": ["no-such-question/1"]},
                                   "not_asked_follow_ups: unknown follow-up 'no-such-question/1'"),
        "malformed-follow-up.json": ({**good, "not_asked_follow_ups": ["data processor 2"]},
                                     "not_asked_follow_ups.0: String should match pattern"),
        "no-follow-up-list.json": ({k: v for k, v in good.items() if k != "not_asked_follow_ups"},
                                   "missing not_asked_follow_ups"),
        "score-as-text.json": ({**good, "weighted_score": "2.8"},
                               "weighted_score: Input should be a valid number (got \"2.8\"; see data/schemas/"),
        "note-not-text.json": ({**good, "notes": {first: 3}}, f"notes.{first}: Input should be a valid string"),
        "not-json.json": ("{scores: 3", "not valid JSON"),
        "a-list.json": ([good], "expected a JSON object"),
        "no-scores.json": ({k: v for k, v in good.items() if k != "scores"}, "missing scores"),
    }
    # one run over every bad card (each is checked on its own and named; loading data/ once keeps this quick)
    err = refused(*(write(tmp_path, name, data) for name, (data, _) in cases.items()))
    for name, (_, message) in cases.items():
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


# --- not asked ------------------------------------------------------------------------------------------


def test_an_area_not_asked_is_shown_as_such_and_left_out_of_the_panel(rubric, tmp_path):
    at_mid = {a.id: a.expected.mid for a in rubric.areas}
    ps = "problem_solving"
    a = write(tmp_path, "a.json", card.as_exported(rubric, {**at_mid, ps: "na"}, candidate="Sam", interviewer="Ann"))
    b = write(tmp_path, "b.json", card.as_exported(rubric, {**at_mid, ps: 4}, candidate="Sam", interviewer="Ben"))
    out = debrief(a, b).stdout
    row = next(line for line in out.splitlines() if line.startswith("| Problem Solving |"))
    assert row == "| Problem Solving | 10% | not asked | 4 | 4.00 | 0 |"  # the mean is over who asked it
    panel = scoring.panel(rubric, [{**at_mid, ps: "na"}, {**at_mid, ps: 4}])
    assert panel.display == "2.90" and panel.label == "Hire at mid level"
    assert "Panel score **2.90** (from each area's mean over the interviewers who assessed it" in out
    assert "| **Weighted score** | | 2.78 | 2.90 | **2.90** | |" in out

    c = write(tmp_path, "c.json", card.as_exported(rubric, {**at_mid, ps: "na"}, candidate="Sam", interviewer="Cy"))
    out = debrief(a, c).stdout
    assert "Not asked by anyone: Problem Solving. The rule used the 90% of the weight that was assessed." in out
    assert "| Problem Solving | 10% | not asked | not asked | not asked | — |" in out


def test_follow_ups_not_asked_are_listed_per_interviewer(rubric, tmp_path):
    known = follow_ups(load_all(ROOT).questions)
    fid = list(known)[3]
    at_mid = {a.id: a.expected.mid for a in rubric.areas}
    a = write(tmp_path, "a.json", card.as_exported(rubric, at_mid, candidate="Sam", interviewer="Ann",
                                                   not_asked_follow_ups=[fid]))
    out = debrief(a).stdout
    section = out.split("## Follow-ups not asked", 1)[1].split("##", 1)[0]
    assert f"- **Ann:** `{fid}` " in section and known[fid].split(":")[0] in section


def test_a_hand_written_card_is_accepted_only_when_it_is_consistent(rubric, tmp_path):
    """What running.md promises: the debrief refuses a card whose score, recommendation or level do not follow from
    its scores, or that breaks the export's schema. A card written by hand that is consistent is accepted (the
    export carries no signature)."""
    at_mid = {a.id: a.expected.mid for a in rubric.areas}
    by_hand = {"rubric_version": rubric.version, "candidate": "Sam", "interviewer": "Ann", "date": "",
               "scores": at_mid, "notes": {}, "not_asked_follow_ups": [], "weighted_score": 2.8,
               "recommendation": "Hire", "level": "mid"}
    assert debrief(write(tmp_path, "ok.json", by_hand)).returncode == 0
    err = refused(write(tmp_path, "raised.json", {**by_hand, "scores": {**at_mid, "python_oop": 4}}))
    assert "says weighted score 2.80 and 'Hire' at mid level, but its scores give 3.05 and 'Hire at mid level'" in err
    assert "changed after export" in err


def test_the_documented_example_card_fits_the_schema_and_is_debriefed(rubric, tmp_path):
    from jsonschema import Draft202012Validator

    page = (ROOT / "docs" / "interviewer" / "scorecard.md").read_text(encoding="utf-8")
    example = json.loads(page.split("## The exported file", 1)[1].split("```json\n", 1)[1].split("```", 1)[0])
    schema = json.loads((ROOT / "data" / "schemas" / "scorecard.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(example)) == []
    assert set(example) == set(schema["properties"]) == set(schema["required"])  # every field is documented
    result = debrief(write(tmp_path, "example.json", example))
    assert result.returncode == 0, result.stderr
    assert example == card.as_exported(rubric, example["scores"], candidate=example["candidate"],
                                       interviewer=example["interviewer"], notes=example["notes"],
                                       date=example["date"], not_asked_follow_ups=example["not_asked_follow_ups"])


# --- the veto on a panel ----------------------------------------------------------------------------------


def test_a_panel_veto_applies_on_the_area_mean_and_a_lone_one_is_flagged(rubric, tmp_path):
    """data/rubric.yml veto: a panel is vetoed when an area's mean is at or below `panel_mean_at_most` (1.5); one
    interviewer's 1 beside a 3 is not applied, and the debrief flags it to be re-scored before the result is read."""
    at_mid = {a.id: a.expected.mid for a in rubric.areas}
    aws = "aws_infrastructure"
    ann, ben, cy = (write(tmp_path, f"{who}.json", card.as_exported(rubric, {**at_mid, aws: score}, candidate="Sam",
                                                                    interviewer=who.title()))
                    for who, score in (("ann", 1), ("ben", 2), ("cy", 3)))
    both_low = debrief(ann, ben).stdout
    assert "→ **No hire**." in both_low
    assert ("The scores alone give Hire; the veto caps it at No hire because the panel's mean in "
            "AWS & Infrastructure is 1.50 or less.") in both_low
    assert "A veto on one card" not in both_low

    split = debrief(ann, cy).stdout
    assert "→ **Hire at mid level**." in split and "the veto caps it" not in split
    assert ("⚑ A veto on one card that the panel does not apply: AWS & Infrastructure (mean 2.00) got 1 on some "
            "card, but the panel veto needs an area's mean of 1.50 or less.") in split
    assert "| AWS & Infrastructure | 20% | 1 | 3 | 2.00 | **2** ⚑ |" in split  # and the 2-point spread


def test_an_area_the_veto_covers_asked_by_no_one_is_not_enough_evidence(rubric, tmp_path):
    at_mid = {a.id: a.expected.mid for a in rubric.areas}
    cards = [write(tmp_path, f"{who}.json", card.as_exported(rubric, {**at_mid, "ml_system_design": "na"},
                                                             candidate="Sam", interviewer=who)) for who in ("A", "B")]
    out = debrief(*cards).stdout
    assert "→ **Not enough evidence**." in out
    assert ("ML System Design: weighted 20% or more, under the veto, and asked by no one: Not enough evidence; "
            "schedule the follow-up.") in out
    assert "The rule used the 70% of the weight that was assessed." in out  # the 70% floor alone would pass it


def test_a_path_that_cannot_be_read_is_refused_naming_it(exported, tmp_path):
    folder = tmp_path / "cards"
    folder.mkdir()
    err = refused(exported[0], folder)
    assert f"{folder}: cannot read it: Is a directory" in err and "Traceback" not in err
