"""Read YAML files into plain Python values plus the line number of every value, for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

Loc = tuple[str | int, ...]


@dataclass
class Problem:
    """One thing wrong with the data, reported as `path:line: where: message`."""

    path: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.where}: {self.message}"


@dataclass
class Document:
    """A parsed YAML file: its values and the line of each value, keyed by location."""

    path: str
    data: object
    lines: dict[Loc, int] = field(default_factory=dict)
    header: str = ""

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known location on `loc` (a missing key points at its parent)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


def format_loc(loc: Loc) -> str:
    """('questions', 2, 'minutes') -> 'questions[2].minutes'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Builder:
    """Turn a composed YAML node tree into values, recording lines and duplicate keys."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._scalar = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc) -> object:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            self._tag_problem(node, loc)
        if isinstance(node, yaml.MappingNode):
            out: dict[object, object] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1, format_loc(loc),
                                                 "YAML merge keys (<<) are not supported"))
                    continue
                key = self.build(key_node, (*loc, "<key>"))
                if not isinstance(key, str):
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1, format_loc(loc),
                                                 f"keys must be text, got {key!r}"))
                    key = str(key)
                if key in out:
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 format_loc((*loc, key)), "duplicate key"))
                child = (*loc, key)
                out[key] = self.build(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1
            self.lines.pop((*loc, "<key>"), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        try:
            return self._scalar.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:  # a tag such as !!python/name or !custom
            self._tag_problem(node, loc)
            return node.value
        except ValueError as exc:  # a timestamp-shaped scalar that is no date, e.g. 2026-13-45
            self.problems.append(Problem(self.path, node.start_mark.line + 1, format_loc(loc),
                                         f"{node.value} is not a real date ({exc})"))
            return node.value

    def _tag_problem(self, node: yaml.Node, loc: Loc) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.problems.append(Problem(self.path, node.start_mark.line + 1, format_loc(loc),
                                     f"YAML tag {tag} is not allowed: write plain text, numbers, dates, lists and "
                                     "mappings"))


MAX_BYTES = 2 * 1024 * 1024  # the largest data file is ~60 kB; anything near this is a mistake or an attack
MAX_DEPTH = 40  # the models nest 6 levels deep; deeper YAML would only exhaust the parser's recursion
_BOMS = [(b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
         (b"\xfe\xff", "UTF-16")]


class _Refused(yaml.MarkedYAMLError):
    """A YAML feature the data files may not use (aliases, deep nesting)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader's composer, refusing aliases (no "billion laughs") and absurd nesting."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused(None, None, "YAML aliases (*name) are not supported: write the value out in full", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _yaml_problem(rel: str, exc: yaml.YAMLError, text: str, prefix: str = "invalid YAML") -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return Problem(rel, line, "(file)", f"{prefix}: control character U+{ord(char):04X} is not allowed")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if "found character '\\t' that cannot start any token" in str(exc.problem):
            return Problem(rel, line, "(file)", f"{prefix}: a tab character; YAML indents with spaces only")
        if exc.context == "expected a single document in the stream":
            return Problem(rel, line, "(file)", f"{prefix}: a second document (`---`); a data file holds one document")
        what = str(exc.problem or "syntax error") + (f" ({exc.context})" if exc.context else "")
        start = exc.context_mark.line + 1 if exc.context_mark else line
        plain = _plain_words(str(exc.problem or ""), str(exc.context or ""), line, start)
        return Problem(rel, line, "(file)", f"{prefix}: {plain} (the parser says: {what})" if plain else
                       f"{prefix}: {what}")
    return Problem(rel, 1, "(file)", f"{prefix}: {exc}")


def _plain_words(problem: str, context: str, line: int, start: int) -> str:
    """What a YAML syntax error usually means in a data file, and what to check."""
    if problem == "found unexpected end of stream" and "quoted scalar" in context:
        return f"the quote opened on line {start} is never closed: add the closing quote"
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        return (f"the {bracket} opened on line {start} is not closed before line {line}: add the closing "
                f"{']' if bracket == '[' else '}'}, or a comma between its items")
    if problem == "expected <block end>, but found '<scalar>'":
        return (f"text follows a closing quote on line {line}: a quote opened above it may never be closed (check "
                "the quoted values before this line), or this value needs quoting as a whole")
    if problem.startswith("expected <block end>"):
        return (f"line {line} is not indented like the lines of its block (from line {start}): line it up with the "
                "keys it belongs with, using spaces; or close a quote or bracket left open on the line before")
    if problem == "mapping values are not allowed here":
        return (f"a `: ` where no key can start, on line {line}: if it is inside a value, put the whole value in "
                "double quotes; otherwise check the line's indentation")
    if problem == "could not find expected ':'":
        return (f"a line from {start} to {line} has no `:` after its key: add it, or close a quote or bracket left "
                "open above")
    if "that cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "this character"
        return f"a value cannot start with {char}: put the whole value in double quotes"
    return ""


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def load(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file. Returns the document, or None and the problems that stopped it."""
    rel = path.relative_to(root).as_posix() if path.is_absolute() else path.as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(rel, 1, "(file)", f"file is {_size(size)}; a data file may be at most "
                                  f"{_size(MAX_BYTES)} (move long text into snippets/ or split the file)")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, "(file)", f"cannot read file: {exc.strerror}")]
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return None, [Problem(rel, 1, "(file)", f"saved as {encoding} (it starts with a byte order mark); "
                                  "save it as UTF-8")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, "(file)", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}): "
                              "the file was saved in another encoding; save it as UTF-8 (in VS Code: the encoding "
                              "in the status bar, then Save with Encoding > UTF-8) and check the characters on that line")]
    text = text.removeprefix("\ufeff")
    header = text.split("\n", 1)[0]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(rel, exc, text)]
    if node is None:
        return None, [Problem(rel, 1, "(file)", "file is empty")]
    builder = _Builder(rel)
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(rel, exc, text, "invalid YAML value")]
    return Document(rel, data, builder.lines, header), builder.problems
