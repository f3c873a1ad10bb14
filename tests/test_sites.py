"""Both sites build with --strict from the data; the candidate site never contains interviewer-only text."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import markdown
import pytest

from handbook.core.model import interviewer_only_strings
from handbook.core.validate import load_all
from handbook.site.render import safe_markdown
from tests.helpers import ROOT, VALID, run_handbook, site_root

TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """What a reader sees of some HTML or Markdown-rendered text: tags stripped, entities decoded, spaces folded."""
    return " ".join(html.unescape(TAG.sub(" ", text)).split())


def visible_text_of_field(text: str) -> str:
    return plain(markdown.markdown(safe_markdown(text), extensions=["tables"]))


def candidate_site_text(site: Path) -> dict[str, str]:
    """Every file of the candidate site as readable text (HTML stripped; search index and sitemap included)."""
    out = {}
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix in {".png", ".ico", ".woff", ".woff2", ".svg", ".gz"}:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.name == "search_index.json":
            raw = " ".join(d["title"] + " " + d["text"] for d in json.loads(raw)["docs"])
        out[str(path.relative_to(site))] = plain(raw)
    return out


def hidden_strings(root: Path) -> list[str]:
    data = load_all(root)
    strings = []
    for obj in [data.interview, data.rubric, *data.questions, *data.exercises.values()]:
        strings += interviewer_only_strings(obj)
    return strings


def test_both_sites_are_built(built_sites):
    for site in ("interviewer", "candidate"):
        assert (built_sites / site / "index.html").is_file()
        assert (built_sites / site / "search" / "search_index.json").is_file()
        assert (built_sites / site / "sitemap.xml").is_file()


def test_every_part_question_and_exercise_has_an_interviewer_page(built_sites):
    data = load_all(ROOT)
    site = built_sites / "interviewer"
    for p in data.interview.parts:
        assert (site / "parts" / p.id / "index.html").is_file()
    for q in data.questions:
        page = (site / "questions" / q.id / "index.html").read_text(encoding="utf-8")
        assert plain(html.escape(q.title)) in plain(page)
    for ex in data.exercises:
        assert (site / "exercises" / ex / "index.html").is_file()


def test_no_interviewer_only_text_reaches_the_candidate_site(built_sites):
    """The leak test: every interviewer-only string of data/ (three words or more) is absent from every file."""
    texts = candidate_site_text(built_sites / "candidate")
    assert len(texts) > 10
    checked = 0
    leaks = []
    for raw in hidden_strings(ROOT):
        needle = visible_text_of_field(raw)
        if len(needle.split()) < 3:
            continue  # one- and two-word labels ("high", "Strong hire") are not content
        checked += 1
        leaks += [f"{name}: {needle[:80]!r}" for name, text in texts.items() if needle in text]
    assert checked > 100
    assert leaks == []


def test_no_reference_code_reaches_the_candidate_site(built_sites):
    texts = candidate_site_text(built_sites / "candidate")
    data = load_all(ROOT)
    refs = [r for q in data.questions for r in q.snippets] + \
        [r for ex in data.exercises.values() for r in ex.reference_snippets] + \
        [r for q in data.questions for f in q.follow_ups for r in f.see]
    starters = {r.path for ex in data.exercises.values() for r in ex.starter_snippets}
    checked = 0
    for ref in refs:
        if ref.path in starters:
            continue
        lines = [ln.strip() for ln in (ROOT / ref.path).read_text(encoding="utf-8").splitlines()]
        distinctive = [ln for ln in lines if len(ln) > 30 and "--8<--" not in ln][:20]
        for ln in distinctive:
            checked += 1
            assert not any(plain(html.escape(ln)) in t for t in texts.values()), f"{ref.path}: {ln!r} on candidate site"
    assert checked > 0


def test_the_leak_test_would_catch_a_leak(built_sites, tmp_path):
    """Plant one interviewer-only string in a candidate page and show the check finds it."""
    site = tmp_path / "candidate"
    subprocess.run(["cp", "-r", str(built_sites / "candidate"), str(site)], check=True)
    secret = next(s for s in hidden_strings(ROOT) if len(s.split()) > 6)
    page = site / "index.html"
    rendered = markdown.markdown(safe_markdown(secret), extensions=["tables"])  # as a template would render it
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", f"{rendered}</article>"))
    needle = visible_text_of_field(secret)
    assert any(needle in text for text in candidate_site_text(site).values())


def test_retired_and_leaked_questions_stay_off_the_run_sheet_and_part_pages(built_sites):
    data = load_all(ROOT)
    inactive = [q for q in data.questions if q.status != "active"]
    assert {q.status for q in inactive} == {"retired", "leaked"}
    pages = [built_sites / "interviewer" / "run-sheet" / "index.html"] + \
        [built_sites / "interviewer" / "parts" / p.id / "index.html" for p in data.interview.parts]
    for page in pages:
        text = plain(page.read_text(encoding="utf-8"))
        for q in inactive:
            assert plain(html.escape(q.title)) not in text, f"{q.status} question {q.id} on {page}"
    bank = plain((built_sites / "interviewer" / "bank" / "index.html").read_text(encoding="utf-8"))
    assert all(plain(html.escape(q.title)) in bank for q in inactive)


def test_no_generated_markdown_is_committed():
    tracked = subprocess.run(["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [t for t in tracked if re.match(r"docs/interviewer/(parts|questions|exercises)/", t)]


def test_generated_pages_link_their_edit_button_to_the_yaml(built_sites):
    page = (built_sites / "interviewer" / "parts" / "part2" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="https://github\.com/[^"]+/edit/main/data/questions/part2\.yml"', page)
    rubric = (built_sites / "interviewer" / "rubric" / "index.html").read_text(encoding="utf-8")
    assert "/edit/main/data/rubric.yml" in rubric
    candidate = (built_sites / "candidate" / "index.html").read_text(encoding="utf-8")
    assert "/edit/" not in candidate


def test_pages_request_nothing_from_other_hosts(built_sites):
    """No CDN, no web fonts: every src/href that loads something is relative."""
    for site in ("interviewer", "candidate"):
        for page in (built_sites / site).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            loads = re.findall(r'<(?:script|img|iframe)[^>]+src="([^"]+)"|<link[^>]+href="([^"]+)"', text)
            remote = [u for pair in loads for u in pair if re.match(r"(https?:)?//", u)]
            assert remote == [], f"{page}: {remote}"
            for host in ("fonts.googleapis", "unpkg.com", "jsdelivr", "cdnjs"):
                assert host not in text, f"{page}: mentions {host}"


def test_notebook_pages_show_stored_outputs_with_one_shared_stylesheet(built_sites):
    """mkdocs-jupyter inlines ~590 KB of CSS per notebook page; the hook moves it into one cached stylesheet."""
    from handbook.core.sites import NOTEBOOKS

    site = built_sites / "interviewer"
    sheets = set()
    for notebook in NOTEBOOKS:
        page = site / Path(notebook).with_suffix("") / "index.html"
        text = page.read_text(encoding="utf-8")
        assert len(text.encode()) < 250_000, f"{page}: {len(text.encode())} bytes"
        assert '<style type="text/css">' not in text and '<script src="">' not in text
        sheets |= set(re.findall(r'<link rel="stylesheet" href="\.\./\.\./(assets/stylesheets/notebook-[0-9a-f]{12}\.css)">',
                                 text))
        outputs = re.findall(r'class="[^"]*\bjp-OutputArea-output\b', text)
        assert len(outputs) >= 6, f"{page}: the outputs stored by `make notebooks` are missing"
    assert len(sheets) == 1
    css = (site / sheets.pop()).read_text(encoding="utf-8")
    assert ".jupyter-wrapper" in css and len(css) > 100_000


@pytest.fixture()
def broken_project(tmp_path):
    return site_root(tmp_path / "repo", VALID)


# A failed build leaving the previous site untouched: tests/test_reproducible.py (build-and-swap).


def test_invalid_data_writes_no_site_and_says_where(broken_project):
    part2 = broken_project / "data" / "questions" / "part2.yml"
    part2.write_text(part2.read_text().replace("    minutes: 5", "    minutes: ten"))
    result = run_handbook("build", root=broken_project)
    assert result.returncode == 1
    assert 'data/questions/part2.yml:13: questions[0].minutes: must be a whole number of minutes, got "ten"' \
        in result.stderr
    assert "Traceback" not in result.stderr
    # each problem once (not once per site), in the words and count `validate` uses, then what happened to site/
    validate = run_handbook("validate", root=broken_project)
    assert result.stderr.splitlines() == [*validate.stderr.splitlines(),
                                          f"no site was built; {broken_project / 'site'} was left as it was"]
    assert not (broken_project / "site" / "interviewer").exists()
    assert not (broken_project / "site" / "candidate").exists()


def test_a_notebook_without_its_ipynb_writes_no_site_and_says_how_to_fix_it(broken_project):
    (broken_project / "snippets" / "notebooks" / "ab_test_sizing.ipynb").unlink()
    result = run_handbook("build", root=broken_project)
    assert result.returncode == 1
    assert ("snippets/notebooks/ab_test_sizing.ipynb is missing (handbook/core/sites.py lists it): `make notebooks` "
            "writes it from snippets/notebooks/ab_test_sizing.py") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (broken_project / "site" / "interviewer").exists()


CODE_SUFFIXES = {".py", ".sh", ".cron", ".service", ".timer", ".yml", ".yaml"}


def test_every_code_snippet_is_embedded_in_a_page():
    """Reference code nobody can see is code nobody reviews: every code file under snippets/ is on some page."""
    from handbook.core.sites import NOTEBOOK_DIR, NOTEBOOKS

    data = load_all(ROOT)
    from handbook.core.sites import source_of

    refs = {source_of(f"{NOTEBOOK_DIR}/{n}") for n in NOTEBOOKS}  # each shown as the .ipynb run from it
    for q in data.questions:
        refs |= {r.path for r in q.snippets} | {r.path for f in q.follow_ups for r in f.see}
    for ex in data.exercises.values():
        refs |= {r.path for r in [*ex.starter_snippets, *ex.reference_snippets]} | ({ex.reviewed_file} - {None})
    code = {p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets").rglob("*")
            if p.is_file() and p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts}
    assert code, "no snippets found"
    assert sorted(code - refs) == []


def test_candidate_site_embeds_only_candidate_visible_snippets(built_sites):
    data = load_all(ROOT)
    starters = [r.path for ex in data.exercises.values() for r in ex.starter_snippets]
    assert starters
    texts = candidate_site_text(built_sites / "candidate")
    for path in starters:
        first_code_line = next(ln.strip() for ln in (ROOT / path).read_text().splitlines()
                               if len(ln.strip()) > 30 and not ln.startswith(("#", '"""')))
        assert any(plain(html.escape(first_code_line)) in t for t in texts.values()), f"{path} is not on the prep site"
