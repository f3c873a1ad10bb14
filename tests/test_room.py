"""Cue cards and the room page, read from the built interviewer site: one card per segment and part in interview
order, at most 300 words each, holding what the data marks for the card and nothing of the long prep material."""

from __future__ import annotations

import html
import re

import pytest
from bs4 import BeautifulSoup

from handbook.core import cards
from handbook.core.validate import load_all
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def data():
    return load_all(ROOT)


@pytest.fixture(scope="module")
def room(built_sites) -> BeautifulSoup:
    return BeautifulSoup((built_sites / "interviewer" / "room" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


def words(element) -> int:
    return len(element.get_text(" ").split())


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def flat(markdown_text: str) -> str:
    """YAML Markdown as the page shows it: links as their text, no emphasis or code markers, whitespace folded."""
    markdown_text = re.sub(r"\[([^]]+)\]\([^)]+\)", r"\1", markdown_text)
    markdown_text = re.sub(r"(?m)^\s*- ", "", markdown_text)  # list items
    return " ".join(re.sub(r"\*\*|`", "", markdown_text).split())


def on(needle: str, shown: str) -> bool:
    """needle appears in shown, whatever the whitespace (HTML puts spaces around inline elements and list items)."""
    return re.sub(r"\s+", "", needle) in re.sub(r"\s+", "", shown)


def the_cards(data):
    return cards.cards(data.interview, data.rubric, data.questions_of)


def test_one_card_per_segment_and_part_in_interview_order(room, data):
    ids = [c["data-card"] for c in room.select(".cue-card")]
    assert ids == ["opening", *(p.id for p in data.interview.parts), "closing"]


def test_every_card_is_at_most_300_words(room):
    counts = {c["data-card"]: words(c) for c in room.select(".cue-card")}
    assert counts and all(n > 20 for n in counts.values()), counts  # the count reads real cards
    assert {k: n for k, n in counts.items() if n > cards.MAX_CARD_WORDS} == {}


def test_cards_hold_the_prompt_the_must_ask_follow_ups_the_bars_the_cues_and_the_cut_rule(room, data):
    labels = {s.score: s.label for s in data.rubric.scale}
    for card in the_cards(data):
        shown = text(room.select_one(f"#card-{card.id}"))
        if card.kind == "segment":
            assert on(flat(card.item.what_to_do), shown)
            continue
        prompts = [card.item.scenario] if card.item.scenario else []
        prompts += [q.say for q in card.questions]
        assert prompts, f"{card.id}: no prompt on the card"
        for prompt in prompts:
            assert on(flat(prompt), shown), (card.id, prompt)
        assert 0 < len(card.must_ask) <= cards.MAX_FOLLOW_UPS
        for m in card.must_ask:
            assert on(f"{flat(m.follow_up.ask)} Listen for: {flat(m.follow_up.card_listen_for)}", shown)
        mid = " · ".join(f"{b.area.title} {b.area.expected.mid} ({labels[b.area.expected.mid]})" for b in card.bars)
        senior = " · ".join(f"{b.area.title} {b.area.expected.senior} ({labels[b.area.expected.senior]})"
                            for b in card.bars)
        assert on(f"Mid expects: {mid}", shown) and on(f"Senior expects: {senior}", shown)
        assert [b.area.id for b in card.bars] == card.item.rubric_areas
        for cue in card.item.time_cues:
            assert on(flat(cue), shown)
        assert on(f"Cut when behind: {flat(card.item.cut_when_behind)}", shown)


def test_the_long_material_stays_on_the_prep_pages(room, data):
    page = text(room)
    for q in data.questions:
        for long_text in [*q.model_answer, q.signals.strong, q.level_bar.senior, *(s.answer for s in q.calibration),
                          *(f.listen_for for f in q.follow_ups), *(a.trade_off for a in q.alternatives)]:
            assert not on(flat(long_text)[:80], page), (q.id, long_text[:60])
    assert not room.select(".cue-card pre, .cue-card .highlight"), "code on a cue card"


def test_each_card_links_to_its_prep_pages_and_the_links_resolve(room, built_sites, data):
    for card in the_cards(data):
        links = [a["href"] for a in room.select(f"#card-{card.id} a[href]")]
        expected = ["../run-sheet/"] if card.kind == "segment" else (
            [f"../parts/{card.id}/"] + [f"../questions/{q.question.id}/" for q in card.questions])
        for href in expected:
            assert href in links, (card.id, href, links)
        for href in links:
            if href.startswith("../"):
                target = built_sites / "interviewer" / "room" / html.unescape(href.split("#")[0])
                assert (target.resolve() / "index.html").is_file(), href


def test_a_notes_field_per_part_and_rubric_area_and_the_shared_scorecard(room, data):
    for part in data.interview.parts:
        for area in part.rubric_areas:
            field = room.select_one(f"textarea#room-notes-{part.id}-{area}")
            assert field is not None and field["data-area"] == area and field["data-part"] == part.id
            assert room.select_one(f'label[for="room-notes-{part.id}-{area}"]') is not None
    form = room.select_one("form#scorecard-form")
    assert form is not None, "the room page embeds the scorecard form"
    for area in data.rubric.areas:
        assert form.select(f'input[type="radio"][name="score-{area.id}"]')
        assert form.select_one(f"textarea#notes-{area.id}") is not None
    scripts = [s.get("src", "") for s in room.select("script[src]")]
    assert scripts.index("../assets/javascripts/scorecard.js") < scripts.index("../assets/javascripts/room.js")


def test_the_room_page_needs_nothing_from_another_host(built_sites):
    page = (built_sites / "interviewer" / "room" / "index.html").read_text(encoding="utf-8")
    script = (built_sites / "interviewer" / "assets" / "javascripts" / "room.js").read_text(encoding="utf-8")
    # links to GitHub are no request, and neither is the canonical URL (site_url)
    assert not re.search(r"src=\"(https?:)?//|<link(?![^>]+rel=\"canonical\")[^>]+href=\"(https?:)?//", page)
    assert not re.search(r"fetch\(|XMLHttpRequest|https?://|import\(", script)


def test_the_card_rules_hold_on_the_real_data(data):
    for card in the_cards(data):
        if card.kind == "part":
            for cue in card.item.time_cues:
                span = cards.cue_span(cue)
                assert span is not None and span[0] <= card.item.minutes
    assert cards.said('Say: "Walk me through it." Then wait.') == "Walk me through it."
    assert cards.cue_span("0:03-0:07 sketch") == (3, 7) and cards.cue_span("0:10 hand over") == (10, None)
    assert cards.cue_span("then hand over") is None

