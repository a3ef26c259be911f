"""Admin of units and their dated parent links."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from benvung.orgunits.models import OrgUnit, ParentLink, Succession


class ParentLinkInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ParentLink
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ["parent"]
    fields = ["parent", "valid_from", "valid_to"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "type", "sector", "valid_from", "valid_to", "is_demo"]
    list_filter = ["type", "sector", "is_demo"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    date_hierarchy = "valid_from"
    inlines = [ParentLinkInline]


@admin.register(ParentLink)
class ParentLinkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["unit", "parent", "valid_from", "valid_to"]
    list_select_related = ["unit", "parent"]
    search_fields = ["unit__code", "unit__name", "parent__code", "parent__name"]
    autocomplete_fields = ["unit", "parent"]
    list_filter = ["unit__type"]


@admin.register(Succession)
class SuccessionAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["predecessor", "successor", "date", "kind", "share"]
    list_select_related = ["predecessor", "successor"]
    list_filter = ["kind", "date"]
    search_fields = ["predecessor__code", "predecessor__name", "successor__code", "successor__name"]
    autocomplete_fields = ["predecessor", "successor"]
