"""Each data file against the JSON Schema its own first line names, as an editor checks it (the pre-commit hook).

The file is read by the handbook's loader (handbook.core.loader), so it parses exactly as `validate` parses it: a
date stays a date and is checked as the `YYYY-MM-DD` text an editor sees, aliases and custom tags are refused the
same way, and each problem names the line of the value.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from pathlib import Path

from . import loader
from .loader import Problem, format_loc

HEADER = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


def as_json(value: object) -> object:
    """The loaded values as JSON sees them: dates as ISO text (what the schema's `format: date` expects)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def check(path: Path, root: Path) -> list[Problem]:
    """Problems of one file against the schema its header names (none when it matches)."""
    import jsonschema  # a dev dependency: only the hook and the tests need it

    if path.is_relative_to(root):
        doc, problems = loader.load(path, root)
    else:  # a file outside the repository: named as given
        doc, problems = loader.load(path, path.parent)
        problems = [dataclasses.replace(p, path=str(path)) for p in problems]
        if doc is not None:
            doc.path = str(path)
    if doc is None:
        return problems
    head = HEADER.match(doc.header)
    if head is None:
        return [*problems, Problem(doc.path, 1, "(header)", "the first line must be "
                                   "`# yaml-language-server: $schema=<relative path to its schema>`")]
    schema_path = (path.parent / head.group(1)).resolve()
    try:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [*problems, Problem(doc.path, 1, "(header)", f"cannot read the schema {head.group(1)}: {exc}")]
    validator_cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    for err in sorted(validator.iter_errors(as_json(doc.data)), key=lambda e: list(map(str, e.absolute_path))):
        loc = tuple(err.absolute_path)
        problems.append(Problem(doc.path, doc.line_of(loc), format_loc(loc), err.message))
    return problems


def check_files(paths: list[Path], root: Path) -> list[Problem]:
    out: list[Problem] = []
    for path in paths:
        out += check(path if path.is_absolute() else root / path, root)
    return out
