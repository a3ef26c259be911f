"""Admin of the plan's task groups and tasks (tasks with their change history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from benvung.tasks.models import Task, TaskGroup


@admin.register(TaskGroup)
class TaskGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["code", "name"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["code", "title", "group", "lead_agency", "start_year", "end_year"]
    list_filter = ["plan", "group"]
    list_select_related = ["group", "lead_agency"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["lead_agency", "coordinating_agencies"]
    filter_horizontal = ["objectives", "indicators"]
