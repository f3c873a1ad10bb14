"""The code-review answer key points at the lines that really hold each issue, covers the categories the
exercise promises, and every behavioural entry has a test demonstrating flawed versus fixed behaviour."""

import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
KEY_FILE = REPO_ROOT / "data" / "exercises" / "code-review.yml"
BEHAVIOUR_TESTS = Path(__file__).with_name("test_planted_issues.py")

# One pattern per keyed line, in order. Editing pipeline.py so that a line moves breaks this test until the
# key's line numbers are updated; an entry without a check here fails too.
LINE_CHECKS = {
    "hardcoded-aws-credentials": [r'^AWS_ACCESS_KEY_ID = "AKIA', r'^AWS_SECRET_ACCESS_KEY = "'],
    "unsafe-yaml-load": [r"yaml\.load\(f, Loader=yaml\.Loader\)"],
    "sql-injection": [r"""f"SELECT .* WHERE snapshot_date = '\{snapshot_date\}'"""],
    "tenure-measured-to-wall-clock": [r"pd\.Timestamp\.now\(\) - signup"],
    "row-wise-apply": [r"df\.apply\(lambda r: .*axis=1\)"],
    "target-encoding-before-split": [r"target_encode\(df, \"region\", LABEL\)"],
    "scaler-fit-before-split": [r"scaler = StandardScaler\(\)", r"X = scaler\.fit_transform\(X\)"],
    "unseeded-split": [r"train_test_split\((?!.*random_state).*\)$"],
    "file-handle-never-closed": [r'^    f = open\(path, "wb"\)$', r"pickle\.dump\(artifact, f\)"],
    "shell-injection": [r'cmd = f"aws s3 cp \{local_path\} .*\{version\}', r"subprocess\.run\(cmd, shell=True"],
    "upload-failure-ignored": [r"subprocess\.run\((?!.*check=True).*\)$", r'log\.info\("published'],
    "unsafe-pickle-load": [r"return pickle\.load\(f\)"],
    "model-cache-race": [r"if path not in _model_cache:", r"_model_cache\[path\] = load_model\(path\)"],
    "unseen-region-encoded-as-zero": [r'map\(artifact\["region_means"\]\)\.fillna\(0\.0\)'],
    "serving-refits-scaler": [r"StandardScaler\(\)\.fit_transform\("],
    "row-by-row-predict": [r"for i in range\(len\(X\)\):", r"model\.predict_proba\(X\[i:i \+ 1\]\)"],
    "scoring-errors-swallowed": [r"except Exception:", r"log\.warning\(", r"return np\.zeros\(len\(df\)\)"],
    "auc-floor-without-production-comparison": [r'if artifact\["val_auc"\] < config\.get\("min_auc", 0\.7\)'],
    "fixed-release-version": [r"if path not in _model_cache:", r'publish_model\(path, config\["version"\]\)'],
    "no-lineage-recorded": [r'return \{"model": model, "scaler": scaler, "region_means"',
                            r'"trained_at": datetime\.now\(\)\.isoformat\(\)\}'],
    "hidden-inputs-in-main": [r'os\.environ\.get\("CHURN_CONFIG", "/etc/', r"datetime\.now\(\)",
                              r'f"/tmp/churn-'],
}
# Entries proven by reading the code alone; every other entry needs a behavioural test named after its id.
STATIC_ONLY: set[str] = set()  # none: every entry's claim is demonstrated by running the code
CATEGORIES = {"data_leakage", "train_serve_skew", "reproducibility", "security", "error_handling",
              "resource_handling", "thread_safety", "performance", "testability", "release_safety"}
SEVERITIES = {"critical", "high", "medium", "low"}


@pytest.fixture(scope="module")
def exercise():
    return yaml.safe_load(KEY_FILE.read_text())


@pytest.fixture(scope="module")
def reviewed_lines(exercise):
    return (REPO_ROOT / exercise["reviewed_file"]).read_text().splitlines()


def test_key_file_declares_the_reviewed_file_and_the_fixed_reference(exercise):
    assert KEY_FILE.read_text().startswith("# yaml-language-server: $schema=")
    assert exercise["id"] == KEY_FILE.stem
    assert exercise["reviewed_file"] == "snippets/code_review/pipeline.py"
    assert exercise["used_in"] == ["part4"]
    assert [s["path"] for s in exercise["reference_snippets"]] == ["snippets/code_review/pipeline_fixed.py"]
    for snippet in exercise["reference_snippets"]:
        assert (REPO_ROOT / snippet["path"]).is_file()


def test_reviewed_module_reads_like_a_real_module_of_150_to_250_lines(reviewed_lines):
    assert 150 <= len(reviewed_lines) <= 250
    assert not any(re.search(r"(?i)\b(bug|issue|planted|leak|todo|fixme)\b", line) for line in reviewed_lines)


def test_every_key_entry_has_a_line_check_and_every_check_an_entry(exercise):
    assert [e["id"] for e in exercise["answer_key"]] == list(dict.fromkeys(e["id"] for e in exercise["answer_key"]))
    assert {e["id"] for e in exercise["answer_key"]} == set(LINE_CHECKS)


def test_every_key_entry_points_at_the_line_that_has_the_issue(exercise, reviewed_lines):
    for entry in exercise["answer_key"]:
        patterns = LINE_CHECKS[entry["id"]]
        assert len(entry["lines"]) == len(patterns), f"{entry['id']}: one check per keyed line"
        for line_number, pattern in zip(entry["lines"], patterns, strict=True):
            line = reviewed_lines[line_number - 1]
            assert re.search(pattern, line), f"{entry['id']}: line {line_number} is {line!r}, expected /{pattern}/"


def test_key_entries_are_complete_and_span_every_category(exercise):
    entries = exercise["answer_key"]
    assert len(entries) >= 10
    for entry in entries:
        assert set(entry) == {"id", "lines", "category", "severity", "issue", "fix"}, entry["id"]
        assert entry["category"] in CATEGORIES and entry["severity"] in SEVERITIES, entry["id"]
        assert len(entry["issue"]) > 60 and len(entry["fix"]) > 30, entry["id"]
    assert {e["category"] for e in entries} == CATEGORIES
    assert {e["severity"] for e in entries} == SEVERITIES


def test_every_behavioural_entry_is_demonstrated_by_a_test(exercise):
    test_names = re.findall(r"^def (test_\w+)\(", BEHAVIOUR_TESTS.read_text(), flags=re.MULTILINE)
    for entry in exercise["answer_key"]:
        if entry["id"] in STATIC_ONLY:
            continue
        prefix = "test_" + entry["id"].replace("-", "_")
        assert any(name.startswith(prefix) for name in test_names), f"no behaviour test for {entry['id']}"

