"""handbook/tools/notebooks.py without a kernel: comparing runs, reporting failures, --check and writing."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from handbook.core.sites import NOTEBOOK_DIR, NOTEBOOKS
from handbook.tools import notebooks
from tests.helpers import VALID

PATHS = [f"{NOTEBOOK_DIR}/{nb}" for nb in NOTEBOOKS]


@pytest.fixture
def root(tmp_path):
    """A project with the fixture's notebooks: their .py and the .ipynb committed beside each."""
    shutil.copytree(VALID / "snippets", tmp_path / "snippets")
    return tmp_path


def committed(root) -> dict[str, object]:
    return {p: nbformat.read(root / p, as_version=4) for p in PATHS}


def test_comparable_ignores_ids_counts_and_metadata_but_not_outputs(root):
    nb = committed(root)[PATHS[0]]
    same = nbformat.from_dict(nb)
    for cell in same.cells:
        cell.id, cell.metadata = "other", {"x": 1}
        if cell.cell_type == "code":
            cell.execution_count = 99
    assert notebooks.comparable(same) == notebooks.comparable(nb)
    code = next(c for c in same.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="changed\n")]
    assert notebooks.comparable(same) != notebooks.comparable(nb)


def test_stale_names_each_ipynb_that_differs_from_a_fresh_run_or_is_missing(root):
    fresh = committed(root)
    assert notebooks.stale(root, fresh) == []
    changed = nbformat.from_dict(fresh[PATHS[0]])
    changed.cells[0].source += "\n# edited"
    (root / PATHS[1]).unlink()
    assert notebooks.stale(root, {PATHS[0]: changed, PATHS[1]: fresh[PATHS[1]]}) == PATHS


def test_execute_all_names_each_missing_py_and_failing_cell(root, monkeypatch):
    async def fake(py):
        if py.name.startswith("drift"):
            raise FileNotFoundError(py)
        raise RuntimeError("\x1b[31mTraceback ...\x1b[0m\nZeroDivisionError: division by zero")

    monkeypatch.setattr(notebooks, "execute", fake)
    with pytest.raises(notebooks.NotebookError) as err:
        notebooks.execute_all(root)
    assert str(err.value).splitlines() == [
        ("snippets/notebooks/drift_detection.py: missing (handbook/core/sites.py lists snippets/notebooks/"
        "drift_detection.ipynb)"),
        "snippets/notebooks/ab_test_sizing.py: a cell failed: ZeroDivisionError: division by zero",
    ]


def test_main_writes_each_ipynb_or_with_check_reports_the_stale_ones(root, monkeypatch, capsys):
    fresh = committed(root)
    changed = nbformat.from_dict(fresh[PATHS[1]])
    changed.cells[0].source += "\n# edited"
    monkeypatch.setattr(notebooks, "execute_all", lambda _: {PATHS[0]: fresh[PATHS[0]], PATHS[1]: changed})
    assert notebooks.main(root, check=True) == 1
    assert capsys.readouterr().err == (f"{PATHS[1]}: out of date with snippets/notebooks/ab_test_sizing.py; run "
                                       "`make notebooks` and commit it\n")
    assert notebooks.main(root, check=False) == 0
    assert capsys.readouterr().out == "".join(f"wrote {p}\n" for p in PATHS)
    assert notebooks.main(root, check=True) == 0


def test_main_reports_a_notebook_that_cannot_run(root, monkeypatch, capsys):
    def broken(_):
        raise notebooks.NotebookError("snippets/notebooks/x.py: a cell failed: boom")

    monkeypatch.setattr(notebooks, "execute_all", broken)
    assert notebooks.main(root, check=False) == 1
    assert capsys.readouterr().err == "snippets/notebooks/x.py: a cell failed: boom\n"
