"""handbook/tools/linkcheck.py on small hand-written sites: internal links and anchors, external links listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.tools import linkcheck
from handbook.tools.browser import serve


def page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


@pytest.fixture
def sites(tmp_path: Path) -> Path:
    """site/interviewer and site/candidate, with one good and every kind of broken link."""
    root = tmp_path / "site"
    iv = root / "interviewer"
    page(iv / "index.html", '<a href="rubric/#weights">w</a> <a href="#top" id="top">t</a> <a name="old">o</a>'
                            '<a href="#old">o</a> <img src="assets/logo.png"> <a href="https://example.org/x">e</a>'
                            '<a href="mailto:a@b.c">m</a> <a href="">empty</a> <script src="//cdn.example/x.js"></script>')
    page(iv / "rubric" / "index.html", '<h2 id="weights">W</h2><a href="../missing/">m</a><a href="../#nope">n</a>'
                                       '<a href="../../../etc/passwd">out</a><a href="/rubric/">abs</a>')
    (iv / "assets").mkdir()
    (iv / "assets" / "logo.png").write_bytes(b"\x89PNG")
    page(root / "candidate" / "index.html", '<a href="https://example.org/x">e</a><a href="faq/">f</a>')
    page(root / "candidate" / "faq" / "index.html", '<a href="../index.html#">home</a>')
    return root


def test_broken_links_missing_anchors_and_links_out_of_the_site_are_each_reported(sites):
    report = linkcheck.check_sites(sites)
    assert sorted(report.broken) == [
        "interviewer/rubric/index.html: ../#nope (no element with id 'nope')",
        "interviewer/rubric/index.html: ../../../etc/passwd (leaves the site)",
        "interviewer/rubric/index.html: ../missing/ (missing/index.html does not exist)",
    ]
    assert report.checked == 10  # mailto: and empty links are not checked, external ones listed
    assert report.external == {"https://example.org/x": {"interviewer/index.html", "candidate/index.html"},
                               "//cdn.example/x.js": {"interviewer/index.html"}}


def test_external_links_are_listed_sorted_with_their_pages(sites, tmp_path):
    dest = tmp_path / "external.txt"
    linkcheck.write_external(linkcheck.check_sites(sites), dest)
    assert dest.read_text(encoding="utf-8").splitlines() == [
        "# external links of the built sites: URL<TAB>pages (checked by `make linkcheck`)",
        "//cdn.example/x.js\tinterviewer/index.html",
        "https://example.org/x\tcandidate/index.html, interviewer/index.html",
    ]


def test_main_fails_on_a_broken_link_and_lists_external_links_without_requesting_them(sites, capsys):
    assert linkcheck.main(sites.parent, check_external=False) == 1
    out = capsys.readouterr()
    assert "broken: interviewer/rubric/index.html: ../missing/" in out.err
    assert out.out.startswith("10 internal links checked, 3 broken; 2 external links listed in ")
    assert (sites / "external-links.txt").is_file()


def test_main_passes_a_clean_site_and_reports_external_failures(sites, capsys, monkeypatch):
    page(sites / "interviewer" / "rubric" / "index.html", '<h2 id="weights">W</h2>')
    monkeypatch.setattr(linkcheck, "probe", lambda url: None if url.startswith("https:") else "HTTP 404")
    assert linkcheck.main(sites.parent) == 1
    out = capsys.readouterr()
    assert "external: //cdn.example/x.js: HTTP 404 (on interviewer/index.html)" in out.err
    assert "1 of 2 external links answered" in out.out
    monkeypatch.setattr(linkcheck, "probe", lambda url: None)
    assert linkcheck.main(sites.parent) == 0


def test_main_without_a_built_site_says_to_build_first(tmp_path, capsys):
    assert linkcheck.main(tmp_path) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"no built site in {tmp_path / 'site'} (interviewer, candidate): run `make build` first")


def test_probe_answers_none_for_a_page_and_why_not_otherwise(tmp_path):
    (tmp_path / "ok.html").write_text("ok", encoding="utf-8")
    with serve(tmp_path) as base:
        assert linkcheck.probe(f"{base}/ok.html") is None
        assert linkcheck.probe(f"{base}/missing.html") == "HTTP 404"
    assert linkcheck.probe(f"{base}/ok.html", timeout=2).startswith("unreachable")  # the server is gone


def test_resolve_and_is_external():
    site = Path("/s")
    assert linkcheck.resolve(site, site / "a" / "index.html", "../b/#x") == (site / "b" / "index.html", "x")
    assert linkcheck.resolve(site, site / "a" / "index.html", "#y") == (site / "a" / "index.html", "y")
    assert linkcheck.resolve(site, site / "a" / "index.html", "/c%20d.html") == (site / "c d.html", "")
    assert linkcheck.is_external("//cdn.example/x") and not linkcheck.is_external("../x")
