"""Vietnamese formatting filters: `{{ value|vn_number:2 }}` → 1.234,50; `{{ day|vn_date }}`.

The grouping and the date format come from `benvung.core.formatting`, the one place that
defines how numbers and dates look in pages, files and the command line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from benvung.core.formatting import format_date, format_number, format_vnd

register = template.Library()


@register.filter
def vn_number(value: Any, decimals: Any = None) -> str:
    """A number in Vietnamese notation; with `decimals`, exactly that many places.

    None and "" give "" so that a template can supply its own placeholder with `default`.
    """
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if decimals is None or decimals == "":
        return format_number(number)
    return format_number(number, int(decimals))


@register.filter
def vn_date(value: Any, with_time: Any = False) -> str:
    """DD/MM/YYYY; a datetime in local time, with HH:MM when `with_time` (`vn_date:1`)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = format_date(local.date())
        return f"{text} {local:%H:%M}" if with_time else text
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


@register.filter
def vnd(value: Any, bare: Any = False) -> str:
    """An amount in đồng: `{{ amount|vnd }}` → 1.234.567 đồng; `{{ amount|vnd:1 }}` → 1.234.567."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return format_vnd(number, unit=not bare)
