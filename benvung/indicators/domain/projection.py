"""Projection of an indicator to a milestone year (the dashboard's "dự báo").

ESCAP's progress reports extrapolate the recent trend; here the trend is a weighted
least-squares straight line through the observed years. The weights grow with recency (the
oldest point weighs 1, the next 2, and so on), so a plan that changed pace in its latest years
is projected from that pace rather than from the average of the whole period, while a single
odd year still cannot swing the line on its own. A straight line (not a growth rate) suits
series that start at 0, as several of the plan's do.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from benvung.indicators.domain._decimal import tidy
from benvung.indicators.domain.progress import Milestone, Status

__all__ = ["project", "projected_status"]


def project(series: Mapping[int, Decimal], to_year: int) -> Decimal | None:
    """The value at `to_year` of the recency-weighted least-squares line through `series`
    (year → value); point k from the oldest (k = 0, 1, ...) weighs k + 1.

    None with fewer than two points, since no trend can be drawn. The result is not clamped:
    a percentage may be projected above 100, which the caller may cap when showing it.
    """
    if len(series) < 2:
        return None
    # Years measured from to_year make the fitted intercept the projection itself, and keep
    # every sum below in integers or exact Decimals until the single division at the end.
    sw = sx = sxx = 0
    sy = sxy = Decimal(0)
    for weight, year in enumerate(sorted(series), start=1):
        x = year - to_year
        y = series[year]
        sw += weight
        sx += weight * x
        sxx += weight * x * x
        sy += weight * y
        sxy += weight * x * y
    determinant = sw * sxx - sx * sx
    if determinant == 0:
        # Only possible if all points share one year: no slope can be fitted.
        return None
    return tidy((sy * sxx - sx * sxy) / determinant)


def projected_status(projected: Decimal | None, milestone: Milestone) -> str | None:
    """Whether the projection reaches the milestone minimum: "dat" or "khong_dat"; None when
    there is no projection or the milestone has no minimum."""
    if projected is None or milestone.minimum is None:
        return None
    return Status.DAT if projected >= milestone.minimum else Status.KHONG_DAT
