"""Vietnamese number and date formatting (1.234.567,89; 16/01/2021; Thứ Bảy)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def format_number(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    """A number with '.' between thousands and ',' before decimals (1.234.567,89).

    With `decimals`, exactly that many decimals (rounded half up); without, as many as the
    value has, trailing zeros dropped. None gives an empty string."""
    if value is None:
        return ""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if number.is_zero():
            number = abs(number)  # "-0,00" reads as a sign error in a report
        text = f"{number:,.{decimals}f}"
    else:
        text = f"{number.normalize():,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if text in {"-0", ""}:
        text = "0"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def format_date(day: dt.date | None) -> str:
    """DD/MM/YYYY."""
    return "" if day is None else day.strftime("%d/%m/%Y")


def date_line(day: dt.date) -> str:
    """The portal's date line, e.g. 'Thứ Bảy, ngày 16/01/2021'."""
    return f"{WEEKDAYS[day.weekday()]}, ngày {format_date(day)}"


def format_vnd(value: Decimal | int | None, *, unit: bool = True) -> str:
    """An amount of Vietnamese đồng, whole, with '.' between thousands: "1.234.567 đồng".

    Without `unit`, only the number ("1.234.567"), for table cells under a "đồng" heading.
    None gives an empty string."""
    if value is None:
        return ""
    text = format_number(value, 0)
    return f"{text} đồng" if unit else text
