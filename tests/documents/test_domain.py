"""The pure rules of the documents (no database): ND 30 number and date lines, amounts in
words, numbering, schedules, and the Word context of the sample data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from benvung.documents import domain
from benvung.documents.context import (
    annual_report_context,
    budget_estimate_context,
    collected,
    implementation_plan_context,
)
from benvung.documents.data import sample_next_year, sample_report, sentence_name


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2026, 12, 15), "ngày 15 tháng 12 năm 2026"),
        (dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
    ],
)
def test_date_words_pad_days_below_ten_and_the_first_two_months(day: dt.date, words: str) -> None:
    assert domain.date_words(day) == words


def test_number_and_date_lines() -> None:
    assert domain.number_line("15", "BC-SCT") == "Số: 15/BC-SCT"
    assert domain.number_line(" ", "KH-SCT") == f"Số: {domain.BLANK_NUMBER}/KH-SCT"
    assert domain.document_symbol("BC", "SCT") == "BC-SCT"
    assert (
        domain.date_line("Hải Dương", dt.date(2026, 12, 15))
        == "Hải Dương, ngày 15 tháng 12 năm 2026"
    )
    blank = domain.date_line("Hải Dương", None, 2026)
    assert blank.replace("\u00a0", " ").split() == [
        "Hải", "Dương,", "ngày", "tháng", "năm", "2026"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_000, "Một nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_234_567, "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (3_000_050_000, "Ba tỷ không trăm năm mươi nghìn đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (Decimal("999.6"), "Một nghìn đồng"),
    ],
)
def test_amount_in_words(amount: int | Decimal, words: str) -> None:
    assert domain.amount_in_words(amount) == words


def test_roman_and_schedules() -> None:
    assert [domain.roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    with pytest.raises(ValueError):
        domain.roman(0)
    assert domain.schedule_text(dt.date(2027, 1, 1), dt.date(2027, 12, 31)) == "Cả năm 2027"
    assert domain.schedule_text(dt.date(2027, 6, 1), dt.date(2027, 6, 30)) == "Tháng 6/2027"
    assert domain.schedule_text(dt.date(2027, 3, 1), dt.date(2027, 9, 30)) == "Tháng 3–9/2027"
    assert domain.schedule_text(dt.date(2027, 11, 1), dt.date(2028, 2, 1)) == "11/2027–02/2028"


def test_names_signers_and_text() -> None:
    assert domain.join_names(["A", "B", "A", "", "C"]) == "A, B và C"
    assert domain.join_names(["A"]) == "A"
    assert domain.signer_lines(on_behalf=False, head_title="Giám đốc", signer_title="") == [
        "GIÁM ĐỐC"
    ]
    assert domain.signer_lines(
        on_behalf=True, head_title="Giám đốc", signer_title="Phó Giám đốc"
    ) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert domain.clean_text("  a\tb\a\n\n c \f") == "a b\nc"
    assert sentence_name("SỞ CÔNG THƯƠNG") == "Sở Công Thương"
    assert sentence_name("UBND tỉnh Hải Dương") == "UBND tỉnh Hải Dương"
    assert domain.share_percent(1, 0) is None
    assert domain.sum_by_key([{"a": Decimal(1)}, {"b": Decimal(2)}], ["a", "b", "c"]) == {
        "a": Decimal(1),
        "b": Decimal(2),
        "c": Decimal(0),
    }


def test_sample_contexts_have_every_part() -> None:
    report = annual_report_context(sample_report())
    assert report["hdr"]["number_line"] == "Số: 15/BC-SCT"
    assert report["signer"]["capacity"] == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert report["budget"]["total"] == {
        "planned": "490.000.000",
        "spent": "200.000.000",
        "rate": "40,8",
    }
    assert [c["caption"][:14] for c in report["indicators"]["charts"]] == ["Tỷ lệ thực hiệ"]
    assert report["indicators"]["charts"][0]["png"].startswith(b"\x89PNG")
    plan = implementation_plan_context(sample_next_year())
    assert plan["hdr"]["number_line"] == "Số: 15/KH-SCT"
    assert [g["number"] for g in plan["tasks"]["groups"]] == ["I", "II"]
    estimate = budget_estimate_context(sample_next_year())
    assert estimate["budget"]["total"]["nst"] == "450.000.000"
    assert estimate["budget"]["total"]["nstw"] == ""  # no money from that source: blank
    assert estimate["budget"]["total"]["total"] == "490.000.000"


def test_same_difficulty_from_several_agencies_is_listed_once() -> None:
    report = sample_report()
    assert collected(report.activities, "difficulties") == [
        "Kinh phí bố trí chậm (Sở Công Thương)."
    ]
