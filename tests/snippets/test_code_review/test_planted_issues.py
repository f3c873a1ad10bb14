"""Each behavioural answer-key entry, demonstrated: the flawed pipeline misbehaves, the corrected one does not.
Test names start with the answer-key id (dashes as underscores); test_answer_key.py relies on that."""

import gc
import hashlib
import os
import pickle
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np
import pytest
import yaml

from snippets.code_review import pipeline, pipeline_fixed

CONFIG = {"C": 1.0, "seed": 7}


# --- security -------------------------------------------------------------------------------------------


def test_hardcoded_aws_credentials_are_handed_to_the_upload_and_the_fix_uses_the_ambient_role(tmp_path, fake_aws):
    artifact_path = tmp_path / "model.pkl"
    artifact_path.write_bytes(b"artifact")

    pipeline.publish_model(artifact_path, "2024-01-31-r1")
    assert fake_aws.secret() == pipeline.AWS_SECRET_ACCESS_KEY  # the key lives in git history for ever

    pipeline_fixed.publish_model(artifact_path, "2024-01-31-r1")
    assert fake_aws.secret() == "unset"  # the CLI resolves the instance role / IRSA itself
    assert not any(name.startswith("AWS_SECRET") for name in vars(pipeline_fixed))


def test_unsafe_yaml_load_runs_code_from_the_config_file(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("C: 1.0\nversion: !!python/object/apply:os.getpid []\n")

    assert pipeline.load_config(config)["version"] == os.getpid()  # arbitrary callable executed
    with pytest.raises(yaml.constructor.ConstructorError):
        pipeline_fixed.load_config(config)


def test_sql_injection_through_snapshot_date_returns_every_day(snapshot, warehouse):
    db = warehouse(snapshot(n=50, snapshot_date="2024-01-30"), snapshot(n=50, snapshot_date="2024-01-31"))
    injected = "2024-01-31' OR '1'='1"

    assert len(pipeline.load_snapshot(db, "2024-01-31")) == 50
    assert len(pipeline.load_snapshot(db, injected)) == 100
    assert len(pipeline_fixed.load_snapshot(db, "2024-01-31")) == 50
    assert len(pipeline_fixed.load_snapshot(db, injected)) == 0


def test_shell_injection_through_the_release_version(tmp_path, fake_aws):
    artifact_path = tmp_path / "model.pkl"
    artifact_path.write_bytes(b"artifact")
    marker = tmp_path / "pwned"
    version = f"r1; touch {marker} #"

    pipeline.publish_model(artifact_path, version)
    assert marker.exists()  # the shell ran the attacker's command

    marker.unlink()
    with pytest.raises(ValueError, match="invalid model version"):
        pipeline_fixed.publish_model(artifact_path, version)
    assert not marker.exists()
    pipeline_fixed.publish_model(artifact_path, "2024-01-31-r1")
    assert fake_aws.args() == ["s3", "cp", str(artifact_path), "s3://acme-ml-models/churn/2024-01-31-r1/model.pkl"]


def test_unsafe_pickle_load_executes_whatever_is_in_the_bucket(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return os.mkdir, (str(marker),)

    legit = tmp_path / "model.pkl"
    digest = pipeline_fixed.save_model({"model": "legit"}, legit)
    legit.write_bytes(pickle.dumps(Exploit()))  # someone with bucket write access swaps the file

    pipeline.load_model(legit)
    assert marker.exists()

    marker.rmdir()
    with pytest.raises(pipeline_fixed.ModelIntegrityError, match="does not match the registry"):
        pipeline_fixed.load_model(legit, digest)
    assert not marker.exists()


# --- error handling -------------------------------------------------------------------------------------


def test_upload_failure_ignored_reports_success_for_a_failed_upload(tmp_path, fake_aws, caplog):
    artifact_path = tmp_path / "model.pkl"
    artifact_path.write_bytes(b"artifact")
    fake_aws.fail()
    caplog.set_level("INFO")

    pipeline.publish_model(artifact_path, "2024-01-31-r1")
    assert "published churn model 2024-01-31-r1" in caplog.text  # the DAG goes green, nothing was uploaded

    caplog.clear()
    with pytest.raises(Exception, match="returned non-zero exit status 1"):
        pipeline_fixed.publish_model(artifact_path, "2024-01-31-r1")
    assert "published" not in caplog.text


def test_scoring_errors_swallowed_turn_a_bad_request_into_confident_no_churn(snapshot, caplog):
    df = snapshot(n=500)
    artifact = pipeline.train(df, CONFIG)
    fixed_artifact = pipeline_fixed.train(df, CONFIG)
    request = df.drop(columns=["churned", "monthly_spend"]).head(5)  # upstream renamed a column

    assert pipeline.score(request, artifact).tolist() == [0.0] * 5
    assert "scoring failed" in caplog.text
    with pytest.raises(ValueError, match=r"missing columns \['monthly_spend'\]"):
        pipeline_fixed.score(request, fixed_artifact)


# --- data leakage, skew, reproducibility ---------------------------------------------------------------


def test_target_encoding_before_split_inflates_validation_auc_on_pure_noise(snapshot):
    df = snapshot(seed=0)  # labels are random: no model can honestly beat AUC 0.5

    assert pipeline.train(df, CONFIG)["val_auc"] > 0.65
    assert abs(pipeline_fixed.train(df, CONFIG)["val_auc"] - 0.5) < 0.08


def test_scaler_fit_before_split_sees_the_validation_rows(snapshot):
    df = snapshot(n=1000)

    assert pipeline.train(df, CONFIG)["scaler"].n_samples_seen_ == 1000
    fixed_scaler = pipeline_fixed.train(df, CONFIG)["model"].named_steps["standardscaler"]
    assert fixed_scaler.n_samples_seen_ == 800  # training rows only


def test_unseeded_split_gives_a_different_model_on_every_run(snapshot):
    df = snapshot(n=1000)

    assert pipeline.train(df, CONFIG)["val_auc"] != pipeline.train(df, CONFIG)["val_auc"]
    first, second = pipeline_fixed.train(df, CONFIG), pipeline_fixed.train(df, CONFIG)
    assert first["val_auc"] == second["val_auc"]
    coefficients = [a["model"].named_steps["logisticregression"].coef_ for a in (first, second)]
    np.testing.assert_array_equal(*coefficients)


def test_tenure_measured_to_wall_clock_inflates_tenure_of_historical_snapshots(snapshot):
    row = snapshot(n=1).assign(snapshot_date="2024-01-31", signup_date="2024-01-01")

    assert pipeline.build_features(row)["tenure_days"].item() > 365  # measured to today, not to the snapshot
    assert pipeline_fixed.build_features(row)["tenure_days"].item() == 30


def test_serving_refits_scaler_so_a_score_depends_on_the_rest_of_the_request(snapshot):
    df = snapshot(n=1000)
    artifact, fixed_artifact = pipeline.train(df, CONFIG), pipeline_fixed.train(df, CONFIG)
    request = df.drop(columns="churned").head(20)

    one_at_a_time = [pipeline.score(request.iloc[[i]], artifact).item() for i in range(5)]
    assert len(set(one_at_a_time)) == 1  # a single-row request is standardised to all zeros
    assert not np.allclose(one_at_a_time, pipeline.score(request, artifact)[:5])

    fixed_single = [pipeline_fixed.score(request.iloc[[i]], fixed_artifact).item() for i in range(5)]
    np.testing.assert_allclose(fixed_single, pipeline_fixed.score(request, fixed_artifact)[:5])


class SpyModel:
    """Stands in front of the trained model to record the feature rows the pipeline feeds it."""

    def __init__(self, model):
        self.model = model
        self.inputs = []

    def predict_proba(self, X):
        self.inputs.append(np.array(X, dtype=float))
        return self.model.predict_proba(X)


class NoScaling:
    """Lets the test read the flawed pipeline's raw features (it re-standardises every request)."""

    def fit_transform(self, X):
        return X


def test_unseen_region_encoded_as_zero_means_zero_percent_churn(snapshot, monkeypatch):
    df = snapshot(n=1000)
    request = df.drop(columns="churned").head(1).assign(region="r-opened-last-week")
    region_column = pipeline.FEATURES.index(pipeline.REGION_FEATURE)
    flawed, fixed = pipeline.train(df, CONFIG), pipeline_fixed.train(df, CONFIG)
    flawed["model"], fixed["model"] = SpyModel(flawed["model"]), SpyModel(fixed["model"])
    monkeypatch.setattr(pipeline, "StandardScaler", NoScaling)

    pipeline.score(request, flawed)
    pipeline_fixed.score(request, fixed)

    assert flawed["model"].inputs[0][0, region_column] == 0.0  # "nobody here ever churns"
    assert fixed["model"].inputs[0][0, region_column] == pytest.approx(fixed["region_prior"])
    assert 0.4 < fixed["region_prior"] < 0.6


# --- performance, resources, threads --------------------------------------------------------------------


class CountingModel:
    def __init__(self, model):
        self.model = model
        self.calls = 0

    def predict_proba(self, X):
        self.calls += 1
        return self.model.predict_proba(X)


def test_row_by_row_predict_calls_the_model_once_per_row(snapshot):
    df = snapshot(n=600)
    request = df.drop(columns="churned").head(200)
    flawed, fixed = pipeline.train(df, CONFIG), pipeline_fixed.train(df, CONFIG)
    flawed["model"], fixed["model"] = CountingModel(flawed["model"]), CountingModel(fixed["model"])

    assert len(pipeline.score(request, flawed)) == 200 and flawed["model"].calls == 200
    assert len(pipeline_fixed.score(request, fixed)) == 200 and fixed["model"].calls == 1


def test_file_handle_never_closed_leaks_a_descriptor_until_gc(tmp_path):
    def resource_warnings(save):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            save()
            gc.collect()
        return [w for w in caught if issubclass(w.category, ResourceWarning)]

    assert resource_warnings(lambda: pipeline.save_model({"a": 1}, tmp_path / "flawed.pkl"))
    assert not resource_warnings(lambda: pipeline_fixed.save_model({"a": 1}, tmp_path / "fixed.pkl"))


def test_model_cache_race_loads_the_model_once_per_thread(tmp_path, monkeypatch):
    path = tmp_path / "model.pkl"
    digest = pipeline_fixed.save_model({"model": "churn-v7"}, path)

    def loads_under_concurrency(module, args):
        real_load = module.load_model
        loads = []

        def slow_load(*load_args):  # a real artifact takes seconds to download and unpickle
            loads.append(threading.get_ident())
            time.sleep(0.05)
            return real_load(*load_args)

        monkeypatch.setattr(module, "load_model", slow_load)
        start = threading.Barrier(8)

        def request():
            start.wait()
            return module.get_model(*args)

        with ThreadPoolExecutor(max_workers=8) as pool:
            models = [f.result() for f in [pool.submit(request) for _ in range(8)]]
        return len(loads), len({id(m) for m in models})

    assert loads_under_concurrency(pipeline, (path,)) == (8, 8)  # 8 loads, 8 different model objects
    assert loads_under_concurrency(pipeline_fixed, (path, digest)) == (1, 1)


# --- testability ----------------------------------------------------------------------------------------


def test_hidden_inputs_in_main_flawed_job_reads_env_wall_clock_and_a_fixed_tmp_path(
        snapshot, warehouse, fake_aws, tmp_path, monkeypatch):
    today = date.today().isoformat()
    db = warehouse(snapshot(n=400, snapshot_date=today), snapshot(n=400, snapshot_date="2024-01-31", seed=1))
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"db_path": str(db), "C": 1.0, "seed": 7, "version": "r1",
                                      "min_auc": 0.0}))
    monkeypatch.setenv("CHURN_CONFIG", str(config))
    leaked = f"/tmp/churn-{today}.pkl"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # the leaked handle has its own test above
            assert pipeline.main() == 0  # the only way in is an environment variable; the date is "today"
            gc.collect()
        assert os.path.exists(leaked)  # and the artifact lands in a shared, predictable /tmp path
    finally:
        if os.path.exists(leaked):
            os.unlink(leaked)

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    argv = ["--config", str(config), "--snapshot-date", "2024-01-31", "--out-dir", str(out_dir)]
    assert pipeline_fixed.main(argv) == 0
    written = out_dir / "churn-2024-01-31.pkl"
    expected_digest = hashlib.sha256(written.read_bytes()).hexdigest()
    assert pipeline_fixed.load_model(written, expected_digest)["seed"] == 7
    assert fake_aws.args()[-1] == "s3://acme-ml-models/churn/r1/model.pkl"


def test_both_jobs_refuse_to_publish_below_the_auc_gate(snapshot, warehouse, fake_aws, tmp_path, monkeypatch):
    today = date.today().isoformat()
    db = warehouse(snapshot(n=400, snapshot_date=today))
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"db_path": str(db), "seed": 7, "version": "r1", "min_auc": 1.01}))
    monkeypatch.setenv("CHURN_CONFIG", str(config))

    assert pipeline.main() == 1
    assert pipeline_fixed.main(["--config", str(config), "--snapshot-date", today, "--out-dir", str(tmp_path)]) == 1
    assert not (tmp_path / "args").exists()  # the aws CLI was never called


@pytest.mark.parametrize("module", [pipeline, pipeline_fixed])
@pytest.mark.parametrize(("mutate", "message"), [
    (lambda df: df.drop(columns="region"), "missing columns"),
    (lambda df: df.head(0), "empty"),
    (lambda df: df.assign(churned=0), "single class"),
])
def test_both_versions_reject_a_malformed_snapshot(snapshot, module, mutate, message):
    with pytest.raises(ValueError, match=message):
        module.train(mutate(snapshot(n=50)), CONFIG)

