"""The 2-minute shell read: each planted bug in retrain_nightly.sh, demonstrated by running the script with real
bash against stub commands, next to the fixed script that does not have it; the key points at the right lines."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
READ_DIR = ROOT / "snippets" / "shell" / "read"
BUGGY = READ_DIR / "retrain_nightly.sh"
FIXED = READ_DIR / "retrain_nightly_fixed.sh"
STUBS = Path(__file__).resolve().parent / "read_stubs"
KEY_FILE = ROOT / "data" / "exercises" / "shell-read.yml"

# One pattern per keyed line, in order: moving a line in the script breaks this until the key is updated.
LINE_CHECKS = {
    "unset-work-dir-wipes-home": [r"^cd \$WORK_DIR$", r"^rm -rf \./\*$"],
    "tee-hides-training-failure": [r"^set -e$", r"\| tee train\.log$"],
    "greater-than-is-a-redirect": [r"^if \[ \$new > \$old \]; then$"],
    "live-model-overwritten-in-place": [r"^  cp model\.bin \$LIVE_DIR/model\.bin$"],
    "unquoted-paths": [r"^cd \$WORK_DIR$", r"evaluate-model \$LIVE_DIR/model\.bin", r"cp model\.bin \$LIVE_DIR/"],
}


def _tool(name: str) -> str:
    """The venv's pinned tool, else the one on PATH (as test_retrain.py does)."""
    venv_tool = Path(sys.executable).parent / name
    found = str(venv_tool) if venv_tool.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make setup`")
    return found


@pytest.fixture
def box(tmp_path):
    """A sandbox: HOME with a file that must survive, an empty work dir, a live model scoring 0.90."""
    home, work, live = tmp_path / "home", tmp_path / "work", tmp_path / "live"
    for d in (home, work, live):
        d.mkdir()
    (home / "notes.txt").write_text("keep me\n")
    (live / "model.bin").write_text("0.90\n")
    env = {"PATH": f"{STUBS}:{os.environ['PATH']}", "HOME": str(home), "WORK_DIR": str(work),
           "LIVE_DIR": str(live), "LC_ALL": "C"}
    return {"home": home, "work": work, "live": live, "env": env, "tmp": tmp_path}


def run(script: Path, box: dict, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**box["env"], **env}
    for name in [k for k, v in env.items() if v is None]:
        full.pop(name)
    return subprocess.run(["bash", str(script)], cwd=box["tmp"], env=full, capture_output=True, text=True,
                          check=False, timeout=30)


def live_model(box: dict) -> str:
    return (box["live"] / "model.bin").read_text().strip()


@pytest.mark.parametrize("script", [BUGGY, FIXED], ids=["buggy", "fixed"])
def test_both_scripts_promote_a_better_model_on_a_good_night(box, script):
    result = run(script, box, STUB_METRIC="0.93")
    assert result.returncode == 0, result.stderr
    assert live_model(box) == "0.93"


def test_unset_work_dir_wipes_home(box):
    """`cd` with no argument goes to $HOME and succeeds, so `set -e` does not stop `rm -rf ./*` there."""
    result = run(BUGGY, box, WORK_DIR=None)
    assert result.returncode == 0, result.stderr
    assert not (box["home"] / "notes.txt").exists(), "the buggy script deleted the home directory's files"
    (box["home"] / "notes.txt").write_text("keep me\n")
    result = run(FIXED, box, WORK_DIR=None)
    assert result.returncode != 0 and "WORK_DIR is not set" in result.stderr
    assert (box["home"] / "notes.txt").read_text() == "keep me\n"


def test_tee_hides_training_failure(box):
    """Without pipefail the pipeline's status is tee's: a training run that crashed after writing an artifact
    is evaluated and promoted, and the script reports success."""
    result = run(BUGGY, box, STUB_METRIC="0.95", STUB_TRAIN_EXIT="1")
    assert result.returncode == 0
    assert live_model(box) == "0.95"
    result = run(FIXED, box, STUB_METRIC="0.97", STUB_TRAIN_EXIT="1")
    assert result.returncode == 1
    assert live_model(box) == "0.95"


def test_greater_than_is_a_redirect(box):
    """`[ $new > $old ]` is `[ $new ]` with stdout sent to a file named after the live score: always true."""
    result = run(BUGGY, box, STUB_METRIC="0.70")
    assert result.returncode == 0, result.stderr
    assert live_model(box) == "0.70", "a worse model was promoted"
    assert (box["work"] / "0.90").is_file(), "the comparison created a file named after the live score"
    (box["live"] / "model.bin").write_text("0.90\n")
    for worse in ("0.70", "nan", "ERROR"):
        result = run(FIXED, box, STUB_METRIC=worse)
        assert result.returncode == 0, result.stderr
        assert live_model(box) == "0.90", f"the fixed script promoted {worse!r}"
    assert not (box["work"] / "0.90").exists()


@pytest.mark.parametrize("live_score", ["nan", "", "ERROR"])
def test_fixed_script_never_promotes_over_a_live_score_that_is_not_a_number(box, live_score):
    """The numeric check covers both sides: a live model whose evaluation prints `nan`, nothing or an error is a
    failed comparison, not a score of 0 that any new model beats (awk reads a non-number as 0)."""
    (box["live"] / "model.bin").write_text(f"{live_score}\n")
    result = run(FIXED, box, STUB_METRIC="0.93")
    assert result.returncode == 0, result.stderr
    assert live_model(box) == live_score, f"the fixed script promoted over a live score of {live_score!r}"


def test_live_model_overwritten_in_place(box):
    """`cp` onto the live file rewrites the inode the server has open and keeps no previous model."""
    inode = (box["live"] / "model.bin").stat().st_ino
    with (box["live"] / "model.bin").open() as serving:  # the server holds the live model open
        assert run(BUGGY, box, STUB_METRIC="0.93").returncode == 0
        assert serving.read().strip() == "0.93", "the file under the reader changed: a reload mid-copy reads a mix"
    assert (box["live"] / "model.bin").stat().st_ino == inode
    assert all(p.read_text().strip() != "0.90" for p in box["live"].iterdir()), "no copy of the old model is left"

    (box["live"] / "model.bin").write_text("0.90\n")
    with (box["live"] / "model.bin").open() as serving:
        assert run(FIXED, box, STUB_METRIC="0.93").returncode == 0
        assert serving.read().strip() == "0.90", "the reader keeps a whole old model; the next open gets the new one"
    assert live_model(box) == "0.93"
    assert (box["live"] / "model.bin.previous").read_text().strip() == "0.90"


def test_unquoted_paths(box):
    """A LIVE_DIR with a space splits into two arguments: the run fails and never promotes."""
    spaced = box["tmp"] / "live models"
    spaced.mkdir()
    (spaced / "model.bin").write_text("0.90\n")
    result = run(BUGGY, box, LIVE_DIR=str(spaced), STUB_METRIC="0.93")
    assert result.returncode != 0 and "2 arguments given" in result.stderr
    assert (spaced / "model.bin").read_text().strip() == "0.90"
    result = run(FIXED, box, LIVE_DIR=str(spaced), STUB_METRIC="0.93")
    assert result.returncode == 0, result.stderr
    assert (spaced / "model.bin").read_text().strip() == "0.93"


def test_shellcheck_finds_only_some_of_the_planted_bugs():
    """shellcheck flags the quoting and the redirect; it cannot see the other three, which is why the key has tests."""
    buggy = subprocess.run([_tool("shellcheck"), "--format=gcc", str(BUGGY)], capture_output=True, text=True,
                           check=False, timeout=60)
    codes = {(int(m.group(1)), m.group(2)) for m in re.finditer(r":(\d+):\d+: \w+: .*\[(SC\d+)\]", buggy.stdout)}
    assert {(9, "SC2073"), (4, "SC2086"), (8, "SC2086"), (10, "SC2086")} <= codes, buggy.stdout
    assert not {line for line, _ in codes} & {3, 5, 6}, "shellcheck is not expected to see pipefail or cd-to-HOME"
    fixed = subprocess.run([_tool("shellcheck"), "--severity=style", str(FIXED), *map(str, STUBS.iterdir())],
                           capture_output=True, text=True, check=False, timeout=60)
    assert fixed.returncode == 0, fixed.stdout


def test_the_script_is_a_two_minute_read():
    lines = BUGGY.read_text().splitlines()
    assert len(lines) <= 12
    assert os.access(BUGGY, os.X_OK) and os.access(FIXED, os.X_OK)


def test_answer_key_points_at_the_planted_lines_and_each_entry_has_a_demonstration():
    key = yaml.safe_load(KEY_FILE.read_text())
    assert key["reviewed_file"] == "snippets/shell/read/retrain_nightly.sh"
    lines = BUGGY.read_text().splitlines()
    entries = {e["id"]: e for e in key["answer_key"]}
    assert set(entries) == set(LINE_CHECKS)
    tests = set(re.findall(r"^def (test_\w+)", Path(__file__).read_text(), re.MULTILINE))
    for entry_id, patterns in LINE_CHECKS.items():
        keyed = entries[entry_id]["lines"]
        assert len(keyed) == len(patterns), entry_id
        for n, pattern in zip(keyed, patterns, strict=True):
            assert re.search(pattern, lines[n - 1]), f"{entry_id}: line {n} is {lines[n - 1]!r}"
        assert f"test_{entry_id.replace('-', '_')}" in tests, f"{entry_id} has no demonstrating test"
