"""Admin of the indicator framework: plans, objectives, indicators, targets and milestones,
and the co-ordinator's qualitative assessments."""

from django.contrib import admin

from benvung.plans.models import (
    Indicator,
    IndicatorVersion,
    Milestone,
    Objective,
    Plan,
    QualitativeAssessment,
    Target,
)


class ObjectiveInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Objective
    extra = 0
    fields = ["order", "code", "name"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "short_name", "decision", "decision_date", "base_year", "end_year"]
    search_fields = ["code", "name", "decision"]
    autocomplete_fields = ["scope_root", "parent"]
    list_filter = ["is_sample"]
    inlines = [ObjectiveInline]


class TargetInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Target
    extra = 0
    fields = ["text", "serves"]
    raw_id_fields = ["serves"]
    show_change_link = True


class IndicatorVersionInline(admin.StackedInline):  # type: ignore[type-arg]
    model = IndicatorVersion
    extra = 0
    fields = ["valid_from", "parameters", "decision", "note"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "plan", "objective", "formula", "unit", "order"]
    list_filter = ["plan", "formula", "objective"]
    list_select_related = ["plan", "objective"]
    search_fields = ["code", "name"]
    ordering = ["plan", "order"]
    inlines = [TargetInline, IndicatorVersionInline]


class MilestoneInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Milestone
    extra = 0
    fields = ["year", "minimum", "maximum", "text"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["indicator", "text"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "text"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["target", "year", "minimum", "maximum", "text"]
    list_select_related = ["target__indicator"]
    list_filter = ["year"]
    search_fields = ["target__indicator__code", "text"]


@admin.register(QualitativeAssessment)
class QualitativeAssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["indicator", "year", "status", "updated_by", "updated_at"]
    list_filter = ["year", "status", "indicator"]
    list_select_related = ["indicator", "updated_by"]
    search_fields = ["indicator__code", "evidence"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
