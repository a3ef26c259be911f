"""The interface in English for a user who chose it with the header switch, and in Vietnamese
for everyone else — whatever language their browser asks for.

Each page is checked for a few of its own English headings and menu labels, and for the absence
of the Vietnamese labels they replace (data such as plan, indicator and unit names stays as
stored, so only interface labels that never occur in the data are listed)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from benvung.portal.models import Article
from tests.i18n.conftest import choose_english
from tests.web.conftest import Territory

PLAN_URL = "/ke-hoach/KH-2627/"

PORTAL_MENU_EN = ["Home", "News", "Plan progress", "Open data", "Search", "Sign in"]
PORTAL_MENU_VI = ["Trang chủ", "Tin tức", "Tiến độ kế hoạch", "Dữ liệu mở", "Tìm kiếm", "Đăng nhập"]
INTERNAL_MENU_EN = ["Plan", "Reports", "Submission progress", "Units", "Data import", "Sign out"]
INTERNAL_MENU_VI = ["Tiến độ nộp", "Nhập dữ liệu", "Đăng xuất", "Bỏ qua, tới nội dung chính"]


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_language(text: str, *, english: list[str], vietnamese: list[str], url: str) -> None:
    missing = [label for label in english if label not in text]
    left = [label for label in vietnamese if label in text]
    assert (missing, left) == ([], []), url


@pytest.fixture
def article(make_article: object) -> Article:
    return make_article(title="Hội nghị tập huấn")  # type: ignore[operator]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "english", "vietnamese"),
    [
        ("/", ["Latest news", "Progress of the SCP Plan", "See full progress"], ["Tin mới"]),
        ("/tin-tuc/", [], []),
        ("ARTICLE", ["Print page"], ["In trang"]),
        (
            "/tim-kiem/?q=hoi nghi",
            ["Found 1 results", "Articles"],
            ["Tìm thấy", "Tin bài", "Từ khóa"],
        ),
        (
            "/tien-do/",
            ["Progress of the Action Plan for Sustainable Production and Consumption", "Status"],
            ["Tiến độ Kế hoạch hành động", "Tải bảng", "Tình trạng"],
        ),
        (
            "/tien-do/CT01/",
            ["By year", "Calculation method", "By district, town and city"],
            ["Theo năm", "Phương pháp tính", "Theo huyện, thị xã, thành phố"],
        ),
    ],
)
def test_portal_pages_in_english(
    english_client: Client,
    public: Territory,
    article: Article,
    url: str,
    english: list[str],
    vietnamese: list[str],
) -> None:
    url = article.get_absolute_url() if url == "ARTICLE" else url
    text = page_text(english_client, url)
    assert '<html lang="en">' in text
    assert_language(
        text, english=PORTAL_MENU_EN + english, vietnamese=PORTAL_MENU_VI + vietnamese, url=url
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "english", "vietnamese"),
    [
        (
            PLAN_URL + "?nam=2025",
            ["Summary by status", "How progress is assessed", "Not achieved"],
            ["Tổng hợp theo mức độ", "Cách đánh giá", "Không đạt"],
        ),
        (
            PLAN_URL + "chi-tieu/CT01/?nam=2025",
            ["Trend over the years", "Calculation method", "Breakdown by district"],
            ["Diễn biến qua các năm", "Phương pháp tính", "Chi tiết theo huyện"],
        ),
        (
            "/don-vi/",
            ["Unit list", "Unit tree on", "Unit type", "Search by name"],
            ["Danh mục đơn vị", "Cây đơn vị", "Loại đơn vị", "Tìm theo tên"],
        ),
        (
            "/bao-cao/",
            ["Reports for", "Choose the reporting year", "Reports awaiting approval"],
            ["Báo cáo năm", "Chọn năm báo cáo", "Báo cáo chờ duyệt"],
        ),
    ],
)
def test_internal_pages_in_english(
    english_user_client: Client,
    territory: Territory,
    url: str,
    english: list[str],
    vietnamese: list[str],
) -> None:
    text = page_text(english_user_client, url)
    assert_language(
        text,
        english=INTERNAL_MENU_EN + english,
        vietnamese=INTERNAL_MENU_VI + vietnamese,
        url=url,
    )


@pytest.mark.django_db
def test_login_page_in_english(english_client: Client) -> None:
    text = page_text(english_client, "/accounts/login/")
    assert_language(
        text,
        english=["Sign in", "Username", "Password", "SCP Plan Monitoring System"],
        vietnamese=["Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Hệ thống theo dõi"],
        url="/accounts/login/",
    )


@pytest.mark.django_db
def test_form_errors_and_messages_follow_the_language(english_client: Client) -> None:
    response = english_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert "Vui lòng" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["en", "en-US,en;q=0.9", "fr"])
def test_vietnamese_by_default_whatever_the_browser_asks(
    client: Client, public: Territory, user: object, accept_language: str
) -> None:
    for url in ["/", "/tien-do/", "/accounts/login/"]:
        text = client.get(url, HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
        assert '<html lang="vi">' in text, url
        assert "Đăng nhập" in text and "Sign in" not in text, url
    client.force_login(user)  # type: ignore[arg-type]
    text = client.get(PLAN_URL, HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert "Đăng xuất" in text and "Sign out" not in text


@pytest.mark.django_db
def test_switch_sets_the_cookie_and_returns_to_the_page(client: Client, public: Territory) -> None:
    home = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in home and 'name="next" value="/"' in home
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tien-do/"})
    assert response.status_code == 302 and response["Location"] == "/tien-do/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Plan progress" in client.get("/tien-do/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tiến độ kế hoạch" in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_vietnamese(client: Client, db: None) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_english_request_leaves_vietnamese_active_afterwards(client: Client, db: None) -> None:
    """Commands and code outside requests keep Vietnamese after an English page."""
    from django.utils.translation import get_language

    choose_english(client).get("/accounts/login/")
    assert get_language() == "vi"
