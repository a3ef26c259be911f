"""News: sanitising, scheduling, the list and article pages, the feed, the sitemap, the demo."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from benvung.portal.demo import SOURCE_TITLE, generate_news_demo
from benvung.portal.models import Article, ArticleStatus, Category
from benvung.portal.selectors import articles_published
from benvung.portal.services import article_save, sanitize_html

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Sanitising ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "gone", "kept"),
    [
        ("<p>Xin chào<script>alert(1)</script></p>", ["<script", "alert(1)"], ["Xin chào"]),
        ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"], ['src="x.png"']),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"], [">x</a>"]),
        ('<p style="color:red" onclick="x()">Đoạn</p>', ["style=", "onclick"], ["<p>Đoạn</p>"]),
        ("<iframe src='https://evil.example'></iframe><p>ok</p>", ["iframe"], ["<p>ok</p>"]),
        (
            "<ul><li><strong>2025</strong><ul><li>70%</li></ul></li></ul>",
            [],
            ["<ul><li><strong>2025</strong><ul><li>70%</li></ul></li></ul>"],
        ),
    ],
)
def test_sanitize_html(dirty: str, gone: list[str], kept: list[str]) -> None:
    clean = sanitize_html(dirty)
    for fragment in gone:
        assert fragment not in clean
    for fragment in kept:
        assert fragment in clean


def test_empty_editor_gives_empty_body() -> None:
    assert sanitize_html("<p></p>") == ""


def test_article_save_sanitises_slugs_and_indexes(news: Category) -> None:
    article = article_save(
        article=Article(
            title="Đẩy mạnh  sản xuất sạch hơn",
            category=news,
            lead="Sở Công Thương",
            body='<p onclick="x()">Điện <script>alert(1)</script>năng</p><img src=a onerror=b>',
        )
    )
    assert article.slug == "day-manh-san-xuat-sach-hon"
    assert "<script" not in article.body and "onclick" not in article.body
    assert "onerror" not in article.body
    assert article.search_text == "day manh san xuat sach hon so cong thuong dien nang"
    assert article.title == "Đẩy mạnh sản xuất sạch hơn"
    again = article_save(article=Article(title="Đẩy mạnh sản xuất sạch hơn", category=news))
    assert again.slug == "day-manh-san-xuat-sach-hon-2"


# --- Scheduling ---------------------------------------------------------------------------


def test_drafts_and_future_articles_are_hidden_until_their_time(
    client: Client, make_article: Callable[..., Article]
) -> None:
    now = timezone.now()
    live = make_article("Tin đã đăng")
    draft = make_article("Bản nháp", status=ArticleStatus.DRAFT, publish_at=now - dt.timedelta(1))
    later = make_article(
        "Tin hẹn giờ", status=ArticleStatus.SCHEDULED, publish_at=now + dt.timedelta(hours=2)
    )
    assert list(articles_published()) == [live]
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(later.get_absolute_url()).status_code == 404
    assert "Tin hẹn giờ" not in client.get("/tin-tuc/").content.decode()
    # When the time passes it is there, with no job run in between.
    assert list(articles_published(now=now + dt.timedelta(hours=3))) == [later, live]
    later.publish_at = now - dt.timedelta(seconds=1)
    later.save()
    assert client.get(later.get_absolute_url()).status_code == 200
    assert "Tin hẹn giờ" in client.get("/tin-tuc/").content.decode()


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def demo_news(db: None) -> list[str]:
    return generate_news_demo(seed=2627)


def source_article() -> Article:
    return Article.objects.get(title=SOURCE_TITLE)


def test_demo_news_is_the_source_article_first_and_idempotent(demo_news: list[str]) -> None:
    first = Article.objects.order_by("id").first()
    assert first is not None and first.title == SOURCE_TITLE
    assert first.category.name == "Tin hoạt động ngành"
    assert timezone.localtime(first.publish_at, LOCAL).strftime("%d/%m/%Y %H:%M:%S") == (
        "28/09/2020 15:00:13"
    )
    assert first.author == "Lê Minh"
    assert "sản xut" not in first.body and "trin khai" not in first.body
    assert "nhân rộng các mô hình về sản xuất sạch hơn" in first.body
    assert "triển khai thực hiện hiệu quả Kế hoạch" in first.body
    assert first.body.count("<li>") == 13
    others = Article.objects.exclude(pk=first.pk)
    assert others.count() == 11
    assert all(a.is_demo and "(minh họa)" in a.body for a in others)
    count = Article.objects.count()
    generate_news_demo(seed=2627)
    assert Article.objects.count() == count


def test_article_page(client: Client, demo_news: list[str]) -> None:
    article = source_article()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert SOURCE_TITLE in text
    assert "28/09/2020 15:00" in text
    assert "Theo Kế hoạch, giai đoạn 2021- 2025" in text
    assert "Nguồn bài: Lê Minh" in text
    assert "Quyết định số 2627/QĐ-UBND" in text
    for tool in ("Quay lại", "In trang", "Đầu trang", "Các tin cùng chuyên mục"):
        assert tool in text
    html = response.content.decode()
    assert 'href="?in=1" data-print' in html
    assert 'href="#dau-trang"' in html and 'id="dau-trang"' in html
    assert 'href="/tin-tuc/tin-hoat-dong-nganh/"' in html
    # Related news with their dates, newest first.
    assert "Chấm dứt hoạt động của Văn phòng đại diện MCI INC tại Hải Dương (13/01/2021 15:02)" in (
        text
    )
    assert text.index("MCI INC") < text.index("xuất khẩu uy tín năm 2019")


def test_article_print_view(client: Client, demo_news: list[str]) -> None:
    response = client.get(source_article().get_absolute_url() + "?in=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="portal print-view' in html
    assert "Về bản đọc thường" in html


def test_article_under_the_wrong_category_redirects(client: Client, demo_news: list[str]) -> None:
    article = source_article()
    response = client.get(f"/tin-tuc/thong-bao/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_news_lists_paginate(client: Client, make_article: Callable[..., Article]) -> None:
    now = timezone.now()
    for n in range(12):
        make_article(f"Tin số {n:02d}", publish_at=now - dt.timedelta(hours=n + 1))
    first = client.get("/tin-tuc/")
    assert first.status_code == 200
    assert "Tin số 00" in first.content.decode() and "Tin số 11" not in first.content.decode()
    assert "Trang 1/2" in text_of(first)
    second = client.get("/tin-tuc/?trang=2")
    assert "Tin số 11" in second.content.decode()
    category = client.get("/tin-tuc/tin-hoat-dong-nganh/")
    assert category.status_code == 200 and "Tin số 00" in category.content.decode()
    assert client.get("/tin-tuc/thong-bao/").status_code == 200
    assert client.get("/tin-tuc/khong-co/").status_code == 404


def test_categories_exist_on_every_installation() -> None:
    names = set(Category.objects.values_list("name", flat=True))
    assert {"Tin hoạt động ngành", "Thông báo", "Văn bản"} <= names


# --- Feed and sitemap ---------------------------------------------------------------------


def test_rss_feed(
    client: Client, demo_news: list[str], make_article: Callable[..., Article]
) -> None:
    make_article("Bản nháp bí mật", status=ArticleStatus.DRAFT)
    response = client.get("/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    titles = [t.text for t in root.iter("title")]
    assert SOURCE_TITLE in titles
    assert "Bản nháp bí mật" not in titles
    category = client.get("/rss/van-ban/")
    assert category.status_code == 200
    assert SOURCE_TITLE not in category.content.decode()


def test_sitemap_lists_articles_and_indicators(
    client: Client, public: object, demo_news: list[str]
) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert source_article().get_absolute_url() in body
    assert "/tien-do/CT01/" in body
    assert "/tien-do/CT07.THEP.NL/" in body
    assert "/du-lieu-mo/" in body
