"""Generate the JSON Schemas that editors use to check data files, and the scorecard export's (under data/schemas/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import loader
from .model import ROOT_MODELS
from .scorecard import ScorecardExport
from .validate import SCHEMA_DIR

HEADER = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


def schemas() -> dict[str, str]:
    """File name -> JSON text, one schema per kind of data file."""
    out = {}
    for kind, model in ROOT_MODELS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
        schema["title"] = f"ML Engineer interview handbook: {kind} file"
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    # not a data file: the scorecard's JSON export, read by `handbook debrief` (docs/interviewer/scorecard.md)
    card = {"$schema": "https://json-schema.org/draft/2020-12/schema", **ScorecardExport.model_json_schema()}
    out["scorecard.schema.json"] = json.dumps(card, indent=2, sort_keys=True) + "\n"
    return out


def stale(root: Path) -> list[str]:
    """Schema files under data/schemas/ that differ from what the model generates now."""
    return [name for name, text in schemas().items()
            if not (root / SCHEMA_DIR / name).is_file() or (root / SCHEMA_DIR / name).read_text() != text]


def write(root: Path) -> list[str]:
    (root / SCHEMA_DIR).mkdir(parents=True, exist_ok=True)
    changed = stale(root)
    for name, text in schemas().items():
        (root / SCHEMA_DIR / name).write_text(text)
    return changed


def declared_problems(name: str) -> list[str]:
    """One data file against the JSON Schema its first line names, as an editor checks it while you type (the
    pre-commit hook `data-matches-declared-schema`): `name: where: what` for each problem, read with the project's
    loader. `make validate` checks far more (the model and the cross-file rules); this is the editor's view."""
    from jsonschema import Draft202012Validator
    from jsonschema.validators import validator_for

    path = Path(name).resolve()
    doc, problems = loader.load(path, path.parent)
    if doc is None:
        return [f"{name}:{p.line}: {p.message}" for p in problems]
    head = HEADER.match(doc.header)
    if head is None:
        return [f"{name}:1: the first line must be # yaml-language-server: $schema=<relative path>"]
    target = path.parent / head.group(1)
    if not target.is_file():
        return [f"{name}:1: the schema its first line names, {head.group(1)}, does not exist"]
    schema = json.loads(target.read_text(encoding="utf-8"))
    validator = validator_for(schema, default=Draft202012Validator)(schema)
    data = json.loads(json.dumps(doc.data, default=str))  # dates as text, as an editor sees them
    return [f"{name}: {'/'.join(str(part) for part in err.absolute_path) or '(top level)'}: {err.message}"
            for err in validator.iter_errors(data)]
