"""The pure rules of the reform: territories, areas, apportioning, proposals, definitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from benvung.indicators.domain.definitions import Version, breaks_in, windows_in_year
from benvung.indicators.domain.hierarchy import ParentLink, subtrees_members
from benvung.orgunits.domain import (
    Step,
    apportion,
    area_of_former,
    area_of_successor,
    main_successor,
    propose_parent,
    split_share_problems,
    territory_after,
)

DAY = dt.date(2025, 7, 1)
# A and B merge into N1, except 40 % of B that goes to N2; C is transferred in part to N3.
STEPS = [
    Step("A", "N1", DAY, "MERGE"),
    Step("B", "N1", DAY, "SPLIT", Decimal("0.6")),
    Step("B", "N2", DAY, "SPLIT", Decimal("0.4")),
    Step("C", "N3", DAY, "TRANSFER"),
]


def weights(roots: list) -> dict[str, Decimal]:
    return {root.code: root.weight for root in roots}


def test_territory_follows_merges_splits_and_later_reforms() -> None:
    later = [*STEPS, Step("N2", "M", dt.date(2030, 1, 1), "MERGE")]
    assert territory_after({"B"}, later) == {"B", "N1", "N2", "M"}
    assert territory_after({"A"}, STEPS) == {"A", "N1"}


def test_area_of_former_district_is_whole_when_all_predecessors_are_inside() -> None:
    assert weights(area_of_former({"A", "B"}, STEPS)) == {
        "A": 1,
        "B": 1,
        "N1": 1,
        "N2": 1,
    }


def test_area_of_former_commune_takes_part_of_a_merged_successor() -> None:
    # N1 received 1 (all of A) + 0.6 (of B): B's part of N1 is 0.6 / 1.6.
    roots = weights(area_of_former({"B"}, STEPS))
    assert roots["N1"] == Decimal("0.6") / Decimal("1.6")
    assert roots["N2"] == 1


def test_area_of_new_commune_reaches_back_with_split_shares() -> None:
    assert weights(area_of_successor("N1", STEPS)) == {"N1": 1, "A": 1, "B": Decimal("0.6")}
    assert weights(area_of_successor("N3", STEPS)) == {"N3": 1, "C": 1}


def test_apportion_multiplies_additive_values_by_share_and_marks_estimates() -> None:
    values = {"A": Decimal(100), "B": Decimal(50)}
    total, estimated = apportion(values, {"A": Decimal(1), "B": Decimal("0.6")})
    assert total == Decimal(130)
    assert estimated
    assert apportion(values, {"A": Decimal(1)}) == (Decimal(100), False)
    assert apportion({}, {"A": Decimal(1)}) == (None, False)


def test_main_successor_is_the_largest_part() -> None:
    assert main_successor("B", STEPS) == "N1"
    assert main_successor("A", STEPS) == "N1"
    assert main_successor("Z", STEPS) is None


def test_proposals_follow_the_commune_and_flag_district_parents() -> None:
    merged = propose_parent("KCN1", "A", "XA", STEPS)
    assert (merged.new_parent, merged.manual) == ("N1", False)
    split = propose_parent("LN1", "B", "XA", STEPS)
    assert (split.new_parent, split.manual, split.candidates) == ("N1", False, ("N1", "N2"))
    district = propose_parent("ST1", "D", "HUYEN", STEPS, district_communes={"A", "B"})
    assert district.manual
    assert district.new_parent == ""
    assert district.candidates == ("N1", "N2")


def test_split_shares_must_sum_to_one() -> None:
    assert split_share_problems(STEPS) == {}
    bad = [*STEPS[:2], Step("B", "N2", DAY, "SPLIT", Decimal("0.3"))]
    assert split_share_problems(bad) == {("B", DAY): Decimal("0.9")}


def test_definition_windows_split_the_reform_year() -> None:
    versions = [Version(DAY, {"unit_types": ["XA"]}, "quyết định", "ghi chú")]
    base = {"unit_types": ["HUYEN"]}
    [only] = windows_in_year(base, versions, 2024)
    assert only.version.parameters == base
    first, second = windows_in_year(base, versions, 2025)
    assert (first.start, first.end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert (second.start, second.end, second.version.parameters) == (
        DAY,
        dt.date(2025, 12, 31),
        {"unit_types": ["XA"]},
    )
    [after] = windows_in_year(base, versions, 2026)
    assert after.version.valid_from == DAY
    assert breaks_in(versions, range(2021, 2031)) == {2025: versions[0]}


def test_several_roots_share_one_walk_of_the_hierarchy() -> None:
    links = [
        ParentLink("Z", "A", dt.date(2020, 1, 1), dt.date(2025, 6, 30)),
        ParentLink("Z", "N1", DAY, None),
        ParentLink("A", "P", dt.date(2020, 1, 1), dt.date(2025, 6, 30)),
        ParentLink("N1", "C", DAY, None),
        ParentLink("Q", "N9", DAY, None),
    ]
    in_2025 = subtrees_members(links, ["P", "N1"], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert in_2025 == {"P", "N1", "A", "Z"}
    in_2026 = subtrees_members(links, ["P", "N1"], dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert in_2026 == {"P", "N1", "Z"}
