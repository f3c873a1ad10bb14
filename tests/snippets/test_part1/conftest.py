"""Two realistic data types (click and purchase events) registered on a fresh processor per test."""

import math
from types import SimpleNamespace

import pytest

from snippets.part1.data_processor import (
    DataProcessor,
    DataTypeSpec,
    FieldSpec,
    MissingPolicy,
    Schema,
    in_range,
    one_of,
)

CURRENCY_BY_COUNTRY = {"DE": "EUR", "FR": "EUR", "GB": "GBP", "US": "USD"}


def add_dwell_seconds(record):
    record["dwell_s"] = None if record["dwell_ms"] is None else record["dwell_ms"] / 1000
    return record


def add_log_amount(record):
    record["log_amount"] = math.log1p(record["amount"])
    return record


def currency_from_country(record):
    return CURRENCY_BY_COUNTRY[record["country"]]


CLICK = DataTypeSpec(
    Schema("click", (
        FieldSpec("id", int),
        FieldSpec("user_id", str),
        FieldSpec("item_id", str),
        FieldSpec("dwell_ms", float, MissingPolicy.FLAG, checks=(in_range(0, 3_600_000),)),
        FieldSpec("device", str, MissingPolicy.DEFAULT, default="unknown",
                  checks=(one_of("ios", "android", "web", "unknown"),)),
    )),
    transforms=(add_dwell_seconds,),
)

PURCHASE = DataTypeSpec(
    Schema("purchase", (
        FieldSpec("id", int),
        FieldSpec("user_id", str),
        FieldSpec("amount", float, checks=(in_range(0),)),
        FieldSpec("country", str),
        FieldSpec("currency", str, MissingPolicy.IMPUTE, imputer=currency_from_country,
                  checks=(one_of("EUR", "GBP", "USD"),)),
        FieldSpec("refunded", bool, MissingPolicy.DROP),  # the training label: no label, no example
    )),
    transforms=(add_log_amount,),
)


def click(i, **overrides):
    record = {"type": "click", "id": i, "user_id": f"u{i % 97}", "item_id": f"sku-{i % 13}",
              "dwell_ms": float(i % 5000), "device": "web"}
    record.update(overrides)
    return record


def purchase(i, **overrides):
    record = {"type": "purchase", "id": i, "user_id": f"u{i % 97}", "amount": 10.0 + i % 90,
              "country": "DE", "currency": "EUR", "refunded": False}
    record.update(overrides)
    return record


def new_processor(**kwargs):
    proc = DataProcessor(**kwargs)
    proc.register(CLICK)
    proc.register(PURCHASE)
    return proc


@pytest.fixture
def processor():
    return new_processor()


@pytest.fixture
def processor_factory():
    """Builds more processors with the click and purchase types, e.g. a single-threaded reference."""
    return new_processor


@pytest.fixture
def make():
    """Record factories: make.click(i, **overrides), make.purchase(i, **overrides)."""
    return SimpleNamespace(click=click, purchase=purchase)
