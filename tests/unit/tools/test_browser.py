"""handbook/tools/browser.py without a browser: the static server as a static host serves a site, and the scripts."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from handbook.tools import browser


@pytest.fixture
def site(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>page a</p>" * 50, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" * 10)
    (tmp_path / "404.html").write_text("not here", encoding="utf-8")
    return tmp_path


def get(url: str, gzip_ok: bool = True):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_the_plain_server_serves_files_and_records_each_request(site):
    with browser.serve_site(site) as server:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith("/")
        status, headers, body = get(f"{server.url}/a/", gzip_ok=True)
        assert status == 200 and body == (site / "a" / "index.html").read_bytes()
        assert "Content-Encoding" not in headers
        assert get(f"{server.url}/missing.html")[0] == 404
        assert server.take() == [("/a/", len(body))]  # a 404 sends no file
        assert server.take() == []


def test_the_compressing_server_gzips_text_redirects_folders_and_serves_the_404_page(site):
    with browser.serve_site(site, compress=True) as server:
        status, headers, body = get(f"{server.url}/a/")
        assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
        assert gzip.decompress(body) == (site / "a" / "index.html").read_bytes()
        assert len(body) < (site / "a" / "index.html").stat().st_size
        status, headers, body = get(f"{server.url}/logo.png")
        assert status == 200 and "Content-Encoding" not in headers and body.startswith(b"\x89PNG")
        status, headers, _ = get(f"{server.url}/a")
        assert status == 301 and headers["Location"] == "/a/"
        status, _, body = get(f"{server.url}/nope/")
        assert (status, gzip.decompress(body)) == (404, b"not here")  # the site's own 404 page
        assert get(f"{server.url}/a/", gzip_ok=False)[1].get("Content-Encoding") is None
        recorded = server.take()
        assert [p for p, _ in recorded] == ["/a/", "/logo.png", "/a", "/nope/", "/a/"]
        assert recorded[2][1] == 0


def test_without_a_404_page_a_miss_is_a_plain_404(tmp_path):
    with browser.serve_site(tmp_path, compress=True) as server:
        assert get(f"{server.url}/x")[0] == 404


def test_serve_yields_the_base_url_and_stops_the_server(site):
    with browser.serve(site) as base:
        assert get(f"{base}/a/")[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{base}/a/", timeout=2)


def test_the_diagram_scripts_are_one_function_used_two_ways():
    assert browser.DIAGRAMS_DRAWN == f"n => ({browser.DIAGRAM_COUNT})() >= n"
    assert browser.diagrams_in('<pre class="mermaid">a</pre><pre class="mermaid">b</pre><pre>c</pre>') == 2
    assert "mode: 'open'" in browser.OPEN_SHADOW_ROOTS
    assert "--no-sandbox" in browser.CHROMIUM_FLAGS and "--headless" not in browser.CHROMIUM_FLAGS


def test_launch_without_chromium_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    assert browser.find_chromium() is None
    with pytest.raises(RuntimeError, match="apt-get install chromium"), browser.launch():
        pass
