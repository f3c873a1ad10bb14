"""The candidate-visible starter states the seed's four requirements and gives signatures to fill in."""

import inspect

import pytest

from snippets.part1 import data_processor_starter
from snippets.part1.data_processor_starter import DataProcessor

SEED_REQUIREMENTS = [
    "# Problem: Design a scalable data processor for ML training",
    "# - Process batches of data with different schemas",
    "# - Handle missing values and data validation",
    "# - Make it extensible for new data types",
    "# - Ensure thread-safety for concurrent processing",
]


def test_starter_shows_the_seed_requirements_verbatim():
    source = inspect.getsource(data_processor_starter)
    for line in SEED_REQUIREMENTS:
        assert line in source


@pytest.mark.parametrize(("method", "args"), [
    ("register_type", ("click", {"user_id": str})),
    ("process_batch", ([{"type": "click"}],)),
    ("process_stream", (iter([]),)),
])
def test_starter_is_a_skeleton_the_candidate_fills_in(method, args):
    with pytest.raises(NotImplementedError):
        result = getattr(DataProcessor(), method)(*args)
        next(iter(result))  # process_stream may be written as a generator
