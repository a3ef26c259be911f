"""Completeness of a reporting year: the plain computations, the selector, the command and
the page.

The world (`build_world`), reporting year 2025, deadline 20/12/2025 for every data set:

    30 Tỉnh (TINH)
    ├── 288 Huyện Một (HUYEN)        TUYEN_TRUYEN sent 20/12 23:59 local   → on time
    │   ├── X1 Xã Một (XA)           TUYEN_TRUYEN returned                  → missing
    │   │   └── S1 Siêu thị (SIEU_THI) PHAN_PHOI approved, sent 25/12       → late
    │   ├── K1 KCN Một (KCN)         NHAN_THUC approved, sent 10/12         → on time
    │   │   └── E1 Doanh nghiệp (DOANH_NGHIEP)  nothing                      → missing
    │   └── K9 KCN Đóng (KCN)        closed 31/12/2024                       → not expected
    ├── 290 Huyện Hai (HUYEN)        nothing                                 → missing
    │   ├── K2 KCN Hai (KCN)         NHAN_THUC sent 21/12 00:30 local       → late
    │   └── L2 Làng nghề (LANG_NGHE) NHAN_THUC draft                        → missing
    └── T1 TTTM (TTTM)               nothing, no district                    → missing

    expected 9, sent 4, approved 2, on time 2, missing 5.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from benvung.accounts.models import Role, RoleAssignment
from benvung.accounts.selectors import access_for
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.orgunits.models import OrgUnit
from benvung.plans.services import PLAN_DATA_DIR, plan_load
from benvung.reporting.completeness import (
    NO_DISTRICT,
    DataSetInfo,
    ExpectedReport,
    Tally,
    completeness,
    deadline_phrase,
    default_year,
    district_of,
    due_year,
    parents_at_start,
    percent,
    rate_text,
    summarise,
)
from benvung.reporting.models import DataSet, Submission, SubmissionStatus
from benvung.reporting.services import data_sets_load
from tests.factories import OrgUnitFactory, unit_under

User = get_user_model()
DEADLINE = dt.date(2025, 12, 20)
UTC = dt.UTC


# --- plain computations (no database) --------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 0, None), (0, 4, 0.0), (1, 3, 33.3), (2, 3, 66.7), (5, 5, 100.0), (1, 8, 12.5)],
)
def test_percent(part: int, whole: int, expected: float | None) -> None:
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("today", "phrase"),
    [
        (dt.date(2025, 12, 15), "còn 5 ngày"),
        (dt.date(2025, 12, 19), "còn 1 ngày"),
        (dt.date(2025, 12, 20), "hạn chót hôm nay"),
        (dt.date(2025, 12, 23), "quá hạn 3 ngày"),
        (dt.date(2026, 1, 5), "quá hạn 16 ngày"),
    ],
)
def test_deadline_phrase(today: dt.date, phrase: str) -> None:
    assert deadline_phrase(today, DEADLINE) == phrase


def test_rate_text() -> None:
    assert rate_text(None) == "—"
    assert rate_text(62.5) == "62,5 %"
    assert rate_text(100.0) == "100,0 %"


def deadlines_20_12(year: int) -> list[dt.date]:
    return [dt.date(year, 12, 20)]


@pytest.mark.parametrize(
    ("today", "horizon", "year"),
    [
        (dt.date(2025, 12, 15), 7, 2025),  # due in 5 days
        (dt.date(2025, 12, 1), 7, 2024),  # 2025 not yet due: last year's, overdue
        (dt.date(2026, 1, 5), 7, 2025),  # 2025 overdue, 2026 far away
        (dt.date(2025, 10, 1), 183, 2025),  # the page looks half a year ahead
        (dt.date(2026, 2, 1), 183, 2025),
    ],
)
def test_due_year(today: dt.date, horizon: int, year: int) -> None:
    assert due_year(today, horizon, deadlines_20_12) == year


def test_due_year_without_data_sets_is_this_year() -> None:
    assert due_year(dt.date(2025, 3, 1), 7, lambda year: []) == 2025


def test_district_is_the_huyen_above_at_the_start_of_the_year() -> None:
    types = {"30": "TINH", "288": "HUYEN", "290": "HUYEN", "X": "XA", "K": "KCN", "T": "TTTM"}
    links = [
        Link("288", "30", dt.date(2020, 1, 1), None),
        Link("290", "30", dt.date(2020, 1, 1), None),
        Link("X", "288", dt.date(2020, 1, 1), None),
        # K moves from 288 to 290 on 1/7/2025: it starts 2025 in 288.
        Link("K", "288", dt.date(2020, 1, 1), dt.date(2025, 6, 30)),
        Link("K", "290", dt.date(2025, 7, 1), None),
        Link("T", "30", dt.date(2020, 1, 1), None),
    ]
    parents_2025 = parents_at_start(links, 2025)
    assert district_of("K", parents_2025, types) == "288"
    assert district_of("K", parents_at_start(links, 2026), types) == "290"
    assert district_of("X", parents_2025, types) == "288"
    assert district_of("288", parents_2025, types) == "288"  # a district is its own
    assert district_of("T", parents_2025, types) is None
    assert district_of("30", parents_2025, types) is None
    cyclic = {"A": "B", "B": "A"}
    assert district_of("A", cyclic, {"A": "XA", "B": "XA"}) is None


def test_tally_adds_and_rates_share_the_expected() -> None:
    total = Tally(4, 2, 1, 1) + Tally(4, 3, 2, 0)
    assert total == Tally(8, 5, 3, 1)
    assert total.missing == 3
    assert (total.submitted_rate, total.approved_rate, total.on_time_rate) == (62.5, 37.5, 12.5)
    assert Tally().submitted_rate is None


def expected(code: str, unit: str, type_: str, district: str | None, status: str | None = None,
             sent: dt.date | None = None) -> ExpectedReport:  # fmt: skip
    return ExpectedReport(
        data_set_code=code,
        unit_code=unit,
        unit_name=f"Đơn vị {unit}",
        unit_type=type_,
        district_code=district,
        district_name=f"Huyện {district}" if district else NO_DISTRICT,
        deadline=DEADLINE,
        status=status,
        submitted_on=sent,
    )


def test_expected_report_states() -> None:
    early, late = dt.date(2025, 12, 20), dt.date(2025, 12, 21)
    approved_on_time = expected("A", "1", "KCN", "288", SubmissionStatus.APPROVED, early)
    sent_late = expected("A", "2", "KCN", "288", SubmissionStatus.SUBMITTED, late)
    returned = expected("A", "3", "KCN", "288", SubmissionStatus.RETURNED, early)
    nothing = expected("A", "4", "KCN", None)
    assert approved_on_time.tally == Tally(1, 1, 1, 1)
    assert sent_late.tally == Tally(1, 1, 0, 0)
    assert returned.tally == Tally(1, 0, 0, 0)  # returned: not sent any more
    assert (returned.status_label, nothing.status_label) == ("Trả lại để sửa", "Chưa có báo cáo")


def test_summarise_builds_the_tables_without_a_database() -> None:
    infos = [
        DataSetInfo("A", "Biểu A", ("KCN", "CCN"), DEADLINE),
        DataSetInfo("B", "Biểu B", ("HUYEN",), dt.date(2025, 12, 31)),
    ]
    reports = [
        expected("A", "K1", "KCN", "288", SubmissionStatus.APPROVED, dt.date(2025, 12, 1)),
        expected("A", "K2", "KCN", "290", SubmissionStatus.DRAFT),
        expected("A", "C1", "CCN", None),
        expected("B", "288", "HUYEN", "288", SubmissionStatus.SUBMITTED, dt.date(2026, 1, 2)),
    ]
    report = summarise(year=2025, today=dt.date(2025, 12, 23), data_sets=infos, reports=reports)
    a, b = report.data_sets
    assert (a.deadline_phrase, b.deadline_phrase) == ("quá hạn 3 ngày", "còn 8 ngày")
    assert a.overdue and not b.overdue
    assert [(r.key, r.tally) for r in a.by_type] == [
        ("KCN", Tally(2, 1, 1, 1)),
        ("CCN", Tally(1, 0, 0, 0)),
    ]
    assert a.by_type[0].label == "Khu công nghiệp"
    assert [(r.key, r.label, r.tally) for r in report.by_district] == [
        ("288", "Huyện 288", Tally(2, 2, 1, 1)),
        ("290", "Huyện 290", Tally(1, 0, 0, 0)),
        ("", NO_DISTRICT, Tally(1, 0, 0, 0)),
    ]
    assert report.total == Tally(4, 2, 1, 1)
    assert [(r.data_set_code, r.unit_code) for r in report.missing] == [("A", "K2"), ("A", "C1")]
    assert [row.key for row in report.by_type] == ["KCN", "CCN", "HUYEN"]


# --- the database ----------------------------------------------------------------------------


@dataclass
class World:
    units: dict[str, OrgUnit]
    data_sets: dict[str, DataSet]

    def submit(
        self, data_set: str, unit: str, status: str, at: dt.datetime | None = None, year: int = 2025
    ) -> Submission:
        return Submission.objects.create(
            data_set=self.data_sets[data_set],
            org_unit=self.units[unit],
            period=str(year),
            year=year,
            status=status,
            submitted_at=at,
        )


def build_world() -> World:
    """The territory of the module docstring, with KH-2627's elements and data sets."""
    province = OrgUnitFactory(code="30", name="Tỉnh", type="TINH")
    definition = json.loads((PLAN_DATA_DIR / "kh2627.json").read_text(encoding="utf-8"))
    plan_load(definition=definition)
    data_sets = {d.code: d for d in data_sets_load(definitions=definition["data_sets"])}
    d1 = unit_under(province, code="288", name="Huyện Một", type="HUYEN")
    d2 = unit_under(province, code="290", name="Huyện Hai", type="HUYEN")
    x1 = unit_under(d1, code="X1", name="Xã Một", type="XA")
    k1 = unit_under(d1, code="K1", name="KCN Một", type="KCN")
    units = {
        "30": province,
        "288": d1,
        "290": d2,
        "X1": x1,
        "K1": k1,
        "S1": unit_under(x1, code="S1", name="Siêu thị Một", type="SIEU_THI"),
        "E1": unit_under(
            k1, code="E1", name="Doanh nghiệp Một", type="DOANH_NGHIEP", sector="THEP"
        ),
        "K9": unit_under(
            d1, code="K9", name="KCN Đóng", type="KCN", valid_to=dt.date(2024, 12, 31)
        ),
        "K2": unit_under(d2, code="K2", name="KCN Hai", type="KCN"),
        "L2": unit_under(d2, code="L2", name="Làng nghề Hai", type="LANG_NGHE"),
        "T1": unit_under(province, code="T1", name="TTTM Một", type="TTTM"),
    }
    world = World(units, data_sets)
    world.submit("NHAN_THUC", "K1", "approved", dt.datetime(2025, 12, 10, 3, 0, tzinfo=UTC))
    # 17:30 UTC on 20/12 is 00:30 on 21/12 in Hà Nội: late.
    world.submit("NHAN_THUC", "K2", "submitted", dt.datetime(2025, 12, 20, 17, 30, tzinfo=UTC))
    world.submit("NHAN_THUC", "L2", "draft")
    # 16:59 UTC is 23:59 on the deadline day: on time.
    world.submit("TUYEN_TRUYEN", "288", "submitted", dt.datetime(2025, 12, 20, 16, 59, tzinfo=UTC))
    world.submit("TUYEN_TRUYEN", "X1", "returned", dt.datetime(2025, 12, 1, tzinfo=UTC))
    world.submit("PHAN_PHOI", "S1", "approved", dt.datetime(2025, 12, 25, tzinfo=UTC))
    # Another year's report does not count for 2025.
    world.submit("NHAN_THUC", "L2", "approved", dt.datetime(2024, 12, 1, tzinfo=UTC), year=2024)
    return world


def reporter(unit: OrgUnit, name: str, email: str = "") -> object:
    user = User.objects.create_user(name, email=email)  # no password: no slow hashing
    RoleAssignment.objects.create(user=user, role=Role.REPORTER, org_unit=unit)
    return user


@pytest.fixture
def world(db: None) -> World:
    return build_world()


TODAY = dt.date(2025, 12, 23)


def test_completeness_counts_expected_sent_approved_and_on_time(world: World) -> None:
    report = completeness(year=2025, today=TODAY)
    assert report.total == Tally(9, 4, 2, 2)
    by_set = {d.code: d for d in report.data_sets}
    assert by_set["NHAN_THUC"].tally == Tally(3, 2, 1, 1)
    assert by_set["TUYEN_TRUYEN"].tally == Tally(3, 1, 0, 1)
    assert by_set["PHAN_PHOI"].tally == Tally(2, 1, 1, 0)
    assert by_set["SAN_XUAT"].tally == Tally(1, 0, 0, 0)
    assert by_set["NHAN_THUC"].deadline == DEADLINE
    assert by_set["NHAN_THUC"].deadline_phrase == "quá hạn 3 ngày"
    assert [(r.key, r.tally) for r in by_set["NHAN_THUC"].by_type] == [
        ("KCN", Tally(2, 2, 1, 1)),  # K9 closed in 2024: not expected
        ("CCN", Tally(0, 0, 0, 0)),
        ("LANG_NGHE", Tally(1, 0, 0, 0)),
    ]
    assert [(r.key, r.tally) for r in report.by_district] == [
        ("288", Tally(5, 3, 2, 2)),
        ("290", Tally(3, 1, 0, 0)),
        ("", Tally(1, 0, 0, 0)),
    ]
    missing = [(r.data_set_code, r.unit_code, r.status_label) for r in report.missing]
    assert missing == [
        ("NHAN_THUC", "L2", "Đang nhập"),
        ("TUYEN_TRUYEN", "X1", "Trả lại để sửa"),
        ("TUYEN_TRUYEN", "290", "Chưa có báo cáo"),
        ("PHAN_PHOI", "T1", "Chưa có báo cáo"),
        ("SAN_XUAT", "E1", "Chưa có báo cáo"),
    ]
    assert report.missing[0].district_name == "Huyện Hai"
    assert report.missing[3].district_name == NO_DISTRICT


def test_completeness_of_a_subtree_a_data_set_and_a_reporter(world: World) -> None:
    in_288 = completeness(year=2025, root_code="288", today=TODAY)
    assert in_288.total == Tally(5, 3, 2, 2)
    assert in_288.root_name == "Huyện Một"
    only = completeness(year=2025, data_set=world.data_sets["NHAN_THUC"], today=TODAY)
    assert [d.code for d in only.data_sets] == ["NHAN_THUC"]
    assert only.total == Tally(3, 2, 1, 1)
    user = reporter(world.units["290"], "bc290")
    mine = completeness(year=2025, today=TODAY, access=access_for(user))
    assert {r.unit_code for r in mine.reports} == {"290", "K2", "L2"}
    assert mine.total == Tally(3, 1, 0, 0)
    # 2024: only L2's approved report, sent 1/12/2024, on time; K9 still active then.
    earlier = completeness(year=2024, data_set=world.data_sets["NHAN_THUC"], today=TODAY)
    assert earlier.total == Tally(4, 1, 1, 1)


def test_completeness_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        unit_under(world.units["290"], code=f"XN{n}", type="XA")
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        report = completeness(year=2025, today=TODAY)
    assert report.total.expected == 39


def test_default_year_follows_the_deadlines(world: World) -> None:
    assert default_year(dt.date(2025, 10, 1)) == 2025
    assert default_year(dt.date(2025, 12, 1), 7) == 2024


# --- command ---------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("completeness", *args, stdout=out)
    return out.getvalue()


def test_command_text_and_json_give_the_same_figures(world: World) -> None:
    text = run("--year", "2025")
    assert "Tiến độ nộp báo cáo năm 2025 — phạm vi: toàn tỉnh" in text
    assert "Hạn nộp 20/12/2025" in text
    total = next(line for line in text.splitlines() if line.startswith("Tổng cộng"))
    assert total.split()[2:7] == ["9", "4", "2", "2", "44,4"]
    assert "Đơn vị chưa gửi báo cáo: 5" in text
    assert "L2" in text and "Làng nghề Hai" in text and "Đang nhập" in text
    data = json.loads(run("--year", "2025", "--json"))
    assert data["year"] == 2025
    assert (data["expected"], data["submitted"], data["approved"], data["on_time"]) == (9, 4, 2, 2)
    assert data["submitted_rate"] == 44.4
    assert [d["code"] for d in data["data_sets"]] == [
        "NHAN_THUC",
        "TUYEN_TRUYEN",
        "PHAN_PHOI",
        "SAN_XUAT",
    ]
    assert data["data_sets"][0]["deadline"] == "2025-12-20"
    assert data["by_district"][0]["district"] == "288"
    assert data["by_district"][-1]["district"] is None
    assert len(data["missing"]) == 5
    scoped = json.loads(run("--year", "2025", "--org-unit", "290", "--json"))
    assert scoped["expected"] == 3 and scoped["org_unit"] == "290"
    one = json.loads(run("--year", "2025", "--data-set", "phan_phoi", "--json"))
    assert [d["code"] for d in one["data_sets"]] == ["PHAN_PHOI"]


def test_command_refuses_unknown_codes(world: World) -> None:
    with pytest.raises(CommandError, match="Không có đơn vị mã 'XYZ'"):
        run("--year", "2025", "--org-unit", "XYZ")
    with pytest.raises(CommandError, match="Không có biểu mẫu mã 'XYZ'"):
        run("--year", "2025", "--data-set", "XYZ")


# --- page ------------------------------------------------------------------------------------

URL = "/bao-cao/tien-do-nop/"


def coordinator() -> object:
    user = User.objects.create_user("dieuphoi")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def test_page_needs_login(client: Client, world: World) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_shows_every_unit_to_the_coordinator(client: Client, world: World) -> None:
    client.force_login(coordinator())  # type: ignore[arg-type]
    response = client.get(URL, {"nam": "2025"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.year == 2025 and report.total.expected == 9
    page = response.content.decode()
    assert "Tiến độ nộp báo cáo năm 2025" in page
    assert "Hạn nộp 20/12/2025" in page
    assert "Theo huyện" in page and "Huyện Một" in page and NO_DISTRICT in page
    assert "Làng nghề Hai" in page and "Trả lại để sửa" in page
    assert 'class="pct-44"' in page  # the bar: a width class, no style attribute (CSP)
    assert "44,4 %" in page
    assert "Bạn chỉ thấy" not in page


def test_page_filters_by_district_and_data_set(client: Client, world: World) -> None:
    client.force_login(coordinator())  # type: ignore[arg-type]
    response = client.get(URL, {"nam": "2025", "don-vi": "290", "bieu-mau": "NHAN_THUC"})
    report = response.context["report"]
    assert report.root_code == "290"
    assert report.total == Tally(2, 1, 0, 0)
    assert [d.code for d in report.data_sets] == ["NHAN_THUC"]
    # Unknown filters are ignored, a year outside the range is clamped.
    loose = client.get(URL, {"nam": "1990", "don-vi": "KHONG", "bieu-mau": "KHONG"})
    assert loose.status_code == 200
    assert loose.context["report"].year == 2020
    assert loose.context["report"].root_code is None


def test_page_shows_a_reporter_only_their_units(client: Client, world: World) -> None:
    client.force_login(reporter(world.units["290"], "bc290"))  # type: ignore[arg-type]
    response = client.get(URL, {"nam": "2025"})
    report = response.context["report"]
    assert {r.unit_code for r in report.reports} == {"290", "K2", "L2"}
    page = response.content.decode()
    assert "Bạn chỉ thấy các đơn vị mình phụ trách báo cáo." in page
    assert "Xã Một" not in page


def test_page_query_count_does_not_grow_with_units(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    client.force_login(coordinator())  # type: ignore[arg-type]
    client.get(URL, {"nam": "2025"})
    for n in range(30):
        unit_under(world.units["290"], code=f"XN{n}", type="XA")
    with django_assert_max_num_queries(11):  # type: ignore[operator]
        response = client.get(URL, {"nam": "2025"})
    assert response.context["report"].total.expected == 39
