"""The candidate-visible starter states the seed's four requirements and gives signatures to fill in."""

import inspect
import re

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
])
def test_starter_is_a_skeleton_the_candidate_fills_in(method, args):
    with pytest.raises(NotImplementedError):
        getattr(DataProcessor(), method)(*args)


def test_starter_does_not_hand_over_the_memory_follow_up():
    # "How would you handle memory management with large datasets?" is a follow-up: the candidate should reach
    # chunked streaming on their own, so the starter names no stream, chunk or generator API.
    source = inspect.getsource(data_processor_starter)
    assert not re.search(r"(?i)stream|chunk|iterator|islice|memory", source)
    assert [name for name, _ in inspect.getmembers(DataProcessor, inspect.isfunction)] == ["process_batch",
                                                                                           "register_type"]
