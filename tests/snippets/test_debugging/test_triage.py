"""The triage script reproduces the investigation and lands on the root cause, not on a red herring."""

import pandas as pd
import pytest

from snippets.debugging import triage
from snippets.debugging.generate_logs import DEFAULT_OUT, NEW_VERSION, OLD_VERSION
from snippets.debugging.triage import Change, find_onset, investigate, rank_changes

AFFECTED = ("ranker-01", "ranker-02", "ranker-03", "ranker-04")


@pytest.fixture(scope="module")
def findings():
    return investigate(DEFAULT_OUT)


def test_headline_confirms_the_p95_alert(findings):
    change = findings.headline.loc["change %"]
    assert 260 <= change["p95"] <= 340
    # p50 moved far less than p95: a bimodal fleet, the first hint that only part of it is affected.
    assert change["p50"] < change["p95"] / 2


def test_onset_is_the_rollout_window_and_blast_radius_is_half_the_fleet(findings):
    assert findings.onset == pd.Timestamp("2026-11-25T02:10Z")
    assert findings.regressed_hosts == AFFECTED
    switched = findings.switch_times
    assert set(switched.index) == set(AFFECTED)
    assert (switched["model"] == NEW_VERSION).all()
    assert switched["first_request"].between(pd.Timestamp("2026-11-25T02:10Z"),
                                             pd.Timestamp("2026-11-25T02:20Z")).all()


def test_percentiles_per_hour_version_and_host_are_reported(findings):
    hourly = findings.hourly
    assert len(hourly) == 48
    assert list(hourly.columns) == ["n", "p50", "p95", "p99", "fleet_rps"]
    night = hourly.loc[pd.Timestamp("2026-11-25T01:00Z"):pd.Timestamp("2026-11-25T03:00Z"), "p95"]
    assert night.iloc[0] < 80  # 01:00 fine
    assert night.iloc[1] > 150  # 02:00 already broken
    by_version = findings.by_version
    assert by_version.loc[NEW_VERSION, "p50"] > 3 * by_version.loc[OLD_VERSION, "p50"]
    by_host = findings.by_host
    assert (by_host.loc[list(AFFECTED), "p50 x"] > 3).all()
    assert (by_host.drop(index=list(AFFECTED))["p50 x"].between(0.9, 1.2)).all()


def test_root_cause_is_the_model_rollout_and_nothing_else_lines_up(findings):
    cause = findings.root_cause
    assert cause is not None
    assert (cause.service, cause.kind) == ("ranker-api", "deploy")
    assert "ranker:2.4.0" in cause.description
    assert set(cause.hosts) == set(AFFECTED)
    assert findings.changes["lines up"].sum() == 1


def test_mechanism_is_n_plus_one_feature_store_calls(findings):
    after = findings.components.loc["after"]
    new, old = after.loc[NEW_VERSION], after.loc[OLD_VERSION]
    assert new["fs_calls"] == new["candidates"] + 1  # one GET per candidate, plus the user
    assert old["fs_calls"] == 2
    assert new["feature_ms"] > 10 * old["feature_ms"]
    assert new["model_ms"] < 1.1 * old["model_ms"]  # the model itself is not slower
    store = findings.feature_store
    assert store.loc["ops_per_s", "x"] > 5


def test_red_herrings_are_ruled_out_by_the_data(findings):
    changes = findings.changes.set_index("service")
    catalog = changes.loc["catalog-api"]
    assert catalog["in time"] and not catalog["lines up"]  # close in time, wrong blast radius
    assert abs(findings.unaffected_hosts.loc["change %", "p95"]) < 10
    busiest = findings.busiest_hours
    assert (busiest["rps vs yesterday"] > 1.3).all()  # the campaign's traffic bump
    assert (busiest["unaffected p95"] < 70).all()  # and unaffected hosts shrugged it off
    gc = findings.gc_pauses
    assert ((gc["per hour after"] / gc["per hour before"]).between(0.6, 1.6)).all()
    assert findings.noisy_hosts == ("ranker-07",)
    assert "ranker-07" not in findings.regressed_hosts


def _requests(spec):
    """A small synthetic log: spec maps host -> (regression start or None) over six quiet hours."""
    rows = []
    start = pd.Timestamp("2026-01-01T00:00Z")
    for minute in range(0, 48 * 60, 2):
        ts = start + pd.Timedelta(minutes=minute)
        for host, regress_at in spec.items():
            slow = regress_at is not None and ts >= regress_at
            rows.append({"ts": ts, "host": host, "total_ms": (200.0 if slow else 40.0) + minute % 7})
    return pd.DataFrame(rows)


def test_find_onset_works_on_any_log_not_just_this_incident():
    regress_at = pd.Timestamp("2026-01-02T13:31Z")  # 4 of the 13:30 window's 5 requests are slow
    onset, hosts = find_onset(_requests({"a": None, "b": regress_at, "c": None}))
    assert onset == pd.Timestamp("2026-01-02T13:30Z")
    assert hosts == ("b",)


def test_find_onset_refuses_to_invent_an_onset():
    with pytest.raises(ValueError, match="no onset"):
        find_onset(_requests({"a": None, "b": None}))


def test_a_fleet_wide_change_does_not_line_up_with_a_partial_regression():
    onset = pd.Timestamp("2026-01-02T13:30Z")
    changes = [
        Change(onset - pd.Timedelta(minutes=5), "svc", "config", ("a", "b", "c"), "x", "fleet-wide"),
        Change(onset - pd.Timedelta(minutes=3), "svc", "deploy", ("b",), "x", "b only"),
        Change(onset - pd.Timedelta(hours=5), "svc", "deploy", ("b",), "x", "b only, too early"),
    ]
    ranked = rank_changes(changes, onset, ("b",), ("a", "b", "c"))
    assert list(ranked["lines up"]) == [False, True, False]
    assert list(ranked["host overlap"]) == [0.33, 1.0, 1.0]


def test_cli_prints_the_whole_investigation(capsys):
    assert triage.main([str(DEFAULT_OUT)]) == 0
    out = capsys.readouterr().out
    for section in ("1. Symptom", "Latency per hour", "Latency per model version", "Latency per host",
                    "4. Changes around the onset", "5. Where the time goes", "6. Red herrings", "Verdict"):
        assert f"== {section}" in out, section
    assert "onset (10-min window): 2026-11-25 02:10 UTC" in out
    assert "change that lines up: 2026-11-25 02:10:12 ranker-api (deploy)" in out
    assert "ranker:2.4.0: 121 feature-store calls per request" in out
    assert "2026-11-24 00:00" in out and "+00:00" not in out


def test_log_parser_skips_lines_that_are_not_logfmt_records(tmp_path):
    log = tmp_path / "ranker-api.log"
    log.write_text(
        "2026-11-25T02:11:09.001Z host=ranker-03 level=info msg=request route=/v1/rank model=ranker:2.4.0 "
        "status=200 candidates=120 fs_calls=121 feature_ms=130.5 model_ms=30.1 total_ms=165.0\n"
        "\n"
        "2026-11-25T02:12:00.000Z host=ranker-03 level=warning msg=\"gc pause\" generation=2 pause_ms=150\n"
    )
    requests, gc = triage.load_log(log)
    assert list(requests["total_ms"]) == [165.0]
    assert requests.loc[0, "ts"] == pd.Timestamp("2026-11-25T02:11:09.001Z")
    assert list(gc["pause_ms"]) == [150]


def test_cli_exits_2_without_data(tmp_path, capsys):
    assert triage.main([str(tmp_path)]) == 2
    assert "no ranker-api.log" in capsys.readouterr().err
