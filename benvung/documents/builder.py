"""The default Word templates of the three annual documents, written with python-docx.

`scripts/build_docx_templates.py` runs `build_all` and commits the result to
`templates_docx/`, so the shipped templates are reproducible. The text holds Jinja tags that
docxtpl fills in (`{{ … }}` values, `{%p … %}` paragraph loops, `{%tr … %}` table-row loops);
docs/documents.md lists the variables. A department that wants other wording downloads a
template, edits it in Word and uploads it on the documents page.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from benvung.documents.layout import (
    STYLE_BODY,
    STYLE_CAPTION,
    STYLE_PLAIN,
    STYLE_SECTION,
    STYLE_SUBSECTION,
    STYLE_TABLE_SMALL,
    Column,
    Text,
    add_row,
    closing_block,
    demo_notice,
    grid_table,
    header_block,
    new_document,
    para,
    tag,
    tag_row,
    title_block,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_docx"
CENTRE, RIGHT, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT

# File names of the defaults, by document kind (DocumentKind values).
FILE_NAMES = {
    "bao_cao": "bao-cao-ket-qua-nam.docx",
    "ke_hoach": "ke-hoach-trien-khai-nam-sau.docx",
    "du_toan": "du-toan-kinh-phi-nam-sau.docx",
}


def _placeholder(document: Any, text: str) -> None:
    para(document, Text(text, italic=True, placeholder=True))


def _closing(document: Any, text: str, *, landscape: bool = False) -> None:
    # The last sentence stays on the page of the signature block.
    para(document, text, keep_with_next=True)
    closing_block(document, landscape=landscape)


def activities_by_group(document: Any, columns: list[Column], cells: list[str]) -> None:
    """A table of the activities under a heading row per task group (`tasks.groups`), one
    row per activity with `cells`; closes the `{%p if tasks.groups %}` the caller opened."""
    table = grid_table(document, columns)
    tag_row(table, "{%tr for g in tasks.groups %}")
    add_row(
        table,
        ["{{ g.number }}", "{{ g.name }}", *[""] * (len(columns) - 2)],
        columns,
        bold=True,
        merge=[(1, len(columns) - 1)],
        keep_with_next=True,
    )
    tag_row(table, "{%tr for a in g.rows %}")
    add_row(table, cells, columns)
    tag_row(table, "{%tr endfor %}")
    tag_row(table, "{%tr endfor %}")
    tag(document, "{%p endif %}")


def annual_report() -> Any:
    """Báo cáo kết quả thực hiện Kế hoạch hành động SXTDBV năm Y."""
    doc = new_document()
    header_block(doc, landscape=False)
    title_block(
        doc,
        kind="BÁO CÁO",
        title=(
            "Kết quả thực hiện Kế hoạch hành động sản xuất và tiêu dùng bền vững\nnăm {{ year }}"
        ),
        landscape=False,
    )
    demo_notice(doc)
    para(
        doc,
        "Thực hiện {{ plan.decision_ref }} ban hành {{ plan.name }}; {{ hdr.body_name }} báo "
        "cáo kết quả thực hiện năm {{ year }} như sau:",
        before=18,
    )

    para(doc, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", style=STYLE_SECTION)
    para(doc, "{{ indicators.summary }}")
    tag(doc, "{%p for obj in indicators.objectives %}")
    para(doc, "{{ loop.index }}. {{ obj.name }}", style=STYLE_SUBSECTION)
    columns = [
        Column("STT", 1.3, CENTRE),
        Column("Chỉ tiêu", 6.3),
        Column("Kết quả năm {{ year }}", 2.5, RIGHT),
        Column("Mục tiêu", 3.1, CENTRE),
        Column("Đánh giá", 3.3, CENTRE),
    ]
    table = grid_table(doc, columns)
    tag_row(table, "{%tr for row in obj.rows %}")
    add_row(
        table,
        ["{{ row.stt }}", "{{ row.name }}", "{{ row.value }}", "{{ row.target }}",
         "{{ row.status }}"],
        columns,
    )  # fmt: skip
    tag_row(table, "{%tr endfor %}")
    tag(doc, "{%p for note in obj.notes %}")
    para(doc, "- {{ note }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for chart in indicators.charts %}")
    para(doc, "{{ chart.image }}", style=STYLE_PLAIN, before=12, keep_with_next=True)
    para(doc, "Biểu đồ {{ loop.index }}. {{ chart.caption }}", style=STYLE_CAPTION)
    tag(doc, "{%p endfor %}")

    para(doc, "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, HOẠT ĐỘNG", style=STYLE_SECTION)
    para(doc, "{{ tasks.summary }}")
    tag(doc, "{%p if tasks.groups %}")
    columns = [
        Column("STT", 1.3, CENTRE),
        Column("Nội dung hoạt động", 4.6),
        Column("Cơ quan chủ trì", 2.6),
        Column("Tình trạng", 2.2, CENTRE),
        Column("Tỷ lệ hoàn thành", 1.6, CENTRE),
        Column("Kết quả, sản phẩm", 4.2),
    ]
    activities_by_group(
        doc,
        columns,
        ["{{ a.stt }}", "{{ a.title }}", "{{ a.responsible }}", "{{ a.status }}",
         "{{ a.percent }}", "{{ a.outputs }}"],
    )  # fmt: skip

    para(doc, "III. TÌNH HÌNH THỰC HIỆN KINH PHÍ", style=STYLE_SECTION)
    para(doc, "{{ budget.summary }}")
    tag(doc, "{%p if budget.rows %}")
    para(doc, Text("Đơn vị tính: đồng", italic=True, size=12), style=STYLE_PLAIN, align=RIGHT)
    columns = [
        Column("STT", 1.3, CENTRE),
        Column("Nguồn kinh phí", 5.2),
        Column("Kế hoạch năm {{ year }}", 3.5, RIGHT),
        Column("Đã thực hiện", 3.5, RIGHT),
        Column("Tỷ lệ (%)", 3.0, RIGHT),
    ]
    table = grid_table(doc, columns)
    tag_row(table, "{%tr for row in budget.rows %}")
    add_row(
        table,
        ["{{ row.stt }}", "{{ row.source }}", "{{ row.planned }}", "{{ row.spent }}",
         "{{ row.rate }}"],
        columns,
    )  # fmt: skip
    tag_row(table, "{%tr endfor %}")
    add_row(
        table,
        ["", "Tổng cộng", "{{ budget.total.planned }}", "{{ budget.total.spent }}",
         "{{ budget.total.rate }}"],
        columns,
        bold=True,
        aligns={1: CENTRE},
    )  # fmt: skip
    tag(doc, "{%p endif %}")

    para(doc, "IV. KHÓ KHĂN, VƯỚNG MẮC", style=STYLE_SECTION)
    tag(doc, "{%p for item in difficulties %}")
    para(doc, "- {{ item }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not difficulties %}")
    para(doc, "Các cơ quan, đơn vị chưa báo cáo khó khăn, vướng mắc.")
    tag(doc, "{%p endif %}")

    para(doc, "V. ĐỀ XUẤT, KIẾN NGHỊ", style=STYLE_SECTION)
    tag(doc, "{%p for item in proposals %}")
    para(doc, "- {{ item }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not proposals %}")
    para(doc, "Các cơ quan, đơn vị chưa có đề xuất, kiến nghị.")
    tag(doc, "{%p endif %}")

    para(doc, "VI. ĐÁNH GIÁ CHUNG VÀ PHƯƠNG HƯỚNG NĂM {{ next_year }}", style=STYLE_SECTION)
    para(doc, "1. Đánh giá chung", style=STYLE_SUBSECTION)
    _placeholder(
        doc,
        "[Sở Công Thương đánh giá chung: kết quả nổi bật, chỉ tiêu chưa đạt và nguyên nhân, "
        "bài học kinh nghiệm.]",
    )
    para(doc, "2. Phương hướng, nhiệm vụ năm {{ next_year }}", style=STYLE_SUBSECTION)
    _placeholder(
        doc,
        "[Nhiệm vụ trọng tâm năm {{ next_year }} (chi tiết tại Kế hoạch triển khai thực hiện "
        "năm {{ next_year }}).]",
    )
    _closing(
        doc,
        "Trên đây là báo cáo kết quả thực hiện Kế hoạch hành động sản xuất và tiêu dùng bền "
        "vững năm {{ year }} của {{ hdr.body_name }}./.",
    )
    return doc


def implementation_plan() -> Any:
    """Kế hoạch triển khai thực hiện Kế hoạch hành động SXTDBV năm Y+1."""
    doc = new_document()
    header_block(doc, landscape=False)
    title_block(
        doc,
        kind="KẾ HOẠCH",
        title=(
            "Triển khai thực hiện Kế hoạch hành động sản xuất và tiêu dùng bền vững năm "
            "{{ plan_year }}"
        ),
        landscape=False,
    )
    demo_notice(doc)
    para(
        doc,
        "Căn cứ {{ plan.decision_ref }} ban hành {{ plan.name }}; căn cứ kết quả thực hiện "
        "năm {{ year }}, {{ hdr.body_name }} xây dựng Kế hoạch triển khai thực hiện năm "
        "{{ plan_year }} như sau:",
        before=18,
    )
    para(doc, "I. MỤC ĐÍCH, YÊU CẦU", style=STYLE_SECTION)
    para(doc, "1. Mục đích", style=STYLE_SUBSECTION)
    para(
        doc,
        "Cụ thể hóa các nhiệm vụ của Kế hoạch hành động sản xuất và tiêu dùng bền vững trong "
        "năm {{ plan_year }}; phân công rõ cơ quan chủ trì, cơ quan phối hợp, thời gian thực "
        "hiện và sản phẩm của từng hoạt động, phấn đấu hoàn thành các chỉ tiêu của Kế hoạch.",
    )
    para(doc, "2. Yêu cầu", style=STYLE_SUBSECTION)
    para(
        doc,
        "Các cơ quan, đơn vị được giao nhiệm vụ chủ động triển khai đúng tiến độ, bảo đảm "
        "hiệu quả, tiết kiệm; lồng ghép với các chương trình, kế hoạch khác có liên quan; "
        "định kỳ báo cáo kết quả thực hiện về {{ hdr.body_name }} để tổng hợp.",
    )
    para(doc, "II. NHIỆM VỤ VÀ HOẠT ĐỘNG", style=STYLE_SECTION)
    para(doc, "{{ tasks.summary }}")
    tag(doc, "{%p if tasks.groups %}")
    columns = [
        Column("STT", 1.3, CENTRE),
        Column("Nội dung hoạt động", 4.7),
        Column("Cơ quan chủ trì", 2.6),
        Column("Cơ quan phối hợp", 2.6),
        Column("Thời gian thực hiện", 2.0, CENTRE),
        Column("Sản phẩm", 3.3),
    ]
    activities_by_group(
        doc,
        columns,
        ["{{ a.stt }}", "{{ a.title }}", "{{ a.responsible }}", "{{ a.coordinating }}",
         "{{ a.schedule }}", "{{ a.outputs }}"],
    )  # fmt: skip

    para(doc, "III. KINH PHÍ THỰC HIỆN", style=STYLE_SECTION)
    para(doc, "{{ budget.summary }}")
    tag(doc, "{%p for row in budget.rows %}")
    para(doc, "- {{ row.source }}: {{ row.planned }} đồng;")
    tag(doc, "{%p endfor %}")
    para(doc, "(Chi tiết tại Dự toán kinh phí kèm theo.)")

    para(doc, "IV. TỔ CHỨC THỰC HIỆN", style=STYLE_SECTION)
    para(doc, "1. {{ hdr.body_name }}", style=STYLE_SUBSECTION)
    para(
        doc,
        "Là cơ quan thường trực, chủ trì hướng dẫn, đôn đốc, theo dõi việc thực hiện Kế hoạch; "
        "tổng hợp kết quả, báo cáo {{ plan.issuing_body }} và Bộ Công Thương theo quy định.",
    )
    para(doc, "2. Các cơ quan, đơn vị được giao chủ trì hoạt động", style=STYLE_SUBSECTION)
    para(
        doc,
        "{{ tasks.agencies }} chủ động triển khai các hoạt động được giao; báo cáo tiến độ, "
        "kết quả, khó khăn, vướng mắc và đề xuất về {{ hdr.body_name }} trước ngày "
        "{{ report_deadline }} để tổng hợp.",
    )
    para(doc, "3. Sở Tài chính", style=STYLE_SUBSECTION)
    para(
        doc,
        "Tham mưu bố trí kinh phí thực hiện Kế hoạch theo dự toán được duyệt và quy định về "
        "phân cấp ngân sách.",
    )
    _closing(
        doc,
        "Trên đây là Kế hoạch triển khai thực hiện Kế hoạch hành động sản xuất và tiêu dùng "
        "bền vững năm {{ plan_year }}; trong quá trình thực hiện, nếu có khó khăn, vướng mắc, "
        "các cơ quan, đơn vị phản ánh về {{ hdr.body_name }} để tổng hợp, báo cáo "
        "{{ plan.issuing_body }} xem xét, giải quyết./.",
    )
    return doc


def budget_estimate() -> Any:
    """Dự toán kinh phí thực hiện Kế hoạch hành động SXTDBV năm Y+1 (landscape: ND 30 lets a
    document whose tables are not an appendix be laid out across the A4 page)."""
    doc = new_document(landscape=True)
    header_block(doc, landscape=True)
    title_block(
        doc,
        kind="DỰ TOÁN",
        title=(
            "Kinh phí thực hiện Kế hoạch hành động sản xuất và tiêu dùng bền vững năm "
            "{{ plan_year }}"
        ),
        subtitle="(Kèm theo {{ plan_reference }})",
        landscape=True,
    )
    demo_notice(doc)
    para(doc, Text("Đơn vị tính: đồng", italic=True, size=12), style=STYLE_PLAIN, align=RIGHT,
         before=12)  # fmt: skip
    columns = [
        Column("STT", 1.2, CENTRE),
        Column("Nội dung hoạt động", 4.6),
        Column("Cơ quan chủ trì", 2.6),
        Column("Ngân sách trung ương", 2.75, RIGHT),
        Column("Ngân sách tỉnh", 2.75, RIGHT),
        Column("Ngân sách huyện", 2.75, RIGHT),
        Column("Xã hội hóa", 2.75, RIGHT),
        Column("Lồng ghép chương trình khác", 2.75, RIGHT),
        Column("Tổng cộng", 3.05, RIGHT),
    ]
    small = STYLE_TABLE_SMALL
    table = grid_table(doc, columns, style=small)
    tag_row(table, "{%tr for g in budget.groups %}", style=small)
    add_row(
        table,
        ["{{ g.number }}", "{{ g.name }}", "", "{{ g.nstw }}", "{{ g.nst }}", "{{ g.nsh }}",
         "{{ g.xhh }}", "{{ g.long_ghep }}", "{{ g.total }}"],
        columns,
        bold=True,
        merge=[(1, 2)],
        style=small,
        keep_with_next=True,
    )  # fmt: skip
    tag_row(table, "{%tr for a in g.rows %}", style=small)
    add_row(
        table,
        ["{{ a.stt }}", "{{ a.title }}", "{{ a.responsible }}", "{{ a.nstw }}", "{{ a.nst }}",
         "{{ a.nsh }}", "{{ a.xhh }}", "{{ a.long_ghep }}", "{{ a.total }}"],
        columns,
        style=small,
    )  # fmt: skip
    tag_row(table, "{%tr endfor %}", style=small)
    tag_row(table, "{%tr endfor %}", style=small)
    add_row(
        table,
        ["", "TỔNG CỘNG", "", "{{ budget.total.nstw }}", "{{ budget.total.nst }}",
         "{{ budget.total.nsh }}", "{{ budget.total.xhh }}", "{{ budget.total.long_ghep }}",
         "{{ budget.total.total }}"],
        columns,
        bold=True,
        merge=[(1, 2)],
        aligns={1: CENTRE},
        style=small,
    )  # fmt: skip
    para(
        doc,
        Text("Bằng chữ: ", italic=True),
        Text("{{ budget.total_words }}", italic=True),
        before=6,
    )
    para(doc, "{{ budget.note }}", style=STYLE_BODY, keep_with_next=True)
    closing_block(doc, landscape=True)
    return doc


BUILDERS = {
    "bao_cao": annual_report,
    "ke_hoach": implementation_plan,
    "du_toan": budget_estimate,
}


def build_all(directory: Path = TEMPLATES_DIR) -> list[Path]:
    """Write the three default templates into `directory`; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, build in BUILDERS.items():
        path = directory / FILE_NAMES[kind]
        document = build()
        _fix_core_properties(document)
        buffer = io.BytesIO()
        document.save(buffer)
        path.write_bytes(_stable_zip(buffer.getvalue()))
        written.append(path)
    return written


def _stable_zip(data: bytes) -> bytes:
    """The same .docx with a fixed time on every part, so that building the templates twice
    gives the same bytes (and the committed files only change when their content does)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return output.getvalue()


def _fix_core_properties(document: Any) -> None:
    """Fixed core properties, so that building twice gives the same content (python-docx
    would otherwise stamp the time and its own name)."""
    props = document.core_properties
    props.author = "Sở Công Thương"
    props.last_modified_by = "Sở Công Thương"
    props.title = ""
    props.comments = ""
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    props.created = stamp
    props.modified = stamp
    props.revision = 1
