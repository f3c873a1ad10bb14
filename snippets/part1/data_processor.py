"""Reference DataProcessor for interview Part 1: schema-per-type batches, missing-value policies, quarantine,
a plug-in type registry, chunked streaming and thread-safe counters. Standard library only."""

from __future__ import annotations

import enum
import itertools
import logging
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

logger = logging.getLogger(__name__)

Record = dict[str, Any]
Transform = Callable[[Record], Record]
Check = Callable[[Any], str | None]  # returns why the value is invalid, or None when it is fine


# --8<-- [start:errors_logging]
class DataProcessorError(Exception):
    """Base class: callers can catch every processor failure with one except clause."""


class SchemaDefinitionError(DataProcessorError, ValueError):
    """A schema or type spec contradicts itself; raised at registration, never mid-batch."""


class DataTypeAlreadyRegisteredError(DataProcessorError):
    """A second registration under the same name without replace=True (two teams, one type name)."""


class QuarantineRateExceededError(DataProcessorError):
    """Too much of one batch was quarantined: an upstream producer is broken, so stop instead of
    training on the biased remainder. Carries the batch so the caller can still persist it."""

    def __init__(self, result: BatchResult, limit: float) -> None:
        rate = len(result.quarantined) / result.received
        super().__init__(f"batch {result.batch_id}: quarantined {rate:.1%} of {result.received} records "
                         f"(limit {limit:.1%}); top reasons: {dict(result.reasons().most_common(3))}")
        self.result = result
        self.rate = rate


class Reason(enum.StrEnum):
    """Machine-readable quarantine reasons: dashboards and alerts group by these, not by message text."""

    NOT_A_MAPPING = "not_a_mapping"
    UNKNOWN_DATA_TYPE = "unknown_data_type"
    MISSING_REQUIRED = "missing_required_field"
    WRONG_TYPE = "wrong_type"
    INVALID_VALUE = "invalid_value"
    IMPUTE_FAILED = "impute_failed"
    TRANSFORM_FAILED = "transform_failed"


class RecordRejected(DataProcessorError):
    """One record failed; the processor turns this into a quarantine entry and keeps going."""

    def __init__(self, reason: Reason, field_name: str | None = None, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {field_name or '-'}: {detail}")
        self.reason = reason
        self.field_name = field_name
        self.detail = detail


class _DropRecord(Exception):
    """Internal signal for MissingPolicy.DROP: an expected, counted, logged drop (not an error)."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name)
        self.field_name = field_name


def _log_batch(result: BatchResult) -> None:
    """One structured summary per batch: per-record WARNINGs would flood the logs on a bad day."""
    level = logging.WARNING if result.quarantined else logging.INFO
    logger.log(level, "batch processed", extra={
        "event": "batch_processed", "batch_id": result.batch_id, "received": result.received,
        "processed": len(result.records), "quarantined": len(result.quarantined),
        "dropped": len(result.dropped), "quarantine_reasons": dict(result.reasons())})


def _log_quarantine(entry: QuarantinedRecord) -> None:
    logger.debug("record quarantined", extra={
        "event": "record_quarantined", "batch_id": entry.batch_id, "data_type": entry.data_type,
        "reason": entry.reason.value, "field_name": entry.field_name, "detail": entry.detail})
# --8<-- [end:errors_logging]


# --8<-- [start:missing_values]
class MissingPolicy(enum.Enum):
    """What to do when a field is absent, None, NaN or an empty string. Declared per field."""

    REJECT = "reject"    # quarantine the record with reason missing_required_field (the default)
    DROP = "drop"        # drop the record on purpose, counted and logged (e.g. an event with no label)
    DEFAULT = "default"  # fill the constant declared in the schema
    IMPUTE = "impute"    # fill from a function of the record, e.g. a training-set median shipped with the model
    FLAG = "flag"        # keep None and add `<field>__missing = True` so the model can learn from missingness


def _reject(spec: FieldSpec, record: Mapping[str, Any]) -> Any:
    raise RecordRejected(Reason.MISSING_REQUIRED, spec.name, "value is missing")


def _drop(spec: FieldSpec, record: Mapping[str, Any]) -> Any:
    raise _DropRecord(spec.name)


def _default(spec: FieldSpec, record: Mapping[str, Any]) -> Any:
    return spec.default


def _impute(spec: FieldSpec, record: Mapping[str, Any]) -> Any:
    try:
        value = spec.imputer(record)  # type: ignore[misc]  # __post_init__ guarantees an imputer
    except Exception as exc:  # imputers are plug-in code: one bad record must not kill the batch
        raise RecordRejected(Reason.IMPUTE_FAILED, spec.name, repr(exc)) from exc
    if value is None:
        raise RecordRejected(Reason.IMPUTE_FAILED, spec.name, "imputer returned None")
    return value


def _flag(spec: FieldSpec, record: Mapping[str, Any]) -> Any:
    return None


# Strategy pattern: one function per policy, chosen by the field's declaration, no if/elif chain to edit.
MISSING_STRATEGIES: Mapping[MissingPolicy, Callable[[FieldSpec, Mapping[str, Any]], Any]] = MappingProxyType({
    MissingPolicy.REJECT: _reject, MissingPolicy.DROP: _drop, MissingPolicy.DEFAULT: _default,
    MissingPolicy.IMPUTE: _impute, MissingPolicy.FLAG: _flag,
})


# --8<-- [end:missing_values]


# --8<-- [start:validation]
_ALLOWED_TYPES = (int, float, str, bool)
_BOOL_STRINGS = {"true": True, "false": False, "1": True, "0": False}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    dtype: type
    on_missing: MissingPolicy = MissingPolicy.REJECT
    default: Any = None
    imputer: Callable[[Mapping[str, Any]], Any] | None = None
    checks: tuple[Check, ...] = ()
    flagged: bool = field(init=False, repr=False, compare=False)  # precomputed: enum access is slow
    flag_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "flagged", self.on_missing is MissingPolicy.FLAG)
        object.__setattr__(self, "flag_key", f"{self.name}__missing")
        if self.dtype not in _ALLOWED_TYPES:
            raise SchemaDefinitionError(f"field {self.name!r}: dtype must be one of int, float, str, bool")
        if self.on_missing is MissingPolicy.DEFAULT and self.default is None:
            raise SchemaDefinitionError(f"field {self.name!r}: policy DEFAULT needs a default value")
        if self.on_missing is MissingPolicy.IMPUTE and self.imputer is None:
            raise SchemaDefinitionError(f"field {self.name!r}: policy IMPUTE needs an imputer")
        if self.default is not None and self.on_missing is not MissingPolicy.DEFAULT:
            raise SchemaDefinitionError(f"field {self.name!r}: a default is only used with policy DEFAULT")


@dataclass(frozen=True, slots=True)
class Schema:
    data_type: str
    fields: tuple[FieldSpec, ...]
    version: int = 1

    def __post_init__(self) -> None:
        if not self.data_type:
            raise SchemaDefinitionError("data_type must be a non-empty string")
        names = [f.name for f in self.fields]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise SchemaDefinitionError(f"schema {self.data_type!r}: duplicate fields {duplicates}")


def coerce(spec: FieldSpec, value: Any) -> Any:
    """Accept the exact type, or an unambiguous conversion (\"3\" -> 3); refuse lossy ones (3.7 -> int)."""
    dtype = spec.dtype
    try:
        if dtype is bool:
            return _BOOL_STRINGS[str(value).strip().lower()]
        if isinstance(value, bool):  # True is an int in Python; as a number it is almost always a bug
            raise TypeError("bool is not a number")
        if dtype is int and isinstance(value, float):
            if not value.is_integer():
                raise ValueError("would truncate")
            return int(value)
        if dtype is str and not isinstance(value, (int, float)):
            raise TypeError(f"{type(value).__name__} is not text")
        return dtype(value)
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordRejected(Reason.WRONG_TYPE, spec.name,
                             f"expected {dtype.__name__}, got {type(value).__name__} {value!r}: {exc}") from None


def validate(schema: Schema, raw: Mapping[str, Any], clean: Record) -> Record:
    """Fill `clean` with the schema's fields only (unknown keys never leak into features), or raise
    RecordRejected / _DropRecord. This is the per-record hot path, so it avoids calls on the happy path."""
    for spec in schema.fields:
        value = raw.get(spec.name)
        if value is None or value == "" or (type(value) is float and math.isnan(value)):  # absent/None/""/NaN
            value = MISSING_STRATEGIES[spec.on_missing](spec, raw)
            if spec.flagged:
                clean[spec.flag_key] = True
                clean[spec.name] = None
                continue
        elif spec.flagged:
            clean[spec.flag_key] = False
        if type(value) is not spec.dtype:
            value = coerce(spec, value)
        if spec.checks:
            for check in spec.checks:
                problem = check(value)
                if problem is not None:
                    raise RecordRejected(Reason.INVALID_VALUE, spec.name, problem)
        clean[spec.name] = value
    return clean


def in_range(low: float | None = None, high: float | None = None) -> Check:
    def check(value: float) -> str | None:
        if (low is not None and value < low) or (high is not None and value > high):
            return f"{value!r} outside [{low}, {high}]"
        return None
    return check


def one_of(*allowed: str) -> Check:
    options = frozenset(allowed)

    def check(value: str) -> str | None:
        return None if value in options else f"{value!r} not in {sorted(options)}"
    return check
# --8<-- [end:validation]


# --8<-- [start:registry]
@dataclass(frozen=True, slots=True)
class DataTypeSpec:
    """Everything the processor knows about one data type: its schema and a chain of transforms.
    A new type is a new DataTypeSpec passed to DataProcessor.register; the processor is not edited.
    Transforms get a record the processor owns (they may mutate and return it) and must keep no state
    between calls: every thread runs the same transform objects."""

    schema: Schema
    transforms: tuple[Transform, ...] = ()

    @property
    def name(self) -> str:
        return self.schema.data_type


class TypeRegistry:
    """Registry pattern with copy-on-write: writers swap in a new read-only mapping under a lock, so
    readers (every record of every batch) take a consistent snapshot without locking."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._specs: Mapping[str, DataTypeSpec] = MappingProxyType({})

    def register(self, spec: DataTypeSpec, *, replace: bool = False) -> None:
        if not isinstance(spec, DataTypeSpec):
            raise SchemaDefinitionError(f"expected a DataTypeSpec, got {type(spec).__name__}")
        if not all(callable(t) for t in spec.transforms):
            raise SchemaDefinitionError(f"data type {spec.name!r}: every transform must be callable")
        with self._lock:
            if spec.name in self._specs and not replace:
                raise DataTypeAlreadyRegisteredError(f"data type {spec.name!r} is already registered")
            self._specs = MappingProxyType({**self._specs, spec.name: spec})
        logger.info("data type registered", extra={
            "event": "data_type_registered", "data_type": spec.name, "schema_version": spec.schema.version})

    def snapshot(self) -> Mapping[str, DataTypeSpec]:
        return self._specs  # one atomic attribute read; the mapping itself never changes
# --8<-- [end:registry]


@dataclass(frozen=True, slots=True)
class QuarantinedRecord:
    record: Any
    batch_id: str
    data_type: str | None
    reason: Reason
    field_name: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class DroppedRecord:
    record: Mapping[str, Any]
    batch_id: str
    data_type: str
    field_name: str


@dataclass(slots=True)
class BatchResult:
    batch_id: str
    received: int = 0
    records: list[Record] = field(default_factory=list)
    quarantined: list[QuarantinedRecord] = field(default_factory=list)
    dropped: list[DroppedRecord] = field(default_factory=list)

    def reasons(self) -> Counter[str]:
        return Counter(q.reason.value for q in self.quarantined)


# --8<-- [start:thread_safety]
@dataclass(frozen=True, slots=True)
class Stats:
    batches: int = 0
    received: int = 0
    processed: int = 0
    quarantined: int = 0
    dropped: int = 0
    by_reason: Mapping[str, int] = field(default_factory=dict)


class _Counters:
    """Shared counters, updated once per batch under one lock: cheap, and a reader never sees a torn
    state where received != processed + quarantined + dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stats = Stats()

    def add(self, result: BatchResult) -> None:
        with self._lock:
            s = self._stats
            by_reason = Counter(s.by_reason)
            by_reason.update(result.reasons())
            self._stats = Stats(s.batches + 1, s.received + result.received, s.processed + len(result.records),
                                s.quarantined + len(result.quarantined), s.dropped + len(result.dropped),
                                MappingProxyType(dict(by_reason)))

    def snapshot(self) -> Stats:
        return self._stats
# --8<-- [end:thread_safety]


class DataProcessor:
    """Validates, cleans and transforms records of many data types. Safe to share between threads:
    a batch touches only local state, the registry is copy-on-write and counters are locked."""

    def __init__(self, *, type_key: str = "type", max_quarantine_rate: float | None = None) -> None:
        if max_quarantine_rate is not None and not 0.0 <= max_quarantine_rate <= 1.0:
            raise ValueError("max_quarantine_rate must be within [0, 1]")
        self.type_key = type_key
        self.max_quarantine_rate = max_quarantine_rate
        self._registry = TypeRegistry()
        self._counters = _Counters()
        self._batch_ids = itertools.count(1)  # next() on itertools.count is atomic under the GIL

    def register(self, spec: DataTypeSpec, *, replace: bool = False) -> None:
        self._registry.register(spec, replace=replace)

    def registered_types(self) -> frozenset[str]:
        return frozenset(self._registry.snapshot())

    @property
    def stats(self) -> Stats:
        return self._counters.snapshot()

    # --8<-- [start:quarantine]
    def process_batch(self, records: Iterable[Any], *, batch_id: str | None = None) -> BatchResult:
        """Process one batch; records of different types may be mixed. Bad records are quarantined
        with a reason, never dropped silently; the batch itself only fails on a quarantine-rate breach."""
        result = BatchResult(batch_id or f"batch-{next(self._batch_ids)}")
        specs = self._registry.snapshot()
        records = records if isinstance(records, list) else list(records)
        result.received = len(records)
        type_key = self.type_key
        for raw in records:
            data_type = None
            try:
                if type(raw) is not dict and not isinstance(raw, Mapping):
                    raise RecordRejected(Reason.NOT_A_MAPPING, None, f"got {type(raw).__name__}")
                data_type = raw.get(type_key)
                spec = specs.get(data_type)  # type: ignore[arg-type]
                if spec is None:
                    raise RecordRejected(Reason.UNKNOWN_DATA_TYPE, type_key,
                                         f"{data_type!r} not in {sorted(specs)}")
                record = validate(spec.schema, raw, {type_key: spec.name})
                if spec.transforms:
                    record = _run_transforms(spec, record)
                result.records.append(record)
            except RecordRejected as exc:
                entry = QuarantinedRecord(raw, result.batch_id, data_type if isinstance(data_type, str) else None,
                                          exc.reason, exc.field_name, exc.detail)
                result.quarantined.append(entry)
                _log_quarantine(entry)
            except _DropRecord as exc:
                result.dropped.append(DroppedRecord(raw, result.batch_id, data_type, exc.field_name))
        self._counters.add(result)
        _log_batch(result)
        limit = self.max_quarantine_rate
        if limit is not None and result.received and len(result.quarantined) / result.received > limit:
            logger.error("quarantine rate exceeded", extra={
                "event": "quarantine_rate_exceeded", "batch_id": result.batch_id,
                "quarantined": len(result.quarantined), "received": result.received, "limit": limit})
            raise QuarantineRateExceededError(result, limit)
        return result
    # --8<-- [end:quarantine]

    # --8<-- [start:streaming]
    def process_stream(self, records: Iterable[Any], *, chunk_size: int = 10_000) -> Iterator[BatchResult]:
        """Lazily process any iterable (a file reader, a Kafka consumer, a DB cursor) in fixed-size
        chunks: memory is bounded by chunk_size, not by the size of the dataset."""
        if chunk_size < 1:
            raise ValueError("chunk_size must be >= 1")
        iterator = iter(records)
        while chunk := list(itertools.islice(iterator, chunk_size)):
            yield self.process_batch(chunk)
    # --8<-- [end:streaming]


def _run_transforms(spec: DataTypeSpec, record: Record) -> Record:
    """Chain of transforms (pipeline pattern): each step takes and returns a record."""
    for transform in spec.transforms:
        try:
            record = transform(record)
        except Exception as exc:  # a plug-in bug must quarantine one record, not kill the batch
            name = getattr(transform, "__name__", repr(transform))
            raise RecordRejected(Reason.TRANSFORM_FAILED, None, f"{name}: {exc!r}") from exc
        if type(record) is not dict:
            raise RecordRejected(Reason.TRANSFORM_FAILED, None,
                                 f"{getattr(transform, '__name__', transform)!r} returned {type(record).__name__}")
    return record
