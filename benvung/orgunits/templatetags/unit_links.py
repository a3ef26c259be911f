"""`{{ code|unit_url }}`: the address of a unit's page, for lists of thousands of units.

`{% url 'orgunits:unit' code %}` resolves the route again for every row, which is most of the
time of a page that lists a country's units; this filter resolves it once per script prefix
and URL configuration and puts each code in its place, quoted as `reverse` quotes it.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

register = template.Library()

# A code that no unit has, cut out of the reversed address.
_PLACEHOLDER = "0UNITCODE0"


@lru_cache(maxsize=16)
def _around(prefix: str, urlconf: str | None) -> tuple[str, str]:
    before, after = reverse("orgunits:unit", urlconf=urlconf, args=[_PLACEHOLDER]).split(
        _PLACEHOLDER
    )
    return before, after


@register.filter
def unit_url(code: str) -> str:
    """The address of the page of the unit with this code (as `reverse` gives it)."""
    before, after = _around(get_script_prefix(), get_urlconf())
    return before + quote(str(code), safe=RFC3986_SUBDELIMS + "/~:@") + after
