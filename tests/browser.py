"""A real headless Chromium for tests: served sites on 127.0.0.1, shadow roots forced open for mermaid."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

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
