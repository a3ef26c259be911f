"""The audit trail of values: selectors, the two pages and `benvung history`."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from benvung.datavalues.models import DataElement
from benvung.orgunits.models import OrgUnit
from benvung.reporting.history import value_history
from benvung.reporting.services import values_import
from tests.reporting.test_entry import World, build_world, form_fields, post, text_of

pytestmark = pytest.mark.django_db

ENTERPRISE_FORM = "/bao-cao/SAN_XUAT/2025/E1/"
LINE = re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d  ")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def save(world: World, user: User, values: dict[str, str], url: str = ENTERPRISE_FORM) -> None:
    client = world.client(user)
    fields = form_fields(client.get(url))
    fields.update(values)
    response = post(client, url, fields)
    assert response.status_code == 302, text_of(response)


def load(text: str, name: str) -> None:
    header = "data_element,org_unit,period,value,unit,comment\n"
    result = values_import(file=io.BytesIO((header + text).encode()), filename=name)
    assert result.ok, result.problems


@pytest.fixture
def energy(world: World) -> World:
    """TH_NANG_LUONG of E1 in 2025: typed by the reporter, corrected by the co-ordinator,
    then replaced by a file from the command line."""
    save(world, world.reporter, {"v:E1:TH_NANG_LUONG": "1234,5", "u:E1:TH_NANG_LUONG": "GJ"})
    save(
        world,
        world.coordinator,
        {"v:E1:TH_NANG_LUONG": "1500", "u:E1:TH_NANG_LUONG": "GJ", "c:E1": "Theo hóa đơn"},
    )
    load("TH_NANG_LUONG,E1,2025,2,MWh,Số liệu kiểm toán\n", "kiem-toan-2025.csv")
    return world


def test_each_change_has_its_old_and_new_value_author_and_source(energy: World) -> None:
    changes = value_history(
        element=DataElement.objects.get(code="TH_NANG_LUONG"),
        unit=OrgUnit.objects.get(code="E1"),
        period="2025",
    )
    assert [(c.kind, c.old, c.new, c.user, c.source, c.comment) for c in changes] == [
        ("+", "—", "1.234,5 GJ", "Nguyễn Văn An", "Biểu mẫu SAN_XUAT", ""),
        ("~", "1.234,5 GJ", "1.500 GJ", "dieuphoi", "Biểu mẫu SAN_XUAT", "Theo hóa đơn"),
        ("~", "1.500 GJ", "2 MWh", "—", "kiem-toan-2025.csv", "Số liệu kiểm toán"),
    ]


def test_the_command_prints_one_line_per_change(energy: World) -> None:
    out = io.StringIO()
    call_command("history", "th_nang_luong", "E1", "2025", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert all(LINE.match(line) for line in lines)
    assert [LINE.sub("", line) for line in lines] == [
        "Nguyễn Văn An  — → 1.234,5 GJ  (Biểu mẫu SAN_XUAT)",
        "dieuphoi  1.234,5 GJ → 1.500 GJ  (Biểu mẫu SAN_XUAT) Theo hóa đơn",
        "—  1.500 GJ → 2 MWh  (kiem-toan-2025.csv) Số liệu kiểm toán",
    ]


def test_the_command_prints_yes_no_values_in_words(world: World) -> None:
    load("BB_THAN_THIEN,S1,2025,không,,\n", "a.csv")
    load("BB_THAN_THIEN,S1,2025,có,,\n", "b.csv")
    out = io.StringIO()
    call_command("history", "BB_THAN_THIEN", "S1", "2025", stdout=out)
    assert [LINE.sub("", line) for line in out.getvalue().splitlines()] == [
        "—  — → Không  (a.csv)",
        "—  Không → Có  (b.csv)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("TH_NANG_LUONG", "E1", "2024"), "Không có số liệu TH_NANG_LUONG của đơn vị E1 kỳ 2024."),
        (("KHONG_CO", "E1", "2025"), "Không có chỉ số mã 'KHONG_CO'."),
        (("TH_NANG_LUONG", "KHONG", "2025"), "Không có đơn vị mã 'KHONG'."),
    ],
)
def test_the_command_fails_in_vietnamese_without_the_value(
    energy: World, args: tuple[str, str, str], message: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("history", *args, stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert err.getvalue().strip() == message
    assert out.getvalue() == ""


def test_the_value_page_lists_changes_newest_first(energy: World) -> None:
    response = energy.client(energy.reporter).get("/bao-cao/lich-su/TH_NANG_LUONG/E1/2025/")
    assert response.status_code == 200
    assert [c.new for c in response.context["changes"]] == ["2 MWh", "1.500 GJ", "1.234,5 GJ"]
    page = text_of(response)
    assert "1.500 GJ → 2 MWh" in page
    assert "1.234,5 GJ → 1.500 GJ" in page
    assert "dieuphoi" in page and "kiem-toan-2025.csv" in page and "Theo hóa đơn" in page
    assert "Giá trị hiện tại 2 MWh" in page
    # The form links to it.
    html = energy.client(energy.reporter).get(ENTERPRISE_FORM).content.decode()
    assert 'href="/bao-cao/lich-su/TH_NANG_LUONG/E1/2025/"' in html


def test_the_unit_page_lists_every_change_newest_first_by_fifty(world: World) -> None:
    years = range(2020, 2031)
    for n in (1, 2, 3):
        rows = "".join(
            f"{element},L1,{year},{n},,\n"
            for element in ("NT_HOAT_DONG", "NT_NGUOI")
            for year in years
        )
        load(rows, f"lan-{n}.csv")
    client = world.client(world.reporter)
    response = client.get("/bao-cao/lich-su/L1/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 66 and len(response.context["changes"]) == 50
    first = response.context["changes"][0]
    assert (first.old, first.new, first.source) == ("2", "3", "lan-3.csv")
    assert "66 lần thay đổi, mới nhất trước." in text_of(response)
    second = client.get("/bao-cao/lich-su/L1/?trang=2")
    changes = second.context["changes"]
    assert len(changes) == 16
    assert (changes[-1].old, changes[-1].new, changes[-1].source) == ("—", "1", "lan-1.csv")


def test_the_unit_page_merges_changes_and_values_never_changed_page_by_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values never changed have no history record: the page reads them from the values,
    newest first among the records, on whichever page their date puts them."""
    years = range(2020, 2031)
    load("".join(f"NT_HOAT_DONG,L1,{year},1,,\n" for year in years), "lan-1.csv")
    load("NT_HOAT_DONG,L1,2025,2,,\n", "lan-2.csv")
    load("".join(f"NT_NGUOI,L1,{year},9,,\n" for year in years), "lan-3.csv")
    monkeypatch.setattr("benvung.reporting.views.HISTORY_PAGE_SIZE", 5)
    client = world.client(world.reporter)
    first = client.get("/bao-cao/lich-su/L1/")
    assert first.context["page"].paginator.count == 23
    seen = []
    for number in range(1, 6):
        page = client.get(f"/bao-cao/lich-su/L1/?trang={number}")
        seen += [(c.kind, c.old, c.new, c.source) for c in page.context["changes"]]
    assert seen == [
        *[("+", "—", "9", "lan-3.csv")] * 11,
        ("~", "1", "2", "lan-2.csv"),
        *[("+", "—", "1", "lan-1.csv")] * 11,
    ]


def test_history_pages_follow_the_entry_permission(energy: World) -> None:
    other = energy.client(energy.other)
    assert other.get("/bao-cao/lich-su/TH_NANG_LUONG/E1/2025/").status_code == 403
    assert other.get("/bao-cao/lich-su/E1/").status_code == 403
    assert energy.client(energy.coordinator).get("/bao-cao/lich-su/E1/").status_code == 200
    assert other.get("/bao-cao/lich-su/KHONG/").status_code == 404
    assert other.get("/bao-cao/lich-su/KHONG_CO/E1/2025/").status_code == 404
