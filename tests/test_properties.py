"""Property: whatever happens to a data file, the validator answers with file:line problems, never a traceback.

Hypothesis (20 derandomized examples a run) takes the small valid fixture, breaks one file at random (deletes a key,
gives a value another type, duplicates a list item, truncates the text, splices in random bytes) and runs
`load_all` in-process on it.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.core.validate import DataError, DataSet, load_all
from tests.helpers import VALID, copy_valid

FILES = sorted(p.relative_to(VALID).as_posix() for p in (VALID / "data").rglob("*.yml"))
TEXTS = {rel: (VALID / rel).read_text(encoding="utf-8") for rel in FILES}
PARSED = {rel: yaml.safe_load(text) for rel, text in TEXTS.items()}


def locations(value, loc=()):
    """Every key path into a parsed YAML value, e.g. ('questions', 0, 'follow_ups', 0, 'probe')."""
    out = [loc] if loc else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += locations(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += locations(v, (*loc, i))
    return out


LOCATIONS = [(rel, loc) for rel in FILES for loc in locations(PARSED[rel])]
def get(value, loc):
    for part in loc:
        value = value[part]
    return value


LISTS = [(rel, loc) for rel, loc in LOCATIONS if isinstance(get(PARSED[rel], loc), list) and get(PARSED[rel], loc)]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=30), st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1)),
                    st.sampled_from(["part9", "python_oop", "demo-question-1", "snippets/demo/nope.py", "", "5",
                                     "<script>x</script>", "2026-13-45", "yes", "~"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers(0, 9)), inner, max_size=3)), max_leaves=6)


def header(rel: str) -> str:
    return TEXTS[rel].split("\n", 1)[0] + "\n"


def dump(rel: str, data) -> bytes:
    return (header(rel) + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)).encode("utf-8")


def copy_data(value):
    return yaml.safe_load(yaml.safe_dump(value))


@st.composite
def broken_files(draw) -> tuple[str, bytes, str]:
    """One data file of the fixture, broken in one random way: (path, new bytes, what was done)."""
    kind = draw(st.sampled_from(["delete", "retype", "duplicate", "truncate", "splice"]))
    if kind in ("truncate", "splice"):
        rel = draw(st.sampled_from(FILES))
        raw = TEXTS[rel].encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        if kind == "truncate":
            return rel, raw[:at], f"truncate {rel} at byte {at}"
        junk = draw(st.binary(min_size=1, max_size=6) | st.sampled_from([b"\t", b": ", b"- ", b"&a ", b"*a", b"\n  ",
                                                                          b"'", b"\"", b"{", b"[", b"!!x "]))
        return rel, raw[:at] + junk + raw[at:], f"insert {junk!r} into {rel} at byte {at}"
    pool = LISTS if kind == "duplicate" else LOCATIONS
    rel, loc = draw(st.sampled_from(pool))
    data = copy_data(PARSED[rel])
    parent, last = get(data, loc[:-1]), loc[-1]
    if kind == "delete":
        del parent[last]
    elif kind == "retype":
        new = draw(values.filter(lambda v: type(v) is not type(parent[last])))
        parent[last] = new
    else:
        items = get(data, loc)
        i = draw(st.integers(0, len(items) - 1))
        items.insert(i, copy_data(items[i]))
    return rel, dump(rel, data), f"{kind} {rel} at {loc}"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return copy_valid(tmp_path_factory.mktemp("prop") / "repo")


def test_the_fixture_survives_a_round_trip_through_the_mutator(repo):
    """Dumping the parsed fixture unchanged must still validate, or every mutation would fail for the wrong reason."""
    for rel in FILES:
        (repo / rel).write_bytes(dump(rel, PARSED[rel]))
    try:
        assert isinstance(load_all(repo), DataSet)
    finally:
        for rel in FILES:
            (repo / rel).write_text(TEXTS[rel], encoding="utf-8")


@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(broken=broken_files())
def test_any_broken_file_yields_file_and_line_problems_never_a_crash(repo, broken):
    rel, raw, what = broken
    target = repo / rel
    target.write_bytes(raw)
    try:
        try:
            load_all(repo)
            return  # some mutations leave valid data (e.g. a duplicated topic): that is fine
        except DataError as err:
            problems = err.problems
    finally:
        target.write_text(TEXTS[rel], encoding="utf-8")
    assert problems, what
    for p in problems:
        path = repo / p.path
        assert p.path.startswith("data/") and path.is_file(), f"{what}: {p} names no data file"
        n_lines = max(1, (raw if p.path == rel else path.read_bytes()).count(b"\n") + 1)
        assert 1 <= p.line <= n_lines, f"{what}: {p} names line {p.line} of a {n_lines}-line file"
        assert p.where and p.message, f"{what}: {p}"
