"""Admin of role assignments, also shown inline on each user; the read-only log of who saw
unpublished data; resetting a user's two-factor device."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from benvung.accounts.models import AccessLogEntry, RoleAssignment
from benvung.accounts.services import totp_devices_reset


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
    actions = ["reset_two_factor"]

    @admin.action(description=_("Xóa thiết bị xác thực hai bước (mất điện thoại)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        removed = sum(totp_devices_reset(user=user, by=request.user) for user in queryset)
        self.message_user(
            request,
            _("Đã xóa %(count)d thiết bị; người dùng đăng nhập bằng mật khẩu và đăng ký lại.")
            % {"count": removed},
            messages.SUCCESS,
        )


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the log is evidence, nobody edits or deletes it from the admin."""

    list_display = ["at", "user", "data_kind", "org_unit", "path", "ip"]
    list_filter = ["data_kind", "at"]
    list_select_related = ["user", "org_unit"]
    search_fields = ["user__username", "org_unit__code", "org_unit__name", "path", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
