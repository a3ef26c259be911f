"""The three documents of the annual cycle, opened again with python-docx and openpyxl: the
ND 30 layout, and figures equal to those of the plan page and of the budget summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from benvung.annualplans.selectors import budget_summary
from benvung.core.models import SiteState
from benvung.documents.layout import STYLE_BODY
from benvung.documents.models import DocumentKind, DocumentSettings
from benvung.documents.selectors import DocumentUnavailable
from benvung.documents.services import XLSX, document_build
from benvung.indicators.presentation import target_text, value_text
from benvung.indicators.services import plan_progress
from tests.documents.conftest import REPORT_DAY, REPORT_YEAR, Cycle
from tests.documents.reading import (
    body_text,
    open_docx,
    sheet_rows,
    tables_with,
    vn_amount,
    workbook,
)

pytestmark = pytest.mark.django_db


def build(cycle: Cycle, kind: str, fmt: str = "docx", year: int = REPORT_YEAR) -> bytes:
    return document_build(
        plan=cycle.plan, kind=kind, year=year, fmt=fmt, today=dt.date(2026, 1, 10)
    ).content


def mm(length: int) -> float:
    """A length in whole millimetres (Word stores twentieths of a point)."""
    return round(length / Mm(1))


def runs_with(paragraphs: list, text: str) -> list:
    return [r for p in paragraphs for r in p.runs if text in r.text]


# --- Layout (Nghị định 30/2020/NĐ-CP) ---------------------------------------------------------


@pytest.mark.parametrize("kind", [DocumentKind.BAO_CAO, DocumentKind.KE_HOACH])
def test_page_fonts_and_paragraphs_follow_nd30(cycle: Cycle, kind: str) -> None:
    document = open_docx(build(cycle, kind))
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert 20 <= mm(section.top_margin) <= 25
    assert 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35
    assert 15 <= mm(section.right_margin) <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    body = [p for p in document.paragraphs if p.style.name == STYLE_BODY and p.text.strip()]
    assert len(body) >= 4
    style = document.styles[STYLE_BODY]
    assert style.font.name == "Times New Roman"
    assert Pt(13) <= style.font.size <= Pt(14)
    fmt = style.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) <= fmt.first_line_indent <= Cm(1.27)
    assert fmt.space_before >= Pt(6)
    assert fmt.line_spacing >= 1.0
    # Page numbers from page 2: a PAGE field in the header, none on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_report_header_title_and_signature(cycle: Cycle) -> None:
    document = open_docx(build(cycle, DocumentKind.BAO_CAO))
    header = document.tables[0]
    body, nation = header.rows[0].cells
    number, place = header.rows[1].cells
    assert [p.text for p in body.paragraphs[:2]] == ["UBND TỈNH HẢI DƯƠNG", "SỞ CÔNG THƯƠNG"]
    assert not runs_with(body.paragraphs, "UBND TỈNH")[0].bold
    assert runs_with(body.paragraphs, "SỞ CÔNG THƯƠNG")[0].bold
    assert nation.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert nation.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    national = runs_with(nation.paragraphs, "CỘNG HÒA")[0]
    assert national.bold and Pt(12) <= national.font.size <= Pt(13)
    motto = runs_with(nation.paragraphs, "Độc lập")[0]
    assert motto.bold and Pt(13) <= motto.font.size <= Pt(14)
    # The short rules under the body's name and the motto are paragraph borders.
    assert "w:pBdr" in body._tc.xml and "w:pBdr" in nation._tc.xml
    assert number.text.strip() == "Số: 25/BC-SCT"
    assert place.text.strip() == "Hải Dương, ngày 15 tháng 12 năm 2025"
    assert runs_with(place.paragraphs, "Hải Dương")[0].italic

    texts = [p.text for p in document.paragraphs]
    kind_index = texts.index("BÁO CÁO")
    title = document.paragraphs[kind_index + 1]
    assert " ".join(title.text.split()) == (
        "Kết quả thực hiện Kế hoạch hành động sản xuất và tiêu dùng bền vững năm 2025"
    )
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER or (
        title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    )
    assert all(run.bold for run in title.runs if run.text.strip())

    closing = document.tables[-1]
    recipients, signature = closing.rows[0].cells
    heading = runs_with(recipients.paragraphs, "Nơi nhận:")[0]
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    lines = [p.text for p in recipients.paragraphs[1:] if p.text]
    assert lines[0] == "- UBND tỉnh (để b/c);"
    assert lines[-1] == "- Lưu: VT, QLCN."
    assert all(r.font.size == Pt(11) for p in recipients.paragraphs[1:] for r in p.runs)
    capacity = [p.text for p in signature.paragraphs if p.text.strip()]
    assert capacity[0] == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert capacity[-1] == "Nguyễn Văn Bình"
    assert all(r.bold for p in signature.paragraphs for r in p.runs if r.text.strip())


def test_document_numbers_use_the_type_of_each_document(cycle: Cycle) -> None:
    plan = open_docx(build(cycle, DocumentKind.KE_HOACH))
    assert plan.tables[0].rows[1].cells[0].text.strip() == "Số: 26/KH-SCT"
    assert plan.tables[0].rows[1].cells[1].text.strip() == "Hải Dương, ngày 20 tháng 12 năm 2025"
    assert "KẾ HOẠCH" in [p.text for p in plan.paragraphs]
    estimate = open_docx(build(cycle, DocumentKind.DU_TOAN))
    assert "DỰ TOÁN" in [p.text for p in estimate.paragraphs]
    assert (
        "(Kèm theo Kế hoạch số 26/KH-SCT ngày 20 tháng 12 năm 2025 của Sở Công Thương)"
        in body_text(estimate)
    )
    section = estimate.sections[0]
    # Landscape A4 for the wide table (ND 30 allows it for a document made of tables).
    assert (mm(section.page_width), mm(section.page_height)) == (297, 210)


def test_blank_number_and_date_are_left_for_the_clerk(cycle: Cycle) -> None:
    DocumentSettings.objects.filter(year=REPORT_YEAR).update(report_number="", report_date=None)
    document = open_docx(build(cycle, DocumentKind.BAO_CAO))
    number, place = document.tables[0].rows[1].cells
    assert number.text.replace("\u00a0", " ").split() == ["Số:", "/BC-SCT"]
    assert place.text.replace("\u00a0", " ").split() == [
        "Hải", "Dương,", "ngày", "tháng", "năm", "2025"
    ]  # fmt: skip


# --- Figures ----------------------------------------------------------------------------------


def test_indicator_tables_show_what_the_plan_page_shows(cycle: Cycle, real_charts: None) -> None:
    document = open_docx(build(cycle, DocumentKind.BAO_CAO))
    rows = [row for table in tables_with(document, "Chỉ tiêu", "Đánh giá") for row in table]
    # Rows read "CT07.THEP.NL. Mức giảm …": the code is what comes before the first ". ".
    by_code = {row[1].split(". ")[0]: row for row in rows}
    evaluations = plan_progress(plan=cycle.plan, year=REPORT_YEAR)
    assert len(rows) == len(evaluations) == 22
    for e in evaluations:
        row = by_code[e.indicator.code]
        value = "Định tính" if e.indicator.is_qualitative else value_text(e.value, e.indicator)
        assert row[1] == f"{e.indicator.code}. {e.indicator.name}"
        assert row[2:] == [value, target_text(e.target, e.indicator), e.status_label]
    # The figures of the territory (tests/web/conftest.py): 2 of the 4 zones active in 2025.
    assert by_code["CT01"][2:] == ["50,00 %", "≥ 70 % (2025)", "Không đạt"]
    assert by_code["CT02"][2] == "1 mô hình"
    # Two charts, shares and CT07 reductions, each against its target, 15,5 cm wide.
    charts = list(document.inline_shapes)
    assert len(charts) == 2
    assert all(round(chart.width / Cm(1), 1) == 15.5 for chart in charts)
    captions = [p.text for p in document.paragraphs if p.text.startswith("Biểu đồ")]
    assert captions == [
        "Biểu đồ 1. Tỷ lệ thực hiện năm 2025 của các chỉ tiêu tỷ lệ so với mục tiêu",
        "Biểu đồ 2. Mức giảm tiêu hao nguyên, nhiên vật liệu năm 2025 so với năm 2020 theo "
        "ngành, so với mục tiêu",
    ]


def test_task_results_difficulties_and_proposals(cycle: Cycle) -> None:
    document = open_docx(build(cycle, DocumentKind.BAO_CAO))
    rows = [r for t in tables_with(document, "Nội dung hoạt động", "Tình trạng") for r in t]
    by_title = {row[1]: row for row in rows if len(row) == 6}
    a2 = by_title["Hoạt động A2 & kiểm thử"]
    stnmt = cycle.activities["A2"].responsible.name
    assert a2[2:] == [stnmt, "Đang thực hiện (quá hạn)", "40 %", "Đã khảo sát 12 doanh nghiệp"]
    assert by_title["Hoạt động A1 & kiểm thử"][3:5] == ["Hoàn thành", "100 %"]
    assert by_title["Hoạt động A3 & kiểm thử"][3:] == ["Chưa bắt đầu", "0 %", "—"]
    text = body_text(document)
    assert f"- Doanh nghiệp chưa mặn mà tham gia ({stnmt})." in text
    assert f"- Đề nghị bổ sung kinh phí tuyên truyền ({stnmt})." in text
    assert "Tính đến ngày 15/12/2025: 1 hoàn thành, 1 đang thực hiện, 1 chưa bắt đầu" in text


def test_budget_execution_adds_up_to_the_budget_summary(cycle: Cycle) -> None:
    document = open_docx(build(cycle, DocumentKind.BAO_CAO))
    (rows,) = tables_with(document, "Nguồn kinh phí", "Đã thực hiện")
    lines, total = rows[:-1], rows[-1]
    assert [r[1] for r in lines] == [
        "Ngân sách trung ương", "Ngân sách tỉnh", "Ngân sách huyện", "Xã hội hóa",
        "Lồng ghép chương trình khác",
    ]  # fmt: skip
    summary = budget_summary(cycle.current, REPORT_DAY)
    planned = sum(vn_amount(r[2]) for r in lines)
    spent = sum(vn_amount(r[3]) for r in lines)
    assert total[1] == "Tổng cộng"
    assert vn_amount(total[2]) == planned == summary.planned_total == Decimal(545_500_000)
    assert vn_amount(total[3]) == spent == summary.spent_total == Decimal(310_000_000)
    assert total[2:] == ["545.500.000", "310.000.000", "56,8"]
    assert lines[0][2:] == ["120.500.000", "30.000.000", "24,9"]


def test_next_year_plan_lists_activities_with_schedule_and_budget(cycle: Cycle) -> None:
    document = open_docx(build(cycle, DocumentKind.KE_HOACH))
    rows = [r for t in tables_with(document, "Nội dung hoạt động", "Thời gian") for r in t]
    activities = [r for r in rows if len(r) == 6]
    sct = cycle.activities["B1"].responsible.name
    b1 = next(r for r in activities if r[1].startswith("Hoạt động B1"))
    assert b1[1] == "Hoạt động B1 & kiểm thử (chuyển tiếp)"
    assert b1[2] == sct and b1[4:] == ["Tháng 1–6/2026", "Sản phẩm B1"]
    b2 = next(r for r in activities if r[1].startswith("Hoạt động B2"))
    assert b2[4] == "Tháng 3/2026"
    text = body_text(document)
    assert "Tổng kinh phí dự kiến thực hiện Kế hoạch năm 2026 là 501.234.567 đồng" in text
    assert "- Ngân sách tỉnh: 410.000.000 đồng;" in text
    assert "trong đó 1 hoạt động chuyển tiếp từ năm 2025" in text


def test_budget_estimate_totals_equal_lines_and_selector(cycle: Cycle) -> None:
    document = open_docx(build(cycle, DocumentKind.DU_TOAN))
    (rows,) = tables_with(document, "Nội dung hoạt động", "Tổng cộng")
    total = rows[-1]
    activities = [r for r in rows[:-1] if r[0].isdigit()]
    groups = [r for r in rows[:-1] if not r[0].isdigit()]
    assert total[1] == "TỔNG CỘNG"
    summary = budget_summary(cycle.upcoming)
    sources = ["NSTW", "NST", "NSH", "XHH", "LONG_GHEP"]
    # Activity rows: STT, title, agency, 5 sources, total; group and total rows merge two cells.
    for index, source in enumerate(sources):
        column = sum(vn_amount(r[3 + index]) for r in activities)
        assert vn_amount(total[2 + index]) == column == summary.planned_by_source[source]
        assert sum(vn_amount(g[2 + index]) for g in groups) == column
    assert vn_amount(total[-1]) == summary.planned_total == Decimal(501_234_567)
    assert total[-1] == "501.234.567"
    for row in activities:
        assert sum(vn_amount(c) for c in row[3:8]) == vn_amount(row[8])
    assert (
        "Bằng chữ: Năm trăm linh một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"
        in body_text(document)
    )


def test_text_from_users_stays_text(cycle: Cycle) -> None:
    """ "&" in a title is neither escaped twice nor read as markup."""
    text = body_text(open_docx(build(cycle, DocumentKind.DU_TOAN)))
    assert "Hoạt động B1 & kiểm thử" in text
    assert "&amp;" not in text


def test_a_title_that_looks_like_a_formula_stays_text_in_excel(cycle: Cycle) -> None:
    b1 = cycle.activities["B1"]
    b1.title = '=HYPERLINK("http://example.invalid","Bấm vào đây")'
    b1.save()
    book = workbook(build(cycle, DocumentKind.DU_TOAN, XLSX))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value]
    found = [c for c in cells if "HYPERLINK" in str(c.value)]
    assert found, "the activity is in the estimate"
    assert all(c.data_type == "s" and str(c.value).startswith("'=") for c in found)


def test_demo_data_are_labelled(cycle: Cycle) -> None:
    notice = "DỮ LIỆU MINH HỌA — KHÔNG PHẢI SỐ LIỆU CHÍNH THỨC"
    assert notice not in body_text(open_docx(build(cycle, DocumentKind.BAO_CAO)))
    SiteState.objects.update_or_create(pk=1, defaults={"has_demo_data": True})
    assert notice in body_text(open_docx(build(cycle, DocumentKind.BAO_CAO)))
    rows = sheet_rows(build(cycle, DocumentKind.DU_TOAN, XLSX), "Dự toán")
    assert rows[1][0] == notice


def test_no_next_year_plan_is_a_clear_error(cycle: Cycle) -> None:
    with pytest.raises(DocumentUnavailable, match="Chưa có kế hoạch triển khai năm 2027"):
        build(cycle, DocumentKind.KE_HOACH, year=2026)
    # The report still has its indicator part without an implementation plan.
    document = open_docx(build(cycle, DocumentKind.BAO_CAO, year=2027))
    assert "Chưa có kế hoạch triển khai năm 2027 trong hệ thống." in body_text(document)


# --- Excel ------------------------------------------------------------------------------------


def test_report_workbook_numbers(cycle: Cycle) -> None:
    book = workbook(build(cycle, DocumentKind.BAO_CAO, XLSX))
    assert book.sheetnames == ["Chỉ tiêu", "Hoạt động", "Kinh phí"]
    indicators = list(book["Chỉ tiêu"].iter_rows(min_row=4, values_only=True))
    evaluations = {e.indicator.code: e for e in plan_progress(plan=cycle.plan, year=REPORT_YEAR)}
    assert len(indicators) == len(evaluations)
    for row in indicators:
        e = evaluations[row[1]]
        expected = None if e.value is None else pytest.approx(float(e.value))
        assert row[4] == expected
        assert row[7] == e.status_label
    money = book["Kinh phí"]
    lines = list(money.iter_rows(min_row=4, max_row=8, values_only=True))
    total = next(money.iter_rows(min_row=9, max_row=9, values_only=True))
    summary = budget_summary(cycle.current, REPORT_DAY)
    assert total[1] == "Tổng cộng"
    assert total[2] == sum(r[2] for r in lines) == summary.planned_total
    assert total[3] == sum(r[3] for r in lines) == summary.spent_total
    assert money["C9"].number_format == "#,##0"
    assert money["A3"].font.b
    assert money.page_setup.orientation == "landscape"
    assert int(money.page_setup.paperSize) == int(money.PAPERSIZE_A4)
    assert money.column_dimensions["B"].width >= 30


def test_budget_workbook_totals(cycle: Cycle) -> None:
    rows = sheet_rows(build(cycle, DocumentKind.DU_TOAN, XLSX), "Dự toán")
    body = [r for r in rows[3:] if r[0] is not None or r[2] == "TỔNG CỘNG"]
    activities = [r for r in body if isinstance(r[0], int)]
    groups = [r for r in body if isinstance(r[0], str) and r[0]]
    total = next(r for r in body if r[2] == "TỔNG CỘNG")
    summary = budget_summary(cycle.upcoming)
    for index, source in enumerate(["NSTW", "NST", "NSH", "XHH", "LONG_GHEP"]):
        column = sum(r[4 + index] for r in activities)
        assert total[4 + index] == column == summary.planned_by_source[source]
        assert sum(g[4 + index] for g in groups) == column
    assert total[9] == 501_234_567 == summary.planned_total
