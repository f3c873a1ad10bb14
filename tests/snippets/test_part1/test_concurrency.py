"""Requirement 4: one processor shared by many threads loses, duplicates and corrupts nothing, registrations
made while batches run are all kept, and the shared counters add up."""

import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from snippets.part1.data_processor import DataTypeSpec, FieldSpec, Schema

WORKERS = 8
BATCHES_PER_WORKER = 50
BATCH_SIZE = 40
REGISTRARS = 2
TYPES_PER_REGISTRAR = 50


def batch_for(make, worker, batch):
    """40 records with globally unique ids: alternating clicks and purchases, the last one invalid."""
    first = (worker * BATCHES_PER_WORKER + batch) * BATCH_SIZE
    records = [make.click(i) if i % 2 else make.purchase(i) for i in range(first, first + BATCH_SIZE - 1)]
    records.append(make.click(first + BATCH_SIZE - 1, dwell_ms=-1.0))
    return records


def test_eight_threads_lose_duplicate_and_corrupt_nothing(processor, processor_factory, make):
    batches = {(w, b): batch_for(make, w, b) for w in range(WORKERS) for b in range(BATCHES_PER_WORKER)}
    outputs = {w: [] for w in range(WORKERS)}
    start = threading.Barrier(WORKERS + REGISTRARS)

    def work(worker):
        start.wait()
        for b in range(BATCHES_PER_WORKER):
            outputs[worker].append(processor.process_batch(batches[worker, b]))

    def register(registrar):
        start.wait()
        for n in range(TYPES_PER_REGISTRAR):
            processor.register(DataTypeSpec(Schema(f"type-{registrar}-{n}", (FieldSpec("id", int),))))

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads ~500x more often than the default to provoke races
    try:
        with ThreadPoolExecutor(max_workers=WORKERS + REGISTRARS) as pool:
            futures = [pool.submit(work, w) for w in range(WORKERS)]
            futures += [pool.submit(register, r) for r in range(REGISTRARS)]
            for future in futures:
                future.result()  # re-raises any exception from a worker thread
    finally:
        sys.setswitchinterval(old_interval)

    results = [r for w in range(WORKERS) for r in outputs[w]]
    total = WORKERS * BATCHES_PER_WORKER * BATCH_SIZE
    good_ids = Counter(rec["id"] for r in results for rec in r.records)
    bad_ids = Counter(q.record["id"] for r in results for q in r.quarantined)
    # nothing lost, nothing duplicated
    assert set(good_ids.values()) == {1} and set(bad_ids.values()) == {1}
    assert set(good_ids) | set(bad_ids) == set(range(total)) and not set(good_ids) & set(bad_ids)
    assert len(bad_ids) == WORKERS * BATCHES_PER_WORKER
    # nothing corrupted: every record equals what a single-threaded processor produces for the same input
    reference = processor_factory()
    for (w, b), batch in batches.items():
        assert outputs[w][b].records == reference.process_batch(batch).records
    # registrations made during processing were all kept
    assert len(processor.registered_types()) == 2 + REGISTRARS * TYPES_PER_REGISTRAR
    # the shared counters add up
    stats = processor.stats
    assert stats.batches == WORKERS * BATCHES_PER_WORKER
    assert stats.received == total
    assert stats.processed == sum(good_ids.values()) and stats.quarantined == sum(bad_ids.values())
    assert stats.processed + stats.quarantined + stats.dropped == stats.received
    assert dict(stats.by_reason) == {"invalid_value": WORKERS * BATCHES_PER_WORKER}
    assert len({r.batch_id for r in results}) == len(results)  # generated batch ids are unique too
