"""Shared fixtures: both sites built once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_handbook


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory) -> Path:
    """Both sites of this repository, built with --strict exactly as `make build` does."""
    out = tmp_path_factory.mktemp("site")
    result = run_handbook("build", "--out", str(out))
    assert result.returncode == 0, f"make build failed:\n{result.stdout}\n{result.stderr}"
    return out
