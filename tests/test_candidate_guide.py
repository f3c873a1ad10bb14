"""The candidate guide tells the whole truth: the process, the levels, the scale in public words, the hint rule the
interviewers apply, a brief for every problem, and the organisation's details from one configured place."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from handbook.core.validate import load_all
from handbook.site.build import mkdocs_env
from tests.helpers import ROOT, candidate_site_text, plain, visible_text_of_field


def page(built_sites, name: str) -> str:
    """The readable text of a page's article (not the navigation and table of contents around it)."""
    path = built_sites / "candidate" / (f"{name}/index.html" if name else "index.html")
    html = path.read_text(encoding="utf-8")
    return plain(html[html.index("<article"):html.index("</article>")])


def test_scale_shows_public_words_and_never_the_interviewer_meaning(built_sites):
    rubric = load_all(ROOT).rubric
    text = page(built_sites, "prepare")
    html = (built_sites / "candidate" / "prepare" / "index.html").read_text(encoding="utf-8")
    cells = [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.DOTALL)]
    for level in rubric.scale:
        assert plain(level.public) in cells, f"score {level.score}: public description not in the scale table"
        assert plain(level.meaning) not in text, f"score {level.score}: interviewer meaning on the public site"
        for area in rubric.areas:
            for anchor in area.anchors:
                assert plain(anchor.behaviour) not in text


def test_levels_table_says_each_expectation_in_words(built_sites):
    data = load_all(ROOT)
    labels = {s.score: s.label for s in data.rubric.scale}
    html = (built_sites / "candidate" / "prepare" / "index.html").read_text(encoding="utf-8")
    table = html[html.index('id="mid-level-and-senior"'):html.index('id="a-five-day-study-plan"')]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    cells = [[plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)] for row in rows]
    cells = [c for c in cells if c]
    assert [c[0] for c in cells] == [plain(a.title) for a in data.rubric.areas]
    for area, row in zip(data.rubric.areas, cells):
        assert row[1:] == [labels[getattr(area.expected, lvl)] for lvl in data.interview.levels], area.id
    assert any(a.expected.mid != a.expected.senior for a in data.rubric.areas)  # the table tells the levels apart


def test_the_faq_states_the_hint_rule_the_question_files_apply(built_sites):
    """The question files cap a hinted follow-up at solid; the FAQ must say so, not call a hint harmless."""
    data = load_all(ROOT)
    hints = [(q.id, i + 1, fu.hint) for q in data.questions if q.status == "active" for i, fu in enumerate(q.follow_ups)]
    other_rule = [f"{qid} follow-up {n}" for qid, n, h in hints
                  if not re.search(r"caps (this|the) follow-up at\s+solid", h, re.IGNORECASE)]
    assert hints and other_rule == [], "these hints state another cost than the FAQ tells candidates: update one side"
    faq = page(built_sites, "faq")
    section = faq[faq.index("What if I get stuck?"):faq.index("What if I don't know")]
    # running.md's table turns the per-follow-up cap into area scores; the FAQ states the same three rows
    running = (ROOT / "docs" / "interviewer" / "running.md").read_text(encoding="utf-8")
    assert re.search(r"\| Half or more of the area's follow-ups needed a hint \| 2 \|", running)
    assert re.search(r"\| \*\*A second hint, or telling the answer\*\* \|.*\| That follow-up counts as not demonstrated \|", running)
    assert re.search(r"\| Fewer than half .*\| 3, or 4 if the depth came from the \*other\*, unhinted follow-ups \|", running)
    scale = {s.score: s.label for s in data.rubric.scale}
    assert f"complete after one hint can still support a 3 ({scale[3]}) for that area, but not a 4" in section
    assert f"half or more of an area's follow-up questions, the area scores at most 2 ({scale[2]}" in section
    assert "giving you the answer, that follow-up counts as not shown" in section
    assert not re.search(r"\bsolid\b|\bsteps?\b", section), "interviewer words: say score and follow-up question"
    # the scale's public rows agree: a 2 is repeated prompting (half or more hinted), a 3 allows fewer than half
    assert "half or more of the area's follow-up questions" in plain(data.rubric.scale[1].public)
    assert "fewer than half of the area's follow-up questions" in plain(data.rubric.scale[2].public)
    prepare = page(built_sites, "prepare")
    assert "shown unprompted" not in prepare and "see the FAQ for how hints count" in prepare
    assert not re.search(r"harmless|no effect|costs you nothing", section.split("These are not hints")[0])


def test_every_practical_problem_has_a_public_brief(built_sites):
    data = load_all(ROOT)
    text = page(built_sites, "practice")
    problems = [q for q in data.questions if q.kind == "practical" and q.status == "active" and not q.alternate_for]
    assert len(problems) >= 3
    for q in problems:
        brief = q.candidate_brief.text if q.candidate_brief else data.exercises[q.exercise].candidate_brief
        assert visible_text_of_field(brief)[:100] in text, q.id
    part4 = plain(data.interview.parts[3].how_it_runs)
    assert "code review" in part4 and part4 in page(built_sites, "")  # the Welcome page's Part 4 names it


def test_the_process_is_shown_with_this_interview_marked(built_sites):
    text = page(built_sites, "")
    section = text[text.index("Where this interview fits"):text.index("The hour at a glance")]
    for step in ("Recruiter call (30 minutes)", "Technical interview (60 minutes): the interview this guide is about", "Decision"):
        assert step in section


def _build_candidate(tmp_path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(ROOT), "build", "--site", "candidate",
                           "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                          env=mkdocs_env(ROOT, **env), check=False)


@pytest.fixture(scope="module")
def configured_build(tmp_path_factory):
    """The candidate site built twice at once: as shipped (example values) and as a release would configure it."""
    out = tmp_path_factory.mktemp("org")
    env = {"HANDBOOK_COMPANY": "Acme Robotics", "HANDBOOK_CONTACT": "talent@acme-robotics.test",
           "HANDBOOK_EDITOR": "CoderPad", "HANDBOOK_WHITEBOARD": "Excalidraw",
           "HANDBOOK_CANDIDATE_SITE_URL": "https://careers.acme-robotics.test/ml-interview/"}
    clean = {k: "" for k in env}  # what the shipped mkdocs.yml says, whatever this shell exports
    procs = {}
    for name, extra in (("shipped", {}), ("configured", env)):
        run_env = mkdocs_env(ROOT, **extra)
        for k in clean:
            if k not in extra:
                run_env.pop(k, None)
        procs[name] = subprocess.Popen([sys.executable, "-m", "handbook", "--root", str(ROOT), "build", "--site",
                                        "candidate", "--out", str(out / name)], cwd=ROOT, env=run_env, text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = {}
    for name, proc in procs.items():
        _stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr
        results[name] = (out / name / "candidate", stderr)
    return env, results


def test_example_placeholders_print_a_warning_and_real_values_do_not(configured_build):
    _, results = configured_build
    assert "still shows example values" in results["shipped"][1]
    assert "recruiting@example.com" in results["shipped"][1] and "HANDBOOK_CONTACT" in results["shipped"][1]
    assert "WARNING" not in results["configured"][1]


def test_every_page_takes_company_contact_and_tools_from_the_one_config(configured_build):
    _env, results = configured_build
    site = results["configured"][0]
    texts = candidate_site_text(site)
    for name, text in texts.items():
        assert "example.com" not in text and "Example Corp" not in text, name
    index = texts["index.html"]
    faq = texts["faq/index.html"]
    assert "interviewing with Acme Robotics" in index
    assert "CoderPad" in index and "Excalidraw" in index and "CoderPad" in faq and "Excalidraw" in faq
    for name in ("index.html", "faq/index.html"):
        html = (site / name).read_text(encoding="utf-8")
        assert 'href="mailto:talent@acme-robotics.test"' in html
    assert 'href="mailto:recruiting@example.com"' in (results["shipped"][0] / "faq/index.html").read_text()


def test_a_bad_contact_address_stops_the_build_and_names_the_key(tmp_path):
    result = _build_candidate(tmp_path, {"HANDBOOK_CONTACT": "write to us"})
    assert result.returncode == 1
    assert "extra.handbook.org.contact: must be an email address, got 'write to us'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "candidate").exists()


def test_a_release_sets_the_site_url_through_the_environment(configured_build):
    _, results = configured_build
    locs = re.findall(r"<loc>([^<]+)</loc>", (results["configured"][0] / "sitemap.xml").read_text(encoding="utf-8"))
    assert "https://careers.acme-robotics.test/ml-interview/prepare/" in locs
    assert all(loc.startswith("https://careers.acme-robotics.test/ml-interview/") for loc in locs)
    not_found = (results["configured"][0] / "404.html").read_text(encoding="utf-8")
    assert 'href="/ml-interview/assets/stylesheets/handbook.css"' in not_found


def _org(**changes) -> dict:
    org = {"company": "Acme", "contact": "jobs@acme.test", "editor": "CoderPad", "whiteboard": "Excalidraw",
           "process": [{"step": "Recruiter call", "minutes": 30, "about": "The role."},
                       {"step": "Technical interview", "this": True, "about": "This guide."}]}
    org.update(changes)
    return org


@pytest.mark.parametrize(("changes", "message"), [
    ({"company": ""}, "extra.handbook.org.company: must be a non-empty text"),
    ({"contact": "jobs at acme"}, "extra.handbook.org.contact: must be an email address, got 'jobs at acme'"),
    ({"phone": "123"}, "extra.handbook.org: unknown key(s) phone"),
    ({"process": []}, "extra.handbook.org.process: must be a list of steps"),
    ({"process": [{"step": "Call", "about": "x"}]}, "extra.handbook.org.process: exactly one step must be this interview"),
    ({"process": [{"step": "Call", "about": "x", "this": True, "minutes": "half an hour"}]},
     "extra.handbook.org.process[0].minutes: must be a whole number of minutes"),
    ({"process": [{"step": "Call", "this": True}]}, "extra.handbook.org.process[0]: needs step and about"),
])
def test_org_settings_are_checked_and_the_message_names_the_key(changes, message):
    from handbook.site.org import OrgError, check_org

    with pytest.raises(OrgError) as err:
        check_org(_org(**changes))
    assert str(err.value).startswith(message)


def test_only_the_example_values_count_as_placeholders():
    from handbook.site.org import check_org, placeholders

    assert placeholders(check_org(_org())) == []
    assert placeholders(check_org(_org(company="Example Corp", contact="recruiting@example.com"))) == \
        ["company", "contact"]


# --- one plan, stated the same way everywhere -----------------------------------------------------------------------

NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]


def _digits(text: str) -> str:
    """Durations in words as digits ("ten minutes"; "one scenario" stays), and part names ("Part 4"), versions
    ("3.11"), sizes ("10-line") and thousands out."""
    text = re.sub(rf"\b({'|'.join(NUMBER_WORDS)})(?=[ -]minutes?\b)",
                  lambda m: str(NUMBER_WORDS.index(m.group(1).lower()) + 1), text, flags=re.IGNORECASE)
    return re.sub(r"\bPart \d+('s)?|\d+\.\d+|\d+-line|\d+,\d{3}", " ", text)


def _minutes_in(text: str) -> list[int]:
    """The durations a passage about one part states, in order: its whole numbers ("about 4 to sketch")."""
    return [int(n) for n in re.findall(r"\b\d+\b", _digits(text))]


def _durations_in(text: str) -> list[int]:
    """Only the numbers a passage gives as minutes: "about 8 minutes", "a 2-minute read"; not a scenario's own
    clock ("what you would do in the next ten minutes")."""
    return [int(n) for n in re.findall(r"(?<!next )\b(\d+)[ -]minutes?\b", _digits(text))]


def _between(text: str, start: str, end: str, after: int = 0) -> str:
    i = text.index(start, after)
    return text[i + len(start):text.index(end, i)]


def _plan(data) -> dict[str, tuple[int, list[int]]]:
    """Part number -> (the part's minutes, its default-plan questions' minutes in asking order)."""
    return {p.id[4:]: (p.minutes, [q.minutes for q in data.default_plan(p.id)]) for p in data.interview.parts}


def _check_split(where: str, total: int, numbers: list[int], splits: dict) -> None:
    """A part broken into phases: the phases add up to the part, and every page names the same phases."""
    if numbers and numbers[0] == total and sum(numbers[1:]) == total:
        numbers = numbers[1:]  # "14 minutes: about 2 ..., 8 ..., 4 ..."
    assert sum(numbers) == total, f"{where}: {numbers} do not add up to the part's {total} minutes"
    splits.setdefault(total, set()).add(tuple(numbers))


def test_every_duration_the_candidate_pages_give_a_part_or_item_matches_the_plan(built_sites):
    """The part headings, each part's "how it runs", the practice table and the study plan's drills: a part broken
    into phases adds up to the part's minutes in data/interview.yml, with the same phases everywhere; an item of a part
    takes the minutes of its default-plan question (data/questions), in the order the part asks them."""
    data = load_all(ROOT)
    plan = _plan(data)
    splits: dict[int, set] = {}
    home, prepare = page(built_sites, ""), page(built_sites, "prepare")
    checked = 0
    for p in data.interview.parts:
        n = p.id[4:]
        total, items = plan[n]
        heading = f"Part {n}: {plain(p.title)} ("
        assert _minutes_in(_between(home, heading, ")"))[:1] == [total], heading
        how = _between(home, "How it runs.", "Topics:", home.index(heading))
        # what is outside the hour (the code review's own session) comes last and is not the part's plan
        how = re.split(r"[^.]*\b(?:code review|shell challenge)\b", how)[0]
        stated = _minutes_in(how)
        if stated != items:  # not item by item: the part's phases (Part 1's one question, Part 2's scenario)
            _check_split(f"Part {n} how it runs: {stated}, the plan asks {items}, or phases", total, stated, splits)
        checked += 1
    html = (built_sites / "candidate" / "practice" / "index.html").read_text(encoding="utf-8")
    rows = [[plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)]
    item_rows: dict[str, list[int]] = {}
    for row in rows:
        if len(row) == 3 and (m := re.search(r"\(Part (\d)\)", row[0])):
            total, items = plan[m.group(1)]
            stated = _minutes_in(row[1])
            if re.match(rf"{total} minutes:", row[1]):
                _check_split(f"practice table, {row[0]}", total, stated, splits)
            else:
                item_rows.setdefault(m.group(1), []).append(stated[0])
            checked += 1
        elif len(row) == 3 and row[0].startswith("Outside the hour"):
            assert "Part" not in row[1], row
    for n, stated in item_rows.items():
        assert stated == plan[n][1][:len(stated)], f"practice table, Part {n} items: {stated}, the plan {plan[n][1]}"
    assert item_rows.get("4") == plan["4"][1], "the practice table lists every Part 4 item"
    for day in re.findall(r"Day \d: [^(]*\(Part (\d)\)", prepare):
        drill = _between(prepare, "Do:", "Day" if day != "4" else "Optional",
                         prepare.index(f"(Part {day})"))
        total, items = plan[day]
        stated = _minutes_in(drill)
        rest = list(items)
        drills_items = all(x in rest and not rest.remove(x) for x in stated)  # some of the part's items, timed
        if not drills_items:
            _check_split(f"study plan, Part {day}: {stated} are neither items of the part ({items}) nor", total,
                         stated, splits)
        checked += 1
    # each brief and starter of the hour on the practice page ("Used in <part>"): any minutes it gives are the
    # part's, one of its items' or one of its agreed phases
    parts = re.split(r"<h[2-4] id=\"[^\"]*\"[^>]*>(.*?)</h[2-4]>", html[html.index("<article"):], flags=re.DOTALL)
    bodies = [plain(b) for b in parts[2::2]]
    for i, body in enumerate(bodies):
        m = re.match(r"Used in (.+)", body)
        part = m and next((p for p in data.interview.parts if body.startswith(f"Used in {plain(p.title)}")), None)
        if not part:
            continue
        total, items = plan[part.id[4:]]
        allowed = {total, *items, *(x for split in splits.get(total, ()) for x in split)}
        brief = bodies[i + 1] if i + 1 < len(bodies) else ""  # the "Brief: ..." heading's text, starter included
        wrong = [x for x in _durations_in(brief) if x not in allowed]
        assert wrong == [], f"practice page, {part.id} brief: {wrong} minutes; the plan has {sorted(allowed)}"
        checked += 1
    assert checked >= 4 + 4 + 4 + 6, "a part, a practice row, a study day or a brief was not found"
    assert all(len(s) == 1 for s in splits.values()), f"a part's phases differ between pages: {splits}"


def test_exercises_outside_the_hour_are_never_said_to_be_used_in_a_part(built_sites):
    """An exercise with outside_hour (the validator requires it when only a bank question uses the exercise, and
    refuses it when a default-plan question does) is listed apart, with that sentence instead of "Used in"."""
    data = load_all(ROOT)
    html = (built_sites / "candidate" / "practice" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    # each heading with the text under it, up to the next heading of any level ("Used in" comes before the brief's)
    parts = re.split(r"<h[2-4] id=\"[^\"]*\"[^>]*>(.*?)</h[2-4]>", article, flags=re.DOTALL)
    sections = [(plain(t).rstrip(" ¶"), plain(body)) for t, body in zip(parts[1::2], parts[2::2])]
    outside = [ex for ex in data.exercises.values() if ex.outside_hour]
    assert {ex.id for ex in outside} >= {"code-review", "shell-challenge"}
    in_plan = {q.exercise for q in data.default_plan() if q.exercise}
    for ex in data.exercises.values():
        if not ex.candidate_brief:
            continue
        body = next(v for k, v in sections if k == plain(ex.title))
        if ex.outside_hour:
            assert ex.id not in in_plan
            assert "Used in" not in body and plain(ex.outside_hour) in body, ex.id
        else:
            assert re.match(r"Used in ", body), ex.id
    # the practice page goes in the order of the interview: every exercise of the hour, then those outside it
    headings = [t for t, _ in sections]
    split = headings.index("Outside the hour")
    titles = {plain(ex.title): ex for ex in data.exercises.values() if ex.candidate_brief}
    placed = {t: headings.index(t) for t in titles}
    assert placed and all((i > split) == bool(titles[t].outside_hour) for t, i in placed.items()), placed


def test_a_part_that_promises_public_briefs_has_one_for_every_item(built_sites):
    """Part 4 tells candidates "every one has a public brief on the practice page": each of its default-plan questions,
    the behavioural one included, has a brief (its own or its exercise's) and the practice page shows it."""
    data = load_all(ROOT)
    text = page(built_sites, "practice")
    promising = [p for p in data.interview.parts if "public brief" in p.how_it_runs]
    assert promising
    for p in promising:
        for q in data.default_plan(p.id):
            brief = q.candidate_brief.text if q.candidate_brief else data.exercises[q.exercise].candidate_brief
            assert brief and visible_text_of_field(brief)[:100] in text, q.id
