"""The unit page address of `{{ code|unit_url }}` is the one `{% url %}` gives."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix


@pytest.mark.parametrize("code", ["HD", "XA-10723", "KCN.ĐẠI AN", "a&b?c#d", "50%"])
def test_unit_url_is_the_reversed_address(code: str) -> None:
    rendered = Template("{% load unit_links %}{{ code|unit_url }}").render(Context({"code": code}))
    expected = Template("{% url 'orgunits:unit' code %}").render(Context({"code": code}))
    assert rendered == expected


def test_unit_url_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/benvung/")
        address = Template("{% load unit_links %}{{ 'HD'|unit_url }}").render(Context())
    finally:
        set_script_prefix("/")
    assert address == reverse("orgunits:unit", args=["HD"]).replace("/", "/benvung/", 1)
    assert address.startswith("/benvung/")
