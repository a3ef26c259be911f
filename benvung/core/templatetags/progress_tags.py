"""Template tags for indicator pages: values with their unit, milestone targets, status badges.

{% load progress_tags %}
{% indicator_value e.value e.indicator %}     → "50,00 %", "3 mô hình", "—"
{% target_text e.target e.indicator %}        → "≥ 70 % (2025)", "5–10 mô hình (2025)"
{% status_badge e.status e.status_label %}    → <span class="badge badge--dat">Đạt</span>
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from benvung.indicators.presentation import target_text, value_text

register = template.Library()

# The figures read the same on the pages as on the command line.
indicator_value = register.simple_tag(value_text, name="indicator_value")
target_text = register.simple_tag(target_text, name="target_text")

STATUS_CLASSES = frozenset(
    {
        "dat",
        "dung_tien_do",
        "can_day_nhanh",
        "cham_tien_do",
        "thut_lui",
        "khong_dat",
        "chua_co_du_lieu",
    }
)


def status_class(status: str | None) -> str:
    """The CSS modifier of a status ("khac" for a free-text qualitative judgement)."""
    if status is None:
        return "none"
    return status if status in STATUS_CLASSES else "khac"


@register.simple_tag
def status_badge(status: str | None, label: str) -> SafeString:
    """A coloured badge whose text always names the status (colour is never the only cue)."""
    return format_html(
        '<span class="badge badge--{}" data-status="{}">{}</span>',
        status_class(status),
        status or "",
        label,
    )
