"""Reads of the unit hierarchy: the tree as of a day, accent-insensitive search, a unit's page.

A tree costs two queries (the units valid that day and the parent links valid that day) and
is assembled in memory, whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from benvung.datavalues.models import DataValue
from benvung.indicators.domain.hierarchy import ParentLink as Link
from benvung.indicators.domain.hierarchy import subtree_members
from benvung.orgunits.models import OrgUnit, ParentLink, Sector, UnitType
from benvung.scpmodels.models import ScpModel

# Children are listed by type in this order (districts before communes before zones, …).
TYPE_ORDER = {code: index for index, code in enumerate(UnitType.values)}
TYPE_LABELS = dict(UnitType.choices)
SECTOR_LABELS = dict(Sector.choices)


def fold(text: str) -> str:
    """Lower-case `text` without Vietnamese diacritics, đ read as d, spaces collapsed.

    "Hải Dương" and "hai  duong" both give "hai duong", and the two ways of placing tone marks
    ("Hoà", "Hòa") give the same "hoa", so that a search box matches what users type.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class UnitSummary:
    """What the tree and the search results show of a unit."""

    code: str
    name: str
    type: str
    sector: str
    valid_from: dt.date
    valid_to: dt.date | None

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.type, self.type))

    @property
    def sector_label(self) -> str:
        return str(SECTOR_LABELS.get(self.sector, self.sector))


@dataclass
class TreeNode:
    """A unit in the tree of one day, with its children that day (only those leading to a
    match when the tree is filtered; `hidden_children` counts the others)."""

    unit: UnitSummary
    children: list[TreeNode] = field(default_factory=list)
    matched: bool = False
    hidden_children: int = 0

    @property
    def child_count(self) -> int:
        """How many units were directly under this one that day, shown or not."""
        return len(self.children) + self.hidden_children

    @property
    def descendant_count(self) -> int:
        return sum(1 + child.descendant_count for child in self.children)

    def walk(self) -> Iterator[TreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class OrgUnitTree:
    """The hierarchy of one day: the top-level units (possibly pruned by a filter), the
    number of units valid that day, and how many matched the filter (None without one)."""

    day: dt.date
    roots: list[TreeNode]
    total: int
    matched: int | None

    @property
    def filtered(self) -> bool:
        return self.matched is not None

    @property
    def root_groups(self) -> list[RootGroup]:
        """The top-level units grouped by type, in type order (units whose parent did not
        exist that day, e.g. zones after the districts were abolished, are top-level)."""
        groups: dict[str, list[TreeNode]] = {}
        for node in self.roots:
            groups.setdefault(node.unit.type, []).append(node)
        return [
            RootGroup(type=t, label=str(TYPE_LABELS.get(t, t)), nodes=nodes)
            for t, nodes in sorted(groups.items(), key=lambda item: TYPE_ORDER.get(item[0], 99))
        ]


@dataclass(frozen=True)
class RootGroup:
    type: str
    label: str
    nodes: list[TreeNode]


def _summaries(rows: Iterable[tuple[Any, ...]]) -> dict[str, UnitSummary]:
    return {row[0]: UnitSummary(*row) for row in rows}


_UNIT_FIELDS = ("code", "name", "type", "sector", "valid_from", "valid_to")


def _sort_key(node: TreeNode) -> tuple[int, str, str]:
    return (TYPE_ORDER.get(node.unit.type, 99), node.unit.code.zfill(12), node.unit.name)


def name_matches(name: str, folded_query: str) -> bool:
    """Whether the folded query occurs in the name at the start of a word ("hai duong"
    finds "Tỉnh Hải Dương" but not "Xã Thái Dương")."""
    folded = fold(name)
    start = folded.find(folded_query)
    while start != -1:
        if start == 0 or not folded[start - 1].isalnum():
            return True
        start = folded.find(folded_query, start + 1)
    return False


def _matches(unit: UnitSummary, *, types: frozenset[str], folded_query: str) -> bool:
    if types and unit.type not in types:
        return False
    if not folded_query:
        return True
    return name_matches(unit.name, folded_query) or unit.code.casefold().startswith(folded_query)


def _prune(node: TreeNode, *, types: frozenset[str], folded_query: str) -> TreeNode | None:
    """The node with only the branches leading to matching units; None when none does."""
    children = [
        kept
        for child in node.children
        if (kept := _prune(child, types=types, folded_query=folded_query)) is not None
    ]
    matched = _matches(node.unit, types=types, folded_query=folded_query)
    if not matched and not children:
        return None
    return TreeNode(
        unit=node.unit,
        children=children,
        matched=matched,
        hidden_children=node.child_count - len(children),
    )


def orgunit_tree_as_of(day: dt.date, *, types: Iterable[str] = (), query: str = "") -> OrgUnitTree:
    """The hierarchy as it stood on `day`: the units valid that day, each under the parent its
    link valid that day names (a unit without one, or whose parent was not valid, is a root).

    With `types` or `query` (accent-insensitive, over names; also a code prefix), only the
    matching units and their ancestors are kept.
    """
    units = _summaries(OrgUnit.objects.active_on(day).values_list(*_UNIT_FIELDS))
    links = (
        ParentLink.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("valid_from")
        .values_list("unit__code", "parent__code")
    )
    parent_of: dict[str, str] = {}
    for child, parent in links:
        parent_of.setdefault(child, parent)
    nodes = {code: TreeNode(unit=unit) for code, unit in units.items()}
    roots: list[TreeNode] = []
    for code, node in nodes.items():
        parent_node = nodes.get(parent_of.get(code, ""))
        if parent_node is None or parent_node is node:
            roots.append(node)
        else:
            parent_node.children.append(node)
    for node in nodes.values():
        node.children.sort(key=_sort_key)
    roots.sort(key=_sort_key)
    wanted_types = frozenset(types)
    folded_query = fold(query)
    if not wanted_types and not folded_query:
        return OrgUnitTree(day=day, roots=roots, total=len(nodes), matched=None)
    pruned = [
        kept
        for root in roots
        if (kept := _prune(root, types=wanted_types, folded_query=folded_query)) is not None
    ]
    matched = sum(1 for root in pruned for node in root.walk() if node.matched)
    return OrgUnitTree(day=day, roots=pruned, total=len(nodes), matched=matched)


def orgunit_search(
    query: str, *, day: dt.date | None = None, types: Iterable[str] = (), limit: int = 100
) -> list[UnitSummary]:
    """Units whose name contains `query` from the start of a word, ignoring case and
    diacritics ("hai duong" finds "Hải Dương"), or whose code starts with it; only those
    valid on `day` when given.

    Folding happens in Python (SQLite and PostgreSQL fold differently), over one query.
    """
    folded_query = fold(query)
    if not folded_query:
        return []
    units = OrgUnit.objects.all()
    if day is not None:
        units = units.active_on(day)
    wanted = frozenset(types)
    found = [
        unit
        for unit in _summaries(units.values_list(*_UNIT_FIELDS)).values()
        if _matches(unit, types=wanted, folded_query=folded_query)
    ]
    found.sort(key=lambda u: (TYPE_ORDER.get(u.type, 99), fold(u.name), u.code))
    return found[:limit]


def orgunit_get(code: str) -> OrgUnit | None:
    """The unit with this code, or None."""
    return OrgUnit.objects.filter(code=code).first()


def orgunit_parent_history(unit: OrgUnit) -> QuerySet[ParentLink]:
    """Every dated parent link of the unit, oldest first."""
    return unit.parent_links.select_related("parent").order_by("valid_from")


def orgunit_child_links(unit: OrgUnit) -> QuerySet[ParentLink]:
    """Every dated link naming the unit as parent (past and present children)."""
    return unit.child_links.select_related("unit").order_by(
        "unit__type", "unit__code", "valid_from"
    )


def orgunit_ancestors(unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """The unit's ancestors on `day`, top-level first (one query per level, ≤ 4 in practice)."""
    chain: list[OrgUnit] = []
    seen = {unit.pk}
    current = unit
    while True:
        link = (
            ParentLink.objects.filter(unit=current, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .select_related("parent")
            .order_by("valid_from")
            .first()
        )
        if link is None or link.parent_id in seen:
            break
        seen.add(link.parent_id)
        chain.append(link.parent)
        current = link.parent
    chain.reverse()
    return chain


def orgunit_data_values(unit: OrgUnit) -> QuerySet[DataValue]:
    """The values the unit reported, by element then period, with who last changed them."""
    return (
        DataValue.objects.filter(org_unit=unit)
        .select_related("data_element", "updated_by")
        .order_by("data_element__code", "period")
    )


def orgunit_models(unit: OrgUnit) -> QuerySet[ScpModel]:
    """The SCP models registered for the unit, by year."""
    return ScpModel.objects.filter(org_unit=unit).order_by("year", "code")


def orgunit_districts() -> QuerySet[OrgUnit]:
    """The district-level units (HUYEN), by code: the choices of a district filter."""
    return OrgUnit.objects.filter(type=UnitType.HUYEN).order_by("code")


def subtree_codes(roots: Iterable[str], start: dt.date, end: dt.date) -> frozenset[str]:
    """Codes of every unit in the subtree of any of the roots on some day of [start, end]
    (one query for the links)."""
    rows = (
        ParentLink.objects.filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("unit__code", "parent__code", "valid_from", "valid_to")
    )
    links = [Link(child=c, parent=p, valid_from=f, valid_to=t) for c, p, f, t in rows]
    members: set[str] = set()
    for root in roots:
        members |= subtree_members(links, root, start, end)
    return frozenset(members)
