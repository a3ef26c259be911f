"""Demo data past the 2025 reform (`benvung init --demo`, called from `core.demo`).

After the pre-reform demo (2020–2025 on Hải Dương's units), this moves the demo zones,
clusters, craft villages, supermarkets and enterprises onto the new communes on 1/7/2025 the
way a co-ordinator would (the proposals of `reform.parent_proposals`, a seeded choice where
the proposal needs a manual one), then adds values reported by post-reform units: the new
communes' communication events for the second half of 2025 and for 2026, and 2026 values of
the units that carried on. Everything goes through the import services and is labelled as demo
("Dữ liệu minh họa", source "demo").
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal

from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit
from benvung.orgunits.reform import (
    MOVABLE_TYPES,
    REFORM_DAY,
    parent_proposals,
    parents_import,
    proposals_rows,
)

DEMO_COMMENT = "Dữ liệu minh họa"
DEMO_SOURCE = "demo"
YEAR_AFTER = 2026
COLUMNS = ("data_element", "org_unit", "period", "value", "unit", "comment")


def _csv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _check(result: object, what: str) -> None:
    problems = getattr(result, "problems", [])
    if problems:
        listing = "\n".join(str(p) for p in problems)
        raise RuntimeError(f"Nạp dữ liệu minh họa sau sắp xếp ({what}) thất bại:\n{listing}")


def _text(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")).normalize(), "f")


def reform_demo(*, seed: int) -> tuple[list[str], list[tuple[str, ...]]]:
    """Re-parent the demo units on the reform day and add post-reform demo values; the summary
    lines and the value rows (interchange columns), whose reports the caller creates."""
    from benvung.datavalues.services import datavalues_import

    rng = random.Random(seed * 31 + 2025)  # noqa: S311 -- demo data, not security
    proposals = parent_proposals()
    rows = proposals_rows(proposals)
    manual = 0
    for row in rows:
        if row[2] == REFORM_DAY.isoformat() and not row[1]:
            # The co-ordinator's choice among the candidates, here a seeded one.
            candidates = row[4].rsplit(": ", 1)[-1].split()
            row[1] = rng.choice(candidates)
            manual += 1
    result = parents_import(
        file=_csv(("code", "parent", "valid_from", "valid_to", "note"), rows),
        filename="minh-hoa-cap-tren-sau-sap-xep.csv",
    )
    _check(result, "cấp trên")

    values: list[tuple[str, ...]] = []

    def add(element: str, unit: str, year: int, value: str, measure: str = "") -> None:
        values.append((element, unit, str(year), value, measure, DEMO_COMMENT))

    new_communes = list(
        OrgUnit.objects.filter(type="XA", valid_from=REFORM_DAY).values_list("code", flat=True)
    )
    for code in sorted(new_communes):
        for year, chance in ((2025, 0.75), (YEAR_AFTER, 0.85)):
            if rng.random() < chance:
                events = rng.randint(1, 3)
                add("TT_SU_KIEN", code, year, str(events))
                add("TT_NGUOI", code, year, str(sum(rng.randint(40, 250) for _ in range(events))))

    carried = DataValue.objects.filter(
        year=2025,
        org_unit__is_demo=True,
        org_unit__type__in=MOVABLE_TYPES,
    ).values_list("data_element__code", "org_unit__code", "value", "unit")
    growth: dict[str, float] = {}
    for element, unit, value, measure in sorted(carried):
        if element in ("NT_HOAT_DONG", "NT_NGUOI"):
            continue
        if element == "BB_THAN_THIEN":
            add(element, unit, YEAR_AFTER, "1" if value or rng.random() < 0.5 else "0")
        elif element == "BB_NHAN_SINH_THAI":
            add(element, unit, YEAR_AFTER, str(int(value * Decimal(str(rng.uniform(1.0, 1.2))))))
        else:
            rate = growth.setdefault(unit, rng.uniform(0.98, 1.08))
            # Consumption grows a little slower than output: intensity keeps falling.
            factor = rate if element == "SX_SAN_LUONG" else rate * rng.uniform(0.97, 1.0)
            add(element, unit, YEAR_AFTER, _text(value * Decimal(str(factor))), measure)
    zones = OrgUnit.objects.filter(is_demo=True, type__in=("KCN", "CCN", "LANG_NGHE")).values_list(
        "code", "valid_to"
    )
    for code, valid_to in sorted(zones):
        if valid_to is None and rng.random() < 0.7:
            activities = rng.randint(1, 3)
            add("NT_HOAT_DONG", code, YEAR_AFTER, str(activities))
            add(
                "NT_NGUOI",
                code,
                YEAR_AFTER,
                str(sum(rng.randint(25, 180) for _ in range(activities))),
            )

    result = datavalues_import(
        file=_csv(COLUMNS, values), filename="minh-hoa-sau-sap-xep.csv", source=DEMO_SOURCE
    )
    _check(result, "số liệu")
    return [
        f"Minh họa sau sắp xếp 01/7/2025: {len(proposals)} đơn vị chuyển về xã, phường mới "
        f"({manual} chọn thủ công), {len(values)} số liệu đến năm {YEAR_AFTER}."
    ], values
