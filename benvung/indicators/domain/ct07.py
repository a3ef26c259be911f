"""CT07: reduction of a sector's material or energy intensity since the base year.

The plan asks for "mức giảm tiêu hao" per sector, but enterprises make different products in
different units, so a sector-wide consumption per unit of output does not exist. The spec
therefore uses an ODEX-style chain-linked index: each year compares every enterprise with
itself (what it would have consumed at last year's intensity), and only enterprises with data
on both sides of a link take part in it. Enterprises that start, stop or skip a year then
neither inflate nor deflate the index.

For link t (base_year < t ≤ year) and the enterprises qualifying for it:

    L(t) = Σ C(t) / Σ (C(t−1) / Q(t−1) × Q(t))
    I(y) = Π L(t),  I(base_year) = 1
    CT07(y) = 100 × (1 − I(y))   (positive: less consumption per unit of output)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from benvung.indicators.domain._decimal import tidy

__all__ = [
    "EnterpriseYear",
    "IntensityResult",
    "Link",
    "LinkSums",
    "chain_from_sums",
    "chain_linked_reduction",
    "link_sums",
]

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_ONE = Decimal(1)


@dataclass(frozen=True)
class EnterpriseYear:
    """One enterprise's year: consumption (tonnes or TOE) and output (in the enterprise's one
    canonical unit); None where the element was not reported."""

    consumption: Decimal | None
    output: Decimal | None


@dataclass(frozen=True)
class Link:
    """One link of the chain: the ratio L(year), and the enterprises that qualified for it.

    `ratio` is None when the link could not be computed, and for every link after such a
    break (the chain is broken, so those ratios do not feed any value).
    """

    year: int
    ratio: Decimal | None
    enterprises: tuple[str, ...]
    # Set when the link was computed from sums (`chain_from_sums`): the enterprises are then
    # counted, not named.
    count: int | None = None

    @property
    def qualifying(self) -> int:
        """The number of enterprises that took part in the link."""
        return len(self.enterprises) if self.count is None else self.count


@dataclass(frozen=True)
class LinkSums:
    """One link's sums over its qualifying enterprises, as a database can add them up:
    `actual` = Σ C(t) and `expected` = Σ C(t−1) × Q(t) / Q(t−1)."""

    enterprises: int
    actual: Decimal
    expected: Decimal


@dataclass(frozen=True)
class IntensityResult:
    """CT07 for a year: `value` = 100 × (1 − `index`), both None when the chain is broken,
    and the links it was built from."""

    value: Decimal | None
    index: Decimal | None
    links: tuple[Link, ...]


def _qualifying_pair(
    previous: EnterpriseYear | None, current: EnterpriseYear | None
) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """(C(t−1), Q(t−1), C(t), Q(t)) when an enterprise's two years can enter a link, else None.

    Output must be positive in both years: Q(t−1) is a divisor, and a zero Q(t) would make
    the enterprise expect no consumption at all, which says nothing about its intensity.
    """
    if previous is None or current is None:
        return None
    c_prev, q_prev = previous.consumption, previous.output
    c_cur, q_cur = current.consumption, current.output
    if c_prev is None or c_cur is None or q_prev is None or q_cur is None:
        return None
    if q_prev <= _ZERO or q_cur <= _ZERO:
        return None
    return c_prev, q_prev, c_cur, q_cur


def link_sums(
    records: Mapping[str, Mapping[int, EnterpriseYear]], year: int
) -> tuple[LinkSums, tuple[str, ...]]:
    """Σ C(t) and Σ C(t−1) × Q(t) / Q(t−1) of link `year` over the qualifying enterprises,
    added in the order of their codes, and those enterprises."""
    actual = _ZERO
    expected = _ZERO
    qualifying: list[str] = []
    for code in sorted(records):
        pair = _qualifying_pair(records[code].get(year - 1), records[code].get(year))
        if pair is None:
            continue
        c_prev, q_prev, c_cur, q_cur = pair
        qualifying.append(code)
        actual += c_cur
        # Multiply before dividing: one rounding instead of two.
        expected += c_prev * q_cur / q_prev
    sums = LinkSums(enterprises=len(qualifying), actual=actual, expected=expected)
    return sums, tuple(qualifying)


def _link(
    records: Mapping[str, Mapping[int, EnterpriseYear]], year: int
) -> tuple[Decimal | None, tuple[str, ...]]:
    """The ratio L(year) (None when it cannot be computed) and the qualifying enterprises."""
    sums, qualifying = link_sums(records, year)
    if not qualifying or sums.expected == _ZERO:
        return None, qualifying
    return sums.actual / sums.expected, qualifying


def chain_linked_reduction(
    records: Mapping[str, Mapping[int, EnterpriseYear]], base_year: int, year: int
) -> IntensityResult:
    """CT07(year) for the enterprises of one sector.

    `records` maps an enterprise code to its years. A year before `base_year` has no value;
    `base_year` itself has index 1 and value 0. If a link has no qualifying enterprise, or
    all of them consumed nothing the year before (a zero denominator), the value and index
    are None for that year and every later one; the later links are still listed, with
    their qualifying enterprises but no ratio. Ratios, index and value are rounded to 20
    significant digits to shed the noise of chained divisions.
    """

    def link(t: int) -> Link:
        ratio, enterprises = _link(records, t)
        return Link(year=t, ratio=ratio, enterprises=enterprises)

    return _chain(link, base_year, year)


def chain_from_sums(sums: Mapping[int, LinkSums], base_year: int, year: int) -> IntensityResult:
    """CT07(year) from each link's sums (`sums` by the link's year, absent when no enterprise
    qualified): the same chain as `chain_linked_reduction`, for a caller that adds the
    enterprises up in the database instead of passing them one by one."""

    def link(t: int) -> Link:
        found = sums.get(t)
        if found is None or found.enterprises == 0:
            return Link(year=t, ratio=None, enterprises=(), count=0)
        ratio = None if found.expected == _ZERO else found.actual / found.expected
        return Link(year=t, ratio=ratio, enterprises=(), count=found.enterprises)

    return _chain(link, base_year, year)


def _chain(link_of: Callable[[int], Link], base_year: int, year: int) -> IntensityResult:
    """Multiply the links base_year+1..year into the index (see `chain_linked_reduction`)."""
    if year < base_year:
        return IntensityResult(value=None, index=None, links=())
    index: Decimal | None = _ONE
    links: list[Link] = []
    for t in range(base_year + 1, year + 1):
        found = link_of(t)
        ratio = found.ratio
        if index is None or ratio is None:
            # Once broken the chain stays broken: a later ratio has no base to multiply.
            index = None
            ratio = None
        else:
            index *= ratio
        links.append(
            Link(
                year=t,
                ratio=None if ratio is None else tidy(ratio),
                enterprises=found.enterprises,
                count=found.count,
            )
        )
    if index is None:
        return IntensityResult(value=None, index=None, links=tuple(links))
    index = tidy(index)
    return IntensityResult(value=tidy(_HUNDRED * (_ONE - index)), index=index, links=tuple(links))
