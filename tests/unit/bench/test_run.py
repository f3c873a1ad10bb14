"""bench/run.py without building anything: the targets it judges, --check, and that it times `make build`."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.helpers import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def builds(cold: float, rebuild: float, floor_cold: float = 4.0, floor_rebuild: float = 2.0, both: float = 8.0):
    site = {"cold_over_floor": round(cold / floor_cold, 2), "rebuild_over_floor": round(rebuild / floor_rebuild, 2),
            "cold_median_s": cold, "rebuild_median_s": rebuild, "plain_cold_median_s": 1.0,
            "plain_rebuild_median_s": 0.5, "plugins_floor_cold_median_s": floor_cold,
            "plugins_floor_rebuild_median_s": floor_rebuild, "cold_ratio": cold / 1.0, "rebuild_ratio": rebuild / 0.5,
            "plugins_floor_cold_ratio": floor_cold, "plugins_floor_rebuild_ratio": floor_rebuild / 0.5}
    return {"interviewer": site, "candidate": dict(site), "both": {"median_s": both, "cpu_median_s": both * 1.5}}


def test_the_build_ratio_target_is_against_the_floor_and_the_plain_ratio_is_information(bench):
    rows = bench.targets(builds(cold=5.0, rebuild=2.5), {"interviewer": [], "candidate": []}, [])
    judged = {r["target"]: r["pass"] for r in rows if r["pass"] != ""}
    assert judged == {"both sites cold build, together (make build)": True,
                      "interviewer cold / floor (plain + required plugins)": True,
                      "interviewer rebuild / floor (plain + required plugins)": True,
                      "candidate cold / floor (plain + required plugins)": True,
                      "candidate rebuild / floor (plain + required plugins)": True,
                      "requests off 127.0.0.1 (0 pages)": True}
    plain = [r for r in rows if "/ plain site" in r["target"]]
    assert len(plain) == 4 and all(r["want"] == "(information)" for r in plain)
    assert "5.00x" in plain[0]["actual"]  # 5 s against a 1 s plain site: reported, not judged
    assert bench.failed_targets(rows) == []


def test_a_build_over_one_and_a_half_floors_or_ten_seconds_fails(bench):
    rows = bench.targets(builds(cold=6.1, rebuild=2.5, both=10.5), {"interviewer": [], "candidate": []}, [])
    assert bench.failed_targets(rows) == ["both sites cold build, together (make build)",
                                          "interviewer cold / floor (plain + required plugins)",
                                          "candidate cold / floor (plain + required plugins)"]


def test_lighthouse_scores_below_the_floor_fail_and_context_pages_never_do(bench):
    audits = [{"label": "question", "site": "interviewer", "page": "/q/", "scores": {"performance": 94,
               "accessibility": 100, "best-practices": 100, "seo": 100}},
              {"label": "diagram in view", "site": "candidate", "page": "/", "scores": {"performance": 60,
               "accessibility": 100, "best-practices": 100, "seo": 100}},
              {"label": "scorecard", "site": "interviewer", "page": "/s/", "error": "lighthouse failed"}]
    failed = bench.failed_targets(bench.targets(builds(5.0, 2.5), {"interviewer": [], "candidate": []}, audits))
    assert failed == ["Lighthouse performance: question (interviewer /q/)",
                      *[f"Lighthouse {c}: scorecard (interviewer /s/)" for c in bench.CATEGORIES]]


def test_a_foreign_request_fails(bench):
    weights = {"interviewer": [{"foreign_requests": ["https://cdn.example/x.js"]}], "candidate": []}
    assert bench.failed_targets(bench.targets(builds(5.0, 2.5), weights, [])) == ["requests off 127.0.0.1 (1 pages)"]


def test_our_builds_are_timed_as_make_build_runs_them(bench, monkeypatch, tmp_path):
    commands = []
    monkeypatch.setattr(bench, "timed", lambda cmd, cwd, what: commands.append(cmd) or (1.0, 1.0))
    bench.handbook_build(tmp_path, tmp_path / "out", "candidate")
    bench.handbook_build(tmp_path, tmp_path / "both")
    bench.baseline_build(tmp_path, tmp_path / "plain")
    assert commands[0] == [sys.executable, "-m", "handbook", "--root", str(tmp_path), "build", "--out",
                           str(tmp_path / "out"), "--site", "candidate"]
    assert commands[1][-3:] == ["build", "--out", str(tmp_path / "both")]
    assert "--strict" in commands[2] and "--quiet" not in commands[2]  # --quiet would hide what --strict counts
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\t$(PY) -m handbook build\n" in make  # what make build runs, and so what the bench times


def test_a_failed_build_stops_the_bench_with_its_error(bench, tmp_path):
    with pytest.raises(SystemExit, match=r"(?s)bench: broken build in .* failed:\n.*No such option"):
        bench.timed([sys.executable, "-m", "mkdocs", "build", "--no-such-option"], tmp_path, "broken build")
