"""The documents page (/van-ban/), its rights and the header values form; and the command
`benvung document …`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from benvung import cli
from benvung.documents.models import DocumentSettings
from tests.documents.conftest import REPORT_YEAR, Cycle
from tests.documents.reading import body_text, open_docx, workbook

pytestmark = pytest.mark.django_db

PAGE = "/van-ban/"


def test_coordinator_and_leader_see_the_page(cycle: Cycle) -> None:
    page = cycle.client(cycle.coordinator).get(PAGE, {"nam": REPORT_YEAR}).content.decode()
    assert "Báo cáo kết quả thực hiện Kế hoạch năm 2025" in page
    assert "Kế hoạch triển khai thực hiện năm 2026" in page
    assert "/van-ban/2025/du-toan.xlsx" in page
    assert 'name="signer_name"' in page
    leader = cycle.client(cycle.leader).get(PAGE, {"nam": REPORT_YEAR}).content.decode()
    assert "/van-ban/2025/bao-cao.docx" in leader
    assert 'name="signer_name"' not in leader  # leaders read the header values, not edit them


def test_others_may_not_make_documents(cycle: Cycle, client: Client) -> None:
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    reporter = cycle.client(cycle.reporter)
    assert reporter.get(PAGE).status_code == 403
    assert reporter.get("/van-ban/2025/bao-cao.docx").status_code == 403


def test_download_and_missing_next_year(cycle: Cycle) -> None:
    client = cycle.client(cycle.leader)
    response = client.get("/van-ban/2025/bao-cao.docx")
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-ket-qua-sxtdbv-nam-2025.docx"'
    )
    assert "Số: 25/BC-SCT" in body_text(open_docx(response.content))
    response = client.get("/van-ban/2026/ke-hoach.docx", follow=True)
    assert "Chưa có kế hoạch triển khai năm 2027" in response.content.decode()


def test_header_values_are_saved_without_lost_updates(cycle: Cycle) -> None:
    settings = DocumentSettings.objects.get(year=REPORT_YEAR)
    form = {
        "nam": REPORT_YEAR,
        "version": settings.version,
        "parent_body": "UBND TỈNH HẢI DƯƠNG",
        "body": "SỞ CÔNG THƯƠNG",
        "body_abbreviation": "SCT",
        "place": "Hải Dương",
        "report_number": "31",
        "report_date": "05/01/2026",
        "plan_number": "",
        "plan_date": "",
        "head_title": "Giám đốc",
        "signer_title": "",
        "signer_name": "Trần Thị Hoa",
        "report_recipients": "- UBND tỉnh (để b/c);\n- Lưu: VT, QLCN.",
        "plan_recipients": "- Lưu: VT.",
    }
    client = cycle.client(cycle.coordinator)
    response = client.post(f"{PAGE}?nam={REPORT_YEAR}", form, follow=True)
    assert "Đã lưu thông tin ban hành văn bản năm 2025." in response.content.decode()
    saved = DocumentSettings.objects.get(year=REPORT_YEAR)
    assert (saved.report_number, saved.report_date) == ("31", dt.date(2026, 1, 5))
    assert saved.version == settings.version + 1
    assert saved.history.count() == 2  # created by the fixture, then this change
    text = body_text(open_docx(client.get("/van-ban/2025/bao-cao.docx").content))
    assert "Số: 31/BC-SCT" in text and "Hải Dương, ngày 05 tháng 01 năm 2026" in text
    assert "GIÁM ĐỐC" in text and "KT." not in text and "Trần Thị Hoa" in text

    # A form read before that save is refused, and the saved values stay.
    stale = client.post(f"{PAGE}?nam={REPORT_YEAR}", {**form, "signer_name": "Người khác"})
    assert stale.status_code == 400
    assert "vừa được người khác sửa" in stale.content.decode()
    assert DocumentSettings.objects.get(year=REPORT_YEAR).signer_name == "Trần Thị Hoa"

    bad = client.post(
        f"{PAGE}?nam={REPORT_YEAR}",
        {**form, "version": saved.version, "body_abbreviation": "S C T", "report_date": "31/02"},
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Chữ viết tắt chỉ gồm chữ và số" in page
    assert cycle.client(cycle.leader).post(PAGE, form).status_code == 403


def test_command_writes_the_three_documents(cycle: Cycle, tmp_path: Path) -> None:
    files = {
        "annual-report": tmp_path / "bao-cao.docx",
        "plan": tmp_path / "ke-hoach.docx",
        "budget": tmp_path / "du-toan.xlsx",
    }
    for kind, path in files.items():
        call_command("document", kind, "--year", str(REPORT_YEAR), "-o", str(path))
    assert "BÁO CÁO" in body_text(open_docx(files["annual-report"].read_bytes()))
    assert "KẾ HOẠCH" in body_text(open_docx(files["plan"].read_bytes()))
    assert workbook(files["budget"].read_bytes()).sheetnames == ["Dự toán"]


def test_console_script_passes_the_command_through(
    cycle: Cycle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A command run from the command line closes every connection when it ends; inside the
    # test's transaction on PostgreSQL that would close the test's own connection.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    output = tmp_path / "du-toan.docx"
    cli.main(["document", "budget", "--year", "2025", "-o", str(output), "--format", "docx"])
    assert "DỰ TOÁN" in body_text(open_docx(output.read_bytes()))
    with pytest.raises(SystemExit):
        cli.main(["document", "plan", "--year", "2026", "-o", str(tmp_path / "x.docx")])
