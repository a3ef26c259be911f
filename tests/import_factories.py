"""Helpers for the import tests: interchange files written to a temporary folder."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from benvung.core.importing import ImportResult
from benvung.orgunits.models import OrgUnit
from tests.factories import OrgUnitFactory

# The columns of the data-value interchange file.
VALUES_HEADER = "data_element,org_unit,period,value,unit,comment"
# Writes rows to a file of the given name and imports it: (name, rows, **import arguments).
Importer = Callable[..., ImportResult]


def csv_file(tmp_path: Path, name: str, text: str, *, bom: bool = False) -> Path:
    """`text` (its lines de-indented) written as a UTF-8 CSV file."""
    lines = [line.strip() for line in text.strip().splitlines()]
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + ("\n".join(lines) + "\n").encode())
    return path


def xlsx_file(
    tmp_path: Path,
    name: str,
    rows: Sequence[Sequence[Any]],
    *,
    merge: Sequence[str] = (),
    cached: dict[str, str] | None = None,
) -> Path:
    """A workbook whose first sheet holds `rows` (None = empty cell).

    `merge` lists ranges to merge ("E2:E3"). openpyxl writes formulas without a computed
    value; `cached` = {formula without "=": value} stores one, as Excel would have.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for cell_range in merge:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if cached:
        data = _with_cached_values(data, cached)
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _with_cached_values(data: bytes, cached: dict[str, str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = content.decode()
                for formula, value in cached.items():
                    # openpyxl writes an empty cached value as <v /> or, with lxml, <v></v>.
                    for empty in ("<v />", "<v></v>", "<v/>"):
                        text = text.replace(
                            f"<f>{formula}</f>{empty}", f"<f>{formula}</f><v>{value}</v>"
                        )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def run_import(importer: Callable[..., ImportResult], path: Path, **kwargs: Any) -> ImportResult:
    """Call an import service on a file the way the views and the command do."""
    with path.open("rb") as fh:
        return importer(file=fh, filename=path.name, **kwargs)


def lines(result: ImportResult) -> list[str]:
    """The problems as the command prints them."""
    return [str(problem) for problem in result.problems]


def enterprise(code: str, *, sector: str = "THEP", **kwargs: Any) -> OrgUnit:
    """An enterprise unit of the given sector."""
    return OrgUnitFactory(code=code, type="DOANH_NGHIEP", sector=sector, **kwargs)
