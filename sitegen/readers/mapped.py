"""A file's bytes as sniffing reads them: bytes in memory, or a memory-mapped file."""

from __future__ import annotations

import mmap
from typing import Protocol


class Bytes(Protocol):
    """What sniffing asks of a file's bytes: bytes, or a memory-mapped file (Mapped)."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: slice, /) -> bytes: ...
    def find(self, sub: bytes, start: int = 0, end: int | None = None, /) -> int: ...
    def rfind(self, sub: bytes, start: int = 0, end: int | None = None, /) -> int: ...
    def count(self, sub: bytes, start: int = 0, end: int | None = None, /) -> int: ...


class Mapped:
    """A memory-mapped file's bytes from `start` on (past a BOM), searched where they lie.

    A big export is sniffed and scanned (line lengths, quotes, a trailing '#' section)
    without a copy of it in Python's memory; polars then reads the file itself.
    """

    def __init__(self, mm: mmap.mmap, start: int = 0) -> None:
        self._mm, self._start = mm, start

    def __len__(self) -> int:
        return len(self._mm) - self._start

    def _span(self, start: int, end: int | None) -> tuple[int, int]:
        size = len(self)
        end = size if end is None else min(end, size)
        return self._start + min(start, size), self._start + max(end, 0)

    def __getitem__(self, index: slice, /) -> bytes:
        start, stop, step = index.indices(len(self))
        return self._mm[self._start + start : self._start + stop : step]

    def find(self, sub: bytes, start: int = 0, end: int | None = None, /) -> int:
        lo, hi = self._span(start, end)
        hit = self._mm.find(sub, lo, hi)
        return hit - self._start if hit >= 0 else -1

    def rfind(self, sub: bytes, start: int = 0, end: int | None = None, /) -> int:
        lo, hi = self._span(start, end)
        hit = self._mm.rfind(sub, lo, hi)
        return hit - self._start if hit >= 0 else -1

    def count(self, sub: bytes, start: int = 0, end: int | None = None, /) -> int:
        # mmap has no count: the range is copied (only error messages and quote parity
        # before a rare '#' section ask for one).
        lo, hi = self._span(start, end)
        return self._mm[lo:hi].count(sub)
