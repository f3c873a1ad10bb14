"""A real headless Chromium for tests: served sites on 127.0.0.1, shadow roots forced open for mermaid."""

from __future__ import annotations

import functools
import io
import json
import os
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# The one harness, shared with `make pdf` and the bench (handbook/tools/browser.py): static server, Chromium flags,
# shadow-root opener and diagram count. Material draws each diagram in a closed shadow root; OPEN_SHADOW_ROOTS opens
# them so a test can see the <svg>.
from handbook.tools.browser import (
    DIAGRAM_COUNT,
    DIAGRAMS_DRAWN,
    OPEN_SHADOW_ROOTS,
    find_chromium,
    launch,
    serve,
)

__all__ = ["DIAGRAMS_DRAWN", "DIAGRAM_COUNT", "OPEN_SHADOW_ROOTS", "PageWatch", "browser", "need_chromium", "serve"]
CHROMIUM = find_chromium()


def need_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no chromium on PATH: .ci/run must install it")
    pytest.skip("no Chromium on this machine (apt-get install chromium); browser tests run in CI")


@contextmanager
def browser():
    with launch(need_chromium()) as b:
        yield b


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


# axe-core, vendored: every WCAG 2.x A/AA rule and axe's best practices (what Lighthouse's accessibility score is
# built from, and more).
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at " + ", ".join(json.dumps(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"]]
