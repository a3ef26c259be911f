"""Tags of the public layout: `{% portal_date_line %}` → "Thứ Bảy, ngày 16/01/2021",
`{% portal_categories as categories %}` for the news menu."""

from __future__ import annotations

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format

from benvung.core.formatting import date_line
from benvung.portal.models import Category
from benvung.portal.selectors import categories_list

register = template.Library()


@register.simple_tag
def portal_date_line() -> str:
    today = timezone.localdate()
    if translation.get_language() == "en":
        return date_format(today, "l, j F Y")  # "Saturday, 16 January 2021"
    return date_line(today)


@register.simple_tag
def portal_categories() -> list[Category]:
    return categories_list()
