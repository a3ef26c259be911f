"""Admin of role assignments, also shown inline on each user."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from benvung.accounts.models import RoleAssignment


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["org_unit"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
    list_select_related = ["user", "org_unit"]
    search_fields = ["user__username", "org_unit__code", "org_unit__name"]
    autocomplete_fields = ["org_unit"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = [RoleAssignmentInline]
