"""Churn model: build features from the daily customer snapshot, train, evaluate, publish and score.

Run nightly by the `churn_retrain` Airflow DAG (`python -m churn.pipeline`); `score()` and `get_model()`
are imported by the churn-scoring API, which serves requests from a thread pool.
"""

import logging
import os
import pickle
import sqlite3
import subprocess
from datetime import datetime

import numpy as np
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

log = logging.getLogger(__name__)

MODEL_BUCKET = "s3://acme-ml-models/churn"
AWS_ACCESS_KEY_ID = "AKIA4J7QX2ZKCHURN01"
AWS_SECRET_ACCESS_KEY = "q8Vd2+Lm0eYt9XrS7bWk1NpC4uHa6GfJzR3oTiE5"

NUMERIC_FEATURES = ["tenure_days", "monthly_spend", "support_tickets_90d", "logins_30d", "spend_per_login"]
REGION_FEATURE = "region_churn_rate"
FEATURES = NUMERIC_FEATURES + [REGION_FEATURE]
LABEL = "churned"
REQUIRED_COLUMNS = ["customer_id", "snapshot_date", "signup_date", "region", "monthly_spend",
                    "support_tickets_90d", "logins_30d"]

_model_cache = {}


def load_config(path):
    """Read the job config (hyper-parameters, paths, release version)."""
    with open(path) as f:
        return yaml.load(f, Loader=yaml.Loader)


def load_snapshot(db_path, snapshot_date):
    """Load one day's customer snapshot from the local warehouse extract."""
    conn = sqlite3.connect(db_path)
    query = f"SELECT * FROM customer_snapshot WHERE snapshot_date = '{snapshot_date}'"
    df = pd.read_sql_query(query, conn)
    conn.close()
    log.info("loaded %d rows for %s", len(df), snapshot_date)
    return df


def check_snapshot(df, require_label=True):
    """Fail fast on an empty or malformed extract instead of training on it."""
    missing = [c for c in REQUIRED_COLUMNS + ([LABEL] if require_label else []) if c not in df.columns]
    if missing:
        raise ValueError(f"snapshot is missing columns {missing}")
    if df.empty:
        raise ValueError("snapshot is empty")
    if require_label and df[LABEL].nunique() < 2:
        raise ValueError("snapshot has a single class; check the labelling job")


def build_features(df):
    """Derive model features from raw snapshot columns."""
    df = df.copy()
    signup = pd.to_datetime(df["signup_date"])
    df["tenure_days"] = (pd.Timestamp.now() - signup).dt.days
    df["monthly_spend"] = df["monthly_spend"].fillna(0.0)
    df["support_tickets_90d"] = df["support_tickets_90d"].fillna(0)
    df["logins_30d"] = df["logins_30d"].fillna(0)
    df["spend_per_login"] = df.apply(lambda r: r["monthly_spend"] / max(r["logins_30d"], 1), axis=1)
    return df


def target_encode(df, column, target):
    """Replace a high-cardinality category by the mean of the target for that category."""
    means = df.groupby(column)[target].mean()
    return df[column].map(means), means


def train(df, config):
    """Fit the churn model and report validation AUC."""
    check_snapshot(df)
    df = build_features(df)
    df[REGION_FEATURE], region_means = target_encode(df, "region", LABEL)

    X = df[FEATURES].to_numpy(dtype=float)
    y = df[LABEL].to_numpy()
    scaler = StandardScaler()
    X = scaler.fit_transform(X)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y)

    model = LogisticRegression(C=config.get("C", 1.0), max_iter=1000)
    model.fit(X_train, y_train)
    auc = roc_auc_score(y_val, model.predict_proba(X_val)[:, 1])
    log.info("validation AUC %.4f on %d rows", auc, len(y_val))
    return {"model": model, "scaler": scaler, "region_means": region_means, "val_auc": auc,
            "trained_at": datetime.now().isoformat()}


def save_model(artifact, path):
    """Serialise the trained artifact for upload."""
    f = open(path, "wb")
    pickle.dump(artifact, f)
    return path


def publish_model(local_path, version):
    """Upload the artifact to the model bucket under its release version."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID=AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY=AWS_SECRET_ACCESS_KEY)
    cmd = f"aws s3 cp {local_path} {MODEL_BUCKET}/{version}/model.pkl"
    subprocess.run(cmd, shell=True, env=env)
    log.info("published churn model %s", version)
    return f"{MODEL_BUCKET}/{version}/model.pkl"


def load_model(path):
    """Load an artifact downloaded from the model bucket."""
    with open(path, "rb") as f:
        return pickle.load(f)


def get_model(path):
    """Return the artifact for `path`, loading it once per process."""
    if path not in _model_cache:
        _model_cache[path] = load_model(path)
    return _model_cache[path]


def score(df, artifact):
    """Churn probability for each row of a scoring request."""
    try:
        df = build_features(df)
        df[REGION_FEATURE] = df["region"].map(artifact["region_means"]).fillna(0.0)
        X = StandardScaler().fit_transform(df[FEATURES].to_numpy(dtype=float))
        model = artifact["model"]
        scores = []
        for i in range(len(X)):
            scores.append(model.predict_proba(X[i:i + 1])[0, 1])
        return np.array(scores)
    except Exception:
        log.warning("scoring failed, returning default scores")
        return np.zeros(len(df))


def main():
    config = load_config(os.environ.get("CHURN_CONFIG", "/etc/churn/config.yaml"))
    snapshot_date = datetime.now().strftime("%Y-%m-%d")
    df = load_snapshot(config["db_path"], snapshot_date)
    artifact = train(df, config)
    if artifact["val_auc"] < config.get("min_auc", 0.7):
        log.error("AUC %.3f below threshold, not publishing", artifact["val_auc"])
        return 1
    path = save_model(artifact, f"/tmp/churn-{snapshot_date}.pkl")
    publish_model(path, config["version"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
