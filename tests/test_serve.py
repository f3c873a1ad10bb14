"""`make serve` (`python -m handbook serve`): reloads on a save, runs the package as it is on disk, and while the data is
invalid answers every page at once with the validator's problems, coming back by itself once they are fixed."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from handbook.site.build import mkdocs_env
from tests.browser import PageWatch, browser
from tests.helpers import ROOT, VALID, site_root

BAD_MINUTES = 'data/questions/part1.yml:13: questions[0].minutes: must be a whole number of minutes, got "five"'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def wait_for(predicate, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


class Served:
    def __init__(self, root, port, log):
        self.root, self.port, self.log_file = root, port, log
        self.base = f"http://127.0.0.1:{port}"

    def log(self) -> str:
        self.log_file.seek(0)
        return self.log_file.read()

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel}: {old!r} not found"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The valid fixture served by `python -m handbook serve`, with its own copy of the package (edited by a test)."""
    tmp = tmp_path_factory.mktemp("serve")
    root = site_root(tmp / "repo", VALID)
    (root / "handbook").unlink()
    shutil.copytree(ROOT / "handbook", root / "handbook", ignore=shutil.ignore_patterns("__pycache__"))
    port = free_port()
    log = (tmp / "serve.log").open("w+")
    # cwd=root: `python -m handbook` runs the copy, not the installed package
    proc = subprocess.Popen([sys.executable, "-m", "handbook", "serve", "--port", str(port)], cwd=root, stdout=log,
                            stderr=subprocess.STDOUT, env=mkdocs_env(root))
    try:
        served = Served(root, port, log)
        wait_for(lambda: "Demo question 1" in fetch(served.base + "/parts/part1/")[1], timeout=180)
        yield served
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_invalid_data_shows_on_every_page_at_once_and_the_site_comes_back(served):
    served.edit("data/questions/part1.yml", "title: Demo question 1", "title: Renamed while serving")
    wait_for(lambda: "Renamed while serving" in fetch(served.base + "/parts/part1/")[1])

    served.edit("data/questions/part1.yml", "    minutes: 5", "    minutes: five")
    wait_for(lambda: fetch(served.base + "/parts/part1/")[0] == 500)
    for path in ("/parts/part1/", "/", "/questions/demo-question-2/", "/no-such-page/"):
        started = time.monotonic()
        status, body = fetch(served.base + path, timeout=5)  # no request waits for a build that cannot succeed
        assert time.monotonic() - started < 2, path
        assert status == 500 and 'id="handbook-build-error"' in body, path
        assert ("<tr><td>data/questions/part1.yml</td><td>13</td><td>questions[0].minutes</td>"
                "<td>must be a whole number of minutes, got &quot;five&quot;</td></tr>") in body
        assert "/livereload/" in body  # the page polls for the next build and reloads itself
    assert served.log().count(BAD_MINUTES) == 1  # printed once for the build, in validate's words
    assert "1 problem found in data/; no site was written" in served.log()
    assert "Traceback" not in served.log()

    served.edit("data/questions/part1.yml", "    minutes: five", "    minutes: 5")
    wait_for(lambda: fetch(served.base + "/parts/part1/")[0] == 200)
    assert "Renamed while serving" in fetch(served.base + "/parts/part1/")[1]
    served.edit("data/questions/part1.yml", "title: Renamed while serving", "title: Demo question 1")


def test_an_edit_to_a_template_or_a_module_of_the_package_shows_on_the_next_reload(served):
    url = served.base + "/questions/demo-question-1/"
    served.edit("handbook/site/templates/question_page.md.j2", "# {{ q.title | inline }}\n",
                "# {{ q.title | inline }}\n\nEdited template in use.\n")
    wait_for(lambda: "Edited template in use." in fetch(url)[1])
    served.edit("handbook/site/render.py", '    return text.replace("<", "&lt;")\n',
                '    return text.replace("<", "&lt;").replace("Demo question 1", "Edited module in use")\n')
    wait_for(lambda: re.search(r"<title>Edited module in use", fetch(url)[1]))


def test_a_clean_serve_prints_no_line_per_page(served):
    start = served.log().split("Serving on", 1)[0].splitlines()  # the first build, up to "Serving on ..."
    assert [line for line in start if "MERMAID2" in line or "notebook" in line] == []
    assert len(start) <= 6, start  # building, cleaning, built in, watching, serving: no line per page


@pytest.mark.browser
def test_the_browser_shows_the_error_page_and_comes_back_by_itself(served):
    with browser() as b:
        watch = PageWatch(b.new_context())
        page = watch.page
        page.goto(served.base + "/parts/part1/")
        page.get_by_role("heading", name="Demo question 1").first.wait_for()
        served.edit("data/questions/part1.yml", "    minutes: 5", "    minutes: five")
        page.locator("#handbook-build-error").wait_for(timeout=90_000)  # no navigation: the page reloaded itself
        row = page.locator("#handbook-build-error tr", has_text="questions[0].minutes")
        assert row.inner_text().split("\t")[:3] == ["data/questions/part1.yml", "13", "questions[0].minutes"]
        served.edit("data/questions/part1.yml", "    minutes: five", "    minutes: 5")
        page.get_by_role("heading", name="Demo question 1").first.wait_for(timeout=90_000)
        assert page.locator("#handbook-build-error").count() == 0
        assert watch.foreign == []


def test_a_busy_port_is_one_line_naming_port_before_any_build(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "handbook", "serve", "--port", str(port)], cwd=ROOT,
                                capture_output=True, text=True, env=mkdocs_env(ROOT), timeout=60,
                                check=False)
        assert time.monotonic() - started < 10  # nothing was built
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        (f"port {port} is in use (another `make serve`?): stop that server, or serve on another port with "
         f"`make serve PORT={port + 1}`")]
    assert result.stdout == ""


def test_make_serve_passes_port_through():
    dry = subprocess.run(["make", "-n", "serve", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert re.search(r"-m handbook serve --port 8001$", dry.stdout, re.MULTILINE), dry.stdout


def test_a_build_reading_files_starts_no_other_build(served):
    """inotify reports the files a build opens, and __pycache__ written by the re-import: neither is a change."""
    served.edit("data/questions/part2.yml", "title: Demo question 2", "title: Demo question 2 (saved once)")
    wait_for(lambda: "saved once" in fetch(served.base + "/questions/demo-question-2/")[1])
    time.sleep(3)
    builds = served.log().count("Building documentation")
    time.sleep(3)
    assert served.log().count("Building documentation") == builds
    served.edit("data/questions/part2.yml", "title: Demo question 2 (saved once)", "title: Demo question 2")
