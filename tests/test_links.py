"""Links: every internal link and anchor of both built sites resolves; external links are only listed here.

The network is never touched by `make test`: external URLs are collected into a report, and requested only by
`make linkcheck` (checked below against a server on 127.0.0.1).
"""

from __future__ import annotations

from pathlib import Path

from handbook.core.sites import SITES
from handbook.core.validate import load_all
from handbook.tools.linkcheck import check_sites
from tests.helpers import ROOT, run_handbook


def test_every_internal_link_and_anchor_of_both_sites_resolves(built_sites):
    report = check_sites(built_sites)
    assert report.checked > 1000  # nav, TOC permalinks, cross-links between parts, questions and exercises
    assert report.broken == [], "\n".join(report.broken[:30])


def test_external_links_are_collected_with_their_pages(built_sites):
    report = check_sites(built_sites)
    edit = "https://github.com/ml-platform/ml-interview-handbook/edit/main/data/rubric.yml"
    assert "interviewer/rubric/index.html" in report.external[edit]
    assert not any(page.startswith("candidate/") for url, pages in report.external.items() if "/edit/" in url
                   for page in pages)  # the candidate site has no edit buttons


def test_every_source_url_is_an_external_link_of_its_interviewer_page(built_sites):
    """`sources:` render as a Sources list on the interviewer question or exercise page, so `make linkcheck`
    lists (and, when asked, requests) each URL; the candidate site never links them."""
    data = load_all(ROOT)
    report = check_sites(built_sites)
    expected = [(s.url, f"interviewer/questions/{q.id}/index.html") for q in data.questions for s in q.sources]
    expected += [(s.url, f"interviewer/exercises/{e.id}/index.html") for e in data.exercises.values() for s in e.sources]
    assert len(expected) >= 30
    for url, where in expected:
        assert where in report.external.get(url, set()), f"{url} is not linked from {where}"
    candidate_pages = (built_sites / "candidate").rglob("*.html")
    assert not [p for p in candidate_pages if 'id="sources"' in p.read_text(encoding="utf-8")]


def page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_the_checker_reports_each_kind_of_broken_link(tmp_path):
    """So that a clean report above means something: a missing page, a missing anchor, a path out of the site."""
    site = tmp_path / "interviewer"
    page(site / "index.html", '<a href="parts/">ok</a> <a href="parts/#cues">ok</a> <a href="#top">ok</a> '
                              '<h1 id="top">x</h1> <a href="rubric/">gone</a> <a href="parts/#nope">no anchor</a> '
                              '<a href="../../etc/passwd">out</a> <img src="assets/logo.png"> '
                              '<a href="https://example.org/x">ext</a> <a href="mailto:a@b.c">mail</a>')
    page(site / "parts" / "index.html", '<h2 id="cues">Cues</h2><a href="../index.html#top">up</a>')
    page(tmp_path / "candidate" / "index.html", '<a href="https://example.org/x">ext</a>')
    report = check_sites(tmp_path)
    assert report.broken == [
        "interviewer/index.html: rubric/ (rubric/index.html does not exist)",
        "interviewer/index.html: parts/#nope (no element with id 'nope')",
        "interviewer/index.html: ../../etc/passwd (leaves the site)",
        "interviewer/index.html: assets/logo.png (assets/logo.png does not exist)",
    ]
    assert report.external == {"https://example.org/x": {"interviewer/index.html", "candidate/index.html"}}


def test_linkcheck_lists_external_links_without_requesting_them(built_sites, tmp_path):
    root = tmp_path / "repo"
    (root / "site").mkdir(parents=True)
    for name in SITES:
        (root / "site" / name).symlink_to(built_sites / name)
    result = run_handbook("linkcheck", "--no-external", root=root)
    assert result.returncode == 0, result.stderr
    assert " 0 broken; " in result.stdout
    listed = (root / "site" / "external-links.txt").read_text(encoding="utf-8").splitlines()
    assert listed[0].startswith("# external links")
    urls = [line.split("\t")[0] for line in listed[1:]]
    assert urls == sorted(urls) and len(urls) == len(set(urls)) > 5
    assert all(u.startswith(("https://", "http://")) for u in urls)
