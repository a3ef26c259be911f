"""Admin of the SCP model registry (with its change history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from benvung.scpmodels.models import ScpModel


@admin.register(ScpModel)
class ScpModelAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["code", "name", "kind", "org_unit", "year", "is_demo"]
    list_filter = ["kind", "year", "is_demo"]
    list_select_related = ["org_unit"]
    search_fields = ["code", "name", "org_unit__code", "org_unit__name"]
    autocomplete_fields = ["org_unit"]
