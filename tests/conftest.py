"""Shared fixtures: both sites built once per run, shared by every pytest-xdist worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from filelock import FileLock

from tests.helpers import run_handbook


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory) -> Path:
    """Both sites of this repository, built with --strict exactly as `make build` does (once, whatever the workers)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # all workers share one build
    out = shared / "built-sites"
    with FileLock(str(shared / "built-sites.lock")):
        if not (shared / "built-sites.complete").exists():
            result = run_handbook("build", "--out", str(out))
            assert result.returncode == 0, f"make build failed:\n{result.stdout}\n{result.stderr}"
            (shared / "built-sites.complete").touch()
    return out

