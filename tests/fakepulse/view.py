"""Name order over a changing fleet without sorting it.

The base order is the positions 0..n-1 (identity = initial sort position). Churn removes some
positions (renamed rows, vanished rows: the sorted list `removed`) and re-inserts renamed
rows at their new keys (`moved`, sorted by key). The p-th row of the live order is found by
bisection: a moved row at index j sits at `rank_j + j`, where `rank_j` counts the remaining
base rows with a smaller key; any other position is the (p - j)-th base row not removed.

A `View` can cover a subset of groups (a `type=` filter): positions then count only rows of
those groups, in the same order.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass
class Span:
    start: int      # first global position of the group
    count: int
    offset: int     # first position of the group inside this view


class View:
    def __init__(self, spans: list[Span], key_at, removed: list[int], moved: list[tuple[tuple, int]]):
        """`key_at(position)` is the base sort key of a global position; `removed` are global
        positions (sorted); `moved` is [(key, identity)] sorted by key, already limited to the
        view's types."""
        self.spans = spans
        self.offsets = [s.offset for s in spans]
        self.size = sum(s.count for s in spans)
        self.key_at = key_at
        # removed positions, translated into view-local positions (only those inside the view)
        local = []
        for g in removed:
            v = self._to_local(g)
            if v is not None:
                local.append(v)
        self.removed = local
        self.moved = moved
        self.moved_pos = []
        for j, (key, _) in enumerate(moved):
            below = self._count_below(key)
            rank = below - bisect.bisect_left(self.removed, below)
            self.moved_pos.append(rank + j)
        self.total = self.size - len(self.removed) + len(moved)

    def _to_local(self, g: int) -> int | None:
        for s in self.spans:
            if s.start <= g < s.start + s.count:
                return s.offset + g - s.start
        return None

    def _to_global(self, v: int) -> int:
        s = self.spans[bisect.bisect_right(self.offsets, v) - 1]
        return s.start + v - s.offset

    def _count_below(self, key: tuple) -> int:
        """How many base rows of the view (removed ones included) sort before `key`."""
        lo, hi = 0, self.size
        while lo < hi:
            mid = (lo + hi) // 2
            if self.key_at(self._to_global(mid)) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _kth_kept(self, q: int) -> int:
        """The q-th (0-based) view-local base position that is not removed."""
        removed = self.removed
        if not removed:
            return q
        lo, hi = q, q + len(removed)
        while lo < hi:
            mid = (lo + hi) // 2
            if mid + 1 - bisect.bisect_right(removed, mid) >= q + 1:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def identity_at(self, p: int) -> int:
        """The identity (global base position) of the row at live position p (0 ≤ p < total)."""
        j = bisect.bisect_left(self.moved_pos, p)
        if j < len(self.moved_pos) and self.moved_pos[j] == p:
            return self.moved[j][1]
        return self._to_global(self._kth_kept(p - j))

    def page(self, start: int, count: int, descending: bool = False) -> list[int]:
        end = min(self.total, start + count)
        if descending:
            return [self.identity_at(self.total - 1 - p) for p in range(start, end)]
        return [self.identity_at(p) for p in range(start, end)]
