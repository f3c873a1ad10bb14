"""Both sites build with --strict from the data; the candidate site never contains interviewer-only text."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest

from handbook.core.model import interviewer_only_strings
from handbook.core.sites import SITES
from handbook.core.validate import load_all
from handbook.site.render import safe_markdown
from tests.helpers import (
    ROOT,
    VALID,
    candidate_site_text,
    hidden_strings,
    plain,
    run_handbook,
    site_root,
    visible_text_of_field,
)


def test_both_sites_are_built(built_sites):
    for site in SITES:
        assert (built_sites / site / "index.html").is_file()
        assert (built_sites / site / "search" / "search_index.json").is_file()
        assert (built_sites / site / "sitemap.xml").is_file()


def test_sitemap_lists_every_page_under_the_configured_site_url(built_sites):
    import yaml

    class EnvLoader(yaml.SafeLoader):
        pass

    EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])  # the default
    EnvLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    for site, config in (("interviewer", "mkdocs.yml"), ("candidate", "mkdocs.candidate.yml")):
        url = yaml.load((ROOT / config).read_text(encoding="utf-8"), EnvLoader)["site_url"]
        locs = re.findall(r"<loc>([^<]+)</loc>", (built_sites / site / "sitemap.xml").read_text(encoding="utf-8"))
        pages = sorted(url + p.parent.relative_to(built_sites / site).as_posix().removeprefix(".") + "/"
                       for p in (built_sites / site).rglob("index.html"))
        pages = [p.replace(url + "/", url) for p in pages]
        assert len(pages) > 3
        assert sorted(locs) == pages, site


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
    for site in SITES:
        for page in (built_sites / site).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            text = re.sub(r'<link\b[^>]*\brel="canonical"[^>]*>', "", text)  # the page's own address: no request
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


# --- nothing on the public site that only the build or the interviewers need ----------------------------------------

# Words that name interviewer-only material: the interviewer-only fields of the data model that name a kind of
# material (a field `red_flags` gives "red flag"), the scorecard page, and the recommendation outcomes of
# data/rubric.yml ("Strong hire"). They are searched, as whole words, where no candidate is meant to read: HTML
# comments, inline scripts and styles, and every stylesheet and script the site ships. The visible text is free to
# use them ("we listen for...", "alert thresholds"): the leak test above guards it.
MATERIAL_FIELDS = {"veto", "strong_margin", "slack_points", "worked_cases", "anchors", "red_flags", "answer_key", "root_cause", "red_herrings",
                   "model_answer", "listen_for", "calibration", "level_bar", "reference_snippets", "how_to_run"}
# Build internals and audience markers: not in any file, visible text included.
BUILD_MARKERS = ["candidate-visible", "interviewer-only", "generated from data/", "<!-- handbook:", "data/interview.yml",
                 "data/rubric.yml", "data/questions/", "data/exercises/", "mkdocs_hook", "handbook/site/"]
BINARY = {".png", ".ico", ".gz", ".woff", ".woff2"}
SCRIPTS = {".js", ".mjs", ".css", ".map"}  # a source map carries its script's comments
TEXT = {".html", ".json", ".xml", ".txt", ""}  # "" is the vendored LICENSE


def interviewer_terms(root: Path) -> list[str]:
    from handbook.core import model

    fields = {name for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, model.Node)
              for name in cls.model_fields
              if name in MATERIAL_FIELDS and model.audience_of(cls, name) == model.INTERVIEWER}
    terms = {name.replace("_snippets", "_solution").replace("_", " ").removesuffix("s") for name in fields}
    rule = load_all(root).rubric.recommendation
    outcomes = {o.lower() for o in interviewer_only_strings(rule) if 1 < len(o.split()) <= 4 and o[0].isupper()}
    return sorted(terms | {"scorecard"} | outcomes)


# sha256 of every vendored mermaid file, checked against `npm pack mermaid@11.17.2` (package/LICENSE, package/dist/)
MERMAID_MANIFEST = ROOT / "tests" / "vendor" / "mermaid-11.17.2.sha256"
MERMAID_DIR = "assets/vendor/mermaid-11.17.2/"


def third_party(site: Path, path: Path) -> bool:
    """A file that is someone else's code, byte for byte: Material's own theme assets (its bundle sets
    IntersectionObserver's `threshold`) and the pinned mermaid build (SVG's `text-anchor`, layout thresholds, the
    "Root cause" of its Ishikawa diagrams). Their vocabulary is not ours to rename, so the word scan skips them; a
    file that differs from the original by one byte is ours and is scanned like any other."""
    import hashlib

    import material

    rel = path.relative_to(site).as_posix()
    if rel.startswith(MERMAID_DIR):
        pinned = dict(reversed(line.split(maxsplit=1)) for line in MERMAID_MANIFEST.read_text().splitlines())
        return pinned.get(rel.removeprefix(MERMAID_DIR)) == hashlib.sha256(path.read_bytes()).hexdigest()
    original = Path(material.__file__).parent / "templates" / rel
    return original.is_file() and original.read_bytes() == path.read_bytes()


def hidden_parts(path: Path, text: str) -> str:
    """The parts of a file a reader does not see as page text: comments, inline scripts and styles, whole scripts."""
    if path.suffix in SCRIPTS:
        return text
    if path.suffix == ".html":
        parts = re.findall(r"<!--(.*?)-->", text, re.DOTALL)
        parts += re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.DOTALL)
        parts += re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.DOTALL)
        return "\n".join(parts)
    return ""


def build_and_audience_leaks(site: Path, terms: list[str]) -> list[str]:
    problems, scanned = [], 0
    words = re.compile(r"\b(" + "|".join(re.escape(t).replace(r"\ ", r"[\s_-]+") for t in terms) + r")s?\b", re.IGNORECASE)
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if path.suffix in BINARY:
            continue
        if path.suffix not in SCRIPTS | TEXT:
            problems.append(f"{rel}: a file of a kind this check does not know; teach it, or keep it off the site")
            continue
        scanned += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        problems += [f"{rel}: build or audience marker {m!r}" for m in BUILD_MARKERS if m in text]
        if path.suffix in SCRIPTS | {""} and third_party(site, path):
            continue
        problems += [f"{rel}: interviewer-only word {m.group(0)!r} in a comment, style or script"
                     for m in words.finditer(hidden_parts(path, text))]
    assert scanned > 100
    return problems


def test_interviewer_terms_follow_the_model():
    terms = interviewer_terms(ROOT)
    for term in ("veto", "strong margin", "slack point", "worked case", "anchor", "red flag", "answer key", "root cause", "reference solution",
                 "scorecard", "strong hire"):
        assert term in terms, (term, terms)


def test_candidate_site_ships_no_build_comment_audience_marker_or_interviewer_script(built_sites):
    site = built_sites / "candidate"
    assert not (site / "assets" / "javascripts" / "scorecard.js").exists()
    assert not (site / "assets" / "stylesheets" / "interviewer.css").exists()
    assert build_and_audience_leaks(site, interviewer_terms(ROOT)) == []


def test_diagram_sources_stay_out_of_the_search_index(built_sites):
    """A search result shows page text: the Mermaid source of a diagram (its config lines, `gantt`, `flowchart LR`)
    is not text a reader should meet there."""
    for site in ("candidate", "interviewer"):
        index = json.loads((built_sites / site / "search" / "search_index.json").read_text(encoding="utf-8"))
        text = " ".join(d["text"] for d in index["docs"])
        assert "dateFormat" not in text and "flowchart LR" not in text and "leftPadding" not in text, site
        assert "60-minute interview" in (built_sites / site / "index.html").read_text(encoding="utf-8")


def test_the_build_and_audience_check_catches_each_kind_of_leak(built_sites, tmp_path):
    site = tmp_path / "candidate"
    shutil.copytree(built_sites / "candidate", site)
    css = site / "assets" / "stylesheets" / "handbook.css"
    css.write_text(css.read_text() + "\n/* Scorecard: the veto row */\n")
    page = site / "faq" / "index.html"
    page.write_text(page.read_text().replace("</article>", "<!-- see the red flags --></article>"))
    loader = site / "assets" / "javascripts" / "mermaid-loader.js"
    loader.write_text(loader.read_text() + "\n// weighted score against the Strong hire bar plus the strong margin\n")
    prepare = site / "prepare" / "index.html"
    prepare.write_text(prepare.read_text().replace("</article>", "<p>(candidate-visible)</p></article>"))
    (site / "assets" / "notes.md").write_text("interviewer notes")
    chunk = next((site / MERMAID_DIR / "chunks").rglob("*.mjs"))  # a vendored file with one added line is ours
    chunk.write_text(chunk.read_text() + "\n/* the answer key */\n")
    problems = build_and_audience_leaks(site, interviewer_terms(ROOT))
    found = " ".join(problems)
    for expected in ("handbook.css: interviewer-only word 'Scorecard'", "handbook.css: interviewer-only word 'veto'",
                     "faq/index.html: interviewer-only word 'red flags'", ("mermaid-loader.js: interviewer-only word "
                     "'Strong hire'"), "mermaid-loader.js: interviewer-only word 'strong margin'",
                     "prepare/index.html: build or audience marker 'candidate-visible'", "assets/notes.md: a file",
                     f"{chunk.name}: interviewer-only word 'answer key'"):
        assert expected in found, (expected, problems)
