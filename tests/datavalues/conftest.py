"""Fixtures of the data-value import tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benvung.core.importing import ImportResult
from benvung.datavalues.services import datavalues_import
from benvung.plans.services import PLAN_DATA_DIR, plan_load_file
from tests.import_factories import VALUES_HEADER, Importer, csv_file, run_import


@pytest.fixture
def plan() -> None:
    """KH-2627 loaded: its data elements (with their units) and data sets."""
    plan_load_file(path=PLAN_DATA_DIR / "kh2627.json")


@pytest.fixture
def import_csv(tmp_path: Path) -> Importer:
    """Import CSV `rows` (de-indented, under `VALUES_HEADER`) from a file called `name`."""

    def run(name: str, rows: str, **kwargs: Any) -> ImportResult:
        path = csv_file(tmp_path, name, f"{VALUES_HEADER}\n{rows.strip()}")
        return run_import(datavalues_import, path, **kwargs)

    return run
