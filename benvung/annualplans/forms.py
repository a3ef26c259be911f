"""Forms of the annual cycle. They only parse what was typed; the rules (draft only, version,
dates within the year, rights) are checked by the services, whose errors come back to the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from benvung.annualplans.models import Activity, ActivityStatus, FundingSource
from benvung.tasks.models import Task
from benvung.tasks.selectors import agencies


class AmountField(forms.DecimalField):
    """An amount in đồng, typed with or without thousands dots ("1.234.567" or "1234567")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "entry-number"})
        )
        super().__init__(**kwargs)

    # The stubs type DecimalField.to_python as IntegerField's; it returns a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
            value = value.removesuffix("đồng").removesuffix("đ")
        return super().to_python(value)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("Mã hoạt động"), max_length=50)
    title = forms.CharField(
        label=_("Tên hoạt động"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    task = forms.ModelChoiceField(label=_("Thuộc nhiệm vụ"), queryset=Task.objects.none())
    responsible = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=agencies())
    coordinating = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        queryset=agencies(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    start_date = forms.DateField(label=_("Bắt đầu"), widget=_date_input())
    end_date = forms.DateField(label=_("Hoàn thành"), widget=_date_input())
    expected_outputs = forms.CharField(
        label=_("Sản phẩm dự kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, plan_id: int, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = (  # type: ignore[attr-defined]
            Task.objects.filter(plan_id=plan_id, start_year__lte=year, end_year__gte=year)
            .select_related("group")
            .order_by("group__order", "order", "code")
        )
        for source, label in FundingSource.choices:
            self.fields[f"budget_{source}"] = AmountField(
                label=_("%(source)s (đồng)") % {"source": label}
            )

    @property
    def budget_fields(self) -> list[forms.BoundField]:
        return [self[f"budget_{s}"] for s in FundingSource.values]

    def budget(self) -> dict[str, Decimal | None]:
        return {s: self.cleaned_data.get(f"budget_{s}") for s in FundingSource.values}

    def data_fields(self) -> dict[str, Any]:
        keys = ("code", "title", "task", "responsible", "start_date", "end_date")
        result = {k: self.cleaned_data[k] for k in keys}
        result["expected_outputs"] = self.cleaned_data.get("expected_outputs", "")
        result["order"] = self.cleaned_data.get("order") or 0
        return result

    @staticmethod
    def initial_for(activity: Activity, version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": version,
            "code": activity.code,
            "title": activity.title,
            "task": activity.task_id,
            "responsible": activity.responsible_id,
            "coordinating": [u.pk for u in activity.coordinating.all()],
            "start_date": activity.start_date,
            "end_date": activity.end_date,
            "expected_outputs": activity.expected_outputs,
            "order": activity.order,
        }
        for line in activity.budget_lines.all():
            initial[f"budget_{line.source}"] = line.amount
        return initial


class ReportForm(forms.Form):
    as_of = forms.DateField(label=_("Tính đến ngày"), widget=_date_input())
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ActivityStatus.choices)
    percent_done = forms.IntegerField(label=_("Tỷ lệ hoàn thành (%)"), min_value=0, max_value=100)
    outputs_achieved = forms.CharField(
        label=_("Kết quả, sản phẩm đạt được"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    difficulties = forms.CharField(
        label=_("Khó khăn, vướng mắc"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for source, label in FundingSource.choices:
            self.fields[f"spent_{source}"] = AmountField(
                label=_("Đã chi lũy kế — %(source)s (đồng)") % {"source": label}
            )
        self.fields["as_of"].initial = dt.date.today()

    @property
    def spent_fields(self) -> list[forms.BoundField]:
        return [self[f"spent_{s}"] for s in FundingSource.values]

    def spent(self) -> dict[str, Decimal | None]:
        return {s: self.cleaned_data.get(f"spent_{s}") for s in FundingSource.values}


class NewPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=1000)
