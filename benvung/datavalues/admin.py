"""Admin of data elements and data values (with their change history)."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from benvung.datavalues.audit import record_creations
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

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The value's records. A value never changed has its creation record only in itself
        (`audit`); this page lists the history's rows, so that record is written first, as
        the value's first change would write it."""
        if object_id.isdigit():
            with transaction.atomic():
                record_creations([int(object_id)])
        return super().history_view(request, object_id, extra_context)  # type: ignore[no-any-return]

    def get_history_queryset(
        self, request: HttpRequest, history_manager: Any, pk_name: str, object_id: Any
    ) -> QuerySet[Any]:
        """A value's records, found among its unit's: the history has an index by unit and
        none by value (every imported value would write to it)."""
        records: QuerySet[Any] = super().get_history_queryset(
            request, history_manager, pk_name, object_id
        )
        unit = DataValue.objects.filter(pk=object_id).values_list("org_unit_id", flat=True).first()
        # A value deleted since is looked for in the whole history.
        return records if unit is None else records.filter(org_unit_id=unit)
