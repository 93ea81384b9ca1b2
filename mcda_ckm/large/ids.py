"""Empty and repeated customer ids in bounded memory.

Every id is hashed to 64 bits (vectorised over the Arrow buffers); the hashes are held in
memory up to a limit and beyond it spilled to disk in buckets by their top bits, so that
repeated hashes are found one bucket at a time, then confirmed on the ids themselves. Ids in
ascending order, as an export keyed by id usually has them, are distinct by their order and
are not hashed at all (:class:`IdCheck`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.large.chunks import Chunk, Layout, Scratch, as_arrow, is_text, string_buffers

if TYPE_CHECKING:
    import pyarrow as pa


__all__ = ["hash_ids"]

_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


_HASH_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _mix(h: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
    """splitmix64's finaliser (Steele, Lea & Flood 2014), in place (the shifts into
    ``scratch``, an array like ``h``, rather than into new temporaries)."""
    tmp = np.empty_like(h) if scratch is None else scratch
    h ^= np.right_shift(h, np.uint64(30), out=tmp)
    h *= _HASH_MIX
    h ^= np.right_shift(h, np.uint64(27), out=tmp)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= np.right_shift(h, np.uint64(31), out=tmp)
    return h


def hash_ids(ids: pa.Array) -> np.ndarray:
    """A 64-bit hash of every id (strings: their UTF-8 bytes, 8 at a time; integers: their
    value), vectorised over the Arrow buffers. Equal ids have equal hashes, whatever the other
    ids of the array; different ids rarely collide, and equal hashes are confirmed on the ids.
    """
    out = np.empty(len(ids), dtype=np.uint64)
    hash_ids_into(ids, out)
    return out


HASH_BLOCK = 1 << 14
"""Ids hashed at a time in :func:`hash_ids_into`: the temporaries of each step stay in cache."""


def hash_ids_into(ids: pa.Array, out: np.ndarray, scratch: Scratch | None = None) -> bool:
    """:func:`hash_ids` into ``out``; whether some id is null or empty (strings only).

    Strings: the byte length, then every 8-byte word of the id (bytes past its end zero),
    folded in by xor and an odd multiplier, then splitmix64's finaliser (:func:`_mix`). The
    words are read from the Arrow data buffer as two aligned words shifted together (an
    unaligned gather), block by block: no padded copy of the strings (``pc.utf8_rpad``) and no
    temporary the size of a chunk, whose fresh pages were most of the cost (figures in
    benchmarks/README.md).
    """
    import pyarrow as pa

    scratch = scratch or Scratch()
    if pa.types.is_integer(ids.type):
        values = ids.cast(pa.int64()).fill_null(0)
        raw = np.frombuffer(values.buffers()[1], np.uint64, len(values), 8 * values.offset)
        np.multiply(raw, _HASH_MULTIPLIER, out=out)
        _mix(out)
        return False
    if ids.null_count:
        ids = ids.fill_null("")
    offsets, data = string_buffers(ids)
    n = len(ids)
    first = int(offsets[0]) if n else 0
    size = int(offsets[n]) - first if n else 0
    # The bytes as little-endian words, two zero words past the end so that any 8 bytes of
    # the data can be read as two words.
    words = scratch.array("words", -(-size // 8) + 2, np.uint64)
    words[-3:] = 0
    words.view(np.uint8)[:size] = data[first : first + size]
    one, m = np.uint64(1), _HASH_MULTIPLIER
    empty = False
    for a in range(0, n, HASH_BLOCK):
        b = min(a + HASH_BLOCK, n)
        bounds = offsets[a : b + 1].astype(np.int64)
        bounds -= first
        length = np.diff(bounds)
        starts = bounds[:-1]
        count = -(-length // 8)
        every, most = int(count.min()), int(count.max())
        empty = empty or every == 0
        h = out[a:b]
        np.multiply(length.view(np.uint64), m, out=h)
        for k in range(most):
            at = starts + 8 * k if k else starts
            q = at >> 3
            if k >= every:  # shorter ids read past the buffer's end: their bytes are masked
                np.minimum(q, words.size - 2, out=q)
            bits = ((at & 7) << 3).view(np.uint64)
            w = words[q]
            w >>= bits
            q += 1
            w |= words[q] << (np.uint64(64) - bits)  # numpy shifts by >= 64 give 0
            if k >= every - 1:  # the last word of some id: mask the bytes past its end
                valid = np.clip(length - 8 * k, 0, 8).view(np.uint64)
                valid <<= np.uint64(3)
                w &= (one << valid) - one  # all ones for 8 valid bytes (1 << 64 is 0)
            if k < every:
                h ^= w
                h *= m
            else:  # only the ids that have a k-th word: the hash of an id is its own
                w ^= h
                w *= m
                np.copyto(h, w, where=k < count)
        _mix(h)
    return empty


class HashSpill:
    """Id hashes, in memory up to ``limit`` then spilled to ``2^bits`` bucket files by their top
    bits, so that finding equal hashes needs one bucket at a time in memory.

    The hashes are written into a buffer of ``limit`` (allocated, not touched: its pages are
    mapped as they fill) and, when they all fit, sorted there in place: no concatenated copy.
    The limit (96 MB) keeps 10^7 ids in memory, where spilling them would cost a noticeable
    share of a run. A full buffer is spilled on a thread while a second one fills: the spill
    (its partition and its writes) overlaps the passes instead of stopping them (figures in
    benchmarks/README.md).
    """

    def __init__(self, limit: int = 3 << 22, bits: int = 6) -> None:
        self.limit, self.bits = limit, bits
        self.buffer: np.ndarray | None = None
        self.spare: np.ndarray | None = None  # the other buffer, once spilling
        self.held = 0
        self.folder: str | None = None
        self._big: np.ndarray | None = None  # a reservation larger than the buffer
        self.files: dict[int, Any] = {}  # open bucket files
        self.pending: Any = None  # the spill in progress
        self.pool: Any = None

    def add(self, h: np.ndarray) -> None:
        self.reserve(h.size)[:] = h
        self.commit(h.size)

    def reserve(self, n: int) -> np.ndarray:
        """Room for ``n`` hashes (then :meth:`commit`): hashed in place, not copied."""
        if self.held + n > self.limit:
            self._spill()
            if n > self.limit:
                self._big = np.empty(n, dtype=np.uint64)
                return self._big
        if self.buffer is None:
            self.buffer = np.empty(self.limit, dtype=np.uint64)
        return self.buffer[self.held : self.held + n]

    def commit(self, n: int) -> None:
        """Keep the first ``n`` hashes of the last :meth:`reserve`."""
        if self._big is not None:
            self._wait()
            self._write(self._big[:n])
            self._big = None
        else:
            self.held += n

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def _sorted(self) -> np.ndarray:
        if self.buffer is None:
            return np.empty(0, np.uint64)
        h = self.buffer[: self.held]
        h.sort()
        return h

    def _spill(self) -> None:
        """Hand the full buffer to the spilling thread and fill the other one."""
        if self.buffer is None or not self.held:
            return
        from concurrent.futures import ThreadPoolExecutor

        self._wait()
        if self.folder is None:  # here, not on the thread: duplicated() tells by it a spill
            self.folder = tempfile.mkdtemp(prefix="ckm-ids-")
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending = self.pool.submit(self._write, self.buffer[: self.held])
        self.buffer, self.spare = self.spare, self.buffer
        self.held = 0

    def _write(self, h: np.ndarray) -> None:
        """Append hashes to the bucket files, each to the bucket of its top bits.

        Partitioned (a stable radix argsort of the bucket numbers, a slice at a time), not
        sorted: each bucket is sorted once, at the end; a partition is about a third of the
        cost of a sort (figures in benchmarks/README.md).
        """
        if self.folder is None:  # the synchronous write of a reservation larger than the buffer
            self.folder = tempfile.mkdtemp(prefix="ckm-ids-")
        shift = np.uint64(64 - self.bits)
        for a in range(0, h.size, 1 << 18):
            part = h[a : a + (1 << 18)]
            bucket = (part >> shift).astype(np.uint8)
            counts = np.bincount(bucket, minlength=1 << self.bits)
            grouped = part[np.argsort(bucket, kind="stable")]
            for b, piece in enumerate(np.split(grouped, np.cumsum(counts)[:-1])):
                if piece.size:
                    if b not in self.files:
                        self.files[b] = open(os.path.join(self.folder, f"{b:03d}"), "ab")
                    piece.tofile(self.files[b])

    def duplicated(self) -> np.ndarray:
        """The hash values seen more than once."""
        self._wait()  # a spill in progress, and its errors, first
        if self.folder is None:
            h = self._sorted()
            return np.unique(h[1:][h[1:] == h[:-1]])
        self._spill()
        self._wait()
        self.buffer = self.spare = None  # their memory, for the buckets
        self._close_files()
        folder = self.folder

        def repeats(name: str) -> np.ndarray:
            h = np.fromfile(os.path.join(folder, name), dtype=np.uint64)
            h.sort()
            return h[1:][h[1:] == h[:-1]]

        from concurrent.futures import ThreadPoolExecutor

        # Two buckets at a time (numpy's sort releases the GIL): one bucket of 1/64 of the
        # hashes per thread in memory.
        with ThreadPoolExecutor(max_workers=2) as pool:
            found = list(pool.map(repeats, sorted(os.listdir(folder))))
        return np.unique(np.concatenate(found)) if found else np.empty(0, np.uint64)

    def _close_files(self) -> None:
        for fh in self.files.values():
            fh.close()
        self.files = {}

    def close(self) -> None:
        try:
            self._wait()
        except Exception:  # closing after a failure: the spill's own error does not matter
            pass
        finally:
            if self.pool is not None:
                self.pool.shutdown()
                self.pool = None
            self.buffer, self.spare, self.held = None, None, 0
            self._close_files()
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None


def _empty_id_rows(ids: pa.Array, rows: np.ndarray) -> np.ndarray:
    import pyarrow as pa

    if pa.types.is_integer(ids.type):
        if not ids.null_count:
            return rows[:0]
        mask = np.asarray(ids.is_null())
    elif ids.null_count:
        import pyarrow.compute as pc

        mask = np.asarray(pc.or_kleene(pc.is_null(ids), pc.equal(ids, "")).fill_null(True))
    else:
        offsets, _ = string_buffers(ids)
        mask = offsets[1:] == offsets[:-1]
    return rows[mask]


class IdCheck:
    """Empty and repeated ids, chunk by chunk: the first empty id's row, and the hash of every
    id seen more than once (:class:`HashSpill`).

    Ids in ascending order (each greater than the one before, as text or as numbers-in-text:
    shorter first, then as text; integers by value), as an export keyed by id usually has
    them, are all different: while the order holds, nothing is hashed, stored or sorted
    (over a quarter of a run otherwise: benchmarks/README.md). Where the order first fails,
    the ids from there on are hashed, and those before it are read again and hashed
    (:meth:`result`).
    """

    def __init__(self) -> None:
        self.empty_id: int | None = None
        self.spill = HashSpill()
        self.scratch = Scratch()
        self.orders: set[str] = {"text", "length"}  # the orders that hold so far
        self.last: Any = None  # the last id checked for order
        self.unhashed = 0  # ids at input indices below this are in order, not hashed

    def add(self, chunk: Chunk) -> None:
        if not len(chunk.index):
            return
        assert chunk.ids is not None
        if self.empty_id is None:
            self.empty_id = first_empty_id(chunk)
        if self.orders:
            self.orders &= ascending(chunk.ids, self.last, self.scratch)
            if self.orders:
                self.last = chunk.ids[len(chunk.ids) - 1].as_py()
                self.unhashed = int(chunk.index[-1]) + 1
                return
        _add_hashes(self.spill, chunk.ids, self.scratch)

    def result(
        self, again: Callable[[], Iterator[Chunk]] | None = None
    ) -> tuple[int | None, np.ndarray]:
        """(first empty id's row, repeated hashes); ``again`` reads the ids from the start,
        for the ids that were in order before the order failed."""
        if self.orders:
            return self.empty_id, np.empty(0, dtype=np.uint64)
        if self.unhashed:
            assert again is not None
            for chunk in again():
                first = int(chunk.index[0]) if len(chunk.index) else 0
                if first >= self.unhashed:
                    break
                m = int(np.searchsorted(chunk.index, self.unhashed))
                assert chunk.ids is not None
                _add_hashes(self.spill, chunk.ids.slice(0, m), self.scratch)
        return self.empty_id, self.spill.duplicated()

    def close(self) -> None:
        self.spill.close()


def ascending(ids: pa.Array, last: Any, scratch: Scratch) -> set[str]:
    """The orders in which ``ids`` is strictly ascending, ``last`` (the id before, or None)
    included: "text" (UTF-8 bytes, as Python orders str) and "length" (shorter first, then as
    text: "C9" < "C10"); integers count as both when ascending by value."""
    import pyarrow as pa

    if ids.null_count:
        return set()
    if pa.types.is_integer(ids.type):
        v = np.frombuffer(ids.buffers()[1], _integer_dtype(ids.type), ids.offset + len(ids))
        v = v[ids.offset :]
        ok = bool(np.all(v[1:] > v[:-1])) and (last is None or int(v[0]) > int(last))
        return {"text", "length"} if ok else set()
    if not is_text(ids.type):
        return set()
    orders = {"text", "length"}
    if last is not None:
        before, after = str(last).encode(), ids[0].as_py().encode()
        if not before < after:
            orders.discard("text")
        if not (len(before), before) < (len(after), after):
            orders.discard("length")
    n = len(ids)
    if n < 2 or not orders:
        return orders
    offsets, data = string_buffers(ids)
    first, size = int(offsets[0]), int(offsets[n]) - int(offsets[0])
    words = scratch.array("order-words", -(-size // 8) + 2, np.uint64)
    words[-2:] = 0
    words.view(np.uint8)[:size] = data[first : first + size]
    # Blocks of rows that overlap by one, so that every pair of neighbours is in a block.
    for a in range(0, n - 1, HASH_BLOCK):
        b = min(a + HASH_BLOCK + 1, n)
        bounds = offsets[a : b + 1].astype(np.int64) - first
        length = np.diff(bounds)
        less = np.zeros(b - a - 1, dtype=bool)
        decided = np.zeros(b - a - 1, dtype=bool)
        for k in range(int(-(-length.max() // 8))):
            w = _word_at(words, bounds[:-1] + 8 * k, np.clip(length - 8 * k, 0, 8))
            w.byteswap(inplace=True)  # big-endian: word order is byte order
            differ = (w[:-1] != w[1:]) & ~decided
            less |= differ & (w[:-1] < w[1:])
            decided |= differ
        shorter = length[:-1] < length[1:]
        less |= ~decided & shorter  # equal bytes up to the shorter's end: a prefix comes first
        if "text" in orders and not less.all():
            orders.discard("text")
        if "length" in orders and not np.all(shorter | ((length[:-1] == length[1:]) & less)):
            orders.discard("length")
        if not orders:
            break
    return orders


def _word_at(words: np.ndarray, at: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """The 8 bytes at byte offsets ``at`` of ``words`` (little-endian), bytes from ``valid``
    on set to 0: two aligned words shifted together."""
    q = np.minimum(at >> 3, words.size - 2)
    bits = ((at & 7) << 3).view(np.uint64)
    w = words[q]
    w >>= bits
    w |= words[q + 1] << (np.uint64(64) - bits)
    one = np.uint64(1)
    w &= (one << (valid.view(np.uint64) << np.uint64(3))) - one
    return w


def _integer_dtype(kind: pa.DataType) -> Any:
    import pyarrow as pa

    return np.dtype(f"{'' if pa.types.is_signed_integer(kind) else 'u'}int{kind.bit_width}")


def first_empty_id(chunk: Chunk) -> int | None:
    """The row of the chunk's first empty id, or None."""
    assert chunk.ids is not None
    empty = _empty_id_rows(chunk.ids, chunk.rows)
    return int(empty[0]) if empty.size else None


def nonempty_hashes(ids: pa.Array) -> np.ndarray:
    """The hashes of the ids that are neither null nor empty."""
    spill = HashSpill(limit=max(len(ids), 1))
    try:
        _add_hashes(spill, ids, Scratch())
        if spill.buffer is None:
            return np.empty(0, dtype=np.uint64)
        return spill.buffer[: spill.held].copy()
    finally:
        spill.close()


def _add_hashes(spill: HashSpill, ids: pa.Array, scratch: Scratch) -> None:
    """Hash the ids that are neither null nor empty straight into ``spill``."""
    import pyarrow as pa

    if ids.null_count:
        if pa.types.is_integer(ids.type):
            ids = ids.drop_null()
        else:
            import pyarrow.compute as pc

            keep = pc.and_(pc.invert(pc.is_null(ids)), pc.not_equal(ids, "")).fill_null(False)
            ids = ids.filter(keep)
    h = spill.reserve(len(ids))
    if not hash_ids_into(ids, h, scratch):
        spill.commit(len(ids))
        return
    # Some empty ids: hashed with the rest (a hash does not depend on the other ids), then
    # dropped, rather than filtering a copy of the strings (benchmarks/README.md).
    offsets, _ = string_buffers(ids)
    filled = offsets[1:] != offsets[:-1]
    kept = int(np.count_nonzero(filled))
    h[:kept] = h[filled]
    spill.commit(kept)


def first_duplicate(
    layout: Layout,
    source: Callable[..., Iterator[Chunk]],
    chunk_rows: int,
    duplicated: np.ndarray,
) -> tuple[int, str, int] | None:
    """(row, id, first row) of the first id seen before, among ids whose hash is duplicated."""
    seen: dict[str, int] = {}
    best: tuple[int, str, int] | None = None
    for chunk in source(layout, chunk_rows, "ids", [0]):
        if not len(chunk.index) or chunk.ids is None:
            continue
        mask = np.isin(hash_ids(chunk.ids), duplicated)  # nulls hash as empty or 0: skipped
        if not mask.any():
            continue
        where = np.flatnonzero(mask)
        texts = chunk.ids.take(as_arrow(where)).to_pylist()
        for i, value in zip(where.tolist(), texts, strict=True):
            if value is None or value == "":
                continue
            text = str(value)
            row = int(chunk.rows[i])
            if text in seen:
                if best is None or row < best[0]:
                    best = (row, text, seen[text])
                    return best  # rows come in order: the first repeat is the answer
            else:
                seen[text] = row
    return best
