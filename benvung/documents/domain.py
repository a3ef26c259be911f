"""Pure rules of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) and of the
amounts they carry: the number line, the place and date line, amounts in words, shares.

No Django import: everything here is tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

# Blank spaces where the clerk writes the number or the day when the document is issued
# (drafts are signed before they are numbered).
BLANK_NUMBER = "\u00a0" * 7
BLANK_DAY = "\u00a0" * 5

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# The name of each group of three digits, from the right; groups past "tỷ" repeat the cycle
# ("nghìn tỷ", "triệu tỷ").
_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ")


def number_line(number: str, symbol: str) -> str:
    """The "Số:" line of the header: "Số: 15/BC-SCT", or "Số:" with a blank for the clerk
    when the document has no number yet."""
    number = number.strip()
    return f"Số: {number or BLANK_NUMBER}/{symbol}"


def document_symbol(kind_code: str, body_abbreviation: str) -> str:
    """The symbol after the number: the document type's abbreviation and the issuing body's
    ("BC" + "SCT" → "BC-SCT")."""
    return f"{kind_code}-{body_abbreviation}" if body_abbreviation else kind_code


def _two_digits(value: int) -> str:
    return f"{value:02d}"


def date_words(day: dt.date) -> str:
    """The date in words, "ngày 05 tháng 01 năm 2026": ND 30 writes a day below 10 and the
    months 1 and 2 with a leading zero (so that nothing can be added in front), other months
    without."""
    month = _two_digits(day.month) if day.month <= 2 else str(day.month)
    return f"ngày {_two_digits(day.day)} tháng {month} năm {day.year}"


def date_line(place: str, day: dt.date | None, year: int | None = None) -> str:
    """The place and date line of the header ("Hải Dương, ngày 15 tháng 12 năm 2026"); without
    a day, blanks for the day and month of issue in the given year."""
    if day is not None:
        return f"{place}, {date_words(day)}"
    shown_year = year if year is not None else dt.date.today().year
    return f"{place}, ngày{BLANK_DAY}tháng{BLANK_DAY}năm {shown_year}"


def _group_words(value: int, *, leading: bool) -> list[str]:
    """The words of a group of three digits (1–999). A group that is not the first one reads
    its hundreds even when zero ("một triệu không trăm linh năm nghìn")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def number_in_words(value: int) -> str:
    """A whole number in Vietnamese words, lower case ("một nghìn hai trăm ba mươi tư")."""
    if value < 0:
        return "âm " + number_in_words(-value)
    if value == 0:
        return _DIGITS[0]
    groups: list[int] = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    if len(groups) > len(_SCALES):
        raise ValueError("số quá lớn để đọc thành chữ")
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _group_words(group, leading=not words)
        if _SCALES[index]:
            words.append(_SCALES[index])
    return " ".join(words)


def amount_in_words(amount: Decimal | int) -> str:
    """An amount of money in words, as written under a budget table: "Một tỷ hai trăm triệu
    đồng" (whole đồng, rounded half up)."""
    whole = int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    text = number_in_words(whole)
    return f"{text[0].upper()}{text[1:]} đồng"


def share_percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` as a percentage of `whole`; None when there is nothing to divide by."""
    whole = Decimal(whole)
    if whole == 0:
        return None
    return Decimal(part) * 100 / whole


def sum_by_key(rows: Iterable[Mapping[str, Decimal]], keys: Iterable[str]) -> dict[str, Decimal]:
    """The column totals of a table whose rows map keys (funding sources) to amounts; a key a
    row lacks counts as 0, so that every key has a total."""
    totals = {key: Decimal(0) for key in keys}
    for row in rows:
        for key in totals:
            totals[key] += row.get(key, Decimal(0))
    return totals


def signer_lines(*, on_behalf: bool, head_title: str, signer_title: str) -> list[str]:
    """The capacity lines above the signature: "GIÁM ĐỐC" when the head signs, or
    "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" when a deputy signs on the head's behalf (ký thay)."""
    head = head_title.strip().upper()
    if not on_behalf:
        return [head]
    return [f"KT. {head}", signer_title.strip().upper()]


_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(number: int) -> str:
    """A positive number in Roman numerals, as the parts of a document are numbered (I, II…)."""
    if number <= 0:
        raise ValueError("chỉ đánh số La Mã cho số dương")
    text = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


def schedule_text(start: dt.date, end: dt.date) -> str:
    """When an activity runs, as a plan's table says it: "Cả năm 2027", "Tháng 6/2027",
    "Tháng 3–9/2027", or "11/2027–02/2028" across years."""
    if start.year != end.year:
        return f"{start.month:02d}/{start.year}–{end.month:02d}/{end.year}"
    if (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31):
        return f"Cả năm {start.year}"
    if start.month == end.month:
        return f"Tháng {start.month}/{start.year}"
    return f"Tháng {start.month}–{end.month}/{start.year}"


def join_names(names: Iterable[str]) -> str:
    """Names in running text, each once, in the order met: "A, B và C"."""
    unique = list(dict.fromkeys(n for n in names if n))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " và " + unique[-1]


def clean_text(text: str) -> str:
    """User text made safe for a Word run: docxtpl reads tab, bell and form feed as layout
    commands, so they become spaces; blank lines and outer spaces go."""
    for control in ("\t", "\a", "\f", "\r", "\v"):
        text = text.replace(control, " ")
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
