"""The page, fonts and blocks of an administrative document under Nghị định 30/2020/NĐ-CP,
drawn with python-docx: A4, Times New Roman, the header of the issuing body and the national
heading, the title, justified body paragraphs, tables, and the "Nơi nhận" and signature block.

`builder.py` uses these blocks to write the default Word templates; the text it puts in them
holds Jinja tags that docxtpl fills in when a document is generated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Times New Roman"
LANGUAGE = "vi-VN"

# ND 30/2020, Phụ lục I: A4; margins top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 20, 20
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 30, 15
HEADER_DISTANCE_MM = 10

BODY_SIZE = 14  # body text 13–14 pt
TABLE_SIZE = 12
FIRST_LINE_INDENT_CM = 1.27  # 1–1.27 cm
PARAGRAPH_SPACING_PT = 6  # at least 6 pt between paragraphs
LINE_SPACING = 1.15  # between single and 1.5 lines

STYLE_BODY = "Noi dung"
STYLE_SECTION = "Muc"
STYLE_SUBSECTION = "Tieu muc"
STYLE_TABLE = "Bang"
STYLE_TABLE_SMALL = "Bang nho"  # wide tables of amounts
STYLE_CAPTION = "Chu thich"
STYLE_PLAIN = "Khoi"  # header, title and signature blocks: centred lines, no spacing

PLACEHOLDER_COLOR = RGBColor(0x9C, 0x00, 0x06)
CELL_MARGINS_CM = 0.38


def text_width_cm(landscape: bool) -> float:
    """The width between the margins."""
    page = PAGE_HEIGHT_MM if landscape else PAGE_WIDTH_MM
    return (page - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10


def _set_fonts(rpr_parent: Any, size: int | None = None) -> None:
    """Times New Roman for every script (Word picks the East Asian slot for some Vietnamese
    characters), and the Vietnamese language so that Word's spelling checker reads it."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _paragraph_style(
    document: Any,
    name: str,
    *,
    size: int,
    align: Any,
    indent: bool,
    before: float,
    after: float = 0,
    bold: bool = False,
    italic: bool = False,
    keep_with_next: bool = False,
    line_spacing: float = LINE_SPACING,
) -> Any:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    _set_fonts(style.element, size)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM) if indent else Cm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = line_spacing
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    return style


def new_document(*, landscape: bool = False) -> Any:
    """An empty A4 document with the ND 30 margins, fonts and paragraph styles, and the page
    number centred at the top of every page but the first."""
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    else:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    justify, centre, left = (
        WD_ALIGN_PARAGRAPH.JUSTIFY,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.LEFT,
    )
    _paragraph_style(
        document, STYLE_BODY, size=BODY_SIZE, align=justify, indent=True,
        before=PARAGRAPH_SPACING_PT,
    )  # fmt: skip
    _paragraph_style(
        document, STYLE_SECTION, size=BODY_SIZE, align=justify, indent=True,
        before=PARAGRAPH_SPACING_PT * 2, bold=True, keep_with_next=True,
    )  # fmt: skip
    _paragraph_style(
        document, STYLE_SUBSECTION, size=BODY_SIZE, align=justify, indent=True,
        before=PARAGRAPH_SPACING_PT, bold=True, keep_with_next=True,
    )  # fmt: skip
    _paragraph_style(
        document, STYLE_TABLE, size=TABLE_SIZE, align=left, indent=False, before=2, after=2,
        line_spacing=1.0,
    )  # fmt: skip
    _paragraph_style(
        document, STYLE_TABLE_SMALL, size=TABLE_SIZE - 1, align=left, indent=False, before=2,
        after=2, line_spacing=1.0,
    )  # fmt: skip
    _paragraph_style(
        document, STYLE_CAPTION, size=13, align=centre, indent=False,
        before=PARAGRAPH_SPACING_PT, italic=True,
    )  # fmt: skip
    _paragraph_style(
        document, STYLE_PLAIN, size=13, align=centre, indent=False, before=0, line_spacing=1.0
    )  # fmt: skip

    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = centre
    _page_field(number)
    return document


def _page_field(paragraph: Any) -> None:
    """A PAGE field, so that Word and LibreOffice print the page's number."""
    run = paragraph.add_run()
    run.font.size = Pt(BODY_SIZE)
    run.font.name = FONT
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.text = "2"
            run._r.append(shown)


@dataclass(frozen=True)
class Text:
    """A run of text with its look; `size` None keeps the paragraph style's size."""

    text: str
    bold: bool = False
    italic: bool = False
    size: int | None = None
    underline: bool = False
    placeholder: bool = False


def add_runs(paragraph: Any, parts: Sequence[Text | str]) -> Any:
    """Append runs to a paragraph; a `placeholder` run is marked for the department to
    replace (highlighted and dark red)."""
    for part in parts:
        piece = Text(part) if isinstance(part, str) else part
        run = paragraph.add_run(piece.text)
        run.bold = piece.bold or None
        run.italic = piece.italic or None
        if piece.underline:
            run.underline = True
        if piece.size is not None:
            run.font.size = Pt(piece.size)
        if piece.placeholder:
            run.font.color.rgb = PLACEHOLDER_COLOR
            highlight = OxmlElement("w:highlight")
            highlight.set(qn("w:val"), "yellow")
            run._r.get_or_add_rPr().append(highlight)
    return paragraph


def para(
    container: Any,
    *parts: Text | str,
    style: str = STYLE_BODY,
    align: Any = None,
    before: float | None = None,
    after: float | None = None,
    keep_with_next: bool | None = None,
    indent_left_cm: float | None = None,
    indent_right_cm: float | None = None,
) -> Any:
    """A paragraph in a document or table cell, with the given runs."""
    paragraph = container.add_paragraph(style=style)
    add_runs(paragraph, parts)
    fmt = paragraph.paragraph_format
    if align is not None:
        fmt.alignment = align
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep_with_next is not None:
        fmt.keep_with_next = keep_with_next
    if indent_left_cm is not None:
        fmt.left_indent = Cm(indent_left_cm)
    if indent_right_cm is not None:
        fmt.right_indent = Cm(indent_right_cm)
    return paragraph


def tag(container: Any, text: str, style: str = STYLE_BODY) -> Any:
    """A paragraph holding only a docxtpl paragraph tag (`{%p for … %}`): docxtpl replaces the
    whole paragraph by the tag, so it leaves no empty line."""
    return para(container, text, style=style)


def rule(container: Any, *, width_cm: float, available_cm: float, before: float = 0) -> Any:
    """A short solid line centred in the available width: an empty paragraph with a top
    border, narrowed by equal left and right indents (Word and LibreOffice both draw it)."""
    side = max((available_cm - width_cm) / 2, 0)
    paragraph = para(
        container,
        style=STYLE_PLAIN,
        before=before,
        indent_left_cm=side,
        indent_right_cm=side,
    )
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr = paragraph._p.get_or_add_pPr()
    # pBdr comes before spacing and indentation in CT_PPr's sequence.
    anchor = ppr.find(qn("w:spacing"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)
    return paragraph


def _cell_width(cell: Any, width_cm: float) -> None:
    cell.width = Cm(width_cm)


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _fixed_layout(table: Any, widths_cm: Sequence[float]) -> None:
    """Fixed column widths (Word otherwise re-fits columns to their text)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            _cell_width(cell, width)


def layout_table(container: Any, widths_cm: Sequence[float], rows: int = 1) -> Any:
    """A borderless table that places blocks side by side (header, signature)."""
    table = container.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _fixed_layout(table, widths_cm)
    for row in table.rows:
        for cell in row.cells:
            # A new cell holds one empty paragraph; the blocks add their own.
            cell._tc.remove(cell.paragraphs[0]._p)
    return table


@dataclass(frozen=True)
class Column:
    """A column of a data table: heading, width, and alignment of its values."""

    heading: str
    width_cm: float
    align: Any = WD_ALIGN_PARAGRAPH.LEFT


def grid_table(
    container: Any, columns: Sequence[Column], heading_rows: int = 1, style: str = STYLE_TABLE
) -> Any:
    """A data table with borders, bold centred headings repeated on every page, and fixed
    widths; returns the table with its heading row(s) filled (the first heading row has the
    column headings)."""
    table = container.add_table(rows=heading_rows, cols=len(columns))
    table.style = container.part.document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, [c.width_cm for c in columns])
    for index, column in enumerate(columns):
        cell = table.rows[0].cells[index]
        write_cell(
            cell, [Text(column.heading, bold=True)], align=WD_ALIGN_PARAGRAPH.CENTER, style=style
        )
    for row in table.rows[:heading_rows]:
        tr_pr = row._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        tr_pr.append(header)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def write_cell(
    cell: Any, parts: Sequence[Text | str], *, align: Any = None, style: str = STYLE_TABLE
) -> Any:
    """Put runs in a table cell's (first) paragraph, in the table style."""
    paragraph = cell.paragraphs[0] if cell.paragraphs else cell.add_paragraph()
    paragraph.style = style
    add_runs(paragraph, parts)
    if align is not None:
        paragraph.paragraph_format.alignment = align
    return paragraph


def add_row(
    table: Any,
    values: Sequence[str],
    columns: Sequence[Column],
    *,
    bold: bool = False,
    merge: Sequence[tuple[int, int]] = (),
    aligns: dict[int, Any] | None = None,
    style: str = STYLE_TABLE,
    keep_with_next: bool = False,
) -> Any:
    """A row of a data table: one text (usually a Jinja tag) per column, aligned like its
    column; `merge` joins column ranges (first, last) whose text is the first one's."""
    row = table.add_row()
    # A row is never split across two pages (a split row reads as two activities).
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    skip: set[int] = set()
    for first, last in merge:
        row.cells[first].merge(row.cells[last])
        skip.update(range(first + 1, last + 1))
    for index, (value, column) in enumerate(zip(values, columns, strict=True)):
        if index in skip:
            continue
        align = (aligns or {}).get(index, column.align)
        parts = [Text(value, bold=bold)] if value else []
        paragraph = write_cell(row.cells[index], parts, align=align, style=style)
        if keep_with_next:
            # A group's heading row stays on the page of its first line.
            paragraph.paragraph_format.keep_with_next = True
    return row


def tag_row(table: Any, text: str, style: str = STYLE_TABLE) -> Any:
    """A row holding only a docxtpl row tag (`{%tr for … %}`): docxtpl replaces the row by it."""
    row = table.add_row()
    write_cell(row.cells[0], [text], style=style)
    return row


def header_block(container: Any, *, landscape: bool) -> Any:
    """The top of the first page (ND 30, ô 1–4): on the left the parent body, the issuing body
    in bold with a short rule under it, and the number line; on the right the national name,
    the motto with a rule under it, and the place and date line in italics."""
    width = text_width_cm(landscape)
    left = 6.4 if not landscape else 8.0
    right = width - left
    table = layout_table(container, [left, right], rows=2)
    body, nation = table.rows[0].cells
    para(body, "{{ hdr.parent_body }}", style=STYLE_PLAIN)
    para(body, Text("{{ hdr.body }}", bold=True), style=STYLE_PLAIN)
    # A cell's text area is its width less the default cell margins (2 × 0.19 cm).
    rule(body, width_cm=2.2, available_cm=left - CELL_MARGINS_CM, before=3)
    para(nation, Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12), style=STYLE_PLAIN)
    para(nation, Text("Độc lập - Tự do - Hạnh phúc", bold=True, size=14), style=STYLE_PLAIN)
    rule(nation, width_cm=6.2, available_cm=right - CELL_MARGINS_CM, before=3)
    number, place = table.rows[1].cells
    para(number, "{{ hdr.number_line }}", style=STYLE_PLAIN, before=6)
    para(place, Text("{{ hdr.date_line }}", italic=True, size=14), style=STYLE_PLAIN, before=6)
    return table


def title_block(
    container: Any, *, kind: str, title: str, landscape: bool, subtitle: str | None = None
) -> None:
    """The document type and its summary line (ô 5a), centred in bold, with a short rule."""
    para(
        container,
        Text(kind, bold=True, size=14),
        style=STYLE_PLAIN,
        before=24,
        keep_with_next=True,
    )
    para(container, Text(title, bold=True, size=14), style=STYLE_PLAIN, keep_with_next=True)
    if subtitle:
        para(container, Text(subtitle, italic=True, size=14), style=STYLE_PLAIN)
    rule(container, width_cm=4.0, available_cm=text_width_cm(landscape), before=4)


def closing_block(container: Any, *, landscape: bool) -> Any:
    """The foot of the document (ô 7, 9): "Nơi nhận:" and the recipients on the left, the
    signer's capacity, the space for the signature and seal, and the name on the right."""
    width = text_width_cm(landscape)
    left = 7.6 if not landscape else 12.0
    table = layout_table(container, [left, width - left])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    recipients, signature = table.rows[0].cells
    para(
        recipients,
        Text("Nơi nhận:", bold=True, italic=True, size=12),
        style=STYLE_PLAIN,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        before=12,
    )
    tag(recipients, "{%p for r in recipients %}", style=STYLE_PLAIN)
    para(
        recipients,
        Text("{{ r }}", size=11),
        style=STYLE_PLAIN,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    tag(recipients, "{%p endfor %}", style=STYLE_PLAIN)
    para(signature, Text("{{ signer.capacity }}", bold=True, size=14), style=STYLE_PLAIN, before=12)
    for _ in range(5):
        para(signature, "", style=STYLE_PLAIN, before=6)
    para(signature, Text("{{ signer.name }}", bold=True, size=14), style=STYLE_PLAIN, before=6)
    return table


def demo_notice(container: Any) -> None:
    """A line that says the figures are demo data, when they are."""
    tag(container, "{%p if demo %}", style=STYLE_PLAIN)
    para(
        container,
        Text("{{ demo }}", bold=True, italic=True, size=12),
        style=STYLE_PLAIN,
        before=6,
    )
    tag(container, "{%p endif %}", style=STYLE_PLAIN)
