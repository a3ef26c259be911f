"""The department's news: categories, articles and the images uploaded for them.

An article is public when it is not a draft and its `publish_at` has passed: a scheduled
article appears by itself at its time, because every public read filters on the clock
(`selectors.articles_published`); there is no job to run. The body is HTML from the editor,
sanitised and folded into `search_text` by `services.article_save`, never in `save()`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

# What the editor offers; the server-side allowlist (`services.ALLOWED_TAGS`) matches it.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    "Figure": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]


class Category(models.Model):
    name = models.CharField(_("tên chuyên mục"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:category", kwargs={"category": self.slug})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SCHEDULED = "scheduled", _("Hẹn giờ đăng")
    PUBLISHED = "published", _("Đã đăng")


class Article(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Để trống: tạo từ tiêu đề (không dấu)."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("chuyên mục")
    )
    lead = models.TextField(_("sapo (tóm tắt)"), blank=True)
    body = ProseEditorField(
        _("nội dung"), config={"extensions": EDITOR_EXTENSIONS}, sanitize=True, blank=True
    )
    author = models.CharField(_("tác giả"), max_length=200, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    image = models.FileField(
        _("ảnh đại diện"),
        upload_to="tin-tuc/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
    )
    image_caption = models.CharField(_("chú thích ảnh"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        _("thời điểm đăng"),
        default=timezone.now,
        db_index=True,
        help_text=_("Bài hẹn giờ hoặc đã đăng hiện trên cổng khi đến thời điểm này."),
    )
    # Title, lead and body text folded by `orgunits.selectors.fold` (lower case, no accents,
    # đ → d): the same LIKE search on SQLite and PostgreSQL.
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True, editable=False)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", kwargs={"category": self.category.slug, "slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status != ArticleStatus.DRAFT and self.publish_at <= timezone.now()


class ArticleImage(models.Model):
    """An image uploaded with an article; the editor inserts it by its address."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("tin bài")
    )
    file = models.FileField(
        _("tệp ảnh"),
        upload_to="tin-tuc/%Y/%m/",
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
    )
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh của bài")

    def __str__(self) -> str:
        return self.caption or self.file.name
