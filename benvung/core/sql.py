"""Helpers for the hand-written SQL of bulk reads and writes on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable


def array_literal(items: Iterable[object]) -> str:
    """A PostgreSQL array literal of items that need no quoting: numbers, t/f, and texts
    already in double quotes that hold no quote or backslash (periods, codes). Bound as one
    text parameter: the driver would adapt a list of a hundred thousand items one by one,
    at a greater cost than the query's."""
    return "{" + ",".join(map(str, items)) + "}"
