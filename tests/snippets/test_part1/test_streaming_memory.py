"""Requirement: large datasets are processed in bounded memory. One million records stream through while the
process's peak memory grows by less than MEMORY_BOUND; peak traced memory does not grow with dataset size."""

import itertools
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
N_RECORDS = 1_000_000
MEMORY_BOUND = 32 * 2**20  # 32 MiB of peak-RSS growth for 1M records; holding them in a list needs > 150 MiB

# Runs in a fresh interpreter so the peak RSS belongs to this workload alone. (tracemalloc would measure the
# same thing but slows a 1M-record run about five-fold; test_peak_traced_memory_... below uses it at 30k.)
CHILD = textwrap.dedent("""
    import json, resource, sys
    from snippets.part1.data_processor import DataProcessor, DataTypeSpec, FieldSpec, MissingPolicy, Schema
    from snippets.part1.data_processor import in_range

    def peak_rss_bytes():
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024

    processor = DataProcessor()
    processor.register(DataTypeSpec(Schema("click", (
        FieldSpec("id", int), FieldSpec("item_id", str),
        FieldSpec("dwell_ms", float, MissingPolicy.FLAG, checks=(in_range(0),))))))

    def source(n):  # stands in for a file reader or a consumer: yields one record at a time
        for i in range(n):
            yield {"type": "click", "id": i, "item_id": "sku-%d" % (i % 1000),
                   "dwell_ms": None if i % 10 == 0 else float(i % 5000)}

    baseline = peak_rss_bytes()
    processed = flagged = id_sum = 0
    for result in processor.process_stream(source(int(sys.argv[1])), chunk_size=1000):
        processed += len(result.records)
        for record in result.records:
            flagged += record["dwell_ms__missing"]
            id_sum += record["id"]
    print(json.dumps({"baseline": baseline, "peak": peak_rss_bytes(), "processed": processed,
                      "flagged": flagged, "id_sum": id_sum, "batches": processor.stats.batches}))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="uses resource.getrusage")
def test_one_million_records_stream_through_in_bounded_memory():
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run([sys.executable, "-c", CHILD, str(N_RECORDS)], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(run.stdout)

    assert report["processed"] == N_RECORDS
    assert report["id_sum"] == N_RECORDS * (N_RECORDS - 1) // 2  # every record came through exactly once
    assert report["flagged"] == N_RECORDS // 10
    assert report["batches"] == N_RECORDS // 1000
    growth = report["peak"] - report["baseline"]
    assert growth < MEMORY_BOUND, f"peak RSS grew by {growth / 2**20:.1f} MiB"


def test_the_bound_is_meaningful_a_materialised_dataset_would_break_it(processor, make):
    (record,) = processor.process_batch([make.click(1)]).records
    per_record = sys.getsizeof(record) + sum(sys.getsizeof(v) for v in record.values())
    assert N_RECORDS * per_record > 4 * MEMORY_BOUND


def _peak_traced_bytes(processor, make, n):
    tracemalloc.start()
    try:
        source = (make.click(i) for i in range(n))
        processed = sum(len(r.records) for r in processor.process_stream(source, chunk_size=500))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert processed == n
    return peak


def test_peak_traced_memory_depends_on_chunk_size_not_on_dataset_size(processor, make):
    small = _peak_traced_bytes(processor, make, 3_000)
    large = _peak_traced_bytes(processor, make, 30_000)

    assert large < 2 * 2**20  # 2 MiB for 30k records: one 500-record chunk in flight
    assert large < 1.5 * small  # 10x the records, about the same peak


def test_the_stream_pulls_one_chunk_at_a_time_from_the_source(processor, make):
    pulled = itertools.count()
    source = (make.click(next(pulled)) for _ in range(10_000))

    stream = processor.process_stream(source, chunk_size=250)
    first = next(stream)

    assert len(first.records) == 250
    assert next(pulled) == 250  # nothing beyond the first chunk was read yet
    assert sum(len(r.records) for r in stream) == 10_000 - 250


def test_a_short_last_chunk_and_an_empty_source_are_fine(processor, make):
    sizes = [len(r.records) for r in processor.process_stream((make.click(i) for i in range(7)), chunk_size=3)]
    assert sizes == [3, 3, 1]
    assert list(processor.process_stream(iter([]))) == []


def test_chunk_size_must_be_positive(processor):
    with pytest.raises(ValueError, match="chunk_size"):
        next(processor.process_stream([], chunk_size=0))
