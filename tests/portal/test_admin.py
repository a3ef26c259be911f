"""Editing news in the admin: the rich-text editor, sanitising on save, image uploads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from benvung.portal.models import Article, ArticleImage, ArticleStatus, Category

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def editor(db: None) -> Client:
    user = User.objects.create_superuser("bientap", password="mat-khau-bien-tap")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def test_add_page_has_the_rich_text_editor_from_this_server(editor: Client) -> None:
    response = editor.get("/admin/portal/article/add/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert "/static/django_prose_editor/editor.js" in html
    # Every script and stylesheet comes from this server (CSRF tokens are random text, so
    # look at the addresses, not at the whole page).
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert addresses and not [a for a in addresses if "://" in a or a.startswith("//")]


def test_saving_in_the_admin_sanitises_and_schedules(editor: Client, media: Path) -> None:
    category = Category.objects.get(slug="thong-bao")
    later = timezone.localtime() + timezone.timedelta(days=1)
    response = editor.post(
        "/admin/portal/article/add/",
        {
            "title": "Thông báo lịch tiếp dân",
            "category": category.pk,
            "lead": "Lịch tiếp công dân tháng tới.",
            "body": '<p>Nội dung<script>alert(1)</script></p><img src="/a.png" onerror="x()">',
            "author": "Văn phòng Sở",
            "source": "",
            "image": SimpleUploadedFile("anh.png", PNG, content_type="image/png"),
            "image_caption": "Trụ sở",
            "status": ArticleStatus.SCHEDULED,
            "publish_at_0": later.strftime("%Y-%m-%d"),
            "publish_at_1": later.strftime("%H:%M:%S"),
            "slug": "",
            "images-TOTAL_FORMS": "1",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
            "images-0-file": SimpleUploadedFile("hinh.png", PNG, content_type="image/png"),
            "images-0-caption": "Hình 1",
        },
    )
    assert response.status_code == 302, re.findall(
        r"errorlist[^<]*<li>([^<]*)", response.content.decode()
    )
    article = Article.objects.get(title="Thông báo lịch tiếp dân")
    assert "<script" not in article.body and "onerror" not in article.body
    assert article.slug == "thong-bao-lich-tiep-dan"
    assert article.search_text.startswith("thong bao lich tiep dan")
    assert not article.is_public
    image = ArticleImage.objects.get(article=article)
    assert image.file.name.startswith("tin-tuc/")
    # Uploaded images are served by the application.
    served = Client().get(article.image.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PNG  # type: ignore[attr-defined]


def test_only_images_can_be_uploaded(editor: Client, media: Path) -> None:
    category = Category.objects.get(slug="thong-bao")
    now = timezone.localtime()
    response = editor.post(
        "/admin/portal/article/add/",
        {
            "title": "Tệp lạ",
            "category": category.pk,
            "image": SimpleUploadedFile("x.html", b"<script>alert(1)</script>"),
            "status": ArticleStatus.DRAFT,
            "publish_at_0": now.strftime("%Y-%m-%d"),
            "publish_at_1": now.strftime("%H:%M:%S"),
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not Article.objects.filter(title="Tệp lạ").exists()
