"""The sites this repository builds, and the notebooks the interviewer site serves from outside docs/."""

from __future__ import annotations

from pathlib import Path

# Notebooks live in snippets/notebooks/ and appear at notebooks/<name>/ on the site. Each is a jupytext percent .py
# (the file you edit) and, beside it, the .ipynb with its executed outputs that `make notebooks` writes from it and
# the site renders (handbook/notebooks.py). Listed here by their .ipynb.
NOTEBOOK_DIR = "snippets"
NOTEBOOKS = ["notebooks/drift_detection.ipynb", "notebooks/ab_test_sizing.ipynb"]


def source_of(notebook: str) -> str:
    """snippets/notebooks/x.ipynb -> snippets/notebooks/x.py, the file a contributor edits."""
    return str(Path(notebook).with_suffix(".py"))
