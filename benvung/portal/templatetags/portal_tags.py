"""Tags of the public layout: `{% portal_date_line %}` → "Thứ Bảy, ngày 16/01/2021",
`{% portal_categories as categories %}` for the news menu."""

from __future__ import annotations

from django import template
from django.utils import timezone

from benvung.core.formatting import date_line
from benvung.portal.models import Category
from benvung.portal.selectors import categories_list

register = template.Library()


@register.simple_tag
def portal_date_line() -> str:
    return date_line(timezone.localdate())


@register.simple_tag
def portal_categories() -> list[Category]:
    return categories_list()
