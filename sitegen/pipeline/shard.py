"""CI shards: split a portfolio's projects over N jobs (``--shard K/N``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import UsageError


@dataclass(frozen=True)
class Shard:
    """The k-th of n shards (1 <= k <= n)."""

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """Return the shard written 'K/N'; raise UsageError otherwise."""
        return cls(*parse_shard(text))

    def select(self, projects: Sequence[Path]) -> list[Path]:
        """Return the projects of this shard, in their given order."""
        return select_shard(projects, self.k, self.n)


def parse_shard(text: str) -> tuple[int, int]:
    """Return (k, n) from 'K/N' with 1 <= K <= N."""
    try:
        k_text, n_text = text.split("/")
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise UsageError(
            f"--shard takes K/N, e.g. 1/4, not {text!r}",
            hint="K counts from 1; N is the number of CI jobs",
        ) from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text}: K must be between 1 and N", hint="e.g. --shard 2/4")
    return k, n


def shard_of(project: Path, n: int) -> int:
    """Return the shard (1..n) a project belongs to, from its folder name alone.

    A hash of the name, not the position in the list, so adding or removing a client moves
    no other client to another shard (their caches stay valid), on every machine.
    """
    h = hashlib.sha256(project.resolve().name.encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") % n + 1


def select_shard(projects: Sequence[Path], k: int, n: int) -> list[Path]:
    """Return the projects of shard k of n, in their given order."""
    return [p for p in projects if shard_of(p, n) == k]
