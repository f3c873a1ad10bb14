"""`make serve`: the handbook reloads when data/ changes, and invalid data is refused with the validator's messages."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from handbook.site.build import mkdocs_env
from tests.helpers import VALID, site_root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60.0):
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


@pytest.fixture()
def server(tmp_path):
    root = site_root(tmp_path / "repo", VALID)
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT,
                            env=mkdocs_env(root))
    try:
        url = f"http://127.0.0.1:{port}/parts/part1/"
        wait_for(lambda: "Demo question 1" in fetch(url), timeout=90)
        yield root, url, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_serve_reloads_after_a_yaml_edit_and_refuses_bad_data(server):
    root, url, log = server
    part1 = root / "data" / "questions" / "part1.yml"
    part1.write_text(part1.read_text().replace("title: Demo question 1", "title: Renamed while serving"))
    wait_for(lambda: "Renamed while serving" in fetch(url))

    part1.write_text(part1.read_text().replace("    minutes: 5", "    minutes: five"))

    def logged():
        log.seek(0)
        return 'data/questions/part1.yml:13: questions[0].minutes: must be a whole number of minutes, got "five"' \
            in log.read()

    wait_for(logged)  # refused with the validator's message; mkdocs serve holds requests until the data is fixed

    part1.write_text(part1.read_text().replace("    minutes: five", "    minutes: 5")
                     .replace("Renamed while serving", "Fixed and served again"))
    wait_for(lambda: "Fixed and served again" in fetch(url))
