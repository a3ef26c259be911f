"""CT07, the chain-linked intensity index, on hand-made sectors with the arithmetic shown."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest

from benvung.indicators.domain.ct07 import (
    EnterpriseYear,
    IntensityResult,
    Link,
    LinkSums,
    chain_from_sums,
    chain_linked_reduction,
)
from benvung.indicators.domain.units import to_toe, to_tonnes

D = Decimal
B = 2020
Records = Mapping[str, Mapping[int, EnterpriseYear]]


def ey(consumption: str | None, output: str | None) -> EnterpriseYear:
    """An EnterpriseYear from strings, None kept."""
    return EnterpriseYear(
        consumption=None if consumption is None else D(consumption),
        output=None if output is None else D(output),
    )


# Two enterprises, 2020–2023, consumption in tonnes.
#
# 2021: A expects 100/1000 × 1100 = 110, B expects 50/200 × 200 = 50
#       L = (99 + 45) / (110 + 50) = 144 / 160 = 0.9
# 2022: A expects 99/1100 × 1000 = 90, B expects 45/200 × 225 = 50.625
#       L = (90 + 45) / (90 + 50.625) = 135 / 140.625 = 0.96
# 2023: A expects 90/1000 × 900 = 81, B expects 45/225 × 200 = 40
#       L = (81 + 27.9) / (81 + 40) = 108.9 / 121 = 0.9
# I(2021) = 0.9 → 10 %; I(2022) = 0.9 × 0.96 = 0.864 → 13.6 %;
# I(2023) = 0.864 × 0.9 = 0.7776 → 22.24 %.
TWO: Records = {
    "A": {
        2020: ey("100", "1000"),
        2021: ey("99", "1100"),
        2022: ey("90", "1000"),
        2023: ey("81", "900"),
    },
    "B": {
        2020: ey("50", "200"),
        2021: ey("45", "200"),
        2022: ey("45", "225"),
        2023: ey("27.9", "200"),
    },
}


@pytest.mark.parametrize(
    ("year", "value", "index"),
    [
        (2021, D("10"), D("0.9")),
        (2022, D("13.6"), D("0.864")),
        (2023, D("22.24"), D("0.7776")),
    ],
)
def test_two_enterprises(year: int, value: Decimal, index: Decimal) -> None:
    result = chain_linked_reduction(TWO, B, year)
    assert result.value == value
    assert result.index == index
    assert len(result.links) == year - B


def test_two_enterprises_links() -> None:
    result = chain_linked_reduction(TWO, B, 2023)
    assert result.links == (
        Link(2021, D("0.9"), ("A", "B")),
        Link(2022, D("0.96"), ("A", "B")),
        Link(2023, D("0.9"), ("A", "B")),
    )


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (B, IntensityResult(D(0), D(1), ())),
        (2019, IntensityResult(None, None, ())),
        (2000, IntensityResult(None, None, ())),
    ],
)
def test_base_year_and_before(year: int, expected: IntensityResult) -> None:
    assert chain_linked_reduction(TWO, B, year) == expected


def test_no_records_at_all_is_null_after_base() -> None:
    assert chain_linked_reduction({}, B, B) == IntensityResult(D(0), D(1), ())
    assert chain_linked_reduction({}, B, 2021) == IntensityResult(
        None, None, (Link(2021, None, ()),)
    )


# A gap: C did not report 2021, so it sits out the links 2021 (needs 2020 and 2021) and 2022
# (needs 2021 and 2022), and comes back for 2023 (needs 2022 and 2023).
#
# 2021: only A: L = 90 / (100/100 × 100) = 0.9
# 2022: only A: L = 80 / (90/100 × 100) = 80 / 90 = 0.888…
# 2023: A expects 80/100 × 100 = 80, C expects 60/50 × 50 = 60
#       L = (72 + 60) / (80 + 60) = 132 / 140 = 0.942857…
# Had C counted in 2023 with its 2020 intensity, the result would differ: it must not.
GAP: Records = {
    "A": {
        2020: ey("100", "100"),
        2021: ey("90", "100"),
        2022: ey("80", "100"),
        2023: ey("72", "100"),
    },
    "C": {2020: ey("500", "50"), 2022: ey("60", "50"), 2023: ey("60", "50")},
}


def test_missing_year_breaks_only_its_links() -> None:
    result = chain_linked_reduction(GAP, B, 2023)
    assert [link.enterprises for link in result.links] == [("A",), ("A",), ("A", "C")]
    ratios = [link.ratio for link in result.links]
    assert ratios[0] == D("0.9")
    assert ratios[1] == (D(80) / D(90)).quantize(D("1E-20"))
    assert ratios[2] == (D(132) / D(140)).quantize(D("1E-20"))
    # I = 0.9 × 8/9 × 33/35 = 0.8 × 33/35 = 26.4/35 = 0.754285714…; value = 24.5714285…
    assert result.index is not None and result.value is not None
    assert result.index.quantize(D("1E-12")) == (D("26.4") / D(35)).quantize(D("1E-12"))
    assert result.value.quantize(D("1E-10")) == D("24.5714285714")


# Consumption reported without output (None) or with zero output: no qualification either
# side of that year; the None consumption of E in 2021 likewise.
#
# 2021: A only (D's 2021 output is 0, E's 2021 consumption is missing):
#       L = 95 / (100/10 × 10) = 0.95
# 2022: A only (D's 2021 output is 0 again as Q(t−1); E's 2021 consumption missing):
#       L = 95 / (95/10 × 10) = 1
# 2023: A expects 95/10 × 10 = 95, D expects 20/4 × 5 = 25, E expects 30/3 × 3 = 30
#       L = (76 + 25 + 24) / (95 + 25 + 30) = 125 / 150 = 0.8333…
ZERO_OUTPUT: Records = {
    "A": {2020: ey("100", "10"), 2021: ey("95", "10"), 2022: ey("95", "10"), 2023: ey("76", "10")},
    "D": {2020: ey("20", "5"), 2021: ey("20", "0"), 2022: ey("20", "4"), 2023: ey("25", "5")},
    "E": {2020: ey("30", "3"), 2021: ey(None, "3"), 2022: ey("30", "3"), 2023: ey("24", "3")},
    "F": {2020: ey("9", None), 2021: ey("9", None), 2022: ey("9", None), 2023: ey("9", None)},
}


def test_zero_or_missing_output_and_missing_consumption_disqualify() -> None:
    result = chain_linked_reduction(ZERO_OUTPUT, B, 2023)
    assert [link.enterprises for link in result.links] == [("A",), ("A",), ("A", "D", "E")]
    assert [link.ratio for link in result.links][:2] == [D("0.95"), D(1)]
    # I = 0.95 × 1 × 5/6 = 0.791666…; value = 20.8333…
    assert result.index is not None and result.value is not None
    assert result.index.quantize(D("1E-15")) == D("0.791666666666667")
    assert result.value.quantize(D("1E-13")) == D("20.8333333333333")


# A year with no qualifying enterprise: nobody reported 2022, so link 2022 (2021→2022) and
# link 2023 (2022→2023) both lack enterprises, but 2021 still has a value.
#
# 2021: L = (80 + 40) / (100 + 50) = 0.8 → 20 %.
HOLE: Records = {
    "A": {2020: ey("100", "10"), 2021: ey("80", "10"), 2023: ey("70", "10")},
    "B": {2020: ey("50", "5"), 2021: ey("40", "5"), 2023: ey("35", "5")},
}


def test_year_without_qualifying_enterprise_nulls_from_then_on() -> None:
    assert chain_linked_reduction(HOLE, B, 2021).value == D(20)
    result = chain_linked_reduction(HOLE, B, 2022)
    assert result.value is None
    assert result.index is None
    assert result.links == (Link(2021, D("0.8"), ("A", "B")), Link(2022, None, ()))


# The chain stays broken even when a later link could be computed on its own.
#
# 2021: L = 50 / (100/10 × 10) = 0.5; link 2022: nobody; link 2023: A qualifies
# (2022 and 2023 both reported) but the chain has no base for it any more.
REBORN: Records = {
    "A": {2020: ey("100", "10"), 2021: ey("50", "10"), 2022: ey("60", "10"), 2023: ey("30", "10")},
    "B": {2020: ey("10", "1"), 2021: ey("9", "1")},
}
REBORN_BROKEN: Records = {
    "A": {2020: ey("100", "10"), 2021: ey("50", "10"), 2023: ey("30", "10")},
    "B": {2020: ey("10", "1"), 2021: ey("9", "1"), 2022: ey("9", "1"), 2023: ey("9", "1")},
}


def test_broken_chain_lists_later_links_without_ratio() -> None:
    # Control: without a hole every ratio is there.
    assert all(link.ratio is not None for link in chain_linked_reduction(REBORN, B, 2023).links)
    # Hole for A in 2022 while B keeps reporting: links still qualify through B.
    # 2021: (50 + 9)/(100 + 10) = 59/110; 2022: 9/9 = 1; 2023: 9/9 = 1.
    through_b = chain_linked_reduction(REBORN_BROKEN, B, 2023)
    assert [link.enterprises for link in through_b.links] == [("A", "B"), ("B",), ("B",)]
    assert through_b.value is not None
    # Now remove B from 2022 too: link 2022 has nobody; link 2023 has nobody either
    # (A lacks 2022, B lacks 2022).
    no_b: Records = {
        "A": REBORN_BROKEN["A"],
        "B": {2020: ey("10", "1"), 2021: ey("9", "1"), 2023: ey("9", "1")},
    }
    result = chain_linked_reduction(no_b, B, 2023)
    assert result.value is None and result.index is None
    assert [link.ratio for link in result.links][1:] == [None, None]


def test_later_qualifying_link_after_a_break_has_no_ratio() -> None:
    # Link 2022 has nobody (all 2021 outputs are 0), link 2023 has A and would be 0.5 alone.
    records: Records = {
        "A": {2020: ey("10", "1"), 2021: ey("10", "0"), 2022: ey("10", "1"), 2023: ey("5", "1")},
    }
    result = chain_linked_reduction(records, B, 2023)
    assert result.links == (
        Link(2021, None, ()),
        Link(2022, None, ()),
        Link(2023, None, ("A",)),
    )
    assert result.value is None


def test_zero_denominator_breaks_the_chain() -> None:
    # Every qualifying enterprise consumed nothing in 2020: Σ C(t−1)/Q(t−1) × Q(t) = 0.
    records: Records = {
        "A": {2020: ey("0", "10"), 2021: ey("5", "10")},
        "B": {2020: ey("0", "4"), 2021: ey("1", "4")},
    }
    result = chain_linked_reduction(records, B, 2021)
    assert result == IntensityResult(None, None, (Link(2021, None, ("A", "B")),))


def test_consumption_falling_to_zero_is_a_full_reduction() -> None:
    # L = 0 / (10/1 × 1) = 0 → I = 0 → 100 %.
    records: Records = {"A": {2020: ey("10", "1"), 2021: ey("0", "1")}}
    assert chain_linked_reduction(records, B, 2021).value == D(100)


def test_increase_in_intensity_is_negative() -> None:
    # L = 110 / (100/10 × 10) = 1.1 → 100 × (1 − 1.1) = −10.
    records: Records = {"A": {2020: ey("100", "10"), 2021: ey("110", "10")}}
    assert chain_linked_reduction(records, B, 2021).value == D(-10)


def test_output_growth_alone_is_not_a_reduction() -> None:
    # Output doubles and consumption doubles: the intensity is unchanged, L = 1.
    records: Records = {"A": {2020: ey("100", "10"), 2021: ey("200", "20")}}
    assert chain_linked_reduction(records, B, 2021).value == D(0)


def test_enterprise_entering_later_does_not_move_the_index() -> None:
    # N starts in 2022 with a huge consumption; it only joins from link 2023, compared with
    # itself, so its size does not swing the index. Both keep their intensity in 2023: L = 1.
    records: Records = {
        "A": {2020: ey("10", "1"), 2021: ey("9", "1"), 2022: ey("9", "1"), 2023: ey("9", "1")},
        "N": {2022: ey("10000", "10"), 2023: ey("10000", "10")},
    }
    result = chain_linked_reduction(records, B, 2023)
    assert [link.ratio for link in result.links] == [D("0.9"), D(1), D(1)]
    assert result.value == D(10)


# Mixed mass units: the data set TWO reported in kg, tạ, yến and tấn, converted with units.py
# before the call. Same tonnes, same result.
#   A: 100000 kg = 100 t, 990 tạ = 99 t, 90 tấn, 81000 kg
#   B: 500 tạ = 50 t, 4500 yến = 45 t, 45000 kg, 2790 yến = 27.9 t
MIXED_MASS = {
    "A": {2020: ("100000", "kg"), 2021: ("990", "tạ"), 2022: ("90", "Tấn"), 2023: ("81000", "kg")},
    "B": {2020: ("500", "tạ"), 2021: ("4500", "yến"), 2022: ("45000", "KG"), 2023: ("2790", "yến")},
}


def _convert(
    raw: dict[str, dict[int, tuple[str, str]]], outputs: Records, to_canonical: str
) -> Records:
    """Records with each raw (value, unit) converted to tonnes or TOE."""
    convert = to_tonnes if to_canonical == "mass" else to_toe
    return {
        code: {
            year: EnterpriseYear(convert(D(value), unit), outputs[code][year].output)
            for year, (value, unit) in years.items()
        }
        for code, years in raw.items()
    }


@pytest.mark.parametrize(("year", "value"), [(2021, D(10)), (2022, D("13.6")), (2023, D("22.24"))])
def test_mixed_mass_units(year: int, value: Decimal) -> None:
    records = _convert(MIXED_MASS, TWO, "mass")
    assert records["A"][2021].consumption == D(99)
    assert chain_linked_reduction(records, B, year).value == value


# Mixed energy units; electricity uses 1 MWh = 0.1543 TOE.
#   A (electricity): 2020 1000 MWh = 154.3 TOE, Q = 1000
#                    2021 1000000 kWh = 1000 MWh = 154.3 TOE, Q = 1000 (intensity unchanged)
#   B (fuel):        2020 6460.2324 GJ = 6460.2324 / 41.868 = 154.3 TOE, Q = 100
#                    2021 77.15 TOE, Q = 100 (intensity halved)
#   2021: A expects 154.3/1000 × 1000 = 154.3, B expects 154.3/100 × 100 = 154.3
#         L = (154.3 + 77.15) / (154.3 + 154.3) = 231.45 / 308.6 = 0.75 → 25 %.
# Converting electricity physically instead (1000 MWh = 3600 GJ = 85.98 TOE) would shrink A's
# weight: L = (85.98 + 77.15) / (85.98 + 154.3) ≈ 0.679 → about 32 %.
MIXED_ENERGY = {
    "A": {2020: ("1000", "MWh"), 2021: ("1000000", "kwh")},
    "B": {2020: ("6460.2324", "GJ"), 2021: ("77.15", "TOE")},
}
ENERGY_OUTPUT: Records = {
    "A": {2020: ey(None, "1000"), 2021: ey(None, "1000")},
    "B": {2020: ey(None, "100"), 2021: ey(None, "100")},
}


def test_mixed_energy_units() -> None:
    records = _convert(MIXED_ENERGY, ENERGY_OUTPUT, "energy")
    assert records["A"][2020].consumption == D("154.3")
    assert records["A"][2021].consumption == D("154.3")
    assert records["B"][2020].consumption == D("154.3")
    result = chain_linked_reduction(records, B, 2021)
    assert result.links == (Link(2021, D("0.75"), ("A", "B")),)
    assert result.value == D(25)


def test_mixed_energy_units_with_a_changed_unit_for_one_enterprise() -> None:
    # The same enterprise may switch units between years: A reports 2022 in GWh.
    # A 2022: 0.9 GWh = 900 MWh = 138.87 TOE, Q = 1000; expects 154.3.
    # B 2022: 2907.10458 GJ = 69.435 TOE, Q = 100; expects 77.15/100 × 100 = 77.15.
    # L = (138.87 + 69.435) / (154.3 + 77.15) = 208.305 / 231.45 = 0.9
    # I = 0.75 × 0.9 = 0.675 → 32.5 %.
    raw = {
        "A": {**MIXED_ENERGY["A"], 2022: ("0.9", "GWh")},
        "B": {**MIXED_ENERGY["B"], 2022: ("2907.10458", "gj")},
    }
    outputs: Records = {
        "A": {**ENERGY_OUTPUT["A"], 2022: ey(None, "1000")},
        "B": {**ENERGY_OUTPUT["B"], 2022: ey(None, "100")},
    }
    result = chain_linked_reduction(_convert(raw, outputs, "energy"), B, 2022)
    assert [link.ratio for link in result.links] == [D("0.75"), D("0.9")]
    assert result.index == D("0.675")
    assert result.value == D("32.5")


def test_result_types_are_decimal() -> None:
    result = chain_linked_reduction(TWO, B, 2023)
    assert isinstance(result.value, Decimal)
    assert isinstance(result.index, Decimal)
    assert all(isinstance(link.ratio, Decimal) for link in result.links)


# --- the same chain from each link's sums (what PostgreSQL adds up) -------------------------


def _sums_of(records: Records, base: int, year: int) -> dict[int, LinkSums]:
    """Each link's sums, added up by hand from the records (the arithmetic of the comment
    above TWO)."""
    sums: dict[int, LinkSums] = {}
    for t in range(base + 1, year + 1):
        count, actual, expected = 0, D(0), D(0)
        for years in records.values():
            before, now = years.get(t - 1), years.get(t)
            if before is None or now is None:
                continue
            if None in (before.consumption, before.output, now.consumption, now.output):
                continue
            if before.output <= 0 or now.output <= 0:  # type: ignore[operator]
                continue
            count += 1
            actual += now.consumption  # type: ignore[operator]
            expected += before.consumption * now.output / before.output  # type: ignore[operator]
        if count:
            sums[t] = LinkSums(enterprises=count, actual=actual, expected=expected)
    return sums


@pytest.mark.parametrize("records", [TWO, GAP, ZERO_OUTPUT, HOLE])
@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023])
def test_the_chain_from_sums_equals_the_chain_from_records(records: Records, year: int) -> None:
    from_records = chain_linked_reduction(records, B, year)
    from_sums = chain_from_sums(_sums_of(records, B, year), B, year)
    assert from_sums.value == from_records.value
    assert from_sums.index == from_records.index
    assert [(link.year, link.ratio, link.qualifying) for link in from_sums.links] == [
        (link.year, link.ratio, link.qualifying) for link in from_records.links
    ]


def test_a_link_with_no_enterprise_breaks_the_chain_from_sums() -> None:
    sums = {2021: LinkSums(enterprises=2, actual=D(90), expected=D(100))}
    result = chain_from_sums(sums, B, 2022)
    assert result.value is None
    assert [(link.ratio, link.qualifying) for link in result.links] == [(D("0.9"), 2), (None, 0)]
    assert chain_from_sums(sums, B, 2021).value == D(10)
