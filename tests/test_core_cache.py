"""The shared memo: bounded by entries and by bytes, least recently used out first, big results not kept."""

from __future__ import annotations

import threading
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from core.cache import Memo


class Maker:
    """``make`` functions that count their calls, per key."""

    def __init__(self) -> None:
        self.calls: dict[object, int] = {}

    def __call__(self, key: object, value: object = None) -> Callable[[], object]:
        def make() -> object:
            self.calls[key] = self.calls.get(key, 0) + 1
            return value if value is not None else f"value of {key}"

        return make


def kept(memo: Memo, keys, maker: Maker) -> set:
    """The keys among ``keys`` that ``memo`` still holds: asking for them calls no ``make``.

    Asking refreshes a held key and stores a missing one, so call this last.
    """
    before = dict(maker.calls)
    found = set()
    for key in keys:
        memo.get(key, maker(key, b"x"))
        if maker.calls.get(key, 0) == before.get(key, 0):
            found.add(key)
    return found


def test_make_is_called_once_per_key_and_the_same_object_is_handed_out():
    memo: Memo[list] = Memo(max_entries=8)
    calls = []

    def make():
        calls.append(1)
        return ["result"]

    first = memo.get("k", make)
    assert all(memo.get("k", make) is first for _ in range(5))
    assert calls == [1] and len(memo) == 1
    memo.get(("another", 1), make)
    assert calls == [1, 1] and len(memo) == 2


def test_the_least_recently_added_goes_first_when_nothing_is_read_again():
    memo: Memo[str] = Memo(max_entries=2)
    maker = Maker()
    for key in ("a", "b", "c"):
        memo.get(key, maker(key))
    assert len(memo) == 2
    memo.get("b", maker("b"))
    memo.get("c", maker("c"))
    assert maker.calls == {"a": 1, "b": 1, "c": 1}  # b and c are still there
    memo.get("a", maker("a"))
    assert maker.calls["a"] == 2  # a was evicted, and is made again


def test_a_get_refreshes_recency_so_the_least_recently_used_goes():
    memo: Memo[str] = Memo(max_entries=2)
    maker = Maker()
    memo.get("a", maker("a"))
    memo.get("b", maker("b"))
    memo.get("a", maker("a"))  # a read: now b is the least recently used
    memo.get("c", maker("c"))
    assert len(memo) == 2
    memo.get("a", maker("a"))
    assert maker.calls["a"] == 1  # a stayed
    memo.get("b", maker("b"))
    assert maker.calls["b"] == 2  # b went


def test_eviction_by_bytes_uses_the_size_function_and_frees_the_oldest_until_it_fits():
    memo: Memo[bytes] = Memo(max_entries=100, max_bytes=100, size=len)
    maker = Maker()
    for key, size in (("a", 20), ("b", 25), ("c", 25), ("d", 25)):
        memo.get(key, maker(key, b"x" * size))
    assert (len(memo), memo.bytes) == (4, 95)  # 95 of 100: all kept
    memo.get("e", maker("e", b"x" * 10))  # 105: a (20 bytes) goes
    assert (len(memo), memo.bytes) == (4, 85)
    memo.get("f", maker("f", b"x" * 25))  # 110: b (25 bytes) goes, then it fits
    assert (len(memo), memo.bytes) == (4, 85)
    assert kept(memo, ["c", "d", "e", "f"], maker) == {"c", "d", "e", "f"}
    assert kept(memo, ["a"], maker) == set() and kept(memo, ["b"], maker) == set()


def test_one_large_entry_evicts_as_many_small_ones_as_it_needs():
    memo: Memo[bytes] = Memo(max_entries=100, max_bytes=100, size=len)
    maker = Maker()
    for i in range(10):
        memo.get(i, maker(i, b"x" * 10))
    assert (len(memo), memo.bytes) == (10, 100)
    memo.get("big", maker("big", b"x" * 25))  # 125 bytes: the three oldest (30) go
    assert (len(memo), memo.bytes) == (8, 95)
    assert kept(memo, range(3, 10), maker) == set(range(3, 10))
    assert kept(memo, [0], maker) == set()


def test_an_entry_over_a_quarter_of_the_bytes_is_returned_but_not_kept_and_evicts_nothing():
    memo: Memo[bytes] = Memo(max_entries=100, max_bytes=100, size=len)
    maker = Maker()
    for key in ("a", "b", "c"):
        memo.get(key, maker(key, b"x" * 25))
    assert (len(memo), memo.bytes) == (3, 75)
    big = b"y" * 26  # a quarter of 100 is 25
    assert memo.get("big", maker("big", big)) is big
    assert (len(memo), memo.bytes) == (3, 75)  # not kept...
    assert memo.get("big", maker("big", big)) is big
    assert maker.calls["big"] == 2  # ...so made again when asked again
    assert kept(memo, ["a", "b", "c"], maker) == {"a", "b", "c"}  # and nobody was evicted for it


def test_an_entry_of_exactly_a_quarter_of_the_bytes_is_kept():
    memo: Memo[bytes] = Memo(max_entries=100, max_bytes=100, size=len)
    maker = Maker()
    memo.get("q", maker("q", b"x" * 25))
    assert (len(memo), memo.bytes) == (1, 25)
    memo.get("q", maker("q", b"x" * 25))
    assert maker.calls["q"] == 1


def test_without_a_size_function_each_entry_counts_one_byte():
    memo: Memo[str] = Memo(max_entries=100, max_bytes=8)
    maker = Maker()
    for i in range(12):
        memo.get(i, maker(i))
        assert memo.bytes == len(memo) == min(i + 1, 8)
    assert kept(memo, range(4, 12), maker) == set(range(4, 12))


def test_entries_bound_holds_even_when_bytes_have_room():
    memo: Memo[bytes] = Memo(max_entries=3, max_bytes=1_000, size=len)
    maker = Maker()
    for i in range(5):
        memo.get(i, maker(i, b"x" * (i + 1)))
    assert len(memo) == 3 and memo.bytes == 3 + 4 + 5  # entries 2, 3 and 4


def test_clear_empties_the_store_and_its_byte_count():
    memo: Memo[bytes] = Memo(max_entries=10, max_bytes=100, size=len)
    maker = Maker()
    memo.get("a", maker("a", b"x" * 10))
    memo.clear()
    assert (len(memo), memo.bytes) == (0, 0)
    memo.get("a", maker("a", b"x" * 10))
    assert maker.calls["a"] == 2 and memo.bytes == 10


def test_two_threads_making_the_same_key_at_once_count_its_bytes_once():
    memo: Memo[bytes] = Memo(max_entries=10, max_bytes=100, size=len)
    both_missed = threading.Barrier(2, timeout=10)

    def make() -> bytes:
        both_missed.wait()  # each thread found the key missing before either stored it
        return b"x" * 10

    got = []
    threads = [threading.Thread(target=lambda: got.append(memo.get("k", make))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert got == [b"x" * 10] * 2
    assert (len(memo), memo.bytes) == (1, 10)


# A reference model: a list of (key, size) from least to most recently used.
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 40)), max_size=60),
    st.integers(1, 5),
    st.integers(1, 120),
)
def test_any_sequence_of_gets_keeps_what_a_plain_lru_list_keeps(gets, max_entries, max_bytes):
    memo: Memo[tuple[int, int]] = Memo(max_entries=max_entries, max_bytes=max_bytes, size=lambda v: v[1])
    model: list[tuple[int, int]] = []
    for key, size in gets:
        made: list[int] = []
        value = memo.get(key, lambda key=key, size=size, made=made: made.append(key) or (key, size))
        held = next((entry for entry in model if entry[0] == key), None)
        if held is not None:  # a hit: the stored value, not made again, now the most recently used
            assert made == [] and value == held
            model.remove(held)
            model.append(held)
        else:
            assert made == [key] and value == (key, size)
            if size <= max_bytes // 4:  # a bigger one is returned but not kept
                model.append((key, size))
                while len(model) > 1 and (len(model) > max_entries or sum(s for _, s in model) > max_bytes):
                    model.pop(0)
        assert len(memo) == len(model) <= max_entries
        assert memo.bytes == sum(s for _, s in model) <= max_bytes
