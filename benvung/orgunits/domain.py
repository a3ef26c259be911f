"""Lineage of administrative units across a reform: territories, areas and apportioning.

Plain Python (no Django), so that the rules of the 2025 reform are tested without a database.
A `Step` says that on `date` (part of) `predecessor` became (part of) `successor`; a split
gives the part (`share`) of the predecessor that went to that successor. See docs/reform.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "AreaRoot",
    "Proposal",
    "Step",
    "apportion",
    "area_of_former",
    "area_of_successor",
    "main_successor",
    "propose_parent",
    "split_share_problems",
    "territory_after",
]

_ONE = Decimal(1)


@dataclass(frozen=True)
class Step:
    """One succession: `predecessor` → `successor` on `date`; `share` only for a split."""

    predecessor: str
    successor: str
    date: dt.date
    kind: str
    share: Decimal | None = None

    @property
    def weight(self) -> Decimal:
        """The part of the predecessor that went to the successor (1 unless split)."""
        return self.share if self.share is not None else _ONE


@dataclass(frozen=True)
class AreaRoot:
    """A unit whose subtree makes up (part of) an area; `weight` < 1 when only that part of
    the unit belongs to the area, so that its values are estimates."""

    code: str
    weight: Decimal

    @property
    def estimated(self) -> bool:
        return self.weight != _ONE


def territory_after(units: Iterable[str], steps: Iterable[Step]) -> set[str]:
    """`units` and every unit that descends from one of them through successions, however
    many reforms later (a commune merged in 2025 and split in 2030 reaches both parts)."""
    forward: dict[str, list[str]] = {}
    for step in steps:
        forward.setdefault(step.predecessor, []).append(step.successor)
    found = set(units)
    queue = list(found)
    while queue:
        for successor in forward.get(queue.pop(), ()):
            if successor not in found:
                found.add(successor)
                queue.append(successor)
    return found


def area_of_former(units: Iterable[str], steps: Iterable[Step]) -> list[AreaRoot]:
    """The area of former units (e.g. a district's communes) after their successions: the
    units themselves (weight 1) and each successor with the part of it that comes from them.

    The part of a successor is estimated as the sum of the shares it received from the area
    divided by the sum of the shares it received from all its predecessors (predecessors are
    taken as equal in size, since the data has no area of the parts): 1 when all of it comes
    from the area.
    """
    steps = list(steps)
    inside = set(units)
    received: dict[str, Decimal] = {}
    from_area: dict[str, Decimal] = {}
    for step in steps:
        received[step.successor] = received.get(step.successor, Decimal(0)) + step.weight
    roots = {code: AreaRoot(code, _ONE) for code in inside}
    # Follow the successions level by level, so that a later reform carries the area on.
    frontier = set(inside)
    while frontier:
        from_area = {}
        for step in steps:
            if step.predecessor in frontier and step.successor not in roots:
                part = step.weight * (
                    roots[step.predecessor].weight if step.predecessor in roots else _ONE
                )
                from_area[step.successor] = from_area.get(step.successor, Decimal(0)) + part
        frontier = set()
        for code, part in from_area.items():
            roots[code] = AreaRoot(code, min(_ONE, part / received[code]))
            frontier.add(code)
    return sorted(roots.values(), key=lambda root: root.code)


def area_of_successor(unit: str, steps: Iterable[Step]) -> list[AreaRoot]:
    """A unit's area back in time: the unit (weight 1) and every predecessor, however far
    back, with the part of it that went to the unit (a split predecessor counts with its
    share, so values taken from it are estimates)."""
    backward: dict[str, list[Step]] = {}
    for step in steps:
        backward.setdefault(step.successor, []).append(step)
    roots = {unit: AreaRoot(unit, _ONE)}
    queue = [unit]
    while queue:
        current = queue.pop()
        for step in backward.get(current, ()):
            if step.predecessor not in roots:
                roots[step.predecessor] = AreaRoot(
                    step.predecessor, step.weight * roots[current].weight
                )
                queue.append(step.predecessor)
    return sorted(roots.values(), key=lambda root: root.code)


def apportion(
    values: Mapping[str, Decimal], weights: Mapping[str, Decimal]
) -> tuple[Decimal | None, bool]:
    """The sum of an additive quantity over an area: Σ weight × value over the units with a
    value, and whether any of them was apportioned (weight ≠ 1: an estimate). Units without
    a weight are not in the area; None when no unit of the area has a value."""
    reported = [code for code in weights if code in values]
    if not reported:
        return None, False
    total = sum((weights[code] * values[code] for code in reported), Decimal(0))
    return total, any(weights[code] != _ONE for code in reported)


def main_successor(unit: str, steps: Iterable[Step]) -> str | None:
    """The successor that received the largest part of the unit (ties: the smallest code);
    None when the unit has no successor."""
    candidates = [step for step in steps if step.predecessor == unit]
    if not candidates:
        return None
    best = max(candidates, key=lambda step: (step.weight, _reverse(step.successor)))
    return best.successor


def _reverse(code: str) -> tuple[int, ...]:
    """A key that sorts codes in reverse, so that `max` prefers the smallest code on a tie."""
    return tuple(-ord(ch) for ch in code)


@dataclass(frozen=True)
class Proposal:
    """A proposed new parent for a unit from the reform day: `manual` when the lineage cannot
    choose (the old parent was a district, or had no successor), with the candidates."""

    unit: str
    old_parent: str
    new_parent: str
    manual: bool
    candidates: tuple[str, ...]
    reason: str


def propose_parent(
    unit: str,
    old_parent: str,
    old_parent_type: str,
    steps: Iterable[Step],
    *,
    district_communes: Iterable[str] = (),
) -> Proposal:
    """Where a unit (zone, cluster, craft village, supermarket, enterprise) should hang after
    its parent ceased: the commune its old commune mostly went to. A unit whose parent was a
    district (no commune known) gets a proposal flagged for a manual choice, with the
    successors of the district's communes as candidates."""
    steps = list(steps)
    if old_parent_type == "HUYEN":
        candidates = tuple(
            sorted(territory_after(district_communes, steps) - set(district_communes))
        )
        return Proposal(
            unit=unit,
            old_parent=old_parent,
            new_parent="",
            manual=True,
            candidates=candidates,
            reason="cấp trên cũ là cấp huyện, cần chọn xã, phường mới",
        )
    target = main_successor(old_parent, steps)
    if target is None:
        return Proposal(unit, old_parent, "", True, (), "cấp trên cũ không có đơn vị kế thừa")
    split = [s.successor for s in steps if s.predecessor == old_parent]
    reason = (
        "xã cũ được chia, đề xuất nơi nhận phần lớn nhất"
        if len(split) > 1
        else "xã cũ nhập vào đơn vị mới"
    )
    return Proposal(unit, old_parent, target, False, tuple(sorted(split)), reason)


def split_share_problems(steps: Iterable[Step]) -> dict[tuple[str, dt.date], Decimal]:
    """The splits (predecessor, date) whose shares do not sum to 1, with their sum."""
    sums: dict[tuple[str, dt.date], Decimal] = {}
    for step in steps:
        if step.kind == "SPLIT":
            key = (step.predecessor, step.date)
            sums[key] = sums.get(key, Decimal(0)) + step.weight
    return {key: total for key, total in sums.items() if total != _ONE}
