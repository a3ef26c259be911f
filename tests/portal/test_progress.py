"""Public progress pages and home: approved data only, every indicator, district breakdown."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from benvung.core.formatting import date_line
from tests.portal.conftest import approve
from tests.web.conftest import Territory

pytestmark = pytest.mark.django_db


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/tin-tuc/",
        "/tim-kiem/?q=ke+hoach",
        "/tien-do/",
        "/tien-do/?nam=2023",
        "/tien-do/?nam=abc",
        "/tien-do/CT01/",
        "/tien-do/CT02/?nam=2025",
        "/tien-do/CT04/?nam=2023",
        "/tien-do/CT05/",
        "/tien-do/CT07.THEP.NL/",
        "/tien-do/CT09/",
        "/du-lieu-mo/",
    ],
)
def test_public_pages_need_no_login(client: Client, public: Territory, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "SỞ CÔNG THƯƠNG HẢI DƯƠNG" in response.content.decode()


def test_unknown_indicator_is_404(client: Client, public: Territory) -> None:
    assert client.get("/tien-do/CT99/").status_code == 404


def test_home_layout(client: Client, public: Territory) -> None:
    assert reverse("home") == "/" == reverse("portal:home")
    response = client.get("/")
    text = text_of(response)
    assert "HỘI NHẬP VÀ PHÁT TRIỂN" in text
    from django.utils import timezone

    assert date_line(timezone.localdate()) in text
    for menu in ("Trang chủ", "Tin tức", "Tiến độ kế hoạch", "Dữ liệu mở", "Tìm kiếm"):
        assert menu in text
    html = response.content.decode()
    assert 'href="/accounts/login/"' in html
    for partner in ("Bộ Công Thương", "UBND tỉnh Hải Dương", "Báo Hải Dương"):
        assert partner in text
    assert "Tin hoạt động ngành" in text  # the news menu lists the categories
    # Every asset comes from this server.
    assert not re.search(r'(src|href)="https?://[^"]+\.(js|css|woff2?)"', html)


def test_progress_uses_approved_values_only(client: Client, public: Territory) -> None:
    response = client.get("/tien-do/?nam=2023")
    text = text_of(response)
    # K1's approved 2022 report counts; K2's unapproved 2023 report does not.
    assert "20,00 %" in text
    assert "40,00 %" not in text
    assert "Số liệu đã được Sở Công Thương duyệt" in text
    approve("NT_HOAT_DONG", public.zones["K2"], 2023)
    assert "40,00 %" in text_of(client.get("/tien-do/?nam=2023"))


def test_progress_lists_every_indicator_with_chart_and_badge(
    client: Client, public: Territory
) -> None:
    html = client.get("/tien-do/?nam=2023").content.decode()
    codes = set(re.findall(r'href="/tien-do/([\w.]+)/\?nam=2023"', html))
    assert len(codes) == public.plan.indicators.count() == 22
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 20
    assert html.count('class="p-card"') == 22
    assert 'data-status="cham_tien_do"' in html or 'data-status="thut_lui"' in html


def test_progress_page_query_count_does_not_grow_with_units(
    client: Client, public: Territory, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        client.get("/tien-do/?nam=2025")


def test_indicator_page_with_district_shares(client: Client, public: Territory) -> None:
    response = client.get("/tien-do/CT01/?nam=2023")
    text = text_of(response)
    assert "Phương pháp tính" in text
    assert "Nguồn: Số liệu đã được Sở Công Thương duyệt" in text
    assert "Thành phố Hải Dương 1 / 2 50,00 %" in text
    assert "Thành phố Chí Linh 0 / 3 0,00 %" in text
    assert "Từng đơn vị (5)" in text
    html = response.content.decode()
    assert "chart-wrap--wide" in html and "chart-wrap--narrow" in html


def test_intensity_indicator_shows_no_enterprise(client: Client, public: Territory) -> None:
    text = text_of(client.get("/tien-do/CT07.THEP.NL/"))
    assert "bảo mật" in text


def test_long_unit_lists_are_paginated(client: Client, public: Territory) -> None:
    from tests.factories import unit_under

    for n in range(60):
        unit_under(public.district_b, code=f"Z{n:02d}", name=f"CCN Số {n:02d}", type="CCN")
    first = text_of(client.get("/tien-do/CT01/?nam=2023"))
    assert "Từng đơn vị (65)" in first and "Trang 1/2" in first
    second = client.get("/tien-do/CT01/?nam=2023&trang=2")
    assert "Trang 2/2" in text_of(second)
