"""Hypothesis strategies for hostile and random import files, and the bound on examples.

`BENVUNG_FUZZ_EXAMPLES` sets how many examples each fuzz test tries (25 by default, half of it
for the tests through the database, so that tests/fuzz stays near a minute; docs/reliability.md
gives a long run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

EXAMPLES = int(os.environ.get("BENVUNG_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the checkout
    # Shrinking a failure can take minutes; the failing example is printed either way.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=os.environ.get("BENVUNG_FUZZ_RANDOM") is None,  # CI: the same examples
)

# Tests through the database and the web page cost about ten times more per example.
FUZZ_DB = settings(FUZZ, max_examples=max(5, EXAMPLES // 2))

# Words an importer knows, so that some random rows get past the first checks.
KNOWN = [
    "code", "name", "type", "parent", "valid_from", "valid_to", "sector", "data_element",
    "org_unit", "period", "value", "unit", "comment", "kind", "year", "description",
    "KCN", "XA", "HUYEN", "TINH", "DOANH_NGHIEP", "AP_DUNG", "NHAN_RONG", "NT_HOAT_DONG",
    "TT_NGUOI", "TH_NGUYEN_LIEU", "K1", "S1", "E1", "X1", "288", "2025", "2021Q1", "tấn",
]  # fmt: skip
HEADERS = {
    "orgunits": ["code", "name", "type", "parent", "valid_from", "valid_to", "sector"],
    "data": ["data_element", "org_unit", "period", "value", "unit", "comment"],
    "models": ["code", "name", "kind", "org_unit", "year", "description"],
}

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: str(d).replace(".", ",")
    ),
    st.sampled_from(["1.234,5", "1,234.5", "1e400", "-0", "NaN", "∞", "١٢٣", "12 345", ""]),
)
dates = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["2021-02-30", "31/04/2021", "0000-00-00", "9999-99-99", "2021-1-1"]),
)
cell_text = st.one_of(
    st.sampled_from(KNOWN),
    numbers,
    dates,
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["=1+1", "=SUM(A1:A3)", "#REF!", '"', "a\nb", "\ufeff", "\x00", " "]),
)


@st.composite
def csv_text(draw: Any, kind: str) -> bytes:
    """A CSV file: the kind's header (shuffled, missing or extra columns), random rows, one
    of the separators, a BOM or not, CRLF or LF, UTF-8 or something else."""
    columns = draw(
        st.lists(st.sampled_from([*HEADERS[kind], *KNOWN[:16], "x"]), min_size=0, max_size=9)
    )
    if draw(st.booleans()):
        columns = [*HEADERS[kind], *columns[:2]]
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    rows = draw(
        st.lists(
            st.lists(cell_text, min_size=0, max_size=len(columns) + 2), min_size=0, max_size=12
        )
    )

    def quote(text: str) -> str:
        if any(ch in text for ch in f'{separator}"\n\r'):
            return '"' + text.replace('"', '""') + '"'
        return text

    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [separator.join(quote(c) for c in row) for row in [columns, *rows]]
    text = newline.join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"]))
    return text.encode(encoding, errors="replace")


@st.composite
def xlsx_bytes(draw: Any, kind: str) -> bytes:
    """An XLSX file written by openpyxl: the kind's header or not, random cells of every
    type, formulas, merged cells, extra sheets."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = draw(st.sampled_from(["Số liệu", "Sheet", "x" * 31]))
    if draw(st.booleans()):
        sheet.append(HEADERS[kind])
    values = st.one_of(
        cell_text.map(lambda t: t.replace("\x00", "")),
        st.integers(min_value=-(2**60), max_value=2**60),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
        st.none(),
    )
    for row in draw(st.lists(st.lists(values, max_size=9), max_size=10)):
        # openpyxl refuses some text (control characters): such a row is not in the file.
        with contextlib.suppress(IllegalCharacterError, ValueError):
            sheet.append(row)
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        top = draw(st.integers(min_value=1, max_value=8))
        left = draw(st.integers(min_value=1, max_value=6))
        sheet.merge_cells(start_row=top, start_column=left, end_row=top + 1, end_column=left + 1)
    if draw(st.booleans()):
        workbook.create_sheet("Khác").append(["x", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def any_file(kind: str) -> st.SearchStrategy[bytes]:
    """Random bytes, random CSV or random XLSX, and damaged versions of them."""
    whole = st.one_of(st.binary(max_size=2000), csv_text(kind), xlsx_bytes(kind))
    return st.one_of(
        whole,
        st.tuples(
            xlsx_bytes(kind), st.integers(min_value=0, max_value=4000), st.binary(max_size=8)
        ).map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + len(t[2]) :]),
        st.tuples(xlsx_bytes(kind), st.integers(min_value=0, max_value=6000)).map(
            lambda t: t[0][: t[1]]
        ),
    )
