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
    assert "can still score as solid, but not as our top mark" in section.replace(" ,", ",")
    assert data.rubric.scale[1].label.lower() in section.lower()  # half or more hinted: the area's 2
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
