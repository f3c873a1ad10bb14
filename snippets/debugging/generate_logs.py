"""Generate the incident data for the "inference latency up 300% overnight" debugging session.

The story the data tells (the interviewer's key is data/exercises/debugging-session.yml):
`ranker-api` serves the home-feed ranking model on eight hosts behind a load balancer. At
2026-11-25 02:10 UTC the CD system rolled out model ranker:2.4.0 to ranker-01..04 and paused at
50%, waiting for a human to promote it in the morning. 2.4.0 adds item-history features and fetches
them with one feature-store GET per candidate item instead of one batched MGET: an N+1 pattern that
turns ~2 feature-store calls per request into ~120. Red herrings: an unrelated catalog-api deploy
18 minutes earlier, a push campaign that lifts traffic at 07:00, gen-2 GC pause warnings that are
the same on both days, and ranker-07, a noisy host (CPU steal) whose p99 was bad before the change.

Everything is drawn from one `random.Random(SEED)` in a fixed order, so the output is
byte-for-byte reproducible; tests regenerate it and compare with the committed files.

    python snippets/debugging/generate_logs.py [OUT_DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20261125
START = datetime(2026, 11, 24, tzinfo=UTC)
END = START + timedelta(days=2)
STEP = timedelta(minutes=5)
HOSTS = tuple(f"ranker-{i:02d}" for i in range(1, 9))
OLD_VERSION, NEW_VERSION = "ranker:2.3.0", "ranker:2.4.0"
# The rollout reached one host about every 30 s, then paused at 50%.
ROLLOUT = {
    "ranker-01": datetime(2026, 11, 25, 2, 10, 12, tzinfo=UTC),
    "ranker-02": datetime(2026, 11, 25, 2, 10, 41, tzinfo=UTC),
    "ranker-03": datetime(2026, 11, 25, 2, 11, 9, tzinfo=UTC),
    "ranker-04": datetime(2026, 11, 25, 2, 11, 38, tzinfo=UTC),
}
NOISY_HOST = "ranker-07"
CAMPAIGN = (datetime(2026, 11, 25, 7, 0, tzinfo=UTC), datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
CAMPAIGN_LIFT = 1.45
SAMPLE_EVERY = 4000  # the log export keeps one request line in 4000
DEFAULT_OUT = Path(__file__).resolve().parent / "incident"
FILES = ("ranker-api.log", "deploys.jsonl", "host_metrics.csv", "feature_store_metrics.csv", "excerpt.log")


def version_at(host: str, t: datetime) -> str:
    """The model version a host serves at time t."""
    switch = ROLLOUT.get(host)
    return NEW_VERSION if switch is not None and t >= switch else OLD_VERSION


def host_rps(t: datetime) -> float:
    """Requests per second reaching one host: a diurnal curve peaking at 18:00 UTC, plus the campaign."""
    hour = t.hour + t.minute / 60
    rps = 10.0 + 34.0 * 0.5 * (1 + math.cos(2 * math.pi * (hour - 18) / 24))
    if CAMPAIGN[0] <= t < CAMPAIGN[1]:
        rps *= CAMPAIGN_LIFT
    return rps


def new_version_share(t: datetime) -> float:
    """Fraction of fleet traffic served by 2.4.0 (the load it adds to the shared feature store)."""
    return sum(version_at(h, t) == NEW_VERSION for h in HOSTS) / len(HOSTS)


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return rng.lognormvariate(math.log(median), sigma)


def request(rng: random.Random, host: str, t: datetime) -> dict[str, object]:
    """One sampled request: candidate count, feature-store calls and the latency breakdown in ms."""
    version = version_at(host, t)
    candidates = max(20, min(300, round(rng.gauss(120, 35))))
    fs_slowdown = 1 + 0.3 * new_version_share(t)  # the feature store slows as 2.4.0 hammers it
    if version == OLD_VERSION:
        fs_calls = 2  # GET user:<id> + one MGET for all candidate items
        feature_ms = _lognormal(rng, 6.5, 0.3) * fs_slowdown + candidates * 0.012
        model_ms = 0.17 * candidates + _lognormal(rng, 8.0, 0.25)
    else:
        fs_calls = 1 + candidates  # GET user:<id>, then one GET per candidate item: N+1
        per_call = [_lognormal(rng, 0.85, 0.35) * fs_slowdown for _ in range(candidates)]
        feature_ms = _lognormal(rng, 3.0, 0.3) + sum(per_call)
        model_ms = 0.18 * candidates + _lognormal(rng, 8.5, 0.25)  # three more features
    overhead_ms = _lognormal(rng, 4.0, 0.3)
    if host == NOISY_HOST and rng.random() < 0.09:
        overhead_ms += rng.uniform(60, 260)  # CPU steal from a noisy neighbour
    total_ms = feature_ms + model_ms + overhead_ms
    return {
        "version": version,
        "candidates": candidates,
        "fs_calls": fs_calls,
        "feature_ms": feature_ms,
        "model_ms": model_ms,
        "total_ms": total_ms,
    }


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _sample_count(rng: random.Random, expected: float) -> int:
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def _log_lines(rng: random.Random, t: datetime, host: str) -> list[tuple[datetime, str]]:
    """Sampled request lines and warnings one host writes in one 5-minute step."""
    lines: list[tuple[datetime, str]] = []
    for _ in range(_sample_count(rng, host_rps(t) * STEP.total_seconds() / SAMPLE_EVERY)):
        at = t + timedelta(milliseconds=rng.randrange(int(STEP.total_seconds() * 1000)))
        r = request(rng, host, at)
        lines.append((at, (
            f"host={host} level=info msg=request route=/v1/rank "
            f"model={r['version']} status=200 candidates={r['candidates']} fs_calls={r['fs_calls']} "
            f"feature_ms={r['feature_ms']:.1f} model_ms={r['model_ms']:.1f} total_ms={r['total_ms']:.1f}"
        )))
    gc_rate = 0.5 if host == NOISY_HOST else 0.17  # gen-2 pauses per 5 min, the same on both days
    if rng.random() < gc_rate:
        at = t + timedelta(milliseconds=rng.randrange(300_000))
        lines.append((at, (
            f"host={host} level=warning msg=\"gc pause\" generation=2 pause_ms={rng.uniform(110, 320):.0f} "
            f"objects={rng.randrange(1_600_000, 2_100_000)}"
        )))
    return lines


def _host_metrics_row(rng: random.Random, t: datetime, host: str) -> list[object]:
    version = version_at(host, t)
    rps = host_rps(t) * rng.uniform(0.95, 1.05)
    calls_per_request = 2 if version == OLD_VERSION else 121
    cpu = 9 + rps * (0.9 if version == OLD_VERSION else 1.2) + rng.gauss(0, 1.5)
    steal = rng.uniform(5, 18) if host == NOISY_HOST else rng.uniform(0, 0.8)
    mem = (1840 if version == OLD_VERSION else 1905) + rng.gauss(0, 12)
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ"), host, version, f"{rps:.1f}", f"{cpu:.1f}", f"{steal:.1f}",
            f"{mem:.0f}", f"{rps * calls_per_request * rng.uniform(0.97, 1.03):.0f}"]


def _feature_store_row(rng: random.Random, t: datetime) -> list[object]:
    fleet_rps = host_rps(t) * len(HOSTS)
    share = new_version_share(t)
    ops = fleet_rps * ((1 - share) * 2 + share * 121) * rng.uniform(0.97, 1.03)
    other_clients = 1800  # the streaming feature-ingestion job writes
    cpu = 6 + (ops + other_clients) / 1100 + rng.gauss(0, 1)
    p99 = 0.55 * (1 + 0.3 * share) * (1 + ops / 60000) + abs(rng.gauss(0, 0.05))
    return [t.strftime("%Y-%m-%dT%H:%M:%SZ"), "online-fs", f"{ops + other_clients:.0f}", f"{cpu:.1f}",
            f"{p99:.2f}", 480 + round(rng.gauss(0, 6))]


def _events() -> list[dict[str, object]]:
    """Change events from the CD system and the team calendars, as exported to the incident channel."""
    return [
        {"ts": "2026-11-24T04:00:00Z", "service": "online-fs", "kind": "infra", "hosts": ["online-fs"],
         "actor": "aws-elasticache", "description": "Scheduled maintenance: engine patch 7.1.0 -> 7.1.1 "
         "applied to replicas, then failover"},
        {"ts": "2026-11-24T14:05:00Z", "service": "ranker-api", "kind": "config", "hosts": list(HOSTS),
         "actor": "j.okafor", "description": "Raise request-log sampling from 1/8000 to 1/4000"},
        {"ts": "2026-11-25T01:52:00Z", "service": "catalog-api", "kind": "deploy",
         "hosts": ["catalog-01", "catalog-02", "catalog-03"], "actor": "argo-cd",
         "description": "catalog-api v3.8.1: new price-history endpoint, Postgres connection pool 20 -> 40"},
        {"ts": "2026-11-25T02:10:12Z", "service": "ranker-api", "kind": "deploy", "hosts": sorted(ROLLOUT),
         "actor": "argo-rollouts", "description": "ranker-api image 2026.11.25-1, model ranker:2.4.0 "
         "(adds item_ctr_7d, item_ctr_30d, item_dwell_p50). Canary step 2/4 at 50%; paused awaiting "
         "manual promotion. Analysis passed: 5xx rate 0.00%"},
        {"ts": "2026-11-25T06:55:00Z", "service": "growth", "kind": "campaign", "hosts": [],
         "actor": "growth-team", "description": "Push notification 'Black Friday preview' to 3.1M users, "
         "07:00-10:00 UTC"},
        {"ts": "2026-11-25T13:40:00Z", "service": "ranker-api", "kind": "infra", "hosts": [NOISY_HOST],
         "actor": "s.lindqvist", "description": "Ticket INFRA-2231: ranker-07 CPU steal alerts, host "
         "scheduled for replacement next week"},
    ]


def generate(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write every incident file into out_dir and return their paths."""
    rng = random.Random(SEED)
    out_dir.mkdir(parents=True, exist_ok=True)
    log_lines: list[tuple[datetime, str]] = []
    host_rows: list[list[object]] = []
    fs_rows: list[list[object]] = []
    t = START
    while t < END:
        for host in HOSTS:
            log_lines.extend(_log_lines(rng, t, host))
            host_rows.append(_host_metrics_row(rng, t, host))
        fs_rows.append(_feature_store_row(rng, t))
        t += STEP
    log_lines.sort(key=lambda item: item[0])
    rendered = [f"{_ts(at)} {text}\n" for at, text in log_lines]

    paths = [out_dir / name for name in FILES]
    log_path, events_path, host_path, fs_path, excerpt_path = paths
    log_path.write_text("".join(rendered))
    events_path.write_text("".join(json.dumps(e, sort_keys=True) + "\n" for e in _events()))
    host_path.write_text(_csv(["timestamp", "host", "model_version", "rps", "cpu_pct", "cpu_steal_pct",
                               "mem_rss_mb", "feature_store_calls_per_s"], host_rows))
    fs_path.write_text(_csv(["timestamp", "cluster", "ops_per_s", "cpu_pct", "get_p99_ms", "connections"],
                            fs_rows))
    # The excerpt a candidate sees first: ranker-03 and ranker-06 either side of the rollout, in the log
    # viewer's default columns. Version and per-stage fields are left out: the candidate has to ask for them.
    window = [excerpt_view(ln) for ln in rendered if "2026-11-25T01:30" <= ln[:16] < "2026-11-25T03:00"
              and ("host=ranker-03" in ln or "host=ranker-06" in ln)]
    excerpt_path.write_text("".join(window))
    return paths


EXCERPT_HIDES = ("model", "candidates", "fs_calls", "feature_ms", "model_ms")


def excerpt_view(line: str) -> str:
    """A full log line without the fields the first excerpt must not give away (version, per-stage timings)."""
    return " ".join(part for part in line.rstrip("\n").split(" ")
                    if part.split("=", 1)[0] not in EXCERPT_HIDES) + "\n"


def _csv(header: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for path in generate(args.out_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
