"""The model register on the web: list and filters, detail, the co-ordinator's form with
evidence files, their checks and their download, and who may do what."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from benvung.accounts.models import Role, RoleAssignment
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.scpmodels.models import Evidence, ScpModel
from benvung.scpmodels.selectors import host_unit_lookup, scpmodel_list
from benvung.scpmodels.services import (
    MAX_EVIDENCE_BYTES,
    evidence_problems,
    scpmodel_create,
    sniff_evidence,
)
from tests.factories import OrgUnitFactory, ScpModelFactory, unit_under

LIST_URL = "/mo-hinh/"
CREATE_URL = "/mo-hinh/them-moi/"

# --- Sample evidence files ---------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
PLAIN_ZIP = _zip({"readme.txt": b"not an office file"})


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Minh chứng", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """A temporary MEDIA_ROOT; evidence files go to `protected/` beside it, which is
    returned."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "protected"


@pytest.fixture
def units(db: None) -> dict[str, OrgUnit]:
    """A province with two districts; a zone that moved from 288 to 290 on 1/1/2023, and a
    cluster closed at the end of 2021."""
    province = OrgUnitFactory(code="30", name="Tỉnh Hải Dương", type="TINH")
    district_a = unit_under(province, code="288", name="Thành phố Hải Dương", type="HUYEN")
    district_b = unit_under(province, code="290", name="Thành phố Chí Linh", type="HUYEN")
    mover = OrgUnitFactory(code="K1", name="KCN Đại An", type="KCN")
    ParentLink.objects.create(
        unit=mover, parent=district_a, valid_from=mover.valid_from, valid_to=dt.date(2022, 12, 31)
    )
    ParentLink.objects.create(unit=mover, parent=district_b, valid_from=dt.date(2023, 1, 1))
    closed = unit_under(
        district_b, code="C1", name="CCN Cộng Hòa", type="CCN", valid_to=dt.date(2021, 12, 31)
    )
    enterprise = unit_under(
        district_b, code="E1", name="Công ty Thép Hòa Phát", type="DOANH_NGHIEP", sector="THEP"
    )
    return {"288": district_a, "290": district_b, "K1": mover, "C1": closed, "E1": enterprise}


def _user(username: str, role: str | None = None, unit: OrgUnit | None = None) -> User:
    user = User.objects.create_user(username, password="x")
    if role:
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def coordinator(db: None) -> User:
    return _user("dieuphoi", Role.COORDINATOR)


@pytest.fixture
def coordinator_client(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


@pytest.fixture
def models(units: dict[str, OrgUnit]) -> dict[str, ScpModel]:
    return {
        "MH01": ScpModelFactory(
            code="MH01",
            name="Mô hình tiết kiệm năng lượng",
            kind="AP_DUNG",
            org_unit=units["K1"],
            year=2022,
        ),
        "MH02": ScpModelFactory(
            code="MH02",
            name="Nhân rộng mô hình cộng sinh công nghiệp",
            kind="NHAN_RONG",
            org_unit=units["K1"],
            year=2024,
            description="Hội thảo và tham quan thực tế",
        ),
        "MH03": ScpModelFactory(
            code="MH03",
            name="Mô hình thu hồi nhiệt lò cán thép",
            kind="AP_DUNG",
            org_unit=units["E1"],
            year=2023,
        ),
    }


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "code": "MH10",
        "name": "Mô hình sản xuất sạch hơn",
        "kind": "AP_DUNG",
        "org_unit": "E1",
        "year": "2024",
        "description": "Giảm 12% điện năng tiêu thụ",
    }
    data.update(changes)
    return data


# --- Content sniffing (no database) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG, "png"),
        (JPEG, "jpeg"),
        (PDF, "pdf"),
        (b"\n\n" + PDF, "pdf"),
        (DOCX, "docx"),
        (xlsx_bytes(), "xlsx"),
        (PLAIN_ZIP, None),
        (b"PK\x03\x04 broken zip", None),
        (b"MZ\x90\x00 a program", None),
        (b"<html><script>alert(1)</script>", None),
    ],
    # Zip archives carry the time they were built: ids from the bytes would differ between
    # test processes.
    ids=[
        "png",
        "jpeg",
        "pdf",
        "pdf-after-blank",
        "docx",
        "xlsx",
        "zip",
        "broken-zip",
        "exe",
        "html",
    ],
)
def test_sniff_evidence_reads_magic_bytes(data: bytes, kind: str | None) -> None:
    file = io.BytesIO(data)
    assert sniff_evidence(file) == kind
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("quyet-dinh.pdf", PDF, None),
        ("Ảnh hội thảo.JPG", JPEG, None),
        ("bang.xlsx", xlsx_bytes(), None),
        ("bao-cao.docx", DOCX, None),
        (
            "chay.exe",
            b"MZ\x90\x00",
            "chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG",
        ),
        ("gia.pdf", PNG, "nội dung tệp không phải PDF như phần mở rộng .pdf cho biết"),
        ("nen.docx", PLAIN_ZIP, "nội dung tệp không phải Word (.docx)"),
        ("trang.html.png", b"<html></html>", "nội dung tệp không phải ảnh PNG"),
        ("rong.pdf", b"", "tệp rỗng"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else "",
)
def test_evidence_problems_check_suffix_and_content(
    name: str, data: bytes, message: str | None
) -> None:
    problems = evidence_problems(upload(name, data))
    if message is None:
        assert problems == []
    else:
        assert len(problems) == 1 and message in problems[0] and name in problems[0]


def test_evidence_over_10_mb_is_refused() -> None:
    big = upload("lon.pdf", PDF + bytes(MAX_EVIDENCE_BYTES))
    assert "vượt quá 10 MB" in evidence_problems(big)[0]
    exact = upload("vua.pdf", PDF + bytes(MAX_EVIDENCE_BYTES - len(PDF)))
    assert evidence_problems(exact) == []


# --- List and filters ----------------------------------------------------------------------------


def test_list_shows_models_and_counts(
    coordinator_client: Client, models: dict[str, ScpModel]
) -> None:
    response = coordinator_client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert [m.code for m in response.context["models"]] == ["MH02", "MH03", "MH01"]
    assert 'href="/mo-hinh/MH01/"' in page
    assert "Thêm mô hình" in page
    assert "3 mô hình: 2 xây dựng, áp dụng; 1 phổ biến, nhân rộng" in " ".join(
        page.replace("<strong>", "").replace("</strong>", "").split()
    )


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({"loai": "AP_DUNG"}, ["MH03", "MH01"]),
        ({"loai": "NHAN_RONG"}, ["MH02"]),
        ({"nam": "2023"}, ["MH03"]),
        # K1 was in 288 until 2022 and in 290 from 2023: its models count where it was.
        ({"huyen": "288"}, ["MH01"]),
        ({"huyen": "290"}, ["MH02", "MH03"]),
        ({"q": "tiet kiem"}, ["MH01"]),  # without diacritics
        ({"q": "HOA PHAT"}, ["MH03"]),  # the unit's name
        ({"q": "tham quan"}, ["MH02"]),  # the description
        ({"q": "mh0"}, ["MH02", "MH03", "MH01"]),  # the code's start
        ({"q": "iem"}, []),  # names match from the start of a word
        ({"loai": "AP_DUNG", "huyen": "290", "q": "thep"}, ["MH03"]),
        ({"loai": "KHONG_CO"}, ["MH02", "MH03", "MH01"]),  # a bad filter is dropped
    ],
)
def test_list_filters(
    coordinator_client: Client,
    models: dict[str, ScpModel],
    query: dict[str, str],
    codes: list[str],
) -> None:
    response = coordinator_client.get(LIST_URL, query)
    assert [m.code for m in response.context["models"]] == codes


def test_list_query_count_does_not_grow_with_models(
    coordinator_client: Client,
    units: dict[str, OrgUnit],
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(60):
        ScpModelFactory(code=f"MX{n:02d}", org_unit=units["E1"], year=2021 + n % 5)
    with django_assert_max_num_queries(15):
        response = coordinator_client.get(LIST_URL, {"huyen": "290", "q": "mo hinh"})
    assert response.context["total"] == 60
    assert len(response.context["models"]) == 50  # one page
    assert "trang=2" in response.content.decode()


def test_selector_and_unit_lookup(units: dict[str, OrgUnit], models: dict[str, ScpModel]) -> None:
    assert [m.code for m in scpmodel_list(district="290", year=2024)] == ["MH02"]
    assert host_unit_lookup("E1") == units["E1"]
    assert host_unit_lookup("cong ty thep hoa phat") == units["E1"]
    assert host_unit_lookup("Công ty Thép Hòa Phát (E1)") == units["E1"]
    assert host_unit_lookup("KCN") is None


# --- Detail, create, edit ------------------------------------------------------------------------


def test_create_stores_model_files_and_history(
    coordinator_client: Client, coordinator: User, units: dict[str, OrgUnit], media: Path
) -> None:
    response = coordinator_client.post(
        CREATE_URL,
        form_data(attachments=[upload("Quyết định.pdf", PDF), upload("anh.png", PNG)]),
    )
    assert response.status_code == 302
    assert response["Location"] == "/mo-hinh/MH10/"
    model = ScpModel.objects.get(code="MH10")
    assert (model.kind, model.org_unit, model.year) == ("AP_DUNG", units["E1"], 2024)
    record = model.history.get()
    assert record.history_user == coordinator
    assert record.history_change_reason == "Thêm trên web; 2 tệp minh chứng"
    files = list(model.files.order_by("original_name"))
    assert [(f.original_name, f.size, f.uploaded_by) for f in files] == [
        ("Quyết định.pdf", len(PDF), coordinator),
        ("anh.png", len(PNG), coordinator),
    ]
    stored = media / files[0].file.name
    assert stored.read_bytes() == PDF
    assert not (media.parent / "media").exists()  # never under the public MEDIA_ROOT
    assert files[0].file.name.startswith(f"evidence/{dt.date.today():%Y}/")
    assert "Quyết" not in files[0].file.name  # the stored name never comes from the user
    detail = coordinator_client.get("/mo-hinh/MH10/").content.decode()
    assert "Quyết định.pdf" in detail and f'href="/mo-hinh/minh-chung/{files[0].pk}/"' in detail
    assert "Đã thêm mô hình MH10." in detail
    assert "Thêm trên web; 2 tệp minh chứng" in detail


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"org_unit": "C1", "year": "2023"},
            "org_unit",
            "đơn vị 'C1' không còn hoạt động trong năm 2023",
        ),
        ({"org_unit": "KHONG-CO"}, "org_unit", "không có đơn vị mã hoặc tên “KHONG-CO”"),
        ({"code": "MH01"}, "code", "đã có mô hình mã 'MH01'"),
        ({"year": "1800"}, "year", "năm '1800' không hợp lệ"),
        ({"name": "   "}, "name", "bắt buộc"),
        ({"attachments": [upload("bang.csv", b"a,b\n")]}, "attachments", "chỉ nhận tệp PDF"),
        (
            {"attachments": [upload("anh.jpg", PNG)]},
            "attachments",
            "nội dung tệp không phải ảnh JPG",
        ),
    ],
)
def test_create_refuses_bad_input_and_stores_nothing(
    coordinator_client: Client,
    models: dict[str, ScpModel],
    media: Path,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    before = ScpModel.objects.count()
    response = coordinator_client.post(CREATE_URL, form_data(**changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, errors
    assert ScpModel.objects.count() == before
    assert not Evidence.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_update_records_history_and_removes_files(
    coordinator_client: Client,
    coordinator: User,
    units: dict[str, OrgUnit],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    model = scpmodel_create(
        user=coordinator,
        code="MH20",
        name="Mô hình cũ",
        kind="AP_DUNG",
        org_unit=units["E1"],
        year=2022,
        files=[upload("cu.pdf", PDF)],
    )
    old = model.files.get()
    page = coordinator_client.get("/mo-hinh/MH20/sua/").content.decode()
    assert 'value="Mô hình cũ"' in page and "cu.pdf" in page
    assert 'name="code"' not in page  # the code does not change
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            "/mo-hinh/MH20/sua/",
            form_data(
                name="Mô hình mới",
                kind="NHAN_RONG",
                year="2024",
                remove_files=[str(old.pk)],
                attachments=[upload("moi.docx", DOCX)],
            ),
        )
    assert response.status_code == 302
    model.refresh_from_db()
    assert (model.name, model.kind, model.year) == ("Mô hình mới", "NHAN_RONG", 2024)
    assert [f.original_name for f in model.files.all()] == ["moi.docx"]
    assert not (media / old.file.name).exists()
    latest = model.history.first()
    assert latest is not None and latest.history_user == coordinator
    assert latest.history_change_reason.startswith("Sửa trên web: sửa tên mô hình, loại, năm")
    assert "thêm 1 tệp; xóa 1 tệp" in latest.history_change_reason
    history = coordinator_client.get("/mo-hinh/MH20/").context["history"]
    assert [h.action for h in history] == ["Sửa", "Tạo mới"]
    assert {(c.label, c.old, c.new) for c in history[0].changes} >= {
        ("tên mô hình", "Mô hình cũ", "Mô hình mới"),
        ("loại", "Xây dựng, áp dụng", "Phổ biến, nhân rộng"),
        ("năm", "2022", "2024"),
    }


def test_update_without_change_writes_no_history(
    coordinator_client: Client, models: dict[str, ScpModel]
) -> None:
    model = models["MH03"]
    before = model.history.count()
    response = coordinator_client.post(
        "/mo-hinh/MH03/sua/",
        {
            "name": model.name,
            "kind": model.kind,
            "org_unit": model.org_unit.code,
            "year": model.year,
            "description": model.description,
        },
    )
    assert response.status_code == 302
    assert model.history.count() == before


def test_unknown_model_is_404(coordinator_client: Client, units: dict[str, OrgUnit]) -> None:
    assert coordinator_client.get("/mo-hinh/KHONG-CO/").status_code == 404
    assert coordinator_client.get("/mo-hinh/KHONG-CO/sua/").status_code == 404
    assert coordinator_client.get("/mo-hinh/minh-chung/999/").status_code == 404


# --- Who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REPORTER, Role.LEADER, None])
def test_others_read_but_cannot_write(
    client: Client, units: dict[str, OrgUnit], models: dict[str, ScpModel], role: str | None
) -> None:
    user = _user("nguoi-khac", role, units["288"] if role == Role.REPORTER else None)
    client.force_login(user)
    listing = client.get(LIST_URL)
    assert listing.status_code == 200
    assert "Thêm mô hình" not in listing.content.decode()
    detail = client.get("/mo-hinh/MH01/")
    assert detail.status_code == 200 and "/mo-hinh/MH01/sua/" not in detail.content.decode()
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, form_data()).status_code == 403
    assert client.get("/mo-hinh/MH01/sua/").status_code == 403
    assert client.post("/mo-hinh/MH01/sua/", form_data(name="Sửa trộm")).status_code == 403
    assert not ScpModel.objects.filter(code="MH10").exists()
    assert ScpModel.objects.get(code="MH01").name == "Mô hình tiết kiệm năng lượng"


def test_anonymous_is_sent_to_login(client: Client, models: dict[str, ScpModel]) -> None:
    for url in (LIST_URL, CREATE_URL, "/mo-hinh/MH01/", "/mo-hinh/MH01/sua/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_evidence_download_checks_sign_in_and_is_not_public(
    client: Client, coordinator: User, units: dict[str, OrgUnit], settings: Any
) -> None:
    model = scpmodel_create(
        user=coordinator,
        code="MH30",
        name="Mô hình có minh chứng",
        kind="AP_DUNG",
        org_unit=units["E1"],
        year=2023,
        files=[upload("Biên bản nghiệm thu.pdf", PDF)],
    )
    evidence = model.files.get()
    url = f"/mo-hinh/minh-chung/{evidence.pk}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    # /media/ is public (the portal's images): evidence is stored elsewhere, and served
    # from there by no URL but the download view.
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert not evidence.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        evidence.file.url  # noqa: B018
    client.force_login(_user("baocao", Role.REPORTER, units["288"]))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Bi%C3%AAn%20b%E1%BA%A3n%20nghi%E1%BB%87m%20thu.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
