"""read_table on random bytes, random CSV, random XLSX: a table or the importer's own
Vietnamese problem report (`ImportRejected`), never another exception. No database."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from benvung.core.importing import FILE_COLUMN, ImportRejected, read_table
from tests.fuzz.strategies import FUZZ, HEADERS, any_file


@FUZZ
@given(data=any_file("data"), name=st.sampled_from(["so-lieu.csv", "so-lieu.xlsx", "x"]))
def test_read_table_reads_or_refuses(data: bytes, name: str) -> None:
    try:
        table = read_table(io.BytesIO(data), filename=name, required=HEADERS["data"][:3])
        rows = list(table)
    except ImportRejected as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file == name
            assert problem.message
            assert problem.column == FILE_COLUMN or problem.line >= 0
        return
    for line, row in rows:
        assert line > table.header_line
        assert set(row) <= set(table.columns)
    for problem in table.problems:
        assert problem.file == name
