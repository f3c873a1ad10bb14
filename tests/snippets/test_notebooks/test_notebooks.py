"""Both notebooks execute in a real kernel without errors, report the numbers their text claims, and the .ipynb
the site renders holds exactly what they print."""

import json
import math
import re
import shutil
import time
from pathlib import Path

import jupytext
import nbformat
import pytest
from scipy import stats

from handbook.tools import notebooks
from tests.helpers import call_handbook

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOKS = ROOT / "snippets" / "notebooks"
DRIFT, AB = "snippets/notebooks/drift_detection.ipynb", "snippets/notebooks/ab_test_sizing.ipynb"


def _results(notebook: nbformat.NotebookNode) -> dict:
    """The `results` the notebook's last cell prints as JSON."""
    last = notebook.cells[-1]
    assert last.source.rstrip().endswith("print(json.dumps(results, indent=2))"), "last cell prints the results"
    return json.loads(last.outputs[0]["text"])


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    """Both .py notebooks run top to bottom in real kernels (concurrently, one each), as `make notebooks` runs them."""
    started = time.monotonic()
    result = notebooks.execute_all(ROOT)
    assert time.monotonic() - started < 30, "the notebooks are too slow for `make notebooks`"
    return result


@pytest.fixture(scope="module")
def drift(executed):
    return executed[DRIFT], _results(executed[DRIFT])


@pytest.fixture(scope="module")
def ab(executed):
    return executed[AB], _results(executed[AB])


def test_committed_ipynb_shows_exactly_what_the_py_prints(executed):
    """The site renders the stored .ipynb without a kernel: its cells and outputs must be a fresh run of the .py."""
    assert notebooks.stale(ROOT, executed) == [], "run `make notebooks` and commit the .ipynb files"
    for path in executed:
        stored = nbformat.read(ROOT / path, as_version=4)
        assert sum(len(c.get("outputs", [])) for c in stored.cells) >= 6, f"{path} has no stored outputs"


def test_notebooks_check_names_a_stale_ipynb(executed, tmp_path, monkeypatch):
    """An .ipynb whose stored outputs are not what its .py prints: `notebooks --check` names it and how to fix it
    and exits 1; `notebooks` rewrites it. (The fresh run is this module's real one, so no kernel starts again.)"""
    project = tmp_path / "project"
    (project / "snippets" / "notebooks").mkdir(parents=True)
    for path in executed:
        shutil.copy(ROOT / path, project / path)
        shutil.copy(ROOT / notebooks.source_of(path), project / notebooks.source_of(path))
    stored = nbformat.read(project / AB, as_version=4)
    stored.cells[-1].outputs[0]["text"] = '{"n_per_arm": 1}\n'  # what an older .py printed
    nbformat.write(stored, project / AB)
    monkeypatch.setattr(notebooks, "execute_all", lambda root: executed)

    result = call_handbook("notebooks", "--check", root=project)
    assert result.returncode == 1
    assert result.stderr == (f"{AB}: out of date with snippets/notebooks/ab_test_sizing.py; run `make notebooks` "
                             "and commit it\n")
    assert call_handbook("notebooks", root=project).returncode == 0
    assert notebooks.comparable(nbformat.read(project / AB, as_version=4)) == notebooks.comparable(executed[AB])
    assert call_handbook("notebooks", "--check", root=project).returncode == 0


def test_a_failing_or_missing_notebook_is_named_without_a_traceback(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid" / "snippets", project / "snippets")
    broken = project / "snippets" / "notebooks" / "ab_test_sizing.py"
    broken.write_text(broken.read_text(encoding="utf-8").replace("print(6 * 7)", "print(1 / 0)"), encoding="utf-8")
    (project / "snippets" / "notebooks" / "drift_detection.py").unlink()
    result = call_handbook("notebooks", root=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "snippets/notebooks/drift_detection.py: missing (handbook/core/sites.py lists snippets/notebooks/drift_detection.ipynb)",
        "snippets/notebooks/ab_test_sizing.py: a cell failed: ZeroDivisionError: division by zero",
    ]


def _outputs(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["drift_detection.py", "ab_test_sizing.py"])
def test_notebook_is_jupytext_percent_with_explanations(name):
    notebook = jupytext.read(NOTEBOOKS / name)
    assert notebook.metadata["jupytext"]["text_representation"]["format_name"] == "percent"
    markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(markdown) >= 6 and len(code) >= 6
    assert markdown[0].source.startswith("# ")  # a title for the rendered page


def test_drift_notebook_runs_and_shows_its_tables(drift):
    notebook, _ = drift
    text = _outputs(notebook)
    assert "first calibration alert" in text and "psi basket_value" in text
    assert not any(o.get("output_type") == "error" for c in notebook.cells for o in c.get("outputs", []))


def test_psi_flags_the_drifted_feature_and_not_the_stable_one(drift):
    _, r = drift
    assert r["psi_drifted"] > 0.2
    assert r["psi_stable"] < 0.1
    assert r["first_alert"]["basket_value"] is not None
    assert 14 <= r["first_alert"]["basket_value"] <= 21  # within a week of the launch on day 14
    assert r["first_alert"]["session_length_s"] is None
    assert r["first_alert"]["days_since_visit"] is None


def test_psi_alert_line_is_the_one_the_monitoring_questions_teach(drift):
    """Part 4 (and the Part 2 drift follow-up) tell interviewers "above 0.25, act": the notebook alerts there too."""
    _, r = drift
    questions = "\n".join((ROOT / "data" / "questions" / f"part{n}.yml").read_text(encoding="utf-8") for n in (2, 4))
    pairs = re.findall(r"above (0\.\d+) (?:alert|act)|(?:alert|PSI) above (0\.\d+)", questions)
    taught = {float(a or b) for a, b in pairs}
    assert taught == {r["psi_alert"]} == {0.25}


def test_ks_p_value_flags_a_harmless_shift_at_production_volume(drift):
    _, r = drift
    assert r["ks_tiny_shift_d"] < 0.02  # negligible effect size...
    assert r["ks_tiny_shift_p"] < 0.01  # ...yet "significant"


def test_concept_drift_is_caught_only_after_the_label_delay(drift):
    _, r = drift
    assert r["auc_last_week"] < r["auc_reference"] - 0.03
    drift_day, label_delay = 35, 7
    assert drift_day + label_delay <= r["calibration_alert_day"] <= r["concept_alert_day"] <= drift_day + 14


def test_sample_size_matches_the_closed_form(ab):
    _, r = ab
    p1, p2 = 0.040, 0.040 * 1.02
    p_bar = (p1 + p2) / 2
    z_a, z_b = stats.norm.ppf(0.975), stats.norm.ppf(0.80)
    expected = math.ceil(
        (z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
        / (p2 - p1) ** 2
    )
    assert r["n_per_arm"] == expected
    assert 940_000 < expected < 960_000  # the figure quoted to interviewers: about 950k per arm
    assert r["total_users"] == 2 * expected


def test_duration_is_whole_weeks_plus_the_metric_window(ab):
    _, r = ab
    assert r["enrolment_days"] <= r["calendar_days"] - 7
    assert (r["calendar_days"] - 7) % 7 == 0
    # The plan's reach really covers both arms at the stated allocation.
    mau, segments = 10_000_000, [(0.30, 0.60), (0.70, 0.07)]
    reach = sum(mau * share * (1 - (1 - p) ** r["enrolment_days"]) for share, p in segments)
    reach_day_before = sum(mau * share * (1 - (1 - p) ** (r["enrolment_days"] - 1)) for share, p in segments)
    assert r["allocation"] * reach >= r["total_users"] > r["allocation"] * reach_day_before


def test_simulation_confirms_power_and_false_positive_rate(ab):
    _, r = ab
    assert 0.77 <= r["simulated_power"] <= 0.83
    assert 0.04 <= r["simulated_fpr"] <= 0.06
    assert r["peeking_fpr"] > 0.15  # daily peeking at least triples the false-positive rate


def test_cuped_and_srm_numbers_hold(ab):
    _, r = ab
    assert math.isclose(r["cuped_variance_ratio"], 1 - r["cuped_rho"] ** 2, rel_tol=1e-3)
    assert 0.2 < r["cuped_rho"] < 0.5
    assert r["srm_pvalue"] < 1e-3
    assert r["untestable_uplift_share_of_mau"] > 1  # +0.5% needs more users than exist
