"""The importers (units, values, models, the filled Excel template) and the import page on
random files: an `ImportResult` (its problems in Vietnamese) or a stored import, never an
exception nor an HTTP 500; a refused file changes nothing in the database."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from benvung.core.importing import ImportResult
from benvung.ops.backup import fingerprint
from benvung.orgunits.services import orgunits_import
from benvung.reporting.services import values_import
from benvung.scpmodels.services import scpmodels_import
from tests.fuzz.strategies import FUZZ_DB, any_file, cell_text
from tests.reporting.test_completeness import build_world

IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "orgunits": orgunits_import,
    "data": values_import,
    "models": scpmodels_import,
}
TABLES = [
    "orgunits.orgunit",
    "orgunits.parentlink",
    "datavalues.datavalue",
    "datavalues.historicaldatavalue",
    "scpmodels.scpmodel",
    "scpmodels.historicalscpmodel",
    "reporting.submission",
    "reporting.submissionevent",
]


@pytest.fixture
def world(db: None) -> Any:
    return build_world()


def _check(importer: Callable[..., ImportResult], data: bytes, name: str) -> ImportResult:
    before = fingerprint(labels=TABLES)
    result = importer(file=io.BytesIO(data), filename=name)
    assert isinstance(result, ImportResult)
    if not result.ok:
        assert all(p.message and p.file == name for p in result.problems)
        assert fingerprint(labels=TABLES) == before
    return result


@FUZZ_DB
@given(
    kind=st.sampled_from(sorted(IMPORTERS)),
    data=st.data(),
    name=st.sampled_from(["tep.csv", "tep.xlsx"]),
)
def test_importers_store_or_refuse_cleanly(world: Any, kind: str, data: Any, name: str) -> None:
    _check(IMPORTERS[kind], data.draw(any_file(kind)), name)


@FUZZ_DB
@given(cells=st.lists(st.tuples(st.integers(2, 40), st.integers(1, 12), cell_text), max_size=8))
def test_filled_template_with_random_cells(world: Any, cells: list[Any]) -> None:
    from benvung.orgunits.models import OrgUnit
    from benvung.reporting.excel import template_bytes, template_for
    from benvung.reporting.services import OPERATOR

    template = template_for(root=OrgUnit.objects.get(code="288"), year=2025, access=OPERATOR)  # type: ignore[arg-type]
    workbook = load_workbook(io.BytesIO(template_bytes(template)))
    sheet = workbook.worksheets[0]
    for row, column, text in cells:
        # openpyxl refuses control characters: such a cell is not in the file.
        with contextlib.suppress(IllegalCharacterError, ValueError):
            sheet.cell(row=row, column=column, value=text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _check(values_import, buffer.getvalue(), "mau-so-lieu.xlsx")


@FUZZ_DB
@given(
    kind=st.sampled_from(sorted(IMPORTERS)),
    data=st.data(),
    name=st.sampled_from(["tep.csv", "tep.xlsx", "tep.CSV"]),
    dry_run=st.booleans(),
)
def test_import_page_never_fails(
    world: Any, client: Client, kind: str, data: Any, name: str, dry_run: bool
) -> None:
    user = get_user_model().objects.get_or_create(
        username="quantri", defaults={"is_staff": True, "is_superuser": True}
    )[0]
    client.force_login(user)
    content = data.draw(any_file(kind))
    before = fingerprint(labels=TABLES)
    post = {"kind": kind, "file": SimpleUploadedFile(name, content)}
    if dry_run:
        post["dry_run"] = "on"
    response = client.post("/nhap-du-lieu/", post)
    assert response.status_code == 200
    page = response.content.decode()
    if dry_run or "Không nhập được" in page or "errorlist" in page:
        assert fingerprint(labels=TABLES) == before
