"""Admin of the annual cycle (plans, activities and budget lines with their change history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from benvung.annualplans.models import (
    Activity,
    ActivityReport,
    BudgetLine,
    ImplementationPlan,
    SpendingLine,
)


class BudgetLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BudgetLine
    extra = 0


class SpendingLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SpendingLine
    extra = 0


@admin.register(ImplementationPlan)
class ImplementationPlanAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["year", "plan", "status", "version", "approved_at", "is_demo"]
    list_filter = ["plan", "status", "is_demo"]
    readonly_fields = ["version"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["code", "title", "implementation_plan", "task", "responsible", "end_date"]
    list_filter = ["implementation_plan__year", "task__group"]
    list_select_related = ["implementation_plan", "task", "responsible"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["responsible", "coordinating"]
    raw_id_fields = ["carried_from"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["activity", "source", "amount"]
    list_filter = ["source", "activity__implementation_plan__year"]
    raw_id_fields = ["activity"]


@admin.register(ActivityReport)
class ActivityReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["activity", "as_of", "status", "percent_done", "reported_by"]
    list_filter = ["status", "activity__implementation_plan__year"]
    raw_id_fields = ["activity"]
    inlines = [SpendingLineInline]


@admin.register(SpendingLine)
class SpendingLineAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["report", "source", "amount"]
    raw_id_fields = ["report"]
