"""Cue cards: which fields of data/ go on the card of each segment and part (room page, room kit), and their rules.

A card holds no text of its own: the words to read aloud are the double-quoted passage of a question's `prompt`,
the must-ask follow-ups are those marked `card: true` (each with its one-line `card_listen_for`), the bars are the
rubric's expected scores and scale labels, and the time cues and cut rule are the part's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import FollowUp, Interview, Part, Question, Rubric, RubricArea, Segment

MAX_FOLLOW_UPS = 3  # must-ask follow-ups on one card
MAX_LISTEN_WORDS = 25  # one line
MAX_CARD_WORDS = 300  # the whole rendered card (tests/test_room.py counts them on the built page)

# A time cue starts with the minute of the part it begins at, h:mm, optionally a range: "0:03-0:07 the sketch".
CUE_CLOCK = re.compile(r"^(\d+):([0-5]\d)(?:\s*[-–]\s*(\d+):([0-5]\d))?(?=\s|$)")
SAID = re.compile(r'"([^"]+)"')  # the first double-quoted passage of a prompt: the words said aloud


def cue_span(cue: str) -> tuple[int, int | None] | None:
    """(start, end) minute of a time cue within its part ("0:03-0:07 ..." -> (3, 7)); None without a clock."""
    m = CUE_CLOCK.match(cue.strip())
    if not m:
        return None
    start = int(m.group(1)) * 60 + int(m.group(2))
    end = int(m.group(3)) * 60 + int(m.group(4)) if m.group(3) else None
    return start, end


def said(prompt: str) -> str | None:
    """The words of a prompt read aloud verbatim: its first double-quoted passage, without the quotes."""
    m = SAID.search(prompt)
    return m.group(1).strip() if m else None


@dataclass
class CardQuestion:
    question: Question
    say: str  # the words read aloud


@dataclass
class MustAsk:
    question: Question
    follow_up: FollowUp


@dataclass
class Bar:
    area: RubricArea
    mid: int
    mid_label: str
    senior: int
    senior_label: str


@dataclass
class Card:
    id: str  # "opening", "part1", ..., "closing"
    kind: str  # "segment" or "part"
    number: int | None  # the part's number, 1-based
    item: Part | Segment
    start: int  # minute of the interview it begins at
    questions: list[CardQuestion] = field(default_factory=list)  # whose prompt is read from the card
    must_ask: list[MustAsk] = field(default_factory=list)  # follow-ups marked card: true, in question order
    others: list[Question] = field(default_factory=list)  # the part's other seed questions in the plan (swaps)
    bars: list[Bar] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + self.item.minutes


def cards(interview: Interview, rubric: Rubric, questions_of) -> list[Card]:
    """The cards in interview order. `questions_of(part_id)` gives a part's questions (DataSet.questions_of)."""
    labels = {s.score: s.label for s in rubric.scale}
    areas = {a.id: a for a in rubric.areas}
    out, t = [], 0
    out.append(Card(interview.opening.id, "segment", None, interview.opening, t))
    t += interview.opening.minutes
    for n, part in enumerate(interview.parts, 1):
        active = [q for q in questions_of(part.id) if q.status == "active"]
        on_card = [CardQuestion(q, said(q.prompt) or "") for q in active if q.card]
        must_ask = [MustAsk(q, f) for q in active for f in q.follow_ups if f.card]
        # "Also:" lists only what can run in the slot (run: default or swap): a seed question outside the plan,
        # such as the 10-minute shell challenge, cannot fit its part and stays on the prep pages.
        others = [q for q in active if q.seed and not q.card and q.run]
        bars = [Bar(a, a.expected.mid, labels.get(a.expected.mid, ""), a.expected.senior,
                    labels.get(a.expected.senior, "")) for a in (areas[i] for i in part.rubric_areas if i in areas)]
        out.append(Card(part.id, "part", n, part, t, on_card, must_ask, others, bars))
        t += part.minutes
    out.append(Card(interview.closing.id, "segment", None, interview.closing, t))
    return out
