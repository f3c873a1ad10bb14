"""A real headless Chromium for tests: served sites on 127.0.0.1, shadow roots forced open for mermaid."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# The one static server, Chromium flags and shadow-root opener, shared with `make pdf`. Material draws each diagram
# in a closed shadow root; OPEN_SHADOW_ROOTS opens them so a test can see the <svg>.
from handbook.tools.pdf import CHROMIUM_FLAGS as FLAGS
from handbook.tools.pdf import OPEN_SHADOW_ROOTS, serve  # noqa: F401 - re-exported for the tests

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def need_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no chromium on PATH: .ci/run must install it")
    pytest.skip("no Chromium on this machine (apt-get install chromium); browser tests run in CI")


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    executable = need_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


class PageWatch:
    """A page that records console errors, page errors and requests to hosts other than 127.0.0.1."""

    def __init__(self, context) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)

    def _request(self, request) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            self.foreign.append(url)

    def reset(self) -> None:
        self.errors.clear()
        self.foreign.clear()


class _SubPath(SimpleHTTPRequestHandler):
    """The site at `prefix` (e.g. /ml-interview-handbook/), as GitHub Pages serves a project site: a missing page gets
    the site's 404.html with status 404, whatever its depth."""

    prefix = "/"

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(self.prefix):
            self.path = "/" + path[len(self.prefix):]
            target = Path(self.translate_path(self.path))
            if target.is_file() or (target / "index.html").is_file():
                return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


@contextmanager
def serve_under(directory: Path, prefix: str):
    """The built site served at http://127.0.0.1:PORT{prefix} (prefix starts and ends with /)."""
    handler = type("Handler", (_SubPath,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
