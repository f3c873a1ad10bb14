"""handbook/core/loader.py: YAML read into plain values with the line of every value, and a one-line reason when
a file cannot be read (the negative cases of tests/unit/core/test_validate.py go through it end to end)."""

from __future__ import annotations

import datetime

import pytest

from handbook.core import loader


def load(tmp_path, text: str | bytes, name: str = "data/x.yml"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return loader.load(path, tmp_path)


def test_values_and_the_line_of_each_value(tmp_path):
    doc, problems = load(tmp_path, "# header\nid: a\nitems:\n  - name: x\n    when: 2026-01-02\n  - 3\n")
    assert problems == [] and doc.header == "# header" and doc.path == "data/x.yml"
    assert doc.data == {"id": "a", "items": [{"name": "x", "when": datetime.date(2026, 1, 2)}, 3]}
    assert doc.line_of(("items", 0, "when")) == 5 and doc.line_of(("items", 1)) == 6
    assert doc.line_of(("items", 0, "missing")) == 4  # a missing key points at its parent
    assert doc.line_of(("nowhere",)) == 2  # ... and an unknown one at the document's first value


@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: 1\na: 2\n", 2, "a: duplicate key"),
    ("other:\n  <<: {x: 1}\n", 2, "other: YAML merge keys (<<) are not supported"),
    ("1: one\n", 1, "(file): keys must be text, got 1"),
    ("when: 2026-13-45\n", 1, "when: 2026-13-45 is not a real date"),
    ("f: !!python/name:os.system\n", 1, "f: YAML tag !!python/name:os.system is not allowed"),
    ("s: !!set {a: null}\n", 1, "s: YAML tag !!set is not allowed"),
])
def test_problems_inside_a_file_that_parses_are_each_reported_with_their_line(tmp_path, text, line, message):
    doc, problems = load(tmp_path, text)
    assert doc is not None
    assert str(problems[0]).startswith(f"data/x.yml:{line}: {message}")


@pytest.mark.parametrize(("content", "line", "message"), [
    (b"", 1, "file is empty"),
    (b"\xff\xfea\x00", 1, "saved as UTF-16 (it starts with a byte order mark); save it as UTF-8"),
    (b"a: 1\nb: \xe9t\xe9\n", 2, ("not valid UTF-8 (byte 0xe9 at offset 8): the file was saved in another encoding; "
                                 "save it as UTF-8 (in VS Code: the encoding in the status bar, then Save with "
                                 "Encoding > UTF-8) and check the characters on that line")),
    (b"a: 1\n\tb: 2\n", 2, "invalid YAML: a tab character; YAML indents with spaces only"),
    (b"a: 1\n---\nb: 2\n", 2, "invalid YAML: a second document (`---`); a data file holds one document"),
    (b"a: [1, 2\n", 2, ("invalid YAML: the [ opened on line 1 is not closed before line 2: add the closing ], or a comma "
                      "between its items (the parser says: expected ',' or ']', but got '<stream end>' (while parsing "
                      "a flow sequence))")),
    (b"a: \x07\n", 1, "invalid YAML: control character U+0007 is not allowed"),
    (b"base: &b {x: 1}\nother: *b\n", 2, ("invalid YAML: YAML aliases (*name) are not supported: write the value out "
                                         "in full")),
])
def test_a_file_that_cannot_be_read_is_one_problem(tmp_path, content, line, message):
    doc, problems = load(tmp_path, content)
    assert doc is None
    assert [str(p) for p in problems] == [f"data/x.yml:{line}: (file): {message}"]


def test_too_big_or_too_deep_is_refused_without_parsing_it(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    doc, problems = load(tmp_path, "a: " + "x" * 200 + "\n")
    assert doc is None and problems[0].message.startswith("file is 0 kB; a data file may be at most 0 kB")
    monkeypatch.setattr(loader, "MAX_BYTES", 2 * 1024 * 1024)
    doc, problems = load(tmp_path, "a: " + "[" * 60 + "]" * 60 + "\n")
    assert doc is None and problems[0].message == "invalid YAML: nested more than 40 levels deep"


def test_a_missing_file_is_named(tmp_path):
    doc, problems = loader.load(tmp_path / "data" / "gone.yml", tmp_path)
    assert doc is None and problems[0].message == "cannot read file: No such file or directory"


def test_locations_read_as_a_path_into_the_file():
    assert loader.format_loc(("questions", 2, "follow_ups", 0, "probe")) == "questions[2].follow_ups[0].probe"
    assert loader.format_loc(()) == "(file)"
    assert loader._size(3 * 1024 * 1024) == "3.0 MB"
