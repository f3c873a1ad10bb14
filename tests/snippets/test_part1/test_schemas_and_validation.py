"""Requirements 1-2: batches mixing data types, each checked against its own schema; missing values handled by
the field's declared policy; bad records quarantined with a reason, never dropped silently."""

import math

import pytest

from snippets.part1.data_processor import (
    DataTypeSpec,
    FieldSpec,
    MissingPolicy,
    Reason,
    Schema,
)


def test_one_batch_mixes_types_and_each_record_gets_its_own_schema(processor, make):
    batch = [make.click(1), make.purchase(2), make.click(3, extra_column="ignored")]

    result = processor.process_batch(batch)

    assert [r["type"] for r in result.records] == ["click", "purchase", "click"]
    first_click, buy, second_click = result.records
    assert first_click == {"type": "click", "id": 1, "user_id": "u1", "item_id": "sku-1", "dwell_ms": 1.0,
                           "dwell_ms__missing": False, "dwell_s": 0.001, "device": "web"}
    assert buy == {"type": "purchase", "id": 2, "user_id": "u2", "amount": 12.0, "country": "DE",
                   "currency": "EUR", "refunded": False, "log_amount": math.log1p(12.0)}
    assert "extra_column" not in second_click  # unknown keys never leak into the feature set
    assert result.quarantined == [] and result.dropped == []


def test_default_policy_fills_the_declared_constant(processor, make):
    result = processor.process_batch([make.click(1, device=None), make.click(2, device="")])
    assert [r["device"] for r in result.records] == ["unknown", "unknown"]


def test_impute_policy_derives_the_value_from_the_rest_of_the_record(processor, make):
    record = make.purchase(1, country="GB")
    del record["currency"]
    assert processor.process_batch([record]).records[0]["currency"] == "GBP"


def test_flag_policy_keeps_the_record_and_adds_a_missing_indicator(processor, make):
    result = processor.process_batch([make.click(1, dwell_ms=None), make.click(2, dwell_ms=float("nan"))])
    assert [(r["dwell_ms"], r["dwell_ms__missing"], r["dwell_s"]) for r in result.records] == [
        (None, True, None), (None, True, None)]


def test_drop_policy_drops_the_record_but_accounts_for_it(processor, make):
    unlabelled = make.purchase(7, refunded=None)

    result = processor.process_batch([unlabelled, make.purchase(8)])

    assert [r["id"] for r in result.records] == [8]
    assert len(result.dropped) == 1
    assert result.dropped[0].record is unlabelled and result.dropped[0].field_name == "refunded"
    assert processor.stats.dropped == 1


def test_missing_required_field_is_quarantined_with_the_field_named(processor, make):
    record = make.click(1)
    del record["user_id"]

    (entry,) = processor.process_batch([record]).quarantined

    assert (entry.reason, entry.field_name, entry.data_type) == (Reason.MISSING_REQUIRED, "user_id", "click")
    assert entry.record is record  # the original payload is kept for replay after a fix


@pytest.mark.parametrize(("bad_record", "reason", "field_name"), [
    ({"type": "click", "id": "not-a-number"}, Reason.WRONG_TYPE, "id"),
    ({"type": "click", "id": 3.7}, Reason.WRONG_TYPE, "id"),
    ({"type": "click", "id": True}, Reason.WRONG_TYPE, "id"),
    ({"type": "click", "user_id": ["u1"]}, Reason.WRONG_TYPE, "user_id"),
    ({"type": "click", "dwell_ms": -5.0}, Reason.INVALID_VALUE, "dwell_ms"),
    ({"type": "click", "device": "smart-fridge"}, Reason.INVALID_VALUE, "device"),
    ({"type": "purchase", "refunded": "maybe"}, Reason.WRONG_TYPE, "refunded"),
    ({"type": "purchase", "currency": None, "country": "JP"}, Reason.IMPUTE_FAILED, "currency"),
    ({"type": "impression"}, Reason.UNKNOWN_DATA_TYPE, "type"),
])
def test_invalid_records_are_quarantined_with_reason_and_field(processor, make, bad_record, reason, field_name):
    base = make.click(1) if bad_record["type"] == "click" else make.purchase(1)
    record = {**base, **bad_record}

    result = processor.process_batch([record, make.click(2)])

    assert [r["id"] for r in result.records] == [2]
    (entry,) = result.quarantined
    assert (entry.reason, entry.field_name) == (reason, field_name)
    assert entry.detail  # a human-readable explanation, e.g. "expected int, got str 'not-a-number'"


def test_non_mapping_and_failing_transform_are_quarantined_not_raised(processor, make):
    def explode(record):
        raise ZeroDivisionError("feature code bug")

    processor.register(DataTypeSpec(Schema("view", (FieldSpec("id", int),)), (explode,)))
    processor.register(DataTypeSpec(Schema("broken", (FieldSpec("id", int),)), (lambda r: [r],)))

    result = processor.process_batch(["not a dict", {"type": "view", "id": 1}, {"type": "broken", "id": 2},
                                      make.click(3)])

    assert [q.reason for q in result.quarantined] == [Reason.NOT_A_MAPPING, Reason.TRANSFORM_FAILED,
                                                      Reason.TRANSFORM_FAILED]
    assert "explode" in result.quarantined[1].detail and "ZeroDivisionError" in result.quarantined[1].detail
    assert "returned list" in result.quarantined[2].detail
    assert [r["id"] for r in result.records] == [3]


def test_every_received_record_is_accounted_for(processor, make):
    batch = [make.click(1), make.click(2, id="x"), make.purchase(3, refunded=None), {"type": "nope"}, 42]

    result = processor.process_batch(batch)

    assert result.received == 5
    assert len(result.records) + len(result.quarantined) + len(result.dropped) == result.received
    stats = processor.stats
    assert (stats.received, stats.processed, stats.quarantined, stats.dropped) == (5, 1, 3, 1)
    assert dict(stats.by_reason) == {"wrong_type": 1, "unknown_data_type": 1, "not_a_mapping": 1}


@pytest.mark.parametrize(("dtype", "raw", "expected"), [
    (int, "42", 42), (int, 42.0, 42), (float, 3, 3.0), (float, "2.5", 2.5),
    (bool, "false", False), (bool, "TRUE", True), (bool, 1, True), (str, 17, "17"),
])
def test_unambiguous_conversions_are_accepted(processor, dtype, raw, expected):
    processor.register(DataTypeSpec(Schema("probe", (FieldSpec("value", dtype),))))
    (record,) = processor.process_batch([{"type": "probe", "value": raw}]).records
    assert record["value"] == expected and type(record["value"]) is dtype


def test_an_imputer_that_finds_nothing_quarantines_instead_of_passing_none_on(processor):
    processor.register(DataTypeSpec(Schema("probe", (
        FieldSpec("region", str, MissingPolicy.IMPUTE, imputer=lambda record: None),))))
    (entry,) = processor.process_batch([{"type": "probe"}]).quarantined
    assert (entry.reason, entry.detail) == (Reason.IMPUTE_FAILED, "imputer returned None")
