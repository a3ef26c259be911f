"""Admin of data sets (forms, deadlines) and of submissions with their workflow events."""

from django.contrib import admin

from benvung.reporting.models import DataSet, Submission, SubmissionEvent


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "period_type", "deadline_day", "deadline_month"]
    filter_horizontal = ["elements"]
    search_fields = ["code", "name"]


class SubmissionEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "user", "at", "comment"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["data_set", "org_unit", "period", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "data_set", "year"]
    list_select_related = ["data_set", "org_unit"]
    search_fields = ["org_unit__code", "org_unit__name"]
    # State changes go through the workflow (with its checks and events), not the admin.
    readonly_fields = [
        "data_set",
        "org_unit",
        "period",
        "year",
        "status",
        "version",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
        "comment",
    ]
    inlines = [SubmissionEventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
