"""Messages built in code follow the active language; interchange files do not."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation

from benvung.core.importing import parse_decimal
from benvung.indicators.domain.progress import Status
from benvung.reporting.completeness import deadline_phrase
from tests.i18n.conftest import choose_english
from tests.web.conftest import Territory

DAY = dt.date(2025, 12, 20)


def test_progress_status_labels_follow_the_language() -> None:
    assert [Status.DAT.label, Status.CAN_DAY_NHANH.label] == ["Đạt", "Cần đẩy nhanh"]
    with translation.override("en"):
        assert [Status.DAT.label, Status.CAN_DAY_NHANH.label] == ["Achieved", "Needs acceleration"]
        assert Status.CHUA_CO_DU_LIEU.label == "No data"


def test_deadline_phrases_in_both_languages() -> None:
    assert deadline_phrase(DAY, DAY + dt.timedelta(days=5)) == "còn 5 ngày"
    with translation.override("en"):
        assert deadline_phrase(DAY, DAY + dt.timedelta(days=1)) == "1 day left"
        assert deadline_phrase(DAY, DAY + dt.timedelta(days=5)) == "5 days left"
        assert deadline_phrase(DAY, DAY) == "due today"
        assert deadline_phrase(DAY, DAY - dt.timedelta(days=3)) == "3 days overdue"


def test_import_errors_follow_the_language() -> None:
    with pytest.raises(ValueError, match="không phải là số"):
        parse_decimal("abc")
    with translation.override("en"), pytest.raises(ValueError, match="'abc' is not a number"):
        parse_decimal("abc")


@pytest.mark.django_db
def test_open_data_stays_vietnamese_for_an_english_visitor(
    client: Client, public: Territory
) -> None:
    choose_english(client)
    rows = json.loads(client.get("/du-lieu-mo/tien-do.json?nam=2023").content)["rows"]
    labels = {row["status_label"] for row in rows}
    assert "Chưa có dữ liệu" in labels and "No data" not in labels
