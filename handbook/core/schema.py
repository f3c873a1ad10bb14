"""Generate the JSON Schemas that editors use to check data files, and the scorecard export's (under data/schemas/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
