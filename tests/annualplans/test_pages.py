"""The annual cycle's pages through the web client: they render with Vietnamese amounts, the
workflow buttons follow the roles, a stale form is refused with a clear message, progress is
reported through the form, and the .xlsx budget table holds the page's numbers."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from benvung.annualplans.models import ActivityReport, PlanStatus
from benvung.annualplans.selectors import budget_summary
from tests.annualplans.conftest import World, make_activity, make_plan, make_report

pytestmark = pytest.mark.django_db


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def year_2025(world: World) -> World:
    impl = make_plan(world, 2025, status=PlanStatus.APPROVED, title="Kế hoạch triển khai năm 2025")
    a1 = make_activity(
        impl,
        "25-01",
        task=world.task("N5.2"),
        responsible=world.sct,
        budget={"NST": 150_000_000, "XHH": 1_234_567},
        end=dt.date(2025, 6, 30),
    )
    a2 = make_activity(
        impl,
        "25-02",
        task=world.task("N4.3"),
        responsible=world.stnmt,
        budget={"NSTW": 300_000_000},
    )
    make_report(a1, dt.date(2025, 6, 30), "dang_thuc_hien", 70, {"NST": 100_000_000})
    make_report(a2, dt.date(2025, 12, 15), "hoan_thanh", 100, {"NSTW": 299_500_000})
    return world


def test_plan_page_shows_activities_budget_by_source_totals_and_overdue(year_2025: World) -> None:
    world = year_2025
    response = world.client(world.leader).get("/ke-hoach-trien-khai/2025/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Đã phê duyệt" in page
    assert "150.000.000" in page and "1.234.567" in page and "300.000.000" in page
    assert "451.234.567" in page  # the grand total, Vietnamese grouping
    assert "Quá hạn" in page  # 25-01 ended 30/06 at 70 %
    assert "30/06/2025" in page
    # Approved: no edit nor approval buttons for anyone.
    assert "Thêm hoạt động" not in page and "Phê duyệt</button>" not in response.content.decode()
    assert "Tải bảng dự toán (.xlsx)" in page


def test_years_tasks_summary_and_activity_pages_render(year_2025: World) -> None:
    world = year_2025
    client = world.client(world.reporter)
    years = text_of(client.get("/ke-hoach-trien-khai/"))
    assert "2025" in years and "451.234.567" in years and "399.500.000" in years
    summary = client.get("/ke-hoach-trien-khai/2025/tong-hop/")
    assert summary.status_code == 200
    text = text_of(summary)
    assert "Sở Tài nguyên và Môi trường" in text and "Theo nhóm nhiệm vụ" in text
    assert "88,5%" in text  # 399.500.000 / 451.234.567
    activity = client.get("/ke-hoach-trien-khai/2025/hoat-dong/25-02/")
    assert activity.status_code == 200
    assert "Báo cáo tiến độ mới" in text_of(activity)  # the reporter of the responsible agency
    other = client.get("/ke-hoach-trien-khai/2025/hoat-dong/25-01/")
    assert "Báo cáo tiến độ mới" not in text_of(other)
    assert client.get("/ke-hoach-trien-khai/2019/").status_code == 404
    assert client.get("/nhiem-vu/").status_code == 200


def test_pages_need_sign_in(year_2025: World) -> None:
    from django.test import Client

    response = Client().get("/ke-hoach-trien-khai/2025/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_xlsx_holds_the_page_numbers_as_numbers(year_2025: World) -> None:
    world = year_2025
    client = world.client(world.coordinator)
    response = client.get("/ke-hoach-trien-khai/2025/du-toan.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    header = rows[header_index]
    assert header[7:12] == (
        "Ngân sách trung ương",
        "Ngân sách tỉnh",
        "Ngân sách huyện",
        "Xã hội hóa",
        "Lồng ghép chương trình khác",
    )
    body = rows[header_index + 1 :]
    by_code = {r[1]: r for r in body if r[1]}
    assert by_code["25-01"][7:13] == (0, 150_000_000, 0, 1_234_567, 0, 151_234_567)
    total = body[-1]
    assert total[2] == "Tổng cộng"
    # The page's totals, from the same summary the page shows.
    page = client.get("/ke-hoach-trien-khai/2025/")
    summary = page.context["summary"]
    assert total[7:12] == tuple(
        int(summary.planned_by_source[s]) for s in summary.planned_by_source
    )
    assert total[12] == int(summary.planned_total) == 451_234_567
    assert total[13] == int(summary.spent_total) == 399_500_000
    assert "451.234.567" in text_of(page)
    total_cell = sheet.cell(row=header_index + 1 + len(body), column=13)
    assert isinstance(total_cell.value, int) and total_cell.number_format == "#,##0"


def test_workflow_buttons_follow_roles_and_a_stale_form_is_refused(world: World) -> None:
    impl = make_plan(world, 2026)
    make_activity(impl, "26-01", task=world.task("N5.2"), responsible=world.sct, budget={"NST": 5})
    boss = world.client(world.coordinator)
    page = boss.get("/ke-hoach-trien-khai/2026/").content.decode()
    assert "Trình lãnh đạo phê duyệt" in page and "Thêm hoạt động" in page
    leader_page = world.client(world.leader).get("/ke-hoach-trien-khai/2026/").content.decode()
    assert "Trình lãnh đạo phê duyệt" not in leader_page

    # Two co-ordinators open the edit form at version 1.
    form_url = "/ke-hoach-trien-khai/2026/hoat-dong/26-01/sua/"
    initial = boss.get(form_url).context["form"].initial
    fields = {
        "version": initial["version"],
        "code": "26-01",
        "title": "Hội nghị tuyên truyền",
        "task": world.task("N5.2").pk,
        "responsible": world.sct.pk,
        "start_date": "2026-02-01",
        "end_date": "2026-08-31",
        "order": "1",
        "budget_NST": "120.000.000",
    }
    first = boss.post(form_url, fields)
    assert first.status_code == 302
    fields["budget_NST"] = "90000000"
    second = boss.post(form_url, fields)
    assert second.status_code == 400
    assert "vừa được người khác thay đổi" in text_of(second)
    line = impl.activities.get().budget_lines.get(source="NST")
    assert line.amount == Decimal(120_000_000)

    # Submit with the current version, then the leader approves.
    impl.refresh_from_db()
    boss.post("/ke-hoach-trien-khai/2026/trinh/", {"version": impl.version})
    impl.refresh_from_db()
    assert impl.status == PlanStatus.SUBMITTED
    leader = world.client(world.leader)
    assert "Phê duyệt</button>" in leader.get("/ke-hoach-trien-khai/2026/").content.decode()
    response = leader.post(
        "/ke-hoach-trien-khai/2026/phe-duyet/", {"version": impl.version}, follow=True
    )
    assert "Đã phê duyệt kế hoạch." in text_of(response)
    impl.refresh_from_db()
    assert impl.status == PlanStatus.APPROVED
    assert "Phê duyệt" in text_of(response) and "Trình phê duyệt" in text_of(response)


def test_reporter_sends_progress_through_the_form(year_2025: World) -> None:
    world = year_2025
    client = world.client(world.reporter)
    url = "/ke-hoach-trien-khai/2025/hoat-dong/25-02/"
    response = client.post(
        url,
        {
            "as_of": "2025-12-20",
            "status": "hoan_thanh",
            "percent_done": "100",
            "outputs_achieved": "Tuần lễ sản phẩm nhãn sinh thái",
            "spent_NSTW": "300.000.000",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã ghi báo cáo tiến độ." in text_of(response)
    report = ActivityReport.objects.filter(activity__code="25-02").latest("as_of")
    assert report.reported_by == world.reporter
    impl = report.activity.implementation_plan
    assert budget_summary(impl, dt.date(2025, 12, 31)).spent_total == 400_000_000
    refused = world.client(world.other_reporter).post(
        url, {"as_of": "2025-12-21", "status": "hoan_thanh", "percent_done": "100"}
    )
    assert refused.status_code == 403
    assert ActivityReport.objects.filter(activity__code="25-02").count() == 2


def test_carry_forward_button_creates_next_years_draft(year_2025: World) -> None:
    world = year_2025
    response = world.client(world.coordinator).post(
        "/ke-hoach-trien-khai/2025/chuyen-tiep/", follow=True
    )
    page = text_of(response)
    assert "Đã chuyển 1 hoạt động chưa hoàn thành sang kế hoạch năm 2026" in page
    assert response.context["impl"].year == 2026
    assert response.context["impl"].status == PlanStatus.DRAFT
    assert [r.activity.code for r in response.context["summary"].rows] == ["25-01"]


def test_pages_have_no_inline_script_style_or_handler(year_2025: World) -> None:
    """The strict CSP forbids inline code and styles: none on these pages."""
    world = year_2025
    client = world.client(world.coordinator)
    make_plan(world, 2026)
    for path in [
        "/nhiem-vu/",
        "/ke-hoach-trien-khai/",
        "/ke-hoach-trien-khai/2025/",
        "/ke-hoach-trien-khai/2025/tong-hop/",
        "/ke-hoach-trien-khai/2025/hoat-dong/25-01/",
        "/ke-hoach-trien-khai/2026/hoat-dong/them/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
        assert "<style" not in html, path
