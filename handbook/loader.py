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


class _Builder:
    """Turn a composed YAML node tree into values, recording lines and duplicate keys."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._scalar = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc) -> object:
        self.lines[loc] = node.start_mark.line + 1
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
        return self._scalar.construct_object(node, deep=True)


def load(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file. Returns the document, or None and the problems that stopped it."""
    rel = path.relative_to(root).as_posix() if path.is_absolute() else path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, "(file)", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, "(file)", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")]
    if text.startswith("\ufeff"):
        text = text[1:]
    header = text.split("\n", 1)[0]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = str(exc.problem or "syntax error") + (f" ({exc.context})" if exc.context else "")
        return None, [Problem(rel, line, "(file)", f"invalid YAML: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(rel, 1, "(file)", f"invalid YAML: {exc}")]
    if node is None:
        return None, [Problem(rel, 1, "(file)", "file is empty")]
    builder = _Builder(rel)
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(rel, mark.line + 1 if mark else 1, "(file)", f"invalid YAML value: {exc}")]
    return Document(rel, data, builder.lines, header), builder.problems
