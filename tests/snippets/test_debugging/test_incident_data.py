"""The committed incident data is what the generator makes, and it really shows the symptom we claim."""

import re
import statistics
from datetime import datetime

import yaml

from snippets.debugging import generate_logs
from snippets.debugging.generate_logs import DEFAULT_OUT, FILES, generate

LINE = re.compile(r"^(\S+) host=(\S+) level=\w+ msg=request .*model=(\S+) .*total_ms=([\d.]+)$")


def _requests():
    rows = []
    for line in (DEFAULT_OUT / "ranker-api.log").read_text().splitlines():
        if match := LINE.match(line):
            ts, host, model, total = match.groups()
            rows.append((datetime.fromisoformat(ts), host, model, float(total)))
    return rows


def _p95(values):
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def test_committed_files_equal_a_fresh_generation(tmp_path):
    written = generate(tmp_path)
    assert [p.name for p in written] == list(FILES)
    for name in FILES:
        fresh, committed = (tmp_path / name).read_bytes(), (DEFAULT_OUT / name).read_bytes()
        assert fresh == committed, f"{name} is stale: run python snippets/debugging/generate_logs.py"


def test_generator_cli_writes_every_file(tmp_path, capsys):
    assert generate_logs.main([str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    for name in FILES:
        assert (tmp_path / "out" / name).stat().st_size > 0
        assert f"{name} (" in out


def test_incident_data_stays_small_enough_to_commit():
    assert sum((DEFAULT_OUT / name).stat().st_size for name in FILES) < 3_000_000


def test_logs_show_p95_up_about_300_percent_overnight():
    """The alert's claim, measured with plain stdlib code: same clock hours, yesterday vs today."""
    rows = _requests()
    yesterday = [t for ts, _, _, t in rows if "2026-11-24T02:10" <= ts.isoformat()[:16] < "2026-11-25"]
    today = [t for ts, _, _, t in rows if ts.isoformat()[:16] >= "2026-11-25T02:10"]
    rise = _p95(today) / _p95(yesterday) - 1
    assert 2.6 <= rise <= 3.4, f"p95 rose {rise:.0%}, the scenario says about 300%"
    # And it was not already there: the night before, p95 was flat.
    night_before = [t for ts, _, _, t in rows if "2026-11-25T00:00" <= ts.isoformat()[:16] < "2026-11-25T02:10"]
    assert _p95(night_before) < 1.2 * _p95(yesterday)


def test_logs_tie_the_rise_to_the_new_model_version_alone():
    rows = [r for r in _requests() if r[0].isoformat()[:16] >= "2026-11-25T02:15"]
    by_model = {m: [t for _, _, model, t in rows if model == m] for m in ("ranker:2.3.0", "ranker:2.4.0")}
    assert statistics.median(by_model["ranker:2.4.0"]) > 3 * statistics.median(by_model["ranker:2.3.0"])
    hosts_on_new = {h for _, h, m, _ in rows if m == "ranker:2.4.0"}
    assert hosts_on_new == {"ranker-01", "ranker-02", "ranker-03", "ranker-04"}


def _excerpt_total_ms(excerpt, host, after):
    """total_ms of one host's request lines in the excerpt, before or after the ranker-03 rollout (02:11:09)."""
    out = []
    for line in excerpt:
        if f"host={host} " in line and "msg=request" in line and (line[:19] >= "2026-11-25T02:11:09") == after:
            out.append(float(re.search(r"total_ms=([\d.]+)", line).group(1)))
    return out


def test_excerpt_is_a_view_of_the_full_log_without_version_or_stage_breakdown():
    """The first file handed over shows who is slow and since when, not why: the breakdown must be asked for."""
    full = (DEFAULT_OUT / "ranker-api.log").read_text().splitlines()
    excerpt = (DEFAULT_OUT / "excerpt.log").read_text().splitlines()
    assert 20 <= len(excerpt) <= 80
    views = {generate_logs.excerpt_view(ln + "\n").rstrip("\n"): ln for ln in full}
    assert all(ln in views for ln in excerpt), "every excerpt line is a full-log line with fields removed"
    for hidden in ("model=", "candidates=", "fs_calls=", "feature_ms=", "model_ms="):
        assert not any(hidden in ln for ln in excerpt), f"{hidden} must not be in the first excerpt"
        assert any(hidden in views[ln] for ln in excerpt), f"{hidden} must stay in the full log, on request"
    assert all("total_ms=" in ln for ln in excerpt if "msg=request" in ln)


def test_excerpt_alone_scopes_the_symptom_to_one_host_and_an_onset():
    excerpt = (DEFAULT_OUT / "excerpt.log").read_text().splitlines()
    slow_before, slow_after = _excerpt_total_ms(excerpt, "ranker-03", False), _excerpt_total_ms(excerpt, "ranker-03", True)
    fast_before, fast_after = _excerpt_total_ms(excerpt, "ranker-06", False), _excerpt_total_ms(excerpt, "ranker-06", True)
    assert min(map(len, (slow_before, slow_after, fast_before, fast_after))) >= 5
    assert statistics.median(slow_after) > 3 * statistics.median(slow_before)  # ranker-03 jumps at about 02:11
    assert 0.8 < statistics.median(fast_after) / statistics.median(fast_before) < 1.25  # ranker-06 does not
    assert max(slow_before) < 80 < min(slow_after)  # the onset is visible line by line


def test_excerpt_view_keeps_gc_warnings_and_drops_only_the_named_fields():
    request = ("2026-11-25T02:11:11.224Z host=ranker-03 level=info msg=request route=/v1/rank model=ranker:2.4.0 "
               "status=200 candidates=120 fs_calls=121 feature_ms=130.5 model_ms=30.1 total_ms=164.8\n")
    assert generate_logs.excerpt_view(request) == (
        "2026-11-25T02:11:11.224Z host=ranker-03 level=info msg=request route=/v1/rank status=200 total_ms=164.8\n")
    gc = '2026-11-25T01:39:42.718Z host=ranker-06 level=warning msg="gc pause" generation=2 pause_ms=205\n'
    assert generate_logs.excerpt_view(gc) == gc


def test_interviewer_key_names_what_the_data_supports():
    key = yaml.safe_load((DEFAULT_OUT.parents[2] / "data/exercises/debugging-session.yml").read_text())
    assert key["id"] == "debugging-session"
    for fact in ("ranker:2.4.0", "02:10", "ranker-01", "N+1", "fs_calls"):
        assert fact in key["root_cause"], fact
    herrings = " ".join(key["red_herrings"])
    for herring in ("catalog-api", "ranker-07", "GC", "campaign"):
        assert herring in herrings, herring
    assert any(s["path"] == "snippets/debugging/triage.py" for s in key["reference_snippets"])
