"""The internal pages, through Django's test client, over the territory of `conftest.py`."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from benvung.core.models import SiteState
from benvung.datavalues.models import DataValue
from benvung.indicators import structure
from benvung.orgunits.models import OrgUnit
from benvung.orgunits.selectors import fold, orgunit_search, orgunit_tree_as_of
from tests.factories import DataValueFactory, unit_under
from tests.web.conftest import Territory, report

pytestmark = pytest.mark.django_db

PLAN_URL = "/ke-hoach/KH-2627/"
CT01_URL = "/ke-hoach/KH-2627/chi-tieu/CT01/"

PAGES = [
    PLAN_URL,
    CT01_URL,
    "/ke-hoach/KH-2627/chi-tieu/CT02/",
    "/ke-hoach/KH-2627/chi-tieu/CT04/",
    "/ke-hoach/KH-2627/chi-tieu/CT05/",
    "/ke-hoach/KH-2627/chi-tieu/CT07.THEP.NL/",
    "/ke-hoach/KH-2627/chi-tieu/CT09/",
    "/don-vi/",
    "/don-vi/288/",
    "/nhap-du-lieu/",
    "/mo-hinh/",
    "/mo-hinh/MH01/",
]


def text_of(response: object) -> str:
    """The page as text with tags removed and spaces collapsed, for phrase checks."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_of(response: object, code: str) -> str:
    """The text of the table row of the plan page that holds an indicator's code."""
    html = response.content.decode()  # type: ignore[attr-defined]
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        if f">{code}</a>" in row:
            return " ".join(re.sub(r"<[^>]+>", " ", row).split())
    raise AssertionError(f"no row for {code}")


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client: Client, territory: Territory, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_for_logged_in_user(
    user_client: Client, territory: Territory, url: str
) -> None:
    response = user_client.get(url)
    assert response.status_code == 200
    assert "SỞ CÔNG THƯƠNG" in response.content.decode()


def test_plan_default_redirects_to_kh2627(user_client: Client, territory: Territory) -> None:
    assert user_client.get("/ke-hoach/")["Location"] == PLAN_URL
    assert user_client.get("/ke-hoach/?nam=2023")["Location"] == PLAN_URL + "?nam=2023"
    assert reverse("plans:plan", kwargs={"plan_code": "KH-2627"}) == PLAN_URL


def test_unknown_plan_indicator_and_unit_are_404(user_client: Client, territory: Territory) -> None:
    assert user_client.get("/ke-hoach/KH-0000/").status_code == 404
    assert user_client.get("/ke-hoach/KH-2627/chi-tieu/CT99/").status_code == 404
    assert user_client.get("/don-vi/KHONG-CO/").status_code == 404


def test_login_page_shows_demo_account_only_with_demo_data(client: Client, db: None) -> None:
    assert "Tài khoản minh họa" not in client.get("/accounts/login/").content.decode()
    SiteState.objects.update_or_create(pk=1, defaults={"has_demo_data": True})
    page = client.get("/accounts/login/").content.decode()
    assert "Tài khoản minh họa: demo / demo" in page
    assert "Dữ liệu minh họa — không phải số liệu chính thức" in page


def test_login_form_signs_in_and_logout_is_a_post(client: Client, user: User) -> None:
    response = client.post("/accounts/login/", {"username": "canbo", "password": "mat-khau-thu-1"})
    assert response.status_code == 302
    assert response["Location"] == "/ke-hoach/"
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/don-vi/").status_code == 302


def test_demo_banner_on_every_page(user_client: Client, territory: Territory) -> None:
    SiteState.objects.update_or_create(pk=1, defaults={"has_demo_data": True})
    for url in PAGES:
        assert "không phải số liệu chính thức" in user_client.get(url).content.decode(), url


def test_admin_link_only_for_staff(user_client: Client, territory: Territory, staff: User) -> None:
    assert 'href="/admin/"' not in user_client.get(PLAN_URL).content.decode()
    user_client.force_login(staff)
    assert 'href="/admin/"' in user_client.get(PLAN_URL).content.decode()


# --- Plan page --------------------------------------------------------------------------------


def test_plan_page_shows_ct01_share_target_and_status(
    user_client: Client, territory: Territory
) -> None:
    response = user_client.get(PLAN_URL, {"nam": 2025})
    row = row_of(response, "CT01")
    # 2 of the 4 zones active in 2025 have held an activity since 2021.
    assert "50,00 %" in row
    assert "≥ 70 % (2025)" in row
    assert "70,00 %" in row  # expected value in the milestone year
    assert "Không đạt" in row
    assert 'class="badge badge--khong_dat"' in response.content.decode()
    text = text_of(response)
    assert "2627/QĐ-UBND" in text
    assert "UBND tỉnh Hải Dương" in text
    assert "2021–2030" in text


def test_plan_page_ranges_and_counts(user_client: Client, territory: Territory) -> None:
    response = user_client.get(PLAN_URL, {"nam": 2025})
    row = row_of(response, "CT02")
    assert "1 mô hình" in row
    assert "5–10 mô hình (2025)" in row
    assert "7–10 % (2030)" in row_of(response, "CT07.THEP.NVL")


def test_plan_page_status_in_earlier_year(user_client: Client, territory: Territory) -> None:
    response = user_client.get(PLAN_URL, {"nam": 2023})
    row = row_of(response, "CT01")
    # 2 of 5 (K5 still open): 40 against an expected 42, r = 0.952.
    assert "40,00 %" in row
    assert "42,00 %" in row
    assert "Đúng tiến độ" in row


def test_plan_page_summary_counts_every_indicator(
    user_client: Client, territory: Territory
) -> None:
    response = user_client.get(PLAN_URL, {"nam": 2025})
    summary = response.context["summary"]
    assert sum(row.count for row in summary) == response.context["indicator_count"] == 22
    counts = {row.status: row.count for row in summary}
    assert counts["khong_dat"] >= 1


def test_plan_page_restricted_to_a_district(user_client: Client, territory: Territory) -> None:
    in_a = user_client.get(PLAN_URL, {"nam": 2025, "don-vi": "288"})
    in_b = user_client.get(PLAN_URL, {"nam": 2025, "don-vi": "290"})
    assert "100,00 %" in row_of(in_a, "CT01")
    assert "0,00 %" in row_of(in_b, "CT01")
    assert "Thành phố Chí Linh" in text_of(in_b)
    # The indicator links keep the filter.
    assert "chi-tieu/CT01/?nam=2025&amp;don-vi=290" in in_b.content.decode()


def test_plan_page_district_select_lists_districts(
    user_client: Client, territory: Territory
) -> None:
    page = user_client.get(PLAN_URL).content.decode()
    assert '<option value="288">Thành phố Hải Dương</option>' in page
    assert '<option value="290">Thành phố Chí Linh</option>' in page


@pytest.mark.parametrize(
    ("query", "year"),
    [({}, 2023), ({"nam": "1999"}, 2020), ({"nam": "2042"}, 2030), ({"nam": "abc"}, 2023)],
)
def test_plan_page_year_defaults_and_clamps(
    user_client: Client, territory: Territory, query: dict[str, str], year: int
) -> None:
    # 2023 is the last year with data; other years are clamped to 2020–2030.
    response = user_client.get(PLAN_URL, query)
    assert response.context["year"] == year
    assert f'<option value="{year}" selected>{year}</option>' in response.content.decode()


def test_plan_page_unknown_unit_falls_back_to_territory(
    user_client: Client, territory: Territory
) -> None:
    response = user_client.get(PLAN_URL, {"nam": 2025, "don-vi": "NOPE"})
    assert response.status_code == 200
    assert "50,00 %" in row_of(response, "CT01")


def test_plan_page_query_count_is_bounded(
    user_client: Client, territory: Territory, django_assert_max_num_queries: object
) -> None:
    # 30 before the hierarchy's token and the kept CT07 pairs were read (one query each).
    with django_assert_max_num_queries(32):  # type: ignore[operator]
        user_client.get(PLAN_URL, {"nam": 2025})


# --- Indicator page ---------------------------------------------------------------------------


def test_indicator_page_chart_components_and_drilldown(
    user_client: Client, territory: Territory
) -> None:
    response = user_client.get(CT01_URL, {"nam": 2025})
    page = response.content.decode()
    text = text_of(response)
    assert page.count("<svg") == 2  # one drawing for wide screens, one for phones
    assert 'class="chart-series chart-series--value' in page
    assert 'class="chart-series chart-series--expected' in page
    assert "≥ 70 % (2025)" in page and "≥ 100 % (2030)" in page  # milestone markers
    assert "Phương pháp tính" in text
    # Components: 2 of 4, with the units on each side.
    assert "2 đơn vị đạt / 4 đơn vị đang hoạt động = 50,00 %" in text
    assert "KCN Một K1" in text and "KCN Bốn K4" in text
    assert "KCN Đã Đóng" not in text  # closed before 2025
    # Drill-down by district: 288 has both zones, 290 one not met and one not reported.
    districts = response.context["components"]["districts"]
    rows = {d.code: (d.met, d.not_met, d.no_report, d.share) for d in districts}
    assert rows == {"288": (2, 0, 0, 100), "290": (0, 1, 1, 0)}
    standings = {u.code: u.label for d in districts for u in d.units}
    assert standings == {"K1": "Đạt", "K2": "Đạt", "K3": "Chưa đạt", "K4": "Chưa báo cáo"}
    assert "Chưa báo cáo" in text


def test_indicator_page_with_many_units_links_each_district_to_its_units(
    user_client: Client, territory: Territory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benvung.indicators import drilldown

    monkeypatch.setattr(drilldown, "UNITS_LISTED_UPTO", 3)
    response = user_client.get(CT01_URL, {"nam": 2025})
    text = text_of(response)
    assert "4 đơn vị trong phạm vi: chọn một huyện" in text
    assert "Từng đơn vị" not in text and "KCN Bốn" not in text
    page = response.content.decode()
    assert 'href="?nam=2025&amp;don-vi=290#theo-huyen"' in page
    # The district's own page lists its two zones.
    district = text_of(user_client.get(CT01_URL, {"nam": 2025, "don-vi": "290"}))
    assert "Từng đơn vị" in district and "KCN Bốn K4" in district


def test_indicator_page_value_table_and_projection(
    user_client: Client, territory: Territory
) -> None:
    response = user_client.get(CT01_URL, {"nam": 2023})
    series = {e.year: e.value for e in response.context["series"]}
    assert list(series) == [2023, 2022, 2021, 2020]
    assert series[2023] == 40
    projection = response.context["projection"]
    assert projection.milestone.year == 2025
    assert projection.value is not None
    assert "chart-series--projection" in response.content.decode()
    assert "Dự báo năm 2025" in text_of(response)


def test_indicator_page_in_a_district(user_client: Client, territory: Territory) -> None:
    response = user_client.get(CT01_URL, {"nam": 2025, "don-vi": "290"})
    assert response.context["current"].value == 0
    assert [d.code for d in response.context["components"]["districts"]] == ["290"]


def test_indicator_page_lists_models_for_counts(user_client: Client, territory: Territory) -> None:
    text = text_of(user_client.get("/ke-hoach/KH-2627/chi-tieu/CT02/", {"nam": 2025}))
    assert "MH01 Mô hình tiết kiệm năng lượng" in text
    assert "KCN Một" in text


def test_indicator_page_ct07_lists_links(user_client: Client, territory: Territory) -> None:
    response = user_client.get("/ke-hoach/KH-2627/chi-tieu/CT07.THEP.NL/", {"nam": 2022})
    links = response.context["components"]["intensity"].links
    assert [link.year for link in links] == [2021, 2022]
    assert "Số doanh nghiệp" in text_of(response)


def test_indicator_page_qualitative_shows_assessments(
    user_client: Client, territory: Territory
) -> None:
    indicator = territory.plan.indicators.get(code="CT05")
    indicator.assessments.create(year=2023, status="dung_tien_do", evidence="Đã đưa vào giáo trình")
    response = user_client.get("/ke-hoach/KH-2627/chi-tieu/CT05/", {"nam": 2023})
    text = text_of(response)
    assert "Đã đưa vào giáo trình" in text
    assert "Đúng tiến độ" in text
    assert "<svg" not in response.content.decode()


def test_indicator_page_query_count_does_not_grow_with_units(
    user_client: Client,
    territory: Territory,
    django_assert_max_num_queries: object,
    django_assert_num_queries: object,
) -> None:
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        response = user_client.get(CT01_URL, {"nam": 2025})
    baseline = len(response.context["components"]["districts"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Both pages read the hierarchy afresh (adding units changes it).
    structure.forget()
    with CaptureQueriesContext(connection) as before:
        user_client.get(CT01_URL, {"nam": 2025})
    for n in range(30):
        zone = unit_under(territory.district_b, code=f"KX{n:02d}", name=f"KCN thêm {n}", type="KCN")
        report("NT_HOAT_DONG", zone, 2024, n % 2)
    with CaptureQueriesContext(connection) as after:
        response = user_client.get(CT01_URL, {"nam": 2025})
    assert len(after) == len(before)
    assert len(response.context["components"]["districts"]) == baseline


# --- Unit tree and unit page ------------------------------------------------------------------


def test_fold_removes_vietnamese_diacritics() -> None:
    assert fold("Tỉnh Hải Dương") == "tinh hai duong"
    assert fold("ĐÌNH  Đông") == "dinh dong"
    assert fold("Phường Việt Hoà") == fold("Phường Việt Hòa") == "phuong viet hoa"


def test_tree_as_of_a_day_leaves_out_closed_units(
    user_client: Client, territory: Territory
) -> None:
    before = user_client.get("/don-vi/", {"ngay": "2024-01-01"})
    after = user_client.get("/don-vi/", {"ngay": "2026-01-01"})
    assert "KCN Đã Đóng" in before.content.decode()
    assert "KCN Đã Đóng" not in after.content.decode()
    assert before.context["tree"].total == after.context["tree"].total + 1
    assert "Cây đơn vị ngày 01/01/2024" in text_of(before)


def test_tree_nests_units_under_their_parents_that_day(territory: Territory) -> None:
    import datetime as dt

    tree = orgunit_tree_as_of(dt.date(2024, 1, 1))
    assert [r.unit.code for r in tree.roots] == ["30"]
    province = tree.roots[0]
    assert [c.unit.code for c in province.children] == ["288", "290"]
    assert province.descendant_count == tree.total - 1
    district_b = province.children[1]
    assert [c.unit.code for c in district_b.children] == ["K3", "K4", "K5"]


def test_tree_follows_dated_parent_links(territory: Territory) -> None:
    import datetime as dt

    from benvung.orgunits.models import ParentLink

    mover = unit_under(territory.district_a, code="LN", name="Làng nghề Chuyển", type="LANG_NGHE")
    ParentLink.objects.filter(unit=mover).update(valid_to=dt.date(2025, 6, 30))
    ParentLink.objects.create(
        unit=mover, parent=territory.district_b, valid_from=dt.date(2025, 7, 1)
    )

    def parent_in(day: dt.date) -> str:
        tree = orgunit_tree_as_of(day)
        return next(
            node.unit.code
            for node in tree.roots[0].walk()
            if any(child.unit.code == "LN" for child in node.children)
        )

    assert parent_in(dt.date(2025, 1, 1)) == "288"
    assert parent_in(dt.date(2025, 8, 1)) == "290"


def test_tree_search_without_accents(user_client: Client, territory: Territory) -> None:
    response = user_client.get("/don-vi/", {"ngay": "2024-01-01", "q": "hai duong"})
    names = [u.name for u in response.context["results"]]
    assert names == ["Tỉnh Hải Dương", "Thành phố Hải Dương"]
    tree = response.context["tree"]
    assert tree.matched == 2
    assert "Kết quả tìm “hai duong” (2)" in text_of(response)
    assert "KCN Bốn" not in response.content.decode()  # pruned: no match below 290
    province = tree.roots[0]
    assert province.child_count == 2 and province.hidden_children == 1  # 290 hidden


def test_search_selector_matches_code_prefix_and_type(territory: Territory) -> None:
    # Sorted by type, then by name without accents ("KCN Ba" < "KCN Bốn" < "KCN Đã Đóng" …).
    assert [u.code for u in orgunit_search("k")] == ["K3", "K4", "K5", "K2", "K1"]
    assert [u.code for u in orgunit_search("K5")] == ["K5"]
    assert [u.code for u in orgunit_search("kcn bon")] == ["K4"]
    assert [u.code for u in orgunit_search("mot")] == ["X1", "K1", "S1"]
    assert orgunit_search("ot") == []  # only from the start of a word
    assert [u.code for u in orgunit_search("hai", types=["HUYEN"])] == ["288"]
    assert orgunit_search("   ") == []


def test_tree_filter_by_type(user_client: Client, territory: Territory) -> None:
    response = user_client.get("/don-vi/", {"ngay": "2024-01-01", "loai": "SIEU_THI"})
    tree = response.context["tree"]
    assert tree.matched == 1
    codes = [node.unit.code for node in tree.roots[0].walk()]
    assert codes == ["30", "288", "X1", "S1"]


def test_tree_bad_date_falls_back_to_today(user_client: Client, territory: Territory) -> None:
    response = user_client.get("/don-vi/", {"ngay": "31/02/2024x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_unit_page_shows_links_values_and_models(user_client: Client, territory: Territory) -> None:
    response = user_client.get("/don-vi/K1/")
    text = text_of(response)
    assert "KCN Một" in text
    assert "Khu công nghiệp" in text
    assert "Thành phố Hải Dương 288 01/01/2020" in text  # parent link history
    assert "NT_HOAT_DONG" in text and "2022" in text
    assert "MH01" in text
    district = text_of(user_client.get("/don-vi/290/"))
    assert "KCN Đã Đóng K5" in district and "31/12/2024" in district


# --- Import page ------------------------------------------------------------------------------


def upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_import_refuses_a_bad_file_and_lists_the_line(
    user_client: Client, territory: Territory
) -> None:
    stored = DataValue.objects.count()
    csv = (
        "data_element,org_unit,period,value,unit,comment\n"
        "NT_HOAT_DONG,K4,2024,1,,\n"
        "NT_HOAT_DONG,KHONG-CO,2024,1,,\n"
    )
    response = user_client.post(
        "/nhap-du-lieu/", {"kind": "data", "file": upload("so-lieu.csv", csv)}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.ok
    lines = [str(p) for p in result.problems]
    assert lines and all(line.startswith("so-lieu.csv:3: org_unit: ") for line in lines)
    page = response.content.decode()
    assert f"<code>{escape(lines[0])}</code>" in page
    assert "không có dữ liệu nào được lưu" in page
    assert DataValue.objects.count() == stored


def test_import_dry_run_stores_nothing_then_import_stores(
    user_client: Client, territory: Territory
) -> None:
    stored = DataValue.objects.count()
    csv = "data_element,org_unit,period,value,unit,comment\nNT_HOAT_DONG,K4,2024,3,,\n"
    dry = user_client.post(
        "/nhap-du-lieu/", {"kind": "data", "file": upload("a.csv", csv), "dry_run": "on"}
    )
    assert dry.context["result"].ok and dry.context["result"].dry_run
    assert "chưa lưu gì" in text_of(dry)
    assert DataValue.objects.count() == stored
    done = user_client.post("/nhap-du-lieu/", {"kind": "data", "file": upload("a.csv", csv)})
    assert done.context["result"].created == 1
    assert "Đã nhập xong" in text_of(done)
    assert DataValue.objects.count() == stored + 1


def test_import_of_units_is_for_staff_only(
    user_client: Client, staff_client: Client, territory: Territory
) -> None:
    csv = "code,name,type,parent,valid_from,valid_to,sector\nK9,KCN Chín,KCN,290,2024-01-01,,\n"
    refused = user_client.post(
        "/nhap-du-lieu/", {"kind": "orgunits", "file": upload("dv.csv", csv)}
    )
    assert "kind" in refused.context["form"].errors
    assert 'value="orgunits"' not in user_client.get("/nhap-du-lieu/").content.decode()
    assert not OrgUnit.objects.filter(code="K9").exists()
    accepted = staff_client.post(
        "/nhap-du-lieu/", {"kind": "orgunits", "file": upload("dv.csv", csv)}
    )
    assert accepted.context["result"].ok
    assert OrgUnit.objects.filter(code="K9").exists()


def test_import_refuses_other_file_types(user_client: Client, territory: Territory) -> None:
    response = user_client.post(
        "/nhap-du-lieu/", {"kind": "models", "file": upload("mo-hinh.txt", "x")}
    )
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in response.content.decode()


# --- Admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "orgunits/orgunit",
        "orgunits/parentlink",
        "plans/plan",
        "plans/indicator",
        "plans/milestone",
        "plans/qualitativeassessment",
        "datavalues/dataelement",
        "datavalues/datavalue",
        "scpmodels/scpmodel",
    ],
)
def test_admin_changelists_render(
    client: Client, territory: Territory, admin_user: User, model: str
) -> None:
    client.force_login(admin_user)
    assert client.get(f"/admin/{model}/").status_code == 200


def test_admin_change_forms_with_inlines_and_history(
    client: Client, territory: Territory, admin_user: User
) -> None:
    client.force_login(admin_user)
    unit = territory.zones["K1"]
    assert client.get(f"/admin/orgunits/orgunit/{unit.pk}/change/").status_code == 200
    indicator = territory.plan.indicators.get(code="CT01")
    assert client.get(f"/admin/plans/indicator/{indicator.pk}/change/").status_code == 200
    assert client.get(f"/admin/plans/plan/{territory.plan.pk}/change/").status_code == 200
    value = DataValue.objects.first()
    assert value is not None
    assert client.get(f"/admin/datavalues/datavalue/{value.pk}/history/").status_code == 200


def test_the_admin_history_of_a_value_lists_its_changes_and_no_other(
    client: Client, territory: Territory, admin_user: User
) -> None:
    """The history has no index by value: a value's records are found among its unit's."""
    client.force_login(admin_user)
    # Two values of one unit: the unit's records hold the other's too.
    value = DataValue.objects.select_related("data_element").first()
    assert value is not None
    other = DataValueFactory(
        data_element=value.data_element, org_unit=value.org_unit, period=str(value.year + 1)
    )
    for stored, number in ((value, 111), (value, 222), (other, 999)):
        stored.value = number
        stored.canonical_value = number
        stored.save()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/admin/datavalues/datavalue/{value.pk}/history/")
    assert page.status_code == 200
    history = DataValue.history.model._meta.db_table
    reads = [q["sql"] for q in queries.captured_queries if f'FROM "{history}"' in q["sql"]]
    assert reads and all('"org_unit_id" = ' in sql for sql in reads)
    records = list(page.context["page_obj"].object_list)
    assert {record.id for record in records} == {value.pk}
    assert [record.value for record in records][:2] == [222, 111]
