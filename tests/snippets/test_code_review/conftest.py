"""Fixtures for the code-review pipeline: a synthetic customer snapshot, a SQLite warehouse extract and a
stand-in `aws` CLI on PATH that records what it was called with."""

import sqlite3
import stat
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from snippets.code_review import pipeline, pipeline_fixed

FAKE_AWS = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_AWS_DIR/args"
printf '%s' "${AWS_SECRET_ACCESS_KEY:-unset}" > "$FAKE_AWS_DIR/secret"
exit "${FAKE_AWS_EXIT:-0}"
"""


def make_snapshot(n=4000, n_regions=800, seed=0, snapshot_date="2024-01-31"):
    """Customers whose churn label is pure noise: an honest validation AUC is about 0.5."""
    rng = np.random.default_rng(seed)
    signup = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    return pd.DataFrame({
        "customer_id": np.arange(n),
        "snapshot_date": snapshot_date,
        "signup_date": signup.strftime("%Y-%m-%d"),
        "region": [f"r{i:03d}" for i in rng.integers(0, n_regions, n)],
        "monthly_spend": rng.gamma(2.0, 20.0, n).round(2),
        "support_tickets_90d": rng.poisson(1.0, n),
        "logins_30d": rng.poisson(8.0, n),
        "churned": rng.integers(0, 2, n),
    })


@pytest.fixture
def snapshot():
    return make_snapshot


@pytest.fixture
def warehouse(tmp_path):
    """Write snapshots to a SQLite extract with the production table name; returns the db path."""
    def write(*frames):
        path = tmp_path / "warehouse.db"
        with sqlite3.connect(path) as conn:
            for frame in frames:
                frame.to_sql("customer_snapshot", conn, if_exists="append", index=False)
        conn.close()
        return path
    return write


@pytest.fixture
def fake_aws(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "aws"
    script.write_text(FAKE_AWS)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_AWS_DIR", str(tmp_path))
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.delenv("FAKE_AWS_EXIT", raising=False)
    return SimpleNamespace(
        args=lambda: (tmp_path / "args").read_text().splitlines(),
        secret=lambda: (tmp_path / "secret").read_text(),
        fail=lambda: monkeypatch.setenv("FAKE_AWS_EXIT", "1"),
    )


@pytest.fixture(autouse=True)
def empty_model_caches():
    pipeline._model_cache.clear()
    pipeline_fixed._model_cache.clear()
    yield
    pipeline._model_cache.clear()
    pipeline_fixed._model_cache.clear()
