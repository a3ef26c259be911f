"""Word templates the department edits: an upload is used for the next documents, a broken one
is refused with a Vietnamese message and changes nothing, and the default comes back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from benvung.documents.models import DocumentKind, DocumentTemplate
from benvung.documents.rendering import default_template_path
from benvung.documents.services import (
    document_build,
    document_template_reset,
    document_template_upload,
)
from tests.documents.conftest import REPORT_YEAR, Cycle
from tests.documents.reading import body_text, open_docx

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def edited_default(kind: str, *sentences: str) -> SimpleUploadedFile:
    """The shipped template of a kind, with paragraphs added at its end, as Word would save it."""
    document = Document(str(default_template_path(kind)))
    for sentence in sentences:
        document.add_paragraph(sentence)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("mau-cua-so.docx", buffer.getvalue(), content_type=DOCX_TYPE)


def report_text(cycle: Cycle) -> str:
    content = document_build(plan=cycle.plan, kind=DocumentKind.BAO_CAO, year=REPORT_YEAR).content
    return body_text(open_docx(content))


def test_uploaded_template_with_a_custom_sentence_is_used(cycle: Cycle) -> None:
    upload = edited_default(
        DocumentKind.BAO_CAO, "Câu riêng của Sở: số liệu năm {{ year }} đã được rà soát."
    )
    template = document_template_upload(
        kind=DocumentKind.BAO_CAO, file=upload, user=cycle.coordinator
    )
    assert template.is_active and template.original_name == "mau-cua-so.docx"
    assert template.uploaded_by == cycle.coordinator
    assert "Câu riêng của Sở: số liệu năm 2025 đã được rà soát." in report_text(cycle)
    # The other kinds keep their default.
    plan = document_build(plan=cycle.plan, kind=DocumentKind.KE_HOACH, year=REPORT_YEAR)
    assert "Câu riêng của Sở" not in body_text(open_docx(plan.content))

    assert document_template_reset(kind=DocumentKind.BAO_CAO, user=cycle.coordinator) == 1
    assert "Câu riêng của Sở" not in report_text(cycle)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Năm {{ year ", "thẻ mẫu sai cú pháp"),
        ("{% for x in %}", "thẻ mẫu sai cú pháp"),
        ("Số liệu năm {{ nam_bao_cao }}", "dùng tên dữ liệu không có"),
        ("{{ hdr.khong_co }}", "dùng tên dữ liệu không có “khong_co”"),
        # The sandbox: a template reads its data, nothing of the program behind it.
        ("{{ year.__class__.__mro__ }}", "dùng thuộc tính không được phép"),
    ],
)
def test_broken_template_is_refused_and_nothing_changes(
    cycle: Cycle, sentence: str, reason: str
) -> None:
    first = document_template_upload(
        kind=DocumentKind.BAO_CAO,
        file=edited_default(DocumentKind.BAO_CAO, "Mẫu đầu tiên."),
        user=cycle.coordinator,
    )
    with pytest.raises(ValidationError) as refused:
        document_template_upload(
            kind=DocumentKind.BAO_CAO,
            file=edited_default(DocumentKind.BAO_CAO, sentence),
            user=cycle.coordinator,
        )
    message = refused.value.messages[0]
    assert message.startswith("Mẫu “mau-cua-so.docx” không dùng được: ")
    assert reason in message
    assert message.endswith("Mẫu đang dùng được giữ nguyên.")
    assert list(DocumentTemplate.objects.values_list("pk", "is_active")) == [(first.pk, True)]
    assert "Mẫu đầu tiên." in report_text(cycle)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.docx", b"Day khong phai tep Word"),
        ("bao-cao.docx", b"PK\x03\x04 hong"),
        ("bang.xlsx", None),
    ],
)
def test_a_file_that_is_not_a_word_document_is_refused(
    cycle: Cycle, name: str, content: bytes | None
) -> None:
    if content is None:
        from openpyxl import Workbook

        buffer = io.BytesIO()
        Workbook().save(buffer)
        content = buffer.getvalue()
    with pytest.raises(ValidationError) as refused:
        document_template_upload(
            kind=DocumentKind.DU_TOAN,
            file=SimpleUploadedFile(name, content),
            user=cycle.coordinator,
        )
    assert name in refused.value.messages[0]
    assert not DocumentTemplate.objects.exists()


def test_only_coordinators_change_templates(cycle: Cycle) -> None:
    upload = edited_default(DocumentKind.KE_HOACH, "x")
    for user in (cycle.leader, cycle.reporter):
        with pytest.raises(PermissionDenied):
            document_template_upload(kind=DocumentKind.KE_HOACH, file=upload, user=user)
    assert not DocumentTemplate.objects.exists()


def test_upload_and_download_on_the_page(cycle: Cycle) -> None:
    client = cycle.client(cycle.coordinator)
    upload = edited_default(DocumentKind.DU_TOAN, "Ghi chú riêng của dự toán.")
    response = client.post(
        "/van-ban/mau/tai-len/", {"kind": DocumentKind.DU_TOAN, "file": upload}, follow=True
    )
    assert "Đã dùng mẫu mới cho “Dự toán kinh phí năm sau”." in response.content.decode()
    in_use: Any = client.get("/van-ban/mau/du-toan/dang-dung.docx")
    assert in_use["Content-Type"] == DOCX_TYPE
    text = body_text(open_docx(b"".join(in_use.streaming_content)))
    assert "Ghi chú riêng của dự toán." in text
    default: Any = client.get("/van-ban/mau/du-toan/mac-dinh.docx")
    assert "Ghi chú riêng" not in body_text(open_docx(b"".join(default.streaming_content)))

    broken = edited_default(DocumentKind.DU_TOAN, "{{ budget.total.total ")
    response = client.post(
        "/van-ban/mau/tai-len/", {"kind": DocumentKind.DU_TOAN, "file": broken}, follow=True
    )
    page = response.content.decode()
    assert "không dùng được: thẻ mẫu sai cú pháp" in page
    assert DocumentTemplate.objects.filter(is_active=True).count() == 1

    leader = cycle.client(cycle.leader)
    refused = leader.post("/van-ban/mau/tai-len/", {"kind": DocumentKind.DU_TOAN, "file": upload})
    assert refused.status_code == 403
