"""A real headless Chromium for tests: served sites on 127.0.0.1, shadow roots forced open for mermaid."""

from __future__ import annotations

import os
from contextlib import contextmanager

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
