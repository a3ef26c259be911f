"""The filter of the unit tree: `?ngay=YYYY-MM-DD&loai=TYPE&q=text`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benvung.orgunits.models import UnitType


class DateInput(forms.DateInput):
    input_type = "date"


class TreeFilterForm(forms.Form):
    """The day the hierarchy is shown for (today by default), a unit type and a search text.

    A date that cannot be read is an error shown beside the field; the tree then shows today.
    """

    ngay = forms.DateField(
        label=_("Ngày"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    loai = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả các loại")), *UnitType.choices],
    )
    q = forms.CharField(
        label=_("Tìm theo tên"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Ví dụ: hai duong"), "autocomplete": "off"}
        ),
    )

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        self.today = timezone.localdate()
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("ngay"):
            data["ngay"] = self.today.isoformat()  # the date input shows the day used
        super().__init__(data, **kwargs)

    @property
    def day(self) -> dt.date:
        self.is_valid()
        return self.cleaned_data.get("ngay") or self.today

    @property
    def types(self) -> list[str]:
        self.is_valid()
        kind = self.cleaned_data.get("loai")
        return [kind] if kind else []

    @property
    def query(self) -> str:
        self.is_valid()
        return str(self.cleaned_data.get("q") or "").strip()
