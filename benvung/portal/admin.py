"""Editing the news in the Django admin: the rich-text editor (django-prose-editor, served
from this application) for the body, image uploads, drafts, scheduling and publishing.

Saving goes through `services.article_save`, which sanitises the body and refreshes the
search text, as every other write of an article does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from benvung.accounts.csp import NonceMediaAdminMixin
from benvung.core.uploads import IMAGE_KINDS, upload_validator
from benvung.portal.models import Article, ArticleImage, ArticleStatus, Category
from benvung.portal.services import article_save


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


# Images are checked by their content (PNG, JPEG, GIF, WebP) and size, not only their name.
IMAGE_UPLOAD: dict[Any, dict[str, Any]] = {
    models.FileField: {"validators": [upload_validator(*IMAGE_KINDS)]}
}


class ArticleImageInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ArticleImage
    formfield_overrides = IMAGE_UPLOAD
    extra = 1
    fields = ["file", "caption", "address"]
    readonly_fields = ["address"]

    @admin.display(description=_("địa chỉ để chèn vào nội dung"))
    def address(self, obj: ArticleImage) -> str:
        return format_html("<code>{}</code>", obj.file.url) if obj.pk and obj.file else "—"


@admin.register(Article)
class ArticleAdmin(NonceMediaAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "category", "status", "publish_at", "public", "is_demo"]
    list_filter = ["status", "category", "is_demo"]
    search_fields = ["title", "lead"]
    date_hierarchy = "publish_at"
    inlines = [ArticleImageInline]
    formfield_overrides = IMAGE_UPLOAD
    actions = ["publish_now"]
    fieldsets = [
        (None, {"fields": ["title", "category", "lead", "body"]}),
        (_("Ảnh"), {"fields": ["image", "image_caption"]}),
        (_("Tác giả, nguồn"), {"fields": ["author", "source"]}),
        (_("Đăng bài"), {"fields": ["status", "publish_at", "slug", "is_demo"]}),
    ]

    @admin.display(boolean=True, description=_("đang hiện trên cổng"))
    def public(self, obj: Article) -> bool:
        return obj.is_public

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        article_save(article=obj, user=request.user)

    @admin.action(description=_("Đăng ngay các bài đã chọn"))
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        now = timezone.now()
        for article in queryset:
            article.status = ArticleStatus.PUBLISHED
            article.publish_at = min(article.publish_at, now)
            article_save(article=article, user=request.user)
        self.message_user(request, gettext("Đã đăng %(count)s bài.") % {"count": queryset.count()})
