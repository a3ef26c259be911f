"""Search: accent- and case-insensitive, every word, over news and indicators."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from benvung.portal.models import Article, ArticleStatus
from benvung.portal.search import excerpt, highlight, match_spans, query_words
from benvung.portal.selectors import site_search


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Sản  XUẤT bền vững", ["san", "xuat", "ben", "vung"]),
        ("Đồng đồng", ["dong"]),
        ("  ", []),
    ],
)
def test_query_words(query: str, words: list[str]) -> None:
    assert query_words(query) == words


def test_highlight_marks_the_original_text() -> None:
    assert highlight("Sản xuất <b>bền</b> vững", ["san", "vung"]) == (
        "<mark>Sản</mark> xuất &lt;b&gt;bền&lt;/b&gt; <mark>vững</mark>"
    )
    assert highlight("Đường dây", ["duong"]) == "<mark>Đường</mark> dây"
    assert match_spans("Hòa hoà", ["hoa"]) == [(0, 3), (4, 7)]


def test_excerpt_centres_on_the_match() -> None:
    text = " ".join(["lorem"] * 100) + " tiết kiệm năng lượng " + " ".join(["ipsum"] * 100)
    piece = excerpt(text, ["tiet", "kiem"], width=80)
    assert "tiết kiệm" in piece and piece.startswith("… ") and piece.endswith(" …")


@pytest.fixture
def articles(make_article: Callable[..., Article]) -> list[Article]:
    return [
        make_article(
            "Kế hoạch sản xuất và tiêu dùng bền vững",
            lead="Giai đoạn 2021–2030",
            body="<p>Điện năng tiết kiệm ở Đồng Gia.</p>",
        ),
        make_article("Hội chợ hàng Việt", body="<p>Sản phẩm bền vững</p>"),
        make_article(
            "Bản nháp sản xuất bền vững", status=ArticleStatus.DRAFT, body="<p>bí mật</p>"
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("san xuat ben vung", ["Kế hoạch sản xuất và tiêu dùng bền vững"]),
        ("SẢN XUẤT BỀN VỮNG", ["Kế hoạch sản xuất và tiêu dùng bền vững"]),
        ("ben vung", ["Hội chợ hàng Việt", "Kế hoạch sản xuất và tiêu dùng bền vững"]),
        ("dong gia", ["Kế hoạch sản xuất và tiêu dùng bền vững"]),
        ("đồng gia", ["Kế hoạch sản xuất và tiêu dùng bền vững"]),
        ("dien nang", ["Kế hoạch sản xuất và tiêu dùng bền vững"]),
        ("ben vung hoi cho", ["Hội chợ hàng Việt"]),
        ("ben vung khong-co-tu-nay", []),
        ("bi mat", []),
    ],
)
def test_article_search_is_accent_and_case_insensitive(
    articles: list[Article], query: str, titles: list[str]
) -> None:
    results = site_search(query=query)
    assert sorted(hit.article.title for hit in results.articles) == sorted(titles)
    assert results.article_count == len(titles)


@pytest.mark.django_db
def test_indicator_search(public: object) -> None:
    results = site_search(query="bao bi than thien")
    assert [hit.indicator.code for hit in results.indicators] == ["CT04"]
    assert "<mark>bao bì</mark>" in results.indicators[0].name or (
        "<mark>bao</mark> <mark>bì</mark>" in results.indicators[0].name
    )
    assert [h.indicator.code for h in site_search(query="ct07 thep").indicators] == [
        "CT07.THEP.NVL",
        "CT07.THEP.NL",
    ]


@pytest.mark.django_db
def test_search_page(client: Client, public: object, articles: list[Article]) -> None:
    response = client.get("/tim-kiem/", {"q": "san xuat ben vung"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tìm thấy 1 kết quả: 1 tin bài, 0 chỉ tiêu." in html
    assert "<mark>sản</mark> <mark>xuất</mark>" in html
    assert "Bản nháp" not in html
    empty = client.get("/tim-kiem/")
    assert empty.status_code == 200 and "Tìm thấy" not in empty.content.decode()
    none = client.get("/tim-kiem/", {"q": "khongcotunay"})
    assert "Không tìm thấy kết quả" in none.content.decode()
