"""Requirement 3 (a new data type needs no edit to the processor) and the error-handling and logging contract:
specific exceptions, structured log records with machine-readable fields."""

import logging
from pathlib import Path

import pytest

from snippets.part1 import data_processor
from snippets.part1.data_processor import (
    DataProcessor,
    DataProcessorError,
    DataTypeAlreadyRegisteredError,
    DataTypeSpec,
    FieldSpec,
    MissingPolicy,
    QuarantineRateExceededError,
    Reason,
    Schema,
    SchemaDefinitionError,
    in_range,
    one_of,
)

LOGGER = data_processor.__name__


# A data type the processor has never heard of, defined entirely here: schema plus a chain of two transforms.
def normalise_query(record):
    record["query"] = " ".join(record["query"].lower().split())
    return record


def add_query_tokens(record):
    record["n_tokens"] = len(record["query"].split())
    return record


SEARCH = DataTypeSpec(
    Schema("search", (
        FieldSpec("id", int),
        FieldSpec("query", str),
        FieldSpec("results_shown", int, MissingPolicy.DEFAULT, default=0, checks=(in_range(0, 100),)),
        FieldSpec("locale", str, MissingPolicy.FLAG, checks=(one_of("en-GB", "de-DE"),)),
    )),
    transforms=(normalise_query, add_query_tokens),
)


def test_a_new_data_type_is_a_registration_not_an_edit(processor, make):
    source_before = Path(data_processor.__file__).read_text()

    processor.register(SEARCH)
    result = processor.process_batch([
        {"type": "search", "id": 1, "query": "  Running   SHOES ", "locale": "en-GB"},
        make.click(2),
        {"type": "search", "id": 3, "query": "x", "results_shown": 500},
    ])

    assert Path(data_processor.__file__).read_text() == source_before
    assert "search" not in source_before
    assert processor.registered_types() == {"click", "purchase", "search"}
    assert result.records[0] == {"type": "search", "id": 1, "query": "running shoes", "results_shown": 0,
                                 "locale": "en-GB", "locale__missing": False, "n_tokens": 2}
    assert result.records[1]["type"] == "click"
    assert [(q.reason, q.field_name) for q in result.quarantined] == [(Reason.INVALID_VALUE, "results_shown")]


def test_schema_evolution_needs_an_explicit_replace(processor, make):
    v2 = DataTypeSpec(Schema("click", (FieldSpec("id", int), FieldSpec("session_id", str)), version=2))

    with pytest.raises(DataTypeAlreadyRegisteredError, match="'click' is already registered"):
        processor.register(v2)
    processor.register(v2, replace=True)

    (record,) = processor.process_batch([make.click(1, session_id="s-1")]).records
    assert record == {"type": "click", "id": 1, "session_id": "s-1"}


@pytest.mark.parametrize(("build", "message"), [
    (lambda: FieldSpec("x", list), "dtype must be one of"),
    (lambda: FieldSpec("x", int, MissingPolicy.DEFAULT), "DEFAULT needs a default"),
    (lambda: FieldSpec("x", int, MissingPolicy.IMPUTE), "IMPUTE needs an imputer"),
    (lambda: FieldSpec("x", int, default=0), "only used with policy DEFAULT"),
    (lambda: Schema("", ()), "non-empty"),
    (lambda: Schema("t", (FieldSpec("x", int), FieldSpec("x", str))), r"duplicate fields \['x'\]"),
    (lambda: DataProcessor().register(Schema("t", ())), "expected a DataTypeSpec"),
    (lambda: DataProcessor().register(DataTypeSpec(Schema("t", ()), ("not callable",))), "must be callable"),
])
def test_contradictory_schemas_fail_at_registration_time(build, message):
    with pytest.raises(SchemaDefinitionError, match=message):
        build()


def test_every_processor_exception_shares_one_base_class():
    for error in (SchemaDefinitionError, DataTypeAlreadyRegisteredError, QuarantineRateExceededError):
        assert issubclass(error, DataProcessorError)
    assert issubclass(SchemaDefinitionError, ValueError)  # callers validating config can catch ValueError


@pytest.mark.parametrize("kwargs", [{"max_quarantine_rate": 1.5}, {"max_quarantine_rate": -0.1}])
def test_nonsense_settings_are_refused(kwargs):
    with pytest.raises(ValueError, match="max_quarantine_rate"):
        DataProcessor(**kwargs)


def test_batch_summary_is_one_structured_log_record(processor, make, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    processor.process_batch([make.click(1), make.click(2, id="x"), make.purchase(3, refunded=None)],
                            batch_id="2026-11-27T10:00/part-0007")

    (summary,) = [r for r in caplog.records if getattr(r, "event", None) == "batch_processed"]
    assert summary.levelno == logging.WARNING  # something was quarantined
    assert (summary.batch_id, summary.received, summary.processed, summary.quarantined, summary.dropped) == (
        "2026-11-27T10:00/part-0007", 3, 1, 1, 1)
    assert summary.quarantine_reasons == {"wrong_type": 1}


def test_a_clean_batch_logs_at_info(processor, make, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    processor.process_batch([make.click(1)])
    (summary,) = [r for r in caplog.records if getattr(r, "event", None) == "batch_processed"]
    assert summary.levelno == logging.INFO and summary.quarantine_reasons == {}


def test_each_quarantined_record_is_logged_at_debug_with_its_reason(processor, make, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)

    processor.process_batch([make.click(1, dwell_ms=-1.0)], batch_id="b-1")

    (entry,) = [r for r in caplog.records if getattr(r, "event", None) == "record_quarantined"]
    assert entry.levelno == logging.DEBUG
    assert (entry.batch_id, entry.data_type, entry.reason, entry.field_name) == (
        "b-1", "click", "invalid_value", "dwell_ms")
    assert "outside [0, 3600000]" in entry.detail


def test_registration_is_logged(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    DataProcessor().register(SEARCH)
    (entry,) = [r for r in caplog.records if getattr(r, "event", None) == "data_type_registered"]
    assert (entry.data_type, entry.schema_version) == ("search", 1)


def test_a_broken_upstream_stops_the_job_instead_of_training_on_the_remainder(make, caplog):
    processor = DataProcessor(max_quarantine_rate=0.2)
    processor.register(DataTypeSpec(Schema("click", (FieldSpec("id", int),))))
    batch = [make.click(i) for i in range(7)] + [make.click(i, id="corrupt") for i in range(3)]

    with pytest.raises(QuarantineRateExceededError, match=r"quarantined 30.0% of 10 records") as caught:
        processor.process_batch(batch, batch_id="b-9")

    assert len(caught.value.result.quarantined) == 3  # the caller can still write them to the dead-letter store
    assert processor.stats.received == 10  # counters include the failed batch
    (alert,) = [r for r in caplog.records if getattr(r, "event", None) == "quarantine_rate_exceeded"]
    assert alert.levelno == logging.ERROR and alert.batch_id == "b-9"
    processor.process_batch(batch[:8])  # 1 in 8 is under the limit: no exception
