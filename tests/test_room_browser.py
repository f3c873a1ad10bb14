"""The room page in a real browser, through a whole simulated interview with Playwright's mocked clock: start, the
part and cue the plan expects at each minute, a quiet overrun warning, notes per part flowing into the shared
scorecard, a reload that loses nothing, and an export that carries the notes."""

from __future__ import annotations

import datetime
import json

import pytest

from handbook.core import cards
from handbook.core.validate import load_all
from tests import scorecard_page as card
from tests.browser import PageWatch, browser, serve
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

URL = "room/"
T0 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def data():
    return load_all(ROOT)


def clock_text(page) -> str:
    return " ".join(page.inner_text("#room-clock").split())


def current(page) -> list[str]:
    return page.eval_on_selector_all(".room-step--current", "els => els.map(e => e.dataset.card)")


def advance_to(page, minute: float) -> None:
    """Move the mocked clock to `minute` of the interview (from the moment Start was pressed)."""
    now = page.evaluate("Date.now()")
    target = T0.timestamp() * 1000 + minute * 60_000
    page.clock.run_for(max(0, round(target - now)))


def test_a_whole_interview_with_the_clock_mocked(built_sites, chromium, data, tmp_path):
    plan = cards.cards(data.interview, data.rubric, data.questions_of)
    parts = [c for c in plan if c.kind == "part"]
    with serve(built_sites / "interviewer") as base:
        context = chromium.new_context(accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        watch = PageWatch(context)
        page = watch.page
        page.clock.install(time=T0 - datetime.timedelta(seconds=30))
        page.goto(f"{base}/{URL}")
        assert "Not started" in clock_text(page)
        assert page.is_hidden("#room-next") and current(page) == []
        page.clock.run_for(30_000)
        page.click("#room-start")
        assert page.is_hidden("#room-start")
        assert current(page) == ["opening"]
        assert clock_text(page).startswith("0:00 of 60:00 Plan now: Opening")

        dialogs = []
        page.on("dialog", lambda d: dialogs.append(d.message))
        notes = {}
        for c in parts:
            page.click("#room-next")  # on time: the interviewer moves on at each part's planned start
            advance_to(page, c.start + 0.1)
            assert current(page) == [c.id]
            shown = clock_text(page)
            assert f"Plan now: Part {c.number}: {c.item.title}" in shown, shown
            assert page.inner_text("#room-warning") == ""
            for cue in c.item.time_cues:  # each cue shows from its minute on
                advance_to(page, c.start + cards.cue_span(cue)[0] + 0.05)
                assert " ".join(cue.split()) in clock_text(page)
            for area in c.item.rubric_areas:
                text = f"{c.id} evidence for {area}"
                page.fill(f"#room-notes-{c.id}-{area}", text)
                notes.setdefault(area, []).append(f"Part {c.number}: {text}")

        # the last part overruns: the plan has moved on to the closing, the interviewer has not
        last = parts[-1]
        advance_to(page, last.end + 1)
        warning = page.locator("#room-warning")
        assert warning.get_attribute("aria-live") == "polite" and warning.get_attribute("role") == "status"
        assert f"Part {last.number}: {last.item.title} has run past its planned end" in warning.inner_text()
        assert current(page) == [last.id]
        assert f"Plan now: {plan[-1].item.title}" in clock_text(page)
        assert page.eval_on_selector(f"#step-{plan[-1].id}", "e => e.classList.contains('room-step--plan')")

        # the notes are in the scorecard, under their areas, in part order
        for area, lines in notes.items():
            assert page.input_value(f"#notes-{area}") == "\n\n".join(lines)

        # a reload keeps the clock, the card the interviewer is on, the notes and the scorecard
        card.fill(page, card.uniform(data.rubric, 3), candidate="Ada Room", interviewer="Grace Clock")
        page.reload()
        advance_to(page, last.end + 1.5)
        assert current(page) == [last.id] and "has run past" in page.inner_text("#room-warning")
        for c in parts:
            for area in c.item.rubric_areas:
                assert page.input_value(f"#room-notes-{c.id}-{area}") == f"{c.id} evidence for {area}"
        for area, lines in notes.items():
            assert page.input_value(f"#notes-{area}") == "\n\n".join(lines)
        assert page.input_value("#scorecard-candidate") == "Ada Room"

        # notes written by hand in the scorecard survive a later note from the room
        first = parts[0]
        area = first.item.rubric_areas[0]
        page.fill(f"#notes-{area}", page.input_value(f"#notes-{area}") + "\n\nhand-written after the interview")
        page.fill(f"#room-notes-{first.id}-{area}", "revised in the room")
        value = page.input_value(f"#notes-{area}")
        assert value.startswith(f"Part {first.number}: revised in the room")
        assert value.endswith("hand-written after the interview") and value.count("revised") == 1

        # moving on clears the warning; ending the interview stops the clock
        page.click("#room-next")
        assert current(page) == [plan[-1].id] and page.inner_text("#room-warning") == ""
        page.click("#room-next")
        assert "Interview over" in clock_text(page) and current(page) == []
        stopped = clock_text(page)
        page.clock.run_for(120_000)
        assert clock_text(page) == stopped

        # the exports carry the notes
        exported = card.download_json(page, tmp_path)
        assert exported["notes"][area].startswith(f"Part {first.number}: revised in the room")
        for other, lines in notes.items():
            if other != area:
                assert exported["notes"][other] == "\n\n".join(lines)
        page.click("#scorecard-copy")
        markdown = page.input_value("#scorecard-markdown")
        for other, lines in notes.items():
            assert all(line in markdown for line in lines) if other != area else "revised in the room" in markdown
        assert dialogs == [] and watch.errors == [] and watch.foreign == []
        context.close()


def test_the_room_page_works_by_keyboard_alone(built_sites, chromium, data):
    part = data.interview.parts[0]
    area = part.rubric_areas[0]
    with serve(built_sites / "interviewer") as base:
        context = chromium.new_context()
        watch = PageWatch(context)
        page = watch.page
        page.clock.install(time=T0)
        page.goto(f"{base}/{URL}")
        focused = "document.activeElement.id"

        def tab_to(target: str, limit: int = 80) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                if page.evaluate(focused) == target:
                    return
            raise AssertionError(f"Tab never reaches {target}")

        tab_to("room-start")
        page.keyboard.press("Enter")
        assert page.evaluate(focused) == "room-next"  # focus stays on the clock's controls
        page.keyboard.press("Enter")
        assert current(page) == [part.id]
        tab_to(f"room-notes-{part.id}-{area}")
        page.keyboard.type("typed with the keyboard")
        assert page.input_value(f"#notes-{area}") == "Part 1: typed with the keyboard"
        state = json.loads(page.evaluate("localStorage.getItem('handbook-room-v1')"))
        assert state["notes"][f"{part.id}:{area}"] == "typed with the keyboard"

        # the destructive buttons take a second press: one press changes nothing
        tab_to("room-reset")
        page.keyboard.press("Enter")
        assert page.is_visible("#room-next") and current(page) == [part.id]
        page.keyboard.press("Enter")
        assert "Not started" in clock_text(page) and page.is_visible("#room-start")
        page.fill(f"#notes-{area}", page.input_value(f"#notes-{area}") + "\n\nwritten in the scorecard")
        tab_to("room-clear")
        page.keyboard.press("Enter")
        assert page.input_value(f"#room-notes-{part.id}-{area}") == "typed with the keyboard"
        page.keyboard.press("Enter")
        assert page.input_value(f"#room-notes-{part.id}-{area}") == ""
        assert page.input_value(f"#notes-{area}") == "written in the scorecard"  # the room's lines left, not yours
        assert watch.errors == [] and watch.foreign == []
        context.close()


def test_the_room_page_has_no_axe_violations_before_and_during_the_interview(built_sites, chromium, data):
    from tests.browser import violations

    part = data.interview.parts[0]
    with serve(built_sites / "interviewer") as base:
        context = chromium.new_context()
        page = context.new_page()
        page.clock.install(time=T0)
        page.goto(f"{base}/{URL}", wait_until="load")
        assert violations(page) == []
        page.click("#room-start")
        page.click("#room-next")
        page.fill(f"#room-notes-{part.id}-{part.rubric_areas[0]}", "notes")
        page.clock.run_for(40 * 60_000)  # Part 1 long overrun: the warning and the plan's marker show
        assert page.inner_text("#room-warning")
        assert violations(page) == []
        context.close()
