"""The shell challenge's reference: shellcheck-clean, its bats suite green, its schedules valid."""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SHELL_DIR = ROOT / "snippets" / "shell"
SCRIPT = SHELL_DIR / "retrain.sh"
HERE = Path(__file__).resolve().parent
STUBS = HERE / "stubs"


def _tool(name: str) -> str:
    """Prefer the venv's pinned tool, fall back to PATH."""
    venv_tool = Path(sys.executable).parent / name
    if venv_tool.exists():
        return str(venv_tool)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make test` (it installs the dev dependencies)")
    return found


def _stub_env(tmp_path: Path) -> dict[str, str]:
    state = tmp_path / "state"
    state.mkdir()
    (tmp_path / "tmp").mkdir()
    return {
        **os.environ,
        "STUB_STATE": str(state),
        "TMPDIR": str(tmp_path / "tmp"),
        "RETRAIN_PULL_CMD": str(STUBS / "pull-data"),
        "RETRAIN_TRAIN_CMD": str(STUBS / "train-model"),
        "RETRAIN_EVAL_CMD": str(STUBS / "evaluate-model"),
    }


def _localise(command: str, tmp_path: Path) -> str:
    """Point a production command line at the repo's script and at scratch directories."""
    mapping = {
        "/opt/ml/bin/retrain.sh": str(SCRIPT),
        "/srv/models/ranker": str(tmp_path / "models"),
        "/run/lock/retrain-ranker.lock": str(tmp_path / "ranker.lock"),
        "/run/retrain/ranker.lock": str(tmp_path / "ranker.lock"),
        "/var/log/retrain": str(tmp_path / "log"),
        "/var/lib/node_exporter/textfile": str(tmp_path / "textfile"),
    }
    for prod, local in mapping.items():
        command = command.replace(prod, local)
    leftover = re.findall(r"(?<![\w/])/(?:opt|srv|run|var)/\S+", command)
    assert not leftover, f"unmapped production paths {leftover}: extend the mapping in this test"
    return command


def _dry_run(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command + " --dry-run"],
        check=False,
        env=_stub_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
    )


def _yesterdays(before: dt.datetime) -> set[str]:
    """Yesterday in UTC as of before and after the run (the run may straddle midnight)."""
    after = dt.datetime.now(dt.UTC)
    return {(t - dt.timedelta(days=1)).strftime("%Y-%m-%d") for t in (before, after)}


def test_every_shell_snippet_stub_and_bats_file_passes_shellcheck():
    planted = SHELL_DIR / "read" / "retrain_nightly.sh"  # the shell read's bugs are on purpose (test_shell_read.py)
    scripts = [*sorted(p for p in ROOT.glob("snippets/**/*.sh") if p != planted),
               *sorted(p for p in STUBS.iterdir() if p.is_file()),
               *sorted(HERE.glob("*.bats"))]
    assert SCRIPT in scripts
    result = subprocess.run(
        [_tool("shellcheck"), "--severity=style", *map(str, scripts)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"shellcheck found problems:\n{result.stdout}{result.stderr}"


def test_bats_suite_passes():
    result = subprocess.run(
        [_tool("bats"), "--print-output-on-failure", str(HERE)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"bats failed:\n{result.stdout}{result.stderr}"
    assert re.search(r"^1\.\.(\d+)$", result.stdout, re.MULTILINE), result.stdout
    assert "not ok" not in result.stdout


def test_reference_script_is_executable():
    assert os.access(SCRIPT, os.X_OK), "retrain.sh must be committed with its executable bit"


def test_cron_entry_runs_the_script_with_valid_arguments(tmp_path):
    lines = [ln for ln in (SHELL_DIR / "retrain.cron").read_text().splitlines() if re.match(r"^[\d*]", ln)]
    assert len(lines) == 1, lines
    fields = lines[0].split(None, 6)
    minute, hour, dom, month, dow, user, command = fields
    assert (minute, hour, dom, month, dow, user) == ("30", "2", "*", "*", "*", "mlops")
    # An unescaped % would end the command in a crontab.
    assert not re.search(r"(?<!\\)%", command), "every % in a crontab command must be escaped"
    command, piped = command.split(" 2>&1 | ")
    assert piped == "logger -t retrain-ranker"
    started = dt.datetime.now(dt.UTC)
    result = _dry_run(_localise(command.replace(r"\%", "%"), tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    source = re.search(r"would pull s3://ml-data/ranker/dt=(\S+)", result.stderr)
    assert source and source.group(1) in _yesterdays(started), result.stderr


def test_systemd_service_runs_the_script_with_valid_arguments(tmp_path):
    unit = (SHELL_DIR / "retrain.service").read_text()
    exec_start = re.search(r"^ExecStart=/bin/bash -c '(.*)'$", unit, re.MULTILINE)
    assert exec_start, "ExecStart must be a single bash -c '...' line"
    command = exec_start.group(1).replace("$$", "$").replace("%%", "%")
    assert command.startswith("exec /opt/ml/bin/retrain.sh ")
    started = dt.datetime.now(dt.UTC)
    result = _dry_run(_localise(command, tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    source = re.search(r"would pull s3://ml-data/ranker/dt=(\S+)", result.stderr)
    assert source and source.group(1) in _yesterdays(started), result.stderr
    # The service's writable paths must cover everything the command writes.
    writable = re.search(r"^ReadWritePaths=(.*)$", unit, re.MULTILINE).group(1).split()
    for path in ("/srv/models/ranker", "/var/lib/node_exporter/textfile"):
        assert path in writable


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    for name in ("retrain.service", "retrain.timer"):
        shutil.copy(SHELL_DIR / name, tmp_path / name)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", "retrain.timer", "retrain.service"],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_alert_rules_only_use_metrics_the_script_writes(tmp_path):
    env = _stub_env(tmp_path)
    models = tmp_path / "models"
    result = subprocess.run(
        [str(SCRIPT), "--model-name", "ranker", "--model-dir", str(models),
         "--data-source", "s3://ml-data/ranker/dt=2026-11-26", "--backoff", "0",
         "--lock-file", str(tmp_path / "lock"), "--log-dir", str(tmp_path / "log"),
         "--metrics-dir", str(tmp_path / "textfile")],
        check=False, env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    prom = (tmp_path / "textfile" / "retrain_ranker.prom").read_text()
    samples = [ln for ln in prom.splitlines() if not ln.startswith("#")]
    sample_re = re.compile(r'^(retrain_[a-z_]+)\{model="ranker"\} -?[0-9.e+-]+$')
    assert all(sample_re.match(ln) for ln in samples), prom
    written = {sample_re.match(ln).group(1) for ln in samples}

    rules = yaml.safe_load((SHELL_DIR / "retrain.rules.yml").read_text())
    alerts = {r["alert"]: r for group in rules["groups"] for r in group["rules"]}
    assert set(alerts) == {"RetrainFailed", "RetrainMissedRun", "RetrainModelStale", "RetrainMetricsAbsent"}
    for name, rule in alerts.items():
        used = set(re.findall(r"\bretrain_[a-z_]+", rule["expr"]))
        assert used and used <= written, f"{name} uses {used - written}, which retrain.sh never writes"
    # The rule's exemption is the script's gate-rejection code.
    assert "EX_GATE=7" in SCRIPT.read_text()
    assert "retrain_last_exit_code != 7" in alerts["RetrainFailed"]["expr"]
