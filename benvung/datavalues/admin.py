"""Admin of data elements and data values (with their change history)."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from benvung.datavalues.models import DataElement, DataValue


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "value_type", "period_type", "dimension", "canonical_unit"]
    list_filter = ["value_type", "period_type", "dimension"]
    search_fields = ["code", "name"]


@admin.register(DataValue)
class DataValueAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = [
        "data_element",
        "org_unit",
        "period",
        "value",
        "unit",
        "canonical_value",
        "updated_by",
        "updated_at",
    ]
    list_filter = ["data_element", "year"]
    list_select_related = ["data_element", "org_unit", "updated_by"]
    search_fields = ["org_unit__code", "org_unit__name", "data_element__code", "period"]
    # Values change only through the import (which checks them and converts units), so
    # that the stored canonical value can never disagree with the value entered.
    readonly_fields = [
        "data_element",
        "org_unit",
        "period",
        "year",
        "value",
        "unit",
        "canonical_value",
        "updated_by",
        "updated_at",
        "source",
    ]
    history_list_display = ["value", "unit", "comment"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
