"""Forms of the account pages: a two-factor code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """Six digits from the authenticator app."""

    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
        error_messages={
            "required": _("Hãy nhập mã 6 chữ số trong ứng dụng xác thực."),
            "min_length": _("Mã gồm đúng 6 chữ số."),
            "max_length": _("Mã gồm đúng 6 chữ số."),
        },
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Mã gồm đúng 6 chữ số."))
        return token
