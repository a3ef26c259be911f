"""Admin of the documents' templates and header values (read-mostly: the page edits them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from benvung.documents.models import DocumentSettings, DocumentTemplate


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["year", "body", "report_number", "plan_number", "signer_name", "updated_at"]
    readonly_fields = ["version", "updated_by", "updated_at"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "original_name", "uploaded_by", "uploaded_at", "is_active"]
    list_filter = ["kind", "is_active"]
    readonly_fields = ["kind", "file", "original_name", "uploaded_by", "uploaded_at"]
