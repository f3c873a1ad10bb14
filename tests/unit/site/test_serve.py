"""handbook/site/serve.py without a server: the error page, the busy-port check, the problem parser (tests/test_serve.py
runs the real `python -m handbook serve`)."""

from __future__ import annotations

import socket

from handbook.site import serve


def test_the_error_page_lists_each_problem_by_file_line_and_field():
    page = serve.error_page(['data/questions/part1.yml:13: questions[0].minutes: must be a whole number, got "<b>"',
                             "1 problem found in data/", "Aborted with a BuildError!"]).decode("utf-8")
    assert ("<tr><td>data/questions/part1.yml</td><td>13</td><td>questions[0].minutes</td>"
            "<td>must be a whole number, got &quot;&lt;b&gt;&quot;</td></tr>") in page  # escaped: data is never markup
    assert "<li>1 problem found in data/</li>" in page and "Aborted" not in page
    assert "reloads by itself" in page and "<link" not in page  # self-contained: no asset of the broken site


def test_a_problem_line_is_split_into_its_parts():
    m = serve.PROBLEM.match("data/rubric.yml:16: areas: rubric weights must sum to 100, got 95")
    assert m and (m["file"], m["line"], m["where"]) == ("data/rubric.yml", "16", "areas")
    assert serve.PROBLEM.match("1 problem found in data/") is None


def test_a_busy_port_is_seen_before_any_build():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert serve.port_in_use("127.0.0.1", port)
    assert not serve.port_in_use("127.0.0.1", port)
