"""Starter code for interview Part 1: design a scalable data processor for ML training."""

# Problem: Design a scalable data processor for ML training
# Requirements:
# - Process batches of data with different schemas
# - Handle missing values and data validation
# - Make it extensible for new data types
# - Ensure thread-safety for concurrent processing
#
# You have about 8 minutes of coding (after about 2 to read this and ask questions), then about 4 to discuss the
# design. Think aloud. It is fine to sketch some methods and discuss the rest.
# A record is a plain dict such as {"type": "click", "user_id": "u-17", "item_id": "sku-9", "dwell_ms": 5400}.
# The signatures below are a suggestion: rename, split or replace them if your design needs it.

from collections.abc import Iterable, Mapping
from typing import Any

Record = dict[str, Any]


class DataProcessor:
    def register_type(self, data_type: str, schema: Mapping[str, Any]) -> None:
        """Teach the processor a new data type (its schema and how to transform it)."""
        raise NotImplementedError

    def process_batch(self, records: Iterable[Record]) -> list[Record]:
        """Validate, clean and transform one batch; records of different types may be mixed."""
        raise NotImplementedError
