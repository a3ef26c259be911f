"""`benvung import successions|parents`: all-or-nothing, `FILE:LINE: column: message` errors."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from benvung.orgunits.models import ParentLink, Succession
from benvung.orgunits.reform import parents_import, successions_import
from tests.reform.conftest import World


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def messages(result: Any) -> list[str]:
    return [str(p) for p in result.problems]


def test_successions_import_creates_a_transfer_and_updates_a_kind(world: World) -> None:
    result = successions_import(
        file=csv(
            "predecessor,successor,date,kind,share,legal_basis\n"
            "A,N3,2025-07-01,TRANSFER,,Nghị quyết minh họa\n"
            "A,N1,01/07/2025,MERGE,,Căn cứ mới\n"
        ),
        filename="ke-thua.csv",
    )
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (1, 1)
    transfer = Succession.objects.get(predecessor__code="A", successor__code="N3")
    assert transfer.kind == "TRANSFER"
    assert transfer.share is None
    assert Succession.objects.get(predecessor__code="A", successor__code="N1").legal_basis == (
        "Căn cứ mới"
    )
    # Each change keeps a history row (who, when, why).
    assert transfer.history.count() == 1


def test_successions_import_reports_every_bad_row_and_stores_nothing(world: World) -> None:
    before = Succession.objects.count()
    result = successions_import(
        file=csv(
            "predecessor,successor,date,kind,share\n"
            "X9,N1,2025-07-01,MERGE,\n"
            "A,N2,2025-13-01,MERGE,\n"
            "A,N2,2025-07-01,NHAP,\n"
            "A,N3,2025-07-01,MERGE,0.5\n"
            "C,C,2025-07-01,RENAME,\n"
        ),
        filename="sai.csv",
    )
    assert not result.ok
    assert messages(result) == [
        "sai.csv:2: predecessor: không có đơn vị mã 'X9' trong hệ thống",
        "sai.csv:3: date: ngày '2025-13-01' không tồn tại",
        "sai.csv:4: kind: hình thức 'NHAP' không hợp lệ, cần một trong: "
        "MERGE, SPLIT, RENAME, TRANSFER",
        "sai.csv:5: share: chỉ hình thức SPLIT mới có tỷ lệ, hãy để trống",
        "sai.csv:6: successor: đơn vị không thể kế thừa chính nó",
    ]
    assert Succession.objects.count() == before


def test_split_shares_must_sum_to_one_with_the_rows_already_stored(world: World) -> None:
    # B already goes 0.6 to N1 and 0.4 to N2; changing N2's part to 0.5 breaks the sum.
    result = successions_import(
        file=csv("predecessor,successor,date,kind,share\nB,N2,2025-07-01,SPLIT,0.5\n"),
        filename="chia.csv",
    )
    assert messages(result) == [
        "chia.csv:2: share: tổng tỷ lệ chia tách của 'B' ngày 2025-07-01 là 1.1, phải bằng 1"
    ]
    assert Succession.objects.get(predecessor__code="B", successor__code="N2").share == Decimal(
        "0.4"
    )
    missing = successions_import(
        file=csv("predecessor,successor,date,kind,share\nA,N3,2025-07-01,SPLIT,\n"),
        filename="chia.csv",
    )
    assert "chia.csv:2: share: chia tách cần tỷ lệ là số từ 0 đến 1 (ví dụ 0,35)" in messages(
        missing
    )
    # Shares are read as every number of an import is: one decimal mark, no exponent.
    exponent = successions_import(
        file=csv("predecessor,successor,date,kind,share\nA,N3,2025-07-01,SPLIT,1e-1\n"),
        filename="chia.csv",
    )
    assert "chia.csv:2: share: chia tách cần tỷ lệ là số từ 0 đến 1 (ví dụ 0,35)" in messages(
        exponent
    )


def test_parents_import_replaces_the_whole_history_of_a_unit(world: World) -> None:
    result = parents_import(
        file=csv(
            "code,parent,valid_from,valid_to\nKCN1,A,2020-01-01,2025-06-30\nKCN1,N1,2025-07-01,\n"
        ),
        filename="cap-tren.csv",
    )
    assert result.ok, messages(result)
    links = list(
        ParentLink.objects.filter(unit__code="KCN1")
        .order_by("valid_from")
        .values_list("parent__code", "valid_from", "valid_to")
    )
    assert links == [
        ("A", dt.date(2020, 1, 1), dt.date(2025, 6, 30)),
        ("N1", dt.date(2025, 7, 1), None),
    ]


def test_parents_import_refuses_overlaps_and_links_outside_validity(world: World) -> None:
    result = parents_import(
        file=csv(
            "code,parent,valid_from,valid_to\n"
            "KCN1,A,2020-01-01,\n"
            "KCN1,N1,2025-07-01,\n"
            "LN1,B,2020-01-01,2025-12-31\n"
            "ST1,,2025-07-01,\n"
        ),
        filename="cap-tren.csv",
    )
    assert messages(result) == [
        "cap-tren.csv:2: parent: quan hệ 2020-01-01 – … vượt ngoài thời gian hiệu lực của "
        "đơn vị cấp trên 'A' (2020-01-01 – 2025-06-30)",
        "cap-tren.csv:3: valid_from: quan hệ cấp trên của 'KCN1' chồng lên quan hệ ở dòng 2",
        "cap-tren.csv:4: parent: quan hệ 2020-01-01 – 2025-12-31 vượt ngoài thời gian hiệu lực "
        "của đơn vị cấp trên 'B' (2020-01-01 – 2025-06-30)",
        "cap-tren.csv:5: parent: thiếu mã đơn vị",
    ]
    assert ParentLink.objects.get(unit__code="KCN1").parent.code == "A"


def test_import_command_prints_problems_and_exits_1(
    world: World, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "ke-thua.csv"
    path.write_text("predecessor,successor,date,kind,share\nA,N9,2025-07-01,MERGE,\n", "utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "successions", str(path))
    assert exit_info.value.code == 1
    assert (
        "ke-thua.csv:2: successor: không có đơn vị mã 'N9' trong hệ thống"
        in capsys.readouterr().err
    )
    good = tmp_path / "cap-tren.csv"
    good.write_text(
        "code,parent,valid_from,valid_to\nST1,D,2020-01-01,2025-06-30\nST1,N2,2025-07-01,\n",
        "utf-8",
    )
    call_command("import", "parents", str(good))
    assert "Đã nhập 1 dòng" in capsys.readouterr().out
