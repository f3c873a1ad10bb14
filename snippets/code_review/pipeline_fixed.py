"""Churn model, corrected: the code-review exercise's pipeline with every answer-key issue fixed.

Same entry points as pipeline.py. Run nightly by the `churn_retrain` Airflow DAG
(`python -m churn.pipeline --config ... --snapshot-date ... --out-dir ...`); `score()` and `get_model()`
are imported by the churn-scoring API, which serves requests from a thread pool.
"""

import argparse
import hashlib
import logging
import pickle
import platform
import re
import sqlite3
import subprocess
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

log = logging.getLogger(__name__)

MODEL_BUCKET = "s3://acme-ml-models/churn"  # credentials come from the instance role / IRSA, never from code
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

NUMERIC_FEATURES = ["tenure_days", "monthly_spend", "support_tickets_90d", "logins_30d", "spend_per_login"]
REGION_FEATURE = "region_churn_rate"
FEATURES = NUMERIC_FEATURES + [REGION_FEATURE]
LABEL = "churned"
REQUIRED_COLUMNS = ["customer_id", "snapshot_date", "signup_date", "region", "monthly_spend",
                    "support_tickets_90d", "logins_30d"]

_model_cache: dict[tuple[str, str], dict] = {}
_model_cache_lock = threading.Lock()


class ModelIntegrityError(RuntimeError):
    """The artifact on disk is not the one the model registry recorded."""


def load_config(path: Path) -> dict:
    with open(path) as f:
        return yaml.safe_load(f)


def load_snapshot(db_path: Path, snapshot_date: str) -> pd.DataFrame:
    query = "SELECT * FROM customer_snapshot WHERE snapshot_date = ?"
    with closing(sqlite3.connect(db_path)) as conn:
        df = pd.read_sql_query(query, conn, params=(snapshot_date,))
    log.info("loaded %d rows for %s", len(df), snapshot_date)
    return df


def check_snapshot(df: pd.DataFrame, require_label: bool = True) -> None:
    missing = [c for c in REQUIRED_COLUMNS + ([LABEL] if require_label else []) if c not in df.columns]
    if missing:
        raise ValueError(f"snapshot is missing columns {missing}")
    if df.empty:
        raise ValueError("snapshot is empty")
    if require_label and df[LABEL].nunique() < 2:
        raise ValueError("snapshot has a single class; check the labelling job")


def build_features(df: pd.DataFrame) -> pd.DataFrame:
    """Point-in-time features: tenure is measured at the row's snapshot_date (the request time when serving)."""
    df = df.copy()
    df["tenure_days"] = (pd.to_datetime(df["snapshot_date"]) - pd.to_datetime(df["signup_date"])).dt.days
    df["monthly_spend"] = df["monthly_spend"].fillna(0.0)
    df["support_tickets_90d"] = df["support_tickets_90d"].fillna(0)
    df["logins_30d"] = df["logins_30d"].fillna(0)
    df["spend_per_login"] = df["monthly_spend"] / df["logins_30d"].clip(lower=1)
    return df


def fit_target_encoding(train_df: pd.DataFrame, column: str, target: str) -> tuple[pd.Series, float]:
    """Category means and the global prior, learned from training rows only."""
    return train_df.groupby(column)[target].mean(), float(train_df[target].mean())


def apply_target_encoding(values: pd.Series, means: pd.Series, prior: float) -> pd.Series:
    return values.map(means).astype(float).fillna(prior)  # unseen category: the training prior, as in training


def split_snapshot(df: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The seeded split: the same snapshot and seed always give the same validation rows."""
    return train_test_split(df, test_size=0.2, stratify=df[LABEL], random_state=seed)


def lineage(df: pd.DataFrame, config: dict) -> dict:
    """What trained this artifact: data, config and library versions (the caller adds the code commit)."""
    data_digest = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest()
    return {"snapshot_dates": sorted(df["snapshot_date"].astype(str).unique().tolist()), "rows": len(df),
            "data_sha256": data_digest, "config": dict(config), "python": platform.python_version(),
            "sklearn": sklearn.__version__, "pandas": pd.__version__}


def train(df: pd.DataFrame, config: dict) -> dict:
    check_snapshot(df)
    data_lineage = lineage(df, config)
    df = build_features(df)
    train_df, val_df = split_snapshot(df, config["seed"])
    region_means, prior = fit_target_encoding(train_df, "region", LABEL)
    X_train = _feature_matrix(train_df, region_means, prior)

    model = make_pipeline(StandardScaler(), LogisticRegression(C=config.get("C", 1.0), max_iter=1000))
    model.fit(X_train, train_df[LABEL].to_numpy())  # the scaler sees training rows only
    artifact = {"model": model, "region_means": region_means, "region_prior": prior,
                "seed": config["seed"], "trained_at": datetime.now(UTC).isoformat(), "lineage": data_lineage}
    artifact["val_auc"] = evaluate(artifact, val_df)
    log.info("validation AUC %.4f on %d rows", artifact["val_auc"], len(val_df))
    return artifact


def evaluate(artifact: dict, labelled: pd.DataFrame) -> float:
    """AUC of any artifact (the candidate or the production model) on the same featurised, labelled rows."""
    X = _feature_matrix(labelled, artifact["region_means"], artifact["region_prior"])
    return float(roc_auc_score(labelled[LABEL].to_numpy(), artifact["model"].predict_proba(X)[:, 1]))


def promotion_decision(candidate_auc: float, production_auc: float | None, min_auc: float,
                       max_regression: float) -> tuple[bool, str]:
    """Publish only a model that clears the floor AND is no worse than production on the same rows."""
    if candidate_auc < min_auc:
        return False, f"AUC {candidate_auc:.3f} below the floor {min_auc:.3f}"
    if production_auc is not None and candidate_auc < production_auc - max_regression:
        return False, f"AUC {candidate_auc:.3f} worse than production {production_auc:.3f} on the same rows"
    return True, "promote"


def _feature_matrix(df: pd.DataFrame, region_means: pd.Series, prior: float) -> np.ndarray:
    df = df.assign(**{REGION_FEATURE: apply_target_encoding(df["region"], region_means, prior)})
    return df[FEATURES].to_numpy(dtype=float)


def save_model(artifact: dict, path: Path) -> str:
    """Write the artifact and return its sha256, which the model registry records with the version."""
    payload = pickle.dumps(artifact)
    with open(path, "wb") as f:
        f.write(payload)
    return hashlib.sha256(payload).hexdigest()


def publish_model(local_path: Path, version: str) -> str:
    if not VERSION_PATTERN.fullmatch(version):
        raise ValueError(f"invalid model version {version!r}")
    destination = f"{MODEL_BUCKET}/{version}/model.pkl"
    subprocess.run(["aws", "s3", "cp", str(local_path), destination], check=True)
    log.info("published churn model %s", version)
    return destination


def load_model(path: Path, expected_sha256: str) -> dict:
    """Unpickle only bytes whose digest matches the one the model registry recorded at training time."""
    payload = Path(path).read_bytes()
    digest = hashlib.sha256(payload).hexdigest()
    if digest != expected_sha256:
        raise ModelIntegrityError(f"{path}: sha256 {digest} does not match the registry ({expected_sha256})")
    return pickle.loads(payload)  # safe: the bytes are exactly what training produced


def get_model(path: Path, expected_sha256: str) -> dict:
    key = (str(path), expected_sha256)  # a new version is a new key, even if it is downloaded to the same path
    with _model_cache_lock:  # one load per process, even when many request threads miss at once
        if key not in _model_cache:
            _model_cache[key] = load_model(path, expected_sha256)
        return _model_cache[key]


def score(df: pd.DataFrame, artifact: dict) -> np.ndarray:
    """Churn probability per row. Raises on bad input: the caller returns a 4xx/5xx, not a fake score."""
    check_snapshot(df, require_label=False)
    X = _feature_matrix(build_features(df), artifact["region_means"], artifact["region_prior"])
    model: Pipeline = artifact["model"]
    return model.predict_proba(X)[:, 1]  # one vectorised call with the training-time scaler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train and publish the churn model for one snapshot.")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--snapshot-date", required=True, help="YYYY-MM-DD; Airflow passes {{ ds }}")
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--code-version", required=True, help="git commit of this code; CI passes it")
    parser.add_argument("--production-model", type=Path, help="the artifact now serving, to compare against")
    parser.add_argument("--production-sha256", help="its digest from the model registry")
    args = parser.parse_args(argv)

    config = load_config(args.config)
    df = load_snapshot(config["db_path"], args.snapshot_date)
    artifact = train(df, config)
    artifact["lineage"]["code_version"] = args.code_version
    production_auc = None
    if args.production_model:
        production = load_model(args.production_model, args.production_sha256)
        _, val_df = split_snapshot(build_features(df), config["seed"])  # the candidate's validation rows
        production_auc = evaluate(production, val_df)
    promote, reason = promotion_decision(artifact["val_auc"], production_auc, config.get("min_auc", 0.7),
                                         config.get("max_auc_regression", 0.005))
    if not promote:
        log.error("not publishing: %s", reason)
        return 1
    path = args.out_dir / f"churn-{args.snapshot_date}.pkl"
    digest = save_model(artifact, path)
    version = f"{args.snapshot_date}-{digest[:12]}"  # immutable: every run gets its own key, never overwrites
    destination = publish_model(path, version)
    log.info("registry entry: version=%s uri=%s sha256=%s", version, destination, digest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
