"""Reporting periods and deadlines (Nghị định 09/2019/NĐ-CP), as plain date arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt


def annual_window(year: int) -> tuple[dt.date, dt.date]:
    """The data window of an annual report: 15/12 of the previous year to 14/12 of the year
    (Nghị định 09/2019/NĐ-CP, Article 12)."""
    return dt.date(year - 1, 12, 15), dt.date(year, 12, 14)


def deadline_for(year: int, *, day: int, month: int, year_offset: int = 0) -> dt.date:
    """The sending deadline of an annual report of `year`: day/month of the year plus the
    offset; a day past the month's end (31/2) falls on its last day."""
    deadline_year = year + year_offset
    last_day = calendar.monthrange(deadline_year, month)[1]
    return dt.date(deadline_year, month, min(day, last_day))


def is_on_time(submitted_on: dt.date | None, deadline: dt.date) -> bool:
    """Whether a report sent on that day met the deadline (sent on the day itself counts)."""
    return submitted_on is not None and submitted_on <= deadline


def days_left(today: dt.date, deadline: dt.date) -> int:
    """Days until the deadline (negative once it has passed)."""
    return (deadline - today).days
