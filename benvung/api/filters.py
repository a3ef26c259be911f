# (DRF, django-filter and drf-spectacular ship no type information.)
"""Filters of the API's lists (django-filter), described in the OpenAPI schema.

Codes are matched without regard to case where the domain's codes are upper-case
(elements, plans, indicators); unit codes are matched exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from benvung.api.selectors import orgunits_as_of
from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit, Sector, UnitType
from benvung.plans.models import FormulaKind, Indicator, Target

MIN_YEAR = 1900
MAX_YEAR = 2100


class YearFilter(filters.NumberFilter):
    """A calendar year (an integer in a sane range, so that no query overflows)."""

    field_class = forms.IntegerField


def year_filter(field_name: str, help_text: str) -> YearFilter:
    year = YearFilter(
        field_name=field_name, min_value=MIN_YEAR, max_value=MAX_YEAR, help_text=help_text
    )
    described: YearFilter = extend_schema_field(
        {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR, "description": help_text}
    )(year)
    return described


class IndicatorFilterSet(filters.FilterSet):
    plan = filters.CharFilter(
        field_name="plan__code", lookup_expr="iexact", help_text="Mã kế hoạch, ví dụ KH-2627."
    )
    code = filters.CharFilter(
        field_name="code", lookup_expr="iexact", help_text="Mã chỉ tiêu, ví dụ CT01."
    )
    objective = filters.CharFilter(
        field_name="objective__code", lookup_expr="iexact", help_text="Mã mục tiêu của kế hoạch."
    )
    formula = filters.ChoiceFilter(choices=FormulaKind.choices, help_text="Loại công thức tính.")

    class Meta:
        model = Indicator
        fields = ["plan", "code", "objective", "formula"]


class TargetFilterSet(filters.FilterSet):
    plan = filters.CharFilter(
        field_name="indicator__plan__code", lookup_expr="iexact", help_text="Mã kế hoạch."
    )
    indicator = filters.CharFilter(
        field_name="indicator__code", lookup_expr="iexact", help_text="Mã chỉ tiêu, ví dụ CT01."
    )
    year = year_filter("milestones__year", "Chỉ những chỉ tiêu có mốc trong năm này.")

    class Meta:
        model = Target
        fields = ["plan", "indicator", "year"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(queryset).distinct()


class OrgUnitFilterSet(filters.FilterSet):
    """Units valid on a day (today without `date`), each with its parent that day."""

    date = filters.DateFilter(
        method="filter_date",
        help_text="Ngày xem cơ cấu đơn vị (YYYY-MM-DD); mặc định hôm nay.",
    )
    type = filters.ChoiceFilter(choices=UnitType.choices, help_text="Loại đơn vị.")
    sector = filters.ChoiceFilter(choices=Sector.choices, help_text="Ngành (doanh nghiệp).")
    parent = filters.CharFilter(
        method="filter_parent", help_text="Mã đơn vị cấp trên trực tiếp vào ngày đã chọn."
    )

    class Meta:
        model = OrgUnit
        fields = ["date", "type", "sector", "parent"]

    @property
    def day(self) -> dt.date:
        chosen = self.form.cleaned_data.get("date") if hasattr(self.form, "cleaned_data") else None
        return chosen or timezone.localdate()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The day decides which units exist and who their parents are, before any filter.
        return super().filter_queryset(orgunits_as_of(self.day, units=queryset))

    def filter_date(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return queryset  # applied in filter_queryset

    def filter_parent(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(parent_code=value)


class DataValueFilterSet(filters.FilterSet):
    data_element = filters.CharFilter(
        field_name="data_element__code",
        lookup_expr="iexact",
        help_text="Mã chỉ số thu thập, ví dụ NT_HOAT_DONG.",
    )
    org_unit = filters.CharFilter(field_name="org_unit__code", help_text="Mã đơn vị báo cáo.")
    period = filters.CharFilter(field_name="period", help_text="Kỳ báo cáo, ví dụ 2025.")
    year = year_filter("year", "Năm của kỳ báo cáo.")

    class Meta:
        model = DataValue
        fields = ["data_element", "org_unit", "period", "year"]
