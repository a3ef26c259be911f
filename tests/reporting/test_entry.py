"""The entry form and the overview, through Django's test client, over a small territory.

    P  Tỉnh Thử (TINH)
    ├── D1 Huyện Một (HUYEN)
    │   ├── L1 Làng nghề Gốm (LANG_NGHE)
    │   ├── L2 Làng nghề Mây tre (LANG_NGHE)
    │   ├── C1 Cụm công nghiệp Một (CCN)
    │   ├── L9 Làng nghề Đã Giải Thể (LANG_NGHE, until 31/12/2023)
    │   ├── E1 Công ty Thép Một (DOANH_NGHIEP, THEP)
    │   └── X1 Xã Một (XA)
    │       ├── L3 Làng nghề Dệt (LANG_NGHE)
    │       └── S1 Siêu thị Một (SIEU_THI)
    └── D2 Huyện Hai (HUYEN)
        └── L4 Làng nghề Khác (LANG_NGHE)

`reporter` reports for D1, `other` for D2, `coordinator` is the Sở Công Thương.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from benvung.accounts.models import Role, RoleAssignment
from benvung.accounts.selectors import access_for
from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit
from benvung.plans.services import PLAN_DATA_DIR, plan_load
from benvung.reporting.history import user_label, value_history
from benvung.reporting.models import EventAction, Submission, SubmissionStatus
from benvung.reporting.services import data_sets_load, submission_approve, submission_submit
from tests.factories import OrgUnitFactory, unit_under

pytestmark = pytest.mark.django_db

FORM = "/bao-cao/NHAN_THUC/2025/D1/"


@dataclass
class World:
    units: dict[str, OrgUnit]
    reporter: User
    other: User
    coordinator: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def build_world() -> World:
    """The territory of the module docstring, the plan's elements and data sets, three users."""
    province = OrgUnitFactory(code="P", name="Tỉnh Thử", type="TINH")
    d1 = unit_under(province, code="D1", name="Huyện Một", type="HUYEN")
    d2 = unit_under(province, code="D2", name="Huyện Hai", type="HUYEN")
    x1 = unit_under(d1, code="X1", name="Xã Một", type="XA")
    units = {
        "P": province,
        "D1": d1,
        "D2": d2,
        "X1": x1,
        "L1": unit_under(d1, code="L1", name="Làng nghề Gốm", type="LANG_NGHE"),
        "L2": unit_under(d1, code="L2", name="Làng nghề Mây tre", type="LANG_NGHE"),
        "C1": unit_under(d1, code="C1", name="Cụm công nghiệp Một", type="CCN"),
        "L9": unit_under(
            d1,
            code="L9",
            name="Làng nghề Đã Giải Thể",
            type="LANG_NGHE",
            valid_to=dt.date(2023, 12, 31),
        ),
        "E1": unit_under(
            d1, code="E1", name="Công ty Thép Một", type="DOANH_NGHIEP", sector="THEP"
        ),
        "L3": unit_under(x1, code="L3", name="Làng nghề Dệt", type="LANG_NGHE"),
        "S1": unit_under(x1, code="S1", name="Siêu thị Một", type="SIEU_THI"),
        "L4": unit_under(d2, code="L4", name="Làng nghề Khác", type="LANG_NGHE"),
    }
    definition = json.loads((PLAN_DATA_DIR / "kh2627.json").read_text(encoding="utf-8"))
    plan_load(definition=definition)
    data_sets_load(definitions=definition["data_sets"])
    reporter = User.objects.create_user("baocao1", password="x", first_name="Nguyễn Văn An")
    RoleAssignment.objects.create(user=reporter, role=Role.REPORTER, org_unit=d1)
    other = User.objects.create_user("baocao2", password="x")
    RoleAssignment.objects.create(user=other, role=Role.REPORTER, org_unit=d2)
    coordinator = User.objects.create_user("dieuphoi", password="x")
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR)
    return World(units, reporter, other, coordinator)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


class _Fields(HTMLParser):
    """The fields of a page's <form method=post> as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "button"}:
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select, self._first_option = a.get("name"), None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.fields.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data.lstrip("\n")


def form_fields(response: Any) -> dict[str, str]:
    """What the entry form would post back untouched (without the csrf token)."""
    html = response.content.decode()
    form = html[html.index('<form method="post" class="entry-form"') :]
    form = form[: form.index("</form>")]
    parser = _Fields()
    parser.feed(form)
    parser.fields.pop("csrfmiddlewaretoken", None)
    return parser.fields


def text_of(response: Any) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def post(client: Client, url: str, fields: dict[str, str], action: str = "save") -> Any:
    return client.post(url, {**fields, "action": action})


def stored(element: str, unit: str, period: str = "2025") -> DataValue | None:
    return DataValue.objects.filter(
        data_element__code=element, org_unit__code=unit, period=period
    ).first()


# --- The grid -------------------------------------------------------------------------------------


def test_a_district_form_lists_its_villages_and_clusters_and_no_other_district(
    world: World,
) -> None:
    response = world.client(world.reporter).get(FORM)
    assert response.status_code == 200
    rows = [row.unit.code for row in response.context["grid"].rows]
    # The district itself does not report NHAN_THUC; the closed village is not in 2025; L3
    # sits under a commune of the district; L4 belongs to the other district.
    assert sorted(rows) == ["C1", "L1", "L2", "L3"]
    assert rows[0] == "C1"  # cluster before villages, in the data set's type order
    html = response.content.decode()
    for code in rows:
        assert f'name="v:{code}:NT_HOAT_DONG"' in html
        assert f'name="ver:{code}"' in html
    assert 'name="ver:L4"' not in html and "Làng nghề Khác" not in html
    assert 'inputmode="decimal"' in html
    page = text_of(response)
    assert "Ô để trống nghĩa là đơn vị chưa báo cáo" in page
    assert "có thể sửa nhưng không xóa được" in page
    assert "Lưu nháp" in page and "Lưu và gửi báo cáo" in page


def test_a_unit_that_reports_the_data_set_is_its_own_first_row(world: World) -> None:
    response = world.client(world.reporter).get("/bao-cao/TUYEN_TRUYEN/2025/D1/")
    assert [row.unit.code for row in response.context["grid"].rows] == ["D1", "X1"]
    # A single village's own form.
    response = world.client(world.reporter).get("/bao-cao/NHAN_THUC/2025/L1/")
    assert [row.unit.code for row in response.context["grid"].rows] == ["L1"]


def test_unit_controls_follow_each_elements_dimension(world: World) -> None:
    client = world.client(world.reporter)
    # The enterprise's product unit is prefilled with the unit it used last.
    assert (
        post(
            client,
            "/bao-cao/SAN_XUAT/2024/E1/",
            {"v:E1:SX_SAN_LUONG": "100", "u:E1:SX_SAN_LUONG": "m³", "ver:E1": "0"},
        ).status_code
        == 302
    )
    response = client.get("/bao-cao/SAN_XUAT/2025/E1/")
    html = response.content.decode()
    fields = form_fields(response)
    assert fields["u:E1:SX_SAN_LUONG"] == "m³"
    assert fields["u:E1:TH_NGUYEN_LIEU"] == "tấn"
    assert fields["u:E1:TH_NANG_LUONG"] == "TOE"
    mass = re.search(r'<select name="u:E1:TH_NGUYEN_LIEU".*?</select>', html, re.S)
    energy = re.search(r'<select name="u:E1:TH_NANG_LUONG".*?</select>', html, re.S)
    assert mass and re.findall(r'value="([^"]+)"', mass.group()) == ["tấn", "tạ", "kg"]
    assert energy and re.findall(r'value="([^"]+)"', energy.group()) == [
        "TOE",
        "GJ",
        "kWh",
        "MWh",
    ]
    # Yes/no elements are a select whose empty choice means "not reported".
    html = client.get("/bao-cao/PHAN_PHOI/2025/S1/").content.decode()
    boolean = re.search(r'<select name="v:S1:BB_THAN_THIEN".*?</select>', html, re.S)
    assert boolean is not None
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', boolean.group()) == [
        ("", "— chưa báo cáo —"),
        ("1", "Có"),
        ("0", "Không"),
    ]


def test_the_grid_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = world.client(world.reporter)
    for n in range(30):
        unit_under(world.units["D1"], code=f"LX{n}", name=f"Làng nghề số {n}", type="LANG_NGHE")
    with django_assert_max_num_queries(20):
        response = client.get(FORM)
    assert len(response.context["grid"].rows) == 34


# --- Saving ---------------------------------------------------------------------------------------


def test_saving_stores_the_values_with_their_history(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields.update({"v:L1:NT_HOAT_DONG": "2", "v:L1:NT_NGUOI": "120", "c:L1": "Hội thảo tháng 5"})
    response = post(client, FORM, fields)
    assert response.status_code == 302 and response["Location"] == FORM
    value = stored("NT_HOAT_DONG", "L1")
    assert value is not None and value.value == 2 and value.comment == "Hội thảo tháng 5"
    assert value.updated_by == world.reporter and value.source == "Biểu mẫu NHAN_THUC"
    [created] = value_history(element=value.data_element, unit=value.org_unit, period="2025")
    assert (created.kind, created.user) == ("+", user_label(world.reporter))
    assert created.source == "Biểu mẫu NHAN_THUC"
    submission = Submission.objects.get(org_unit__code="L1")
    assert (submission.status, submission.version) == (SubmissionStatus.DRAFT, 1)
    assert list(submission.events.values_list("action", flat=True)) == [EventAction.SAVE]
    # Untouched rows are not reports.
    assert not Submission.objects.filter(org_unit__code="L2").exists()
    page = client.get(FORM)
    assert "Đã lưu số liệu: 2 mới, 0 sửa, 0 không đổi." in text_of(page)
    assert form_fields(page)["v:L1:NT_NGUOI"] == "120"


def test_decimals_take_a_comma(world: World) -> None:
    client = world.client(world.reporter)
    url = "/bao-cao/SAN_XUAT/2025/E1/"
    fields = form_fields(client.get(url))
    fields.update(
        {
            "v:E1:SX_SAN_LUONG": "1234,5",
            "u:E1:SX_SAN_LUONG": "tấn",
            "v:E1:TH_NANG_LUONG": "12,5",
            "u:E1:TH_NANG_LUONG": "MWh",
        }
    )
    assert post(client, url, fields).status_code == 302
    energy = stored("TH_NANG_LUONG", "E1")
    assert energy is not None and energy.value == 12.5 and energy.unit == "MWh"
    page = client.get(url)
    assert form_fields(page)["v:E1:TH_NANG_LUONG"] == "12,5"


def test_a_bad_cell_is_shown_beside_it_and_nothing_is_stored(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields.update({"v:L1:NT_HOAT_DONG": "2", "v:L2:NT_NGUOI": "mười", "v:L3:NT_NGUOI": "-4"})
    response = post(client, FORM, fields)
    assert response.status_code == 200
    assert not DataValue.objects.exists()
    assert not Submission.objects.exists()
    html = response.content.decode()
    cell = re.search(
        r'<td data-label="[^"]*">\s*<div class="entry-cell"><input[^>]*'
        r'name="v:L2:NT_NGUOI".*?</td>',
        html,
        re.S,
    )
    assert cell is not None
    assert 'aria-invalid="true"' in cell.group()
    assert "&#x27;mười&#x27; không phải là số" in cell.group()
    assert "Có 2 lỗi — chưa lưu số liệu nào." in text_of(response)
    # What was typed stays in the inputs.
    assert form_fields(response)["v:L1:NT_HOAT_DONG"] == "2"
    assert form_fields(response)["v:L2:NT_NGUOI"] == "mười"


def test_a_stored_value_cannot_be_emptied(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(client, FORM, fields)
    fields = form_fields(client.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = ""
    response = post(client, FORM, fields)
    assert response.status_code == 200
    assert "không để trống được (giá trị đã lưu: 2)" in text_of(response)
    value = stored("NT_HOAT_DONG", "L1")
    assert value is not None and value.value == 2


def test_a_row_note_is_kept_per_value_unless_changed(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields.update({"v:L1:NT_HOAT_DONG": "2", "c:L1": "Ghi chú"})
    post(client, FORM, fields)
    fields = form_fields(client.get(FORM))
    assert fields["c:L1"] == "Ghi chú"
    fields["v:L1:NT_NGUOI"] = "40"
    post(client, FORM, fields)
    first, second = stored("NT_HOAT_DONG", "L1"), stored("NT_NGUOI", "L1")
    assert first is not None and second is not None
    assert first.comment == second.comment == "Ghi chú"
    history = value_history(element=first.data_element, unit=first.org_unit, period="2025")
    assert [change.kind for change in history] == ["+"]


def test_save_and_send_submits_every_row_with_values(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields.update({"v:L1:NT_HOAT_DONG": "2", "v:C1:NT_HOAT_DONG": "0"})
    response = post(client, FORM, fields, action="submit")
    assert response.status_code == 302
    statuses = dict(Submission.objects.values_list("org_unit__code", "status"))
    assert statuses == {"L1": SubmissionStatus.SUBMITTED, "C1": SubmissionStatus.SUBMITTED}
    page = client.get(FORM)
    assert "Đã gửi 2 báo cáo để Sở Công Thương duyệt" in text_of(page)
    # Sent rows are read-only for the reporter now; the others can still be filled in.
    fields = form_fields(page)
    assert "v:L1:NT_HOAT_DONG" not in fields and "v:L2:NT_HOAT_DONG" in fields


# --- Permissions ----------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client: Client, world: World) -> None:
    for url in (FORM, "/bao-cao/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_reporter_cannot_open_or_post_another_districts_units(world: World) -> None:
    client = world.client(world.other)
    assert client.get(FORM).status_code == 403
    assert client.get("/bao-cao/NHAN_THUC/2025/L1/").status_code == 403
    response = client.post(
        "/bao-cao/NHAN_THUC/2025/L1/", {"v:L1:NT_HOAT_DONG": "5", "ver:L1": "0", "action": "save"}
    )
    assert response.status_code == 403
    assert not DataValue.objects.exists()
    # Their own district's form does not leak the first district's units either.
    response = client.get("/bao-cao/NHAN_THUC/2025/D2/")
    assert [row.unit.code for row in response.context["grid"].rows] == ["L4"]


def test_a_user_without_a_role_cannot_open_a_form(world: World) -> None:
    guest = User.objects.create_user("khach", password="x")
    assert world.client(guest).get(FORM).status_code == 403


def test_unknown_data_sets_periods_and_units_are_not_found(world: World) -> None:
    client = world.client(world.coordinator)
    assert client.get("/bao-cao/KHONG_CO/2025/D1/").status_code == 404
    assert client.get("/bao-cao/NHAN_THUC/20x5/D1/").status_code == 404
    assert client.get("/bao-cao/NHAN_THUC/2025/KHONG/").status_code == 404


def test_approved_rows_are_read_only_and_changing_them_is_refused(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields.update({"v:L1:NT_HOAT_DONG": "2"})
    post(client, FORM, fields, action="submit")
    boss = world.coordinator
    submission_approve(
        submission=Submission.objects.get(org_unit__code="L1"), user=boss, access=access_for(boss)
    )
    for user in (world.reporter, boss):
        page = world.client(user).get(FORM)
        fields = form_fields(page)
        assert "v:L1:NT_HOAT_DONG" not in fields
        assert "Báo cáo đã được duyệt; cần điều phối viên mở lại trước khi sửa." in text_of(page)
        # A hand-made request that changes the approved value anyway is refused.
        fields.update({"v:L1:NT_HOAT_DONG": "9", "ver:L1": "1", "v:L2:NT_HOAT_DONG": "1"})
        response = post(world.client(user), FORM, fields)
        assert response.status_code == 200
        assert "đã được duyệt; cần điều phối viên mở lại trước khi sửa" in text_of(response)
    value = stored("NT_HOAT_DONG", "L1")
    assert value is not None and value.value == 2
    assert stored("NT_HOAT_DONG", "L2") is None


def test_a_reporter_cannot_change_a_sent_report_but_the_coordinator_can(world: World) -> None:
    reporter = world.client(world.reporter)
    fields = form_fields(reporter.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(reporter, FORM, fields, action="submit")
    boss = world.client(world.coordinator)
    fields = form_fields(boss.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "3"
    assert post(boss, FORM, fields).status_code == 302
    value = stored("NT_HOAT_DONG", "L1")
    assert value is not None and value.value == 3
    assert Submission.objects.get(org_unit__code="L1").status == SubmissionStatus.SUBMITTED


# --- Two people on the same form ------------------------------------------------------------------


def test_the_second_of_two_saves_gets_the_conflict_and_loses_nothing(world: World) -> None:
    first, second = world.client(world.coordinator), world.client(world.reporter)
    first_fields = form_fields(first.get(FORM))
    second_fields = form_fields(second.get(FORM))
    first_fields.update({"v:L1:NT_HOAT_DONG": "3", "v:L2:NT_HOAT_DONG": "1"})
    assert post(first, FORM, first_fields).status_code == 302
    second_fields.update({"v:L1:NT_HOAT_DONG": "5", "v:L3:NT_HOAT_DONG": "4"})
    response = post(second, FORM, second_fields)
    assert response.status_code == 200
    page = text_of(response)
    assert "Báo cáo đã được người khác cập nhật sau khi bạn mở biểu mẫu" in page
    conflicts = response.context["conflicts"]
    lines = {(c.unit, c.element, c.yours, c.theirs, c.by) for c in conflicts}
    name = "Số hoạt động phổ biến, nâng cao nhận thức về SXTDBV tổ chức trong năm"
    assert ("Làng nghề Gốm", name, "(trống)", "3", "dieuphoi") in lines
    # Nothing of the second save was stored; the first's values stand.
    value = stored("NT_HOAT_DONG", "L1")
    assert value is not None and value.value == 3
    assert stored("NT_HOAT_DONG", "L3") is None
    # The form shows the current value, with what the second person typed beside it; their
    # other typing (L3, which nobody else touched) is still in its input.
    fields = form_fields(response)
    assert fields["v:L1:NT_HOAT_DONG"] == "3"
    assert fields["v:L3:NT_HOAT_DONG"] == "4"
    assert "Bạn đã nhập: 5" in page
    # Saving again from the reloaded form works.
    assert post(second, FORM, fields).status_code == 302
    value = stored("NT_HOAT_DONG", "L3")
    assert value is not None and value.value == 4


# --- Overview -------------------------------------------------------------------------------------


def test_a_reporters_overview_lists_their_units_with_the_state_of_each(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(client, FORM, fields, action="submit")
    response = client.get("/bao-cao/?nam=2025")
    assert response.status_code == 200
    sections = {s.data_set.code: s for s in response.context["sections"]}
    assert set(sections) == {"NHAN_THUC", "TUYEN_TRUYEN", "PHAN_PHOI", "SAN_XUAT"}
    nhan_thuc = sections["NHAN_THUC"]
    assert [u.unit.code for u in nhan_thuc.units] == ["C1", "L3", "L1", "L2"]  # by name
    assert {u.unit.code: u.status for u in nhan_thuc.units}["L1"] == "submitted"
    assert [(f.unit.code, f.count) for f in nhan_thuc.forms] == [("D1", 4)]
    html = response.content.decode()
    assert f'href="{FORM}"' in html
    assert "Nhập biểu mẫu của Huyện Một (4 đơn vị)" in text_of(response)
    assert "Làng nghề Khác" not in html
    assert "queue" not in response.context  # reporters have no review queue


def test_the_coordinators_overview_is_the_review_queue_until_a_district_is_chosen(
    world: World,
) -> None:
    reporter = world.client(world.reporter)
    fields = form_fields(reporter.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(reporter, FORM, fields, action="submit")
    client = world.client(world.coordinator)
    response = client.get("/bao-cao/?nam=2025")
    assert response.context["sections"] == []
    queue = list(response.context["queue"].object_list)
    assert [(s.org_unit.code, s.submitted_by) for s in queue] == [("L1", world.reporter)]
    page = text_of(response)
    assert "Báo cáo chờ duyệt (1)" in page and "Làng nghề Gốm" in page
    assert "Nguyễn Văn An" in page
    response = client.get("/bao-cao/?nam=2025&don-vi=D2")
    units = {s.data_set.code: [u.unit.code for u in s.units] for s in response.context["sections"]}
    assert units == {"NHAN_THUC": ["L4"], "TUYEN_TRUYEN": ["D2"]}


def test_the_year_defaults_to_the_current_one_within_the_plan(world: World) -> None:
    client = world.client(world.reporter)
    assert client.get("/bao-cao/?nam=1999").context["year"] == 2020
    assert client.get("/bao-cao/?nam=2099").context["year"] == 2030
    current = min(max(dt.date.today().year, 2020), 2030)
    assert client.get("/bao-cao/").context["year"] == current


def test_a_user_without_units_is_told_so(world: World) -> None:
    guest = User.objects.create_user("khach", password="x")
    response = world.client(guest).get("/bao-cao/")
    assert "chưa được phân công báo cáo" in text_of(response)


def test_submit_refuses_a_report_already_sent(world: World) -> None:
    # The service guards the workflow; the form only sends what may be sent.
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(client, FORM, fields, action="submit")
    submission = Submission.objects.get(org_unit__code="L1")
    with pytest.raises(Exception, match="không gửi được"):
        submission_submit(
            submission=submission, user=world.reporter, access=access_for(world.reporter)
        )


def test_a_leader_reads_every_form_but_cannot_save(world: World) -> None:
    reporter = world.client(world.reporter)
    fields = form_fields(reporter.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(reporter, FORM, fields)
    leader = User.objects.create_user("lanhdao", password="x")
    RoleAssignment.objects.create(user=leader, role=Role.LEADER)
    client = world.client(leader)
    page = client.get(FORM)
    assert page.status_code == 200
    assert all(not row.editable for row in page.context["grid"].rows)
    assert "Tài khoản của bạn chỉ được xem, không nhập số liệu." in text_of(page)
    assert "Lưu nháp" not in text_of(page)
    assert client.post(FORM, {"v:L2:NT_HOAT_DONG": "1", "action": "save"}).status_code == 403
    assert stored("NT_HOAT_DONG", "L2") is None
    overview = client.get("/bao-cao/?nam=2025&don-vi=D1")
    assert "queue" not in overview.context
    assert {s.data_set.code for s in overview.context["sections"]} == {
        "NHAN_THUC",
        "TUYEN_TRUYEN",
        "PHAN_PHOI",
        "SAN_XUAT",
    }


def test_an_unreadable_version_never_skips_the_conflict_check(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(client, FORM, fields)
    fields = form_fields(client.get(FORM))
    fields.update({"v:L1:NT_HOAT_DONG": "7", "ver:L1": "không rõ"})
    response = post(client, FORM, fields)
    assert response.status_code == 200 and response.context["conflicts"]
    value = stored("NT_HOAT_DONG", "L1")
    assert value is not None and value.value == 2


def test_a_row_locked_while_typing_keeps_what_was_typed_beside_it(world: World) -> None:
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields["v:L1:NT_HOAT_DONG"] = "2"
    post(client, FORM, fields, action="submit")
    fields = form_fields(client.get(FORM))  # L1 is now read-only for the reporter
    boss = world.coordinator
    submission_approve(
        submission=Submission.objects.get(org_unit__code="L1"), user=boss, access=access_for(boss)
    )
    # Meanwhile the reporter had a page where L1 was still open: their value comes back.
    fields.update({"v:L1:NT_HOAT_DONG": "4", "ver:L1": "1"})
    response = post(client, FORM, fields)
    assert response.status_code == 200
    page = text_of(response)
    assert "Làng nghề Gốm — Số hoạt động phổ biến" in page
    assert "Bạn đã nhập: 4" in page
    value = stored("NT_HOAT_DONG", "L1")
    assert value is not None and value.value == 2


def test_the_overview_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        unit_under(world.units["D1"], code=f"LX{n}", name=f"Làng nghề số {n}", type="LANG_NGHE")
    client = world.client(world.coordinator)
    with django_assert_max_num_queries(20):
        response = client.get("/bao-cao/?nam=2025&don-vi=D1")
    assert sum(len(s.units) for s in response.context["sections"]) == 34 + 2 + 1 + 1
