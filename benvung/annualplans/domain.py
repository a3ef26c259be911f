"""Pure calculations of the annual cycle: sums by funding source, execution rates, the
overdue rule. No Django imports: amounts are Decimal VND, sources are their codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

DONE = "hoan_thanh"
ZERO = Decimal(0)


def by_source(lines: Iterable[tuple[str, Decimal]], sources: Iterable[str]) -> dict[str, Decimal]:
    """Sum (source, amount) pairs into a dict with every source present (0 when absent),
    in the order of `sources`."""
    result = {source: ZERO for source in sources}
    for source, amount in lines:
        result[source] = result.get(source, ZERO) + Decimal(amount)
    return result


def add_by_source(total: dict[str, Decimal], part: Mapping[str, Decimal]) -> None:
    """Add `part` into `total`, source by source (in place)."""
    for source, amount in part.items():
        total[source] = total.get(source, ZERO) + amount


def total(amounts: Mapping[str, Decimal]) -> Decimal:
    """The sum over all sources."""
    return sum(amounts.values(), ZERO)


def execution_rate(planned: Decimal, spent: Decimal) -> Decimal | None:
    """Spent as a percentage of planned, rounded to one decimal; None when nothing is planned
    (a rate of an empty budget means nothing)."""
    if planned <= 0:
        return None
    return (spent * 100 / planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_overdue(end_date: dt.date, status: str | None, as_of: dt.date) -> bool:
    """An activity is overdue when its end date has passed and it is not done."""
    return end_date < as_of and status != DONE


def remaining(planned: Mapping[str, Decimal], spent: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """What is left of each source's budget (never below zero: overspending leaves nothing)."""
    return {s: max(planned.get(s, ZERO) - spent.get(s, ZERO), ZERO) for s in planned}
