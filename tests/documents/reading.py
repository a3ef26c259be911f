"""Reading generated Word and Excel files back, the way a person checks them."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from docx import Document
from openpyxl import load_workbook


def open_docx(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def cell_text(cell: Any) -> str:
    return " ".join(cell.text.split())


def table_rows(table: Any) -> list[list[str]]:
    """The rows of a table as texts, merged cells once."""
    rows = []
    for row in table.rows:
        texts: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            texts.append(cell_text(cell))
        rows.append(texts)
    return rows


def tables_with(document: Any, *headings: str) -> list[list[list[str]]]:
    """The tables whose first row has all the headings (as rows of texts, heading excluded)."""
    found = []
    for table in document.tables:
        rows = table_rows(table)
        if rows and all(any(h in cell for cell in rows[0]) for h in headings):
            found.append(rows[1:])
    return found


def body_text(document: Any) -> str:
    """Every paragraph of the body and of its tables, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def vn_amount(text: str) -> Decimal:
    """ "1.234.567" → 1234567; an empty cell is 0."""
    return Decimal(text.replace(".", "") or 0)


def sheet_rows(content: bytes, sheet: str) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook[sheet].iter_rows(values_only=True))


def workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))
