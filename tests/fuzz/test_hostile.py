"""Hostile files: refused before any parser expands them, with a Vietnamese message naming
the file; types are read from the content, not from the name."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from defusedxml import EntitiesForbidden
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from benvung.core.importing import ImportRejected, read_table
from benvung.core.uploads import (
    IMAGE_KINDS,
    LimitedUploadHandler,
    check_upload,
    default_limits,
    limits,
    upload_validator,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"\x00" * 32


def xlsx(rows: int = 2) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["data_element", "org_unit", "period", "value"])
    for i in range(rows - 1):
        sheet.append(["TT_NGUOI", "X1", 2025, i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes], extra: int = 0) -> bytes:
    """The ZIP `data` with some parts replaced, and `extra` tiny parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
        for i in range(extra):
            target.writestr(f"customXml/item{i}.bin", b"x")
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def refused_message(data: bytes, name: str = "tep.xlsx") -> str:
    with pytest.raises(ImportRejected) as caught:
        list(read_table(io.BytesIO(data), filename=name, required=["value"]))
    (problem,) = caught.value.problems
    assert problem.file == name
    return problem.message


def test_billion_laughs_is_refused_not_expanded() -> None:
    data = rezip(xlsx(), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    assert "thực thể XML" in refused_message(data)
    # Second line: openpyxl parses through defusedxml, which refuses the entities too.
    with pytest.raises(ValueError, match="invalid XML") as caught:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        list(workbook.worksheets[0].iter_rows(values_only=True))
    assert isinstance(caught.value.__context__, EntitiesForbidden)


def test_zip_bomb_is_refused_by_its_ratio() -> None:
    bomb = b"<worksheet>" + b" " * (50 * 1024 * 1024) + b"</worksheet>"
    data = rezip(xlsx(), {"xl/worksheets/sheet1.xml": bomb})
    assert len(data) < 200_000
    assert "nén bất thường" in refused_message(data)


def test_too_much_unzipped_data_and_too_many_parts_are_refused() -> None:
    big = b"<worksheet>" + bytes(range(256)) * (3 * 4096) + b"</worksheet>"
    data = rezip(xlsx(), {"xl/worksheets/sheet1.xml": big})
    with limits(
        default_limits().__class__(
            **{**default_limits().__dict__, "max_unzipped_bytes": 1024 * 1024}
        )
    ):
        assert "giải nén" in refused_message(data)
    assert "phần bên trong" in refused_message(rezip(xlsx(), {}, extra=2500))


def test_huge_sheets_and_csv_files_are_refused_before_being_read() -> None:
    few = default_limits().__class__(**{**default_limits().__dict__, "max_rows": 100})
    with limits(few):
        assert "hơn 100 dòng" in refused_message(xlsx(rows=150))
        text = "data_element,org_unit,period,value\n" + "TT_NGUOI,X1,2025,1\n" * 150
        assert "hơn 100 dòng" in refused_message(text.encode(), "tep.csv")
        # A sheet claiming a row far down is stopped at the limit, not read to its end.
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["value"])
        sheet.cell(row=1_000_000, column=1, value=1)
        buffer = io.BytesIO()
        workbook.save(buffer)
        assert "hơn 100 dòng" in refused_message(buffer.getvalue())
    assert len(list(read_table(io.BytesIO(xlsx(rows=150)), filename="tep.xlsx"))) == 149


@pytest.mark.parametrize(
    ("data", "kinds", "found"),
    [
        (PNG, IMAGE_KINDS, "png"),
        (JPEG, IMAGE_KINDS, "jpeg"),
        (GIF, IMAGE_KINDS, "gif"),
        (WEBP, IMAGE_KINDS, "webp"),
        (PDF, ("pdf",), "pdf"),
        (b"a,b\n1,2\n", ("csv", "xlsx"), "csv"),
        (b"\xef\xbb\xbfa;b\n1;2\n", ("csv",), "csv"),
    ],
)
def test_types_are_read_from_the_content(data: bytes, kinds: tuple[str, ...], found: str) -> None:
    assert check_upload(SimpleUploadedFile("tep.bin", data), kinds) == found


def test_office_kinds_are_told_apart() -> None:
    assert check_upload(SimpleUploadedFile("a.xlsx", xlsx()), ("xlsx",)) == "xlsx"
    docx = rezip(
        xlsx(),
        {"[Content_Types].xml": b"<Types>wordprocessingml.document.main+xml</Types>"},
    )
    with zipfile.ZipFile(io.BytesIO(docx), "a") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    with pytest.raises(ValidationError, match="không phải Excel"):
        check_upload(SimpleUploadedFile("a.xlsx", docx), ("xlsx",))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a,b\n\x001,2\n", "NUL"),
        ("a,b\nđ,2\n".encode("cp1258"), "UTF-8"),
        (b"", "rỗng"),
        (PNG, "không phải CSV"),
        (b"PK\x03\x04garbage", "tệp hỏng"),
    ],
)
def test_bad_tables_are_refused_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("so-lieu.csv", data), ("csv", "xlsx"))
    assert "“so-lieu.csv”" in caught.value.messages[0]
    assert message in caught.value.messages[0]


def test_images_are_checked_by_content_and_size(settings: Any) -> None:
    validate = upload_validator(*IMAGE_KINDS)
    validate(SimpleUploadedFile("anh.png", PNG))
    with pytest.raises(ValidationError, match="không phải ảnh"):
        validate(SimpleUploadedFile("anh.png", b"<script>alert(1)</script>"))
    settings.BENVUNG_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="vượt quá 1 MB"):
        validate(SimpleUploadedFile("anh.png", PNG + b"\x00" * (1024 * 1024)))


@pytest.mark.django_db
def test_news_image_in_the_admin_is_checked(client: Client) -> None:
    admin = get_user_model().objects.create_superuser("quantri", "q@x.vn", "mat-khau-1")
    client.force_login(admin)
    response = client.post(
        "/admin/portal/article/add/",
        {
            "title": "Tin",
            "image": SimpleUploadedFile("anh.png", b"MZ\x90\x00 not an image"),
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "không phải ảnh PNG" in response.content.decode()


@pytest.mark.django_db
def test_too_big_upload_is_refused_by_the_import_page(client: Client, settings: Any) -> None:
    settings.BENVUNG_MAX_UPLOAD_MB = 1
    user = get_user_model().objects.create_user("nguoi", is_staff=True)
    client.force_login(user)
    data = b"data_element,org_unit,period,value\n" + b"TT_NGUOI,X1,2025,1\n" * 120_000
    response = client.post(
        "/nhap-du-lieu/", {"kind": "data", "file": SimpleUploadedFile("lon.csv", data)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“lon.csv”" in page
    assert "vượt quá 1 MB" in page


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_not_kept_on_disk(client: Client, settings: Any) -> None:
    """Past the memory threshold the file goes to disk, and stops being written at the limit:
    the form still tells its real size."""
    settings.BENVUNG_MAX_UPLOAD_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    user = get_user_model().objects.create_user("nguoi", is_staff=True)
    client.force_login(user)
    data = b"data_element,org_unit,period,value\n" + b"TT_NGUOI,X1,2025,1\n" * 150_000
    kept: list[int] = []
    original = LimitedUploadHandler.file_complete

    def spy(self: LimitedUploadHandler, file_size: int) -> Any:
        uploaded = original(self, file_size)
        uploaded.file.seek(0, 2)
        kept.append(uploaded.file.tell())
        return uploaded

    LimitedUploadHandler.file_complete = spy  # type: ignore[method-assign]
    try:
        response = client.post(
            "/nhap-du-lieu/", {"kind": "data", "file": SimpleUploadedFile("lon.csv", data)}
        )
    finally:
        LimitedUploadHandler.file_complete = original  # type: ignore[method-assign]
    page = response.content.decode()
    assert "“lon.csv”: dung lượng 2,8 MB, vượt quá 1 MB" in page
    assert kept
    assert kept[0] <= 1024 * 1024
