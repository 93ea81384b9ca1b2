"""Id checks of the bounded-memory engines (mcda_ckm.large.ids): the stated hash of every id,
the spill to disk, ids in order checked without hashes (moved from test_stream.py, issue 12)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.large import ids as large_ids
from mcda_ckm.large.chunks import Chunk, Scratch


def test_spilled_hashes_are_all_checked_whatever_the_spill_thread_does(monkeypatch):
    # A slow spill thread: the repeat of a spilled hash is still found.
    import time

    real = large_ids.HashSpill._write

    def slow(self, h):
        time.sleep(0.05)
        real(self, h)

    monkeypatch.setattr(large_ids.HashSpill, "_write", slow)
    spill = large_ids.HashSpill(limit=4, bits=2)
    try:
        spill.add(np.array([1, 2, 3, 4], np.uint64))
        spill.add(np.array([1], np.uint64))
        assert spill.duplicated().tolist() == [1]
    finally:
        spill.close()


def _reference_hash(text: str) -> int:
    """The string hash of :func:`mcda_ckm.large.large_ids.hash_ids` as its docstring states it, in
    Python integers: the byte length times the multiplier, then per 8-byte little-endian word
    (zero-padded) xor and multiply, then splitmix64's finaliser (Steele, Lea & Flood 2014)."""
    mask, m = 2**64 - 1, 0x9E3779B97F4A7C15
    data = text.encode()
    h = (len(data) * m) & mask
    for k in range(0, len(data), 8):
        h = ((h ^ int.from_bytes(data[k : k + 8].ljust(8, b"\0"), "little")) * m) & mask
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & mask
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & mask
    return h ^ (h >> 31)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(max_size=40), min_size=1, max_size=60),
    st.integers(0, 5),
    st.booleans(),
)
def test_hash_ids_is_the_stated_hash_of_each_id_alone(texts, cut, large):
    # Each id's hash is its own (not the other ids' of the array, nor the block's), whatever
    # the lengths, the characters, a slice offset or 64-bit offsets.
    array = pa.array(texts, pa.large_string() if large else pa.string())[min(cut, len(texts)) :]
    want = [_reference_hash(t) for t in texts[min(cut, len(texts)) :]]
    assert large_ids.hash_ids(array).tolist() == want


def test_hash_ids_across_blocks_and_distinct_ids_differ(monkeypatch):
    monkeypatch.setattr(large_ids, "HASH_BLOCK", 5)
    texts = [f"C{i}" + "x" * (i % 19) for i in range(200)]
    got = large_ids.hash_ids(pa.array(texts))
    assert got.tolist() == [_reference_hash(t) for t in texts]
    assert len(set(got.tolist())) == len(texts)


@pytest.mark.parametrize("limit", [4, 7, 1000])
def test_hash_spill_finds_every_repeat_in_memory_and_spilled(limit):
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2**64, 40, dtype=np.uint64)
    parts = [values[:3], values[3:15], np.concatenate([values[15:30], values[[2, 9]]]), values[30:]]
    parts.append(values[[20, 20, 39]])
    spill = large_ids.HashSpill(limit=limit, bits=2)
    try:
        for part in parts:
            spill.add(part)
        got = spill.duplicated()
    finally:
        spill.close()
    assert got.tolist() == sorted(values[[2, 9, 20, 39]].tolist())


def test_blank_ids_are_not_hashed_and_hashes_match_filtered():
    ids = pa.array(["a1", "", "b22", "", "c333"])
    got = large_ids.nonempty_hashes(ids)
    assert got.tolist() == large_ids.hash_ids(pa.array(["a1", "b22", "c333"])).tolist()
    mixed = pa.array(["é1", "", None, "zz"])
    assert (
        large_ids.nonempty_hashes(mixed).tolist()
        == large_ids.hash_ids(pa.array(["é1", "zz"])).tolist()
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=40), st.booleans(), st.integers(1, 7))
def test_ids_in_order_are_checked_without_hashes_and_repeats_still_found(texts, sort, chunk):
    # Ascending ids (as text, or shorter first) skip the hashes; any repeat, in order or
    # not, is still found, and found by its hash once the order fails.
    if sort:
        texts = sorted(texts, key=lambda t: (len(t.encode()), t.encode()))
    ids = pa.array(texts)
    check = large_ids.IdCheck()
    try:
        for a in range(0, len(texts), chunk):
            part = ids.slice(a, chunk)
            check.add(
                Chunk(np.arange(a, a + len(part)), np.arange(a, a + len(part)) + 2, part, None, {})
            )

        def again():
            for a in range(0, len(texts), chunk):
                part = ids.slice(a, chunk)
                yield Chunk(
                    np.arange(a, a + len(part)), np.arange(a, a + len(part)) + 2, part, None, {}
                )

        _, repeated = check.result(again)
    finally:
        check.close()
    seen = {}
    for t in texts:
        if t:
            seen[t] = seen.get(t, 0) + 1
    hashes = large_ids.hash_ids(ids).tolist()
    want = [h for t, h in zip(texts, hashes, strict=True) if t and seen[t] > 1]
    assert repeated.tolist() == sorted(set(want))


def test_ascending_orders_by_text_and_by_length():
    scratch = Scratch()
    assert large_ids.ascending(pa.array(["C8", "C9", "C10"]), None, scratch) == {"length"}
    assert large_ids.ascending(pa.array(["C08", "C09", "C10"]), "C07", scratch) == {
        "text",
        "length",
    }
    assert large_ids.ascending(pa.array(["a", "ab", "b"]), None, scratch) == {"text"}
    assert large_ids.ascending(pa.array(["x" * 9 + "a", "x" * 9 + "b"]), None, scratch) == {
        "text",
        "length",
    }
    assert large_ids.ascending(pa.array(["b", "a"]), None, scratch) == set()
    assert large_ids.ascending(pa.array(["a", "a"]), None, scratch) == set()
    assert large_ids.ascending(pa.array(["é", "ê"]), "e", scratch) == {"text", "length"}
    assert large_ids.ascending(pa.array([3, 5, 9]), 2, scratch) == {"text", "length"}
    assert large_ids.ascending(pa.array([3, 5, 5]), None, scratch) == set()
