"""The portal's one form: the search box."""

from __future__ import annotations

from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(label="Từ khóa", max_length=200, required=False, strip=True)
