"""Template tags for indicator pages: values with their unit, milestone targets, status badges.

    {% load progress_tags %}
    {% indicator_value e.value e.indicator %}     → "50,00 %", "3 mô hình", "—"
    {% target_text e.target e.indicator %}        → "≥ 70 % (2025)", "5–10 mô hình (2025)"
    {% status_badge e.status e.status_label %}    → <span class="badge badge--dat">Đạt</span>
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from benvung.core.formatting import format_number
from benvung.core.templatetags.vn import fixed_number
from benvung.plans.models import FormulaKind, Indicator

register = template.Library()

EMPTY = "—"
# Indicators that count things: their values are whole numbers and read best without decimals.
COUNTING_FORMULAS = frozenset({FormulaKind.MODEL_COUNT, FormulaKind.SUM})
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


def with_unit(number: str, unit: str) -> str:
    """"50,00" + "%" → "50,00 %" (a space before every unit, as Vietnamese usage has it)."""
    return f"{number} {unit}" if unit else number


@register.simple_tag
def indicator_value(value: Decimal | None, indicator: Indicator, decimals: int = 2) -> str:
    """An indicator's value with its unit: 2 decimals, none for counts; "—" without value."""
    if value is None:
        return EMPTY
    if indicator.formula in COUNTING_FORMULAS and value == value.to_integral_value():
        return with_unit(fixed_number(value, 0), indicator.unit)
    return with_unit(fixed_number(value, decimals), indicator.unit)


@register.simple_tag
def target_text(milestone: Any, indicator: Indicator) -> str:
    """A milestone as users read it: "≥ 70 % (2025)", "5–10 mô hình (2025)", or the
    milestone's own wording when it has no number ("Triển khai hiệu quả (2030)")."""
    if milestone is None:
        return EMPTY
    low, high = milestone.minimum, milestone.maximum
    if low is not None and high is not None:
        text = with_unit(f"{format_number(low)}–{format_number(high)}", indicator.unit)
    elif low is not None:
        text = "≥ " + with_unit(format_number(low), indicator.unit)
    elif high is not None:
        text = "≤ " + with_unit(format_number(high), indicator.unit)
    else:
        # Uses the prefetched targets: the domain milestone does not carry the wording.
        words = [
            m.text
            for t in indicator.targets.all()
            for m in t.milestones.all()
            if m.year == milestone.year and m.text
        ]
        text = words[0] if words else _("Mốc")
    return f"{text} ({milestone.year})"


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
