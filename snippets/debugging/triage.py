"""Triage of the "inference latency up 300% overnight" incident: reproduce the investigation from the data.

The order is the one we want to hear from a candidate:
  1. confirm the symptom and size it (which percentile, against which baseline);
  2. find when it started;
  3. find who is affected (hosts, model versions) and who is not;
  4. list what changed at that time and keep only the change that touches exactly the affected set;
  5. find which part of the request got slower, and why;
  6. rule out the red herrings with the same data (traffic, GC, a noisy host, the other deploy).

    python snippets/debugging/triage.py [DATA_DIR]      # default: snippets/debugging/incident
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DEFAULT_DATA = Path(__file__).resolve().parent / "incident"
PERCENTILES = (0.50, 0.95, 0.99)
REGRESSION_FACTOR = 2.0  # "clearly worse": noise on these metrics is well under 2x
CHANGE_WINDOW = pd.Timedelta(hours=2)  # how long before the onset a change can still be the cause
LINE_RE = re.compile(r'^(?P<ts>\S+) (?P<fields>.*)$')
FIELD_RE = re.compile(r'(\w+)=("[^"]*"|\S+)')
NUMERIC = ("candidates", "fs_calls", "feature_ms", "model_ms", "total_ms", "status", "pause_ms")


@dataclass(frozen=True)
class Change:
    """One entry of the change log (deploys, config, infra, campaigns)."""

    ts: pd.Timestamp
    service: str
    kind: str
    hosts: tuple[str, ...]
    actor: str
    description: str


@dataclass(frozen=True)
class Findings:
    """Everything the report prints; tests check these fields directly."""

    headline: pd.DataFrame
    hourly: pd.DataFrame
    onset: pd.Timestamp
    regressed_hosts: tuple[str, ...]
    switch_times: pd.DataFrame
    by_version: pd.DataFrame
    by_host: pd.DataFrame
    changes: pd.DataFrame
    root_cause: Change | None
    components: pd.DataFrame
    unaffected_hosts: pd.DataFrame
    busiest_hours: pd.DataFrame
    gc_pauses: pd.DataFrame
    noisy_hosts: tuple[str, ...]
    feature_store: pd.DataFrame


# --8<-- [start:load]
def load_log(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse the logfmt service log into (request lines, gc pause warnings)."""
    records = []
    for line in path.read_text().splitlines():
        match = LINE_RE.match(line)
        if match is None:
            continue
        record = {k: v.strip('"') for k, v in FIELD_RE.findall(match["fields"])}
        record["ts"] = match["ts"]
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    frame["ts"] = pd.to_datetime(frame["ts"], utc=True)
    for column in NUMERIC:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column])
    requests = frame[frame["msg"] == "request"].reset_index(drop=True)
    gc = frame[frame["msg"] == "gc pause"].reset_index(drop=True)
    return requests, gc


def load_changes(path: Path) -> list[Change]:
    changes = []
    for line in path.read_text().splitlines():
        raw = json.loads(line)
        changes.append(Change(pd.Timestamp(raw["ts"]), raw["service"], raw["kind"], tuple(raw["hosts"]),
                              raw["actor"], raw["description"]))
    return sorted(changes, key=lambda c: c.ts)


def load_metrics(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame
# --8<-- [end:load]


# --8<-- [start:percentiles]
def latency_percentiles(requests: pd.DataFrame, by: str | list[str] | pd.Series) -> pd.DataFrame:
    """n, p50, p95 and p99 of total_ms per group."""
    grouped = requests.groupby(by)["total_ms"]
    table = grouped.quantile(list(PERCENTILES)).unstack()
    table.columns = [f"p{round(q * 100)}" for q in PERCENTILES]
    table.insert(0, "n", grouped.size())
    return table


def hourly_table(requests: pd.DataFrame, host_metrics: pd.DataFrame) -> pd.DataFrame:
    """Fleet latency percentiles per hour, next to the fleet's request rate."""
    table = latency_percentiles(requests, requests["ts"].dt.floor("h").rename("hour"))
    rps = host_metrics.groupby(host_metrics["timestamp"].dt.floor("h"))["rps"].mean() * \
        host_metrics["host"].nunique()
    table["fleet_rps"] = rps.reindex(table.index).to_numpy()
    return table
# --8<-- [end:percentiles]


def headline(requests: pd.DataFrame, onset: pd.Timestamp) -> pd.DataFrame:
    """Same clock hours yesterday vs today, from the onset on: compare like with like, not night with day."""
    day = pd.Timedelta(days=1)
    end = requests["ts"].max()
    before = requests[(requests["ts"] >= onset - day) & (requests["ts"] <= end - day)]
    after = requests[requests["ts"] >= onset]
    table = pd.concat({"yesterday": latency_percentiles(before, lambda _: 0).iloc[0],
                       "today": latency_percentiles(after, lambda _: 0).iloc[0]}, axis=1).T
    table.loc["change %"] = (table.loc["today"] / table.loc["yesterday"] - 1) * 100
    table.loc["change %", "n"] = float("nan")
    return table


# --8<-- [start:onset]
def find_onset(requests: pd.DataFrame, factor: float = REGRESSION_FACTOR) -> tuple[pd.Timestamp, tuple[str, ...]]:
    """When it started and where: the first 10-minute window where some hosts' median doubles.

    The baseline is each host's own median over the first day. Medians, not p99, because one
    noisy host or one GC pause moves a p99 of a few dozen samples, but not a median.
    """
    start = requests["ts"].min()
    baseline = requests[requests["ts"] < start + pd.Timedelta(days=1)].groupby("host")["total_ms"].median()
    buckets = requests.groupby([requests["ts"].dt.floor("10min"), "host"])["total_ms"].median().unstack()
    ratio = buckets / baseline
    # Regressed from a window on and staying so for the next hour, not a one-off blip.
    # Empty windows (quiet nights) are no evidence either way, hence where(notna).
    regressed = (ratio > factor).astype(float).where(ratio.notna())
    sustained = regressed.rolling(6, min_periods=3).min().shift(-5).eq(1.0).any(axis=1)
    if not sustained.any():
        raise ValueError("no host's median latency doubled and stayed doubled: no onset found")
    onset = sustained.idxmax()
    later = requests[requests["ts"] >= onset].groupby("host")["total_ms"].median() / baseline
    return onset, tuple(sorted(later[later > factor].index))
# --8<-- [end:onset]


def version_switches(requests: pd.DataFrame) -> pd.DataFrame:
    """First request each host served with each model version after its first one."""
    first = requests.groupby(["host", "model"])["ts"].min().reset_index()
    initial = requests.sort_values("ts").groupby("host")["model"].first()
    switched = first[first["model"] != first["host"].map(initial)]
    return switched.rename(columns={"ts": "first_request"}).set_index("host").sort_values("first_request")


def host_table(requests: pd.DataFrame, onset: pd.Timestamp) -> pd.DataFrame:
    """Per host: percentiles before and after the onset, the versions served after, and the p50 ratio."""
    before = latency_percentiles(requests[requests["ts"] < onset], "host")
    after = latency_percentiles(requests[requests["ts"] >= onset], "host")
    table = before.drop(columns="n").add_suffix(" before").join(after.drop(columns="n").add_suffix(" after"))
    versions = requests[requests["ts"] >= onset].groupby("host")["model"].agg(lambda s: ",".join(sorted(set(s))))
    table["p50 x"] = table["p50 after"] / table["p50 before"]
    table["model after"] = versions
    return table


# --8<-- [start:changes]
def rank_changes(changes: list[Change], onset: pd.Timestamp, regressed: tuple[str, ...],
                 fleet: tuple[str, ...], window: pd.Timedelta = CHANGE_WINDOW) -> pd.DataFrame:
    """Which change lines up: in time (shortly before the onset) and in scope (the same hosts).

    A change on another service touches no ranker host directly; if it caused this, every ranker
    host would have regressed, and half of them did not.
    """
    rows = []
    for change in changes:
        touched = set(change.hosts) & set(fleet)
        overlap = len(touched & set(regressed)) / len(touched | set(regressed))
        in_time = onset - window <= change.ts <= onset + pd.Timedelta(minutes=10)
        rows.append({"ts": change.ts, "service": change.service, "kind": change.kind,
                     "ranker hosts touched": len(touched), "host overlap": round(overlap, 2),
                     "in time": in_time, "lines up": in_time and overlap == 1.0,
                     "description": change.description})
    return pd.DataFrame(rows)
# --8<-- [end:changes]


def component_breakdown(requests: pd.DataFrame, onset: pd.Timestamp) -> pd.DataFrame:
    """Medians of each latency component and of feature-store calls, per period and model version."""
    frame = requests.assign(
        period=(requests["ts"] >= onset).map({False: "before", True: "after"}),
        other_ms=requests["total_ms"] - requests["feature_ms"] - requests["model_ms"],
    )
    columns = ["candidates", "fs_calls", "feature_ms", "model_ms", "other_ms", "total_ms"]
    table = frame.groupby(["period", "model"])[columns].median()
    return table.reindex(["before", "after"], level=0)


def unaffected_hosts(requests: pd.DataFrame, onset: pd.Timestamp, regressed: tuple[str, ...]) -> pd.DataFrame:
    """The control group: hosts that did not regress, yesterday vs today from the onset on."""
    return headline(requests[~requests["host"].isin(regressed)], onset)


def busiest_hours(requests: pd.DataFrame, host_metrics: pd.DataFrame, regressed: tuple[str, ...],
                  top: int = 3) -> pd.DataFrame:
    """The hours where traffic rose most over the same hour yesterday, and the unaffected hosts' p95 then."""
    rps = host_metrics.groupby(host_metrics["timestamp"].dt.floor("h"))["rps"].sum() / 12
    lift = (rps / rps.shift(24)).dropna()
    control = requests[~requests["host"].isin(regressed)]
    p95 = control.groupby(control["ts"].dt.floor("h"))["total_ms"].quantile(0.95)
    rows = [{"hour": hour, "fleet rps": rps[hour], "rps vs yesterday": lift[hour],
             "unaffected p95": p95[hour], "unaffected p95 yesterday": p95[hour - pd.Timedelta(days=1)]}
            for hour in lift.nlargest(top).index]
    return pd.DataFrame(rows).set_index("hour")


def gc_table(gc: pd.DataFrame, onset: pd.Timestamp, hours_before: float, hours_after: float) -> pd.DataFrame:
    """Gen-2 GC pause warnings per host per hour, before vs after: a cause would change with the onset."""
    period = (gc["ts"] >= onset).map({False: "per hour before", True: "per hour after"})
    counts = gc.groupby(["host", period]).size().unstack(fill_value=0)
    counts["per hour before"] /= hours_before
    counts["per hour after"] /= hours_after
    counts["max pause_ms"] = gc.groupby("host")["pause_ms"].max()
    return counts[["per hour before", "per hour after", "max pause_ms"]]


def noisy_hosts(by_host: pd.DataFrame, factor: float = REGRESSION_FACTOR) -> tuple[str, ...]:
    """Hosts whose tail was already bad before the onset: a standing problem, not this incident."""
    p99 = by_host["p99 before"]
    return tuple(sorted(p99[p99 > factor * p99.median()].index))


def feature_store_table(fs: pd.DataFrame, onset: pd.Timestamp) -> pd.DataFrame:
    """The shared dependency, yesterday vs today over the same clock hours."""
    day = pd.Timedelta(days=1)
    end = fs["timestamp"].max()
    columns = ["ops_per_s", "cpu_pct", "get_p99_ms"]
    before = fs[(fs["timestamp"] >= onset - day) & (fs["timestamp"] <= end - day)][columns].median()
    after = fs[fs["timestamp"] >= onset][columns].median()
    table = pd.DataFrame({"yesterday": before, "today": after})
    table["x"] = table["today"] / table["yesterday"]
    return table


# --8<-- [start:investigate]
def investigate(data_dir: Path) -> Findings:
    requests, gc = load_log(data_dir / "ranker-api.log")
    changes = load_changes(data_dir / "deploys.jsonl")
    host_metrics = load_metrics(data_dir / "host_metrics.csv")
    fs = load_metrics(data_dir / "feature_store_metrics.csv")
    fleet = tuple(sorted(requests["host"].unique()))

    onset, regressed = find_onset(requests)
    by_host = host_table(requests, onset)
    ranked = rank_changes(changes, onset, regressed, fleet)
    culprits = [c for c, lines_up in zip(changes, ranked["lines up"], strict=True) if lines_up]
    span = requests["ts"].max() - requests["ts"].min()
    hours_before = (onset - requests["ts"].min()) / pd.Timedelta(hours=1)
    return Findings(
        headline=headline(requests, onset),
        hourly=hourly_table(requests, host_metrics),
        onset=onset,
        regressed_hosts=regressed,
        switch_times=version_switches(requests),
        by_version=latency_percentiles(requests[requests["ts"] >= onset], "model"),
        by_host=by_host,
        changes=ranked,
        root_cause=culprits[-1] if culprits else None,
        components=component_breakdown(requests, onset),
        unaffected_hosts=unaffected_hosts(requests, onset, regressed),
        busiest_hours=busiest_hours(requests, host_metrics, regressed),
        gc_pauses=gc_table(gc, onset, hours_before, span / pd.Timedelta(hours=1) - hours_before),
        noisy_hosts=noisy_hosts(by_host),
        feature_store=feature_store_table(fs, onset),
    )
# --8<-- [end:investigate]


def _plain(table: pd.DataFrame, digits: int = 1) -> str:
    """A table as text, timestamps in UTC without the +00:00 noise."""
    table = table.copy()
    if isinstance(table.index, pd.DatetimeIndex):
        table.index = table.index.strftime("%Y-%m-%d %H:%M")
    for column in table.columns:
        if isinstance(table[column].dtype, pd.DatetimeTZDtype):
            table[column] = table[column].dt.strftime("%Y-%m-%d %H:%M:%S")
    return table.to_string(float_format=lambda v: f"{v:,.{digits}f}")


def _section(title: str, body: pd.DataFrame | str) -> str:
    return f"\n== {title} ==\n{body if isinstance(body, str) else _plain(body)}\n"


def render(f: Findings) -> str:
    """The report an on-call engineer would paste into the incident channel."""
    verdict = (f"{f.root_cause.ts:%Y-%m-%d %H:%M:%S} {f.root_cause.service} ({f.root_cause.kind}): "
               f"{f.root_cause.description}" if f.root_cause else "no single change lines up")
    components = f.components.loc["after"]
    parts = [
        _section("1. Symptom: fleet latency, same clock hours yesterday vs today", f.headline),
        _section("Latency per hour (ms), fleet", f.hourly),
        _section("2-3. Onset and blast radius",
                 f"onset (10-min window): {f.onset:%Y-%m-%d %H:%M} UTC\n"
                 f"regressed hosts (median > {REGRESSION_FACTOR:g}x own baseline): "
                 f"{', '.join(f.regressed_hosts)}\n"
                 f"unaffected hosts: {', '.join(sorted(set(f.by_host.index) - set(f.regressed_hosts)))}"),
        _section("Model version switches seen in the log", f.switch_times),
        _section("Latency per model version since the onset (ms)", f.by_version),
        _section("Latency per host (ms)", f.by_host),
        _section("4. Changes around the onset", f.changes.drop(columns="description")),
        _section("5. Where the time goes (medians)", f.components),
        _section("Shared dependency: online feature store", f.feature_store),
        _section("6. Red herrings",
                 "Unaffected hosts, yesterday vs today (traffic, the catalog-api deploy):\n"
                 f"{_plain(f.unaffected_hosts)}\n\n"
                 "Busiest hours vs yesterday, unaffected hosts' p95:\n"
                 f"{_plain(f.busiest_hours, 2)}\n\n"
                 "GC pause warnings:\n"
                 f"{_plain(f.gc_pauses, 2)}\n\n"
                 f"hosts with a bad p99 before the onset (standing issue): {', '.join(f.noisy_hosts) or 'none'}"),
        _section("Verdict",
                 f"change that lines up: {verdict}\n"
                 + "".join(f"  {model}: {row.fs_calls:.0f} feature-store calls per request, "
                           f"feature fetch {row.feature_ms:.1f} ms, model {row.model_ms:.1f} ms (medians)\n"
                           for model, row in components.iterrows())),
    ]
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not (args.data_dir / "ranker-api.log").is_file():
        print(f"triage: no ranker-api.log in {args.data_dir}", file=sys.stderr)
        return 2
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_rows", 100)
    print(render(investigate(args.data_dir)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
