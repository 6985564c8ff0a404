"""The chart kinds: one function per kind, each returning a finished ``Chart``."""
