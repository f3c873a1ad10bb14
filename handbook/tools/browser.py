"""The one headless-Chromium harness: the browser, its flags, the shadow-root opener, the diagram count and the
static server. `make pdf`, `make bench` and the browser tests all use it."""

from __future__ import annotations

import functools
import gzip
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Chromium as the tests, the PDF and the bench run it: no sandbox (containers run as root), no GPU, and none of the
# background traffic (updates, sync, QUIC probes) that would show up as requests off 127.0.0.1.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
# Material draws each mermaid diagram in a closed shadow root; opening them lets a page script see the <svg>.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, Object.assign({}, init, {mode: 'open'})); };
"""
# A page function: how many mermaid diagrams are drawn (needs OPEN_SHADOW_ROOTS as an init script).
DIAGRAM_COUNT = """() => [...document.querySelectorAll('*')].filter(e => e.shadowRoot)
  .map(e => e.shadowRoot.querySelectorAll('svg[id^="__mermaid"], svg[aria-roledescription]').length)
  .reduce((a, b) => a + b, 0)"""
# For page.wait_for_function(DIAGRAMS_DRAWN, arg=n): true once at least n diagrams are drawn.
DIAGRAMS_DRAWN = f"n => ({DIAGRAM_COUNT})() >= n"
DIAGRAM_TAG = '<pre class="mermaid"'  # how a diagram appears in a built page before mermaid draws it


def diagrams_in(html: str) -> int:
    """How many mermaid diagrams a built page holds."""
    return html.count(DIAGRAM_TAG)


def find_chromium() -> str | None:
    """The system Chromium (Debian: apt-get install chromium), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def launch(executable: str | None = None):
    """A headless Chromium with CHROMIUM_FLAGS (Playwright drives the system browser; it downloads none)."""
    from playwright.sync_api import sync_playwright

    executable = executable or find_chromium()
    if not executable:
        raise RuntimeError("no Chromium on PATH (Debian: apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


# ---------------------------------------------------------------- the static server

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".py", ".ipynb")


class _Handler(SimpleHTTPRequestHandler):
    """Static files as a static host serves them: with compress, text is gzipped when the client accepts it and a
    miss gets the site's 404.html; every response's size is recorded (the bench reads page weight from it)."""

    server: StaticServer

    def log_message(self, *args):
        pass

    def send_head(self):
        if not self.server.compress:
            return self._record(super().send_head())
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?")[0] + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.server.record(self.path, 0)
                return None
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
            if not path.is_file():
                self.send_error(404)
                return None
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        gzipped = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            body = self.server.gzip(path, body)
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.server.record(self.path, len(body))
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def _record(self, handle):
        if handle is not None:
            try:
                size = Path(handle.name).stat().st_size
            except (AttributeError, OSError):
                size = 0
            self.server.record(self.path, size)
        return handle


class StaticServer(ThreadingHTTPServer):
    """A built site on 127.0.0.1 on a free port; `url` ends without a slash."""

    daemon_threads = True

    def __init__(self, directory: Path, compress: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
        self.compress = compress
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self._cache: dict[Path, bytes] = {}
        self._lock = threading.Lock()
        self.requests: list[tuple[str, int]] = []

    def gzip(self, path: Path, body: bytes) -> bytes:
        with self._lock:
            if path not in self._cache:
                self._cache[path] = gzip.compress(body, compresslevel=6, mtime=0)
            return self._cache[path]

    def record(self, path: str, size: int) -> None:
        with self._lock:
            self.requests.append((path, size))

    def take(self) -> list[tuple[str, int]]:
        """The (path, bytes sent) of every request since the last take."""
        with self._lock:
            taken, self.requests = self.requests, []
            return taken


@contextmanager
def serve_site(directory: Path, compress: bool = False) -> Iterator[StaticServer]:
    """The running server for a built site (the page's scripts and styles load as they do when published)."""
    server = StaticServer(directory, compress)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)  # quick stop
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A built site on 127.0.0.1: yields its base URL, e.g. http://127.0.0.1:40123 (no trailing slash)."""
    with serve_site(directory) as server:
        yield server.url
