"""handbook/core/cards.py: what goes on each cue card, read from the data alone (tests/test_room.py counts the words
on the built page)."""

from __future__ import annotations

import itertools

import pytest

from handbook.core import cards
from handbook.core.validate import load_all
from tests.helpers import ROOT, VALID


@pytest.mark.parametrize(("cue", "span"), [
    ("0:03-0:07 the sketch", (3, 7)),
    ("0:10 hand over", (10, None)),
    ("0:06–0:09 en dash", (6, 9)),
    ("1:05 past the hour", (65, None)),
    ("at 0:03 the sketch", None),
    ("0:7 one digit", None),
])
def test_a_time_cue_starts_with_its_minute(cue, span):
    assert cards.cue_span(cue) == span


def test_the_words_read_aloud_are_the_first_quoted_passage():
    assert cards.said('Say: "Design a pipeline." Then "what else?"') == "Design a pipeline."
    assert cards.said("No quotes at all") is None


def test_cards_run_in_interview_order_with_their_start_minutes():
    data = load_all(VALID)
    made = cards.cards(data.interview, data.rubric, data.questions_of)
    assert [c.id for c in made] == ["opening", *(p.id for p in data.interview.parts), "closing"]
    assert made[0].start == 0 and all(a.end == b.start for a, b in itertools.pairwise(made))
    assert made[-1].end == data.interview.slot_minutes


def test_a_part_card_holds_only_what_the_data_marks_for_it():
    data = load_all(ROOT)
    for card in cards.cards(data.interview, data.rubric, data.questions_of):
        if card.kind != "part":
            continue
        assert all(q.question.card and q.question.status == "active" and q.say for q in card.questions)
        assert all(m.follow_up.card and m.follow_up.card_listen_for for m in card.must_ask)
        assert len(card.must_ask) <= cards.MAX_FOLLOW_UPS
        expected = {a.id: a.expected for a in data.rubric.areas}
        assert [(b.area.id, b.mid, b.senior) for b in card.bars] == \
            [(i, expected[i].mid, expected[i].senior) for i in card.item.rubric_areas]


def test_also_lists_only_seed_questions_the_plan_can_run():
    data = load_all(ROOT)
    made = {c.id: c for c in cards.cards(data.interview, data.rubric, data.questions_of)}
    for card in made.values():
        assert all(q.run in ("default", "swap") and q.seed and not q.card for q in card.others), card.id
    # Part 4's 10-minute shell challenge is a seed question outside the plan: prep pages only, not "Also:"
    outside = [q for q in data.questions_of("part4") if q.seed and q.status == "active" and not q.run]
    assert outside and not {q.id for q in outside} & {q.id for q in made["part4"].others}
    # Part 3's swaps stay listed: its time cue sends the interviewer to them
    assert {q.id for q in made["part3"].others} == \
        {q.id for q in data.questions_of("part3") if q.status == "active" and q.run == "swap" and q.seed}
