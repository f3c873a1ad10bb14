"""The notebooks: a jupytext .py you edit, and beside it the .ipynb with its executed outputs that the site renders.

`python -m handbook notebooks` (make notebooks) runs each .py top to bottom in a real kernel and writes the .ipynb:
the same cells, numbered cell ids, outputs with streams coalesced, no timings. A docs build then needs no kernel
(mkdocs-jupyter renders the stored outputs), and tests/snippets/test_notebooks executes the .py again and fails
when the committed .ipynb no longer matches what the code prints (`--check` does the same from the command line).
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from ..core.sites import NOTEBOOK_DIR, NOTEBOOKS, source_of

TIMEOUT_S = 60
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


async def execute(py: Path):
    """The notebook of a jupytext .py, executed top to bottom in a fresh python3 kernel (raises on any error)."""
    import jupytext
    from nbclient import NotebookClient
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    notebook = jupytext.read(py)
    client = NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3", allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(py.parent)}})
    await client.async_execute()
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{number}"  # jupytext draws random ids; fixed ones keep the .ipynb and the site stable
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("language_info", None)  # carries the local Python's patch version
    return notebook


class NotebookError(Exception):
    """Notebooks that could not run; the message names each .py and its error."""


def execute_all(root: Path) -> dict[str, object]:
    """Every notebook of handbook/core/sites.py, executed concurrently (one kernel each): {ipynb path: notebook}.
    Raises NotebookError naming every .py that is missing or has a failing cell."""
    paths = [f"{NOTEBOOK_DIR}/{nb}" for nb in NOTEBOOKS]

    async def run():
        return await asyncio.gather(*(execute(root / source_of(p)) for p in paths), return_exceptions=True)

    results = asyncio.run(run())
    failures = []
    for path, result in zip(paths, results, strict=True):
        if isinstance(result, FileNotFoundError):
            failures.append(f"{source_of(path)}: missing (handbook/core/sites.py lists {path})")
        elif isinstance(result, BaseException):
            text = _ANSI.sub("", str(result))  # IPython colours its tracebacks
            lines = [ln for ln in text.strip().splitlines() if ln.strip()] or [type(result).__name__]
            failures.append(f"{source_of(path)}: a cell failed: {lines[-1][:300]}")
    if failures:
        raise NotebookError("\n".join(failures))
    return dict(zip(paths, results, strict=True))


def comparable(notebook) -> list[tuple]:
    """What the site shows of a notebook: each cell's type, source and outputs (ids, counts and metadata aside)."""
    cells = []
    for cell in notebook.cells:
        outputs = []
        for out in cell.get("outputs", []):
            outputs.append((out.get("output_type"), out.get("name"), out.get("text"),
                            dict(sorted(out.get("data", {}).items()))))
        cells.append((cell.cell_type, cell.source, outputs))
    return cells


def stale(root: Path, executed: dict[str, object] | None = None) -> list[str]:
    """The committed .ipynb files that differ from a fresh run of their .py (or are missing)."""
    import nbformat

    executed = executed if executed is not None else execute_all(root)
    out = []
    for path, fresh in executed.items():
        committed = root / path
        if not committed.is_file() or comparable(nbformat.read(committed, as_version=4)) != comparable(fresh):
            out.append(path)
    return out


def main(root: Path, check: bool) -> int:
    import nbformat

    try:
        executed = execute_all(root)
    except NotebookError as err:
        print(err, file=sys.stderr)
        return 1
    if check:
        paths = stale(root, executed)
        for path in paths:
            print(f"{path}: out of date with {source_of(path)}; run `make notebooks` and commit it", file=sys.stderr)
        return 1 if paths else 0
    for path, notebook in executed.items():
        nbformat.write(notebook, root / path)
        print(f"wrote {path}")
    return 0
