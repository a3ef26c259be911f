"""Writes and reads of the lineage across a reform: importing successions and parent-link
histories, the steps as domain objects, and the proposed re-parenting after a reform.

Imports follow the shared frame (`core.importing`): every row checked, every problem reported
as `FILE:LINE: column: message`, nothing stored unless there is none.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Container
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.db.models import Q

from benvung.core.importing import (
    ImportRejected,
    ImportResult,
    finish_import,
    format_validity,
    history_author,
    parse_date,
    parse_decimal,
    read_table,
    store_with_history,
)
from benvung.orgunits.domain import Proposal, Step, propose_parent, split_share_problems
from benvung.orgunits.models import OrgUnit, ParentLink, Succession, SuccessionKind, UnitType

REFORM_DAY = dt.date(2025, 7, 1)
# Units that hang under a commune and must follow it when it ceases.
MOVABLE_TYPES = ("KCN", "CCN", "LANG_NGHE", "SIEU_THI", "TTTM", "DOANH_NGHIEP")
AREA_TYPES = (UnitType.TINH, UnitType.HUYEN, UnitType.XA)


def _date(report: Any, column: str, text: str, *, required: bool = True) -> dt.date | None:
    if not text:
        if required:
            report(column, "thiếu ngày")
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        report(column, str(exc))
        return None


def _check_codes(
    report: Any, row: dict[str, str], columns: tuple[str, ...], units: dict[str, OrgUnit]
) -> None:
    """Report each of `columns` that is empty or names no known unit."""
    for column in columns:
        if not row[column]:
            report(column, "thiếu mã đơn vị")
        elif row[column] not in units:
            report(column, f"không có đơn vị mã '{row[column]}' trong hệ thống")


def _parent_histories(codes: list[str]) -> dict[str, list[tuple[str, dt.date, dt.date | None]]]:
    """{unit code: [(parent code, valid_from, valid_to)] by start} of the units' parent links."""
    history: dict[str, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    for c, p, f, t in (
        ParentLink.objects.filter(unit__code__in=codes)
        .order_by("valid_from")
        .values_list("unit__code", "parent__code", "valid_from", "valid_to")
    ):
        history[c].append((p, f, t))
    return history


def successions_import(
    *, file: BinaryIO | Path, filename: str, dry_run: bool = False, user: Any = None
) -> ImportResult:
    """Create or update successions from `predecessor,successor,date,kind,share[,legal_basis]`.

    A row with a known (predecessor, successor, date) updates it. SPLIT rows need a share in
    (0, 1], and the shares of one split (same predecessor and date, with the rows already
    stored) must sum to 1; other kinds take no share. All-or-nothing.
    """
    try:
        table = read_table(
            file, filename=filename, required=("predecessor", "successor", "date", "kind")
        )
        rows = list(table)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)
    codes = {row[c] for _, row in rows for c in ("predecessor", "successor") if row[c]}
    units = OrgUnit.objects.in_bulk(list(codes), field_name="code")
    kinds = ", ".join(SuccessionKind.values)
    parsed: list[tuple[int, Step, str]] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for line, row in rows:
        report = table.reporter(line)
        before = len(table.problems)
        _check_codes(report, row, ("predecessor", "successor"), units)
        if row["predecessor"] and row["predecessor"] == row["successor"]:
            report("successor", "đơn vị không thể kế thừa chính nó")
        day = _date(report, "date", row["date"])
        kind = row["kind"].upper()
        if kind not in SuccessionKind.values:
            report("kind", f"hình thức '{row['kind']}' không hợp lệ, cần một trong: {kinds}")
        share: Decimal | None = None
        raw_share = row.get("share", "").strip()
        if kind == SuccessionKind.SPLIT:
            try:
                share = parse_decimal(raw_share)
            except ValueError:
                report("share", "chia tách cần tỷ lệ là số từ 0 đến 1 (ví dụ 0,35)")
            else:
                if not Decimal(0) < share <= Decimal(1):
                    report("share", f"tỷ lệ {raw_share} phải lớn hơn 0 và không quá 1")
        elif raw_share and kind in SuccessionKind.values:
            report("share", "chỉ hình thức SPLIT mới có tỷ lệ, hãy để trống")
        if day is not None and row["predecessor"] in units and row["successor"] in units:
            before_unit, after_unit = units[row["predecessor"]], units[row["successor"]]
            if before_unit.valid_from >= day:
                report(
                    "date",
                    f"đơn vị '{before_unit.code}' bắt đầu từ "
                    f"{before_unit.valid_from.isoformat()}, không thể kế thừa trước đó",
                )
            if after_unit.valid_to is not None and after_unit.valid_to < day:
                report(
                    "date",
                    f"đơn vị '{after_unit.code}' đã chấm dứt ngày "
                    f"{after_unit.valid_to.isoformat()}",
                )
            key = (row["predecessor"], row["successor"], day)
            if key in seen:
                report("successor", f"trùng với dòng {seen[key]}")
            seen[key] = line
        if len(table.problems) == before and day is not None:
            parsed.append(
                (
                    line,
                    Step(row["predecessor"], row["successor"], day, kind, share),
                    row.get("legal_basis", ""),
                )
            )
    # The shares of one split, counting the rows already stored that the file does not replace.
    stored = [
        Step(p, s, d, k, sh)
        for p, s, d, k, sh in Succession.objects.filter(
            predecessor__code__in=[step.predecessor for _, step, _ in parsed]
        ).values_list("predecessor__code", "successor__code", "date", "kind", "share")
        if (p, s, d) not in seen
    ]
    bad = split_share_problems([*stored, *(step for _, step, _ in parsed)])
    first_line: dict[tuple[str, dt.date], int] = {}
    for line, step, _ in parsed:
        first_line.setdefault((step.predecessor, step.date), line)
    for (predecessor, day), total in sorted(bad.items()):
        table.add_problem(
            first_line.get((predecessor, day), 0),
            "share",
            f"tổng tỷ lệ chia tách của '{predecessor}' ngày {day.isoformat()} là "
            f"{total.normalize()}, phải bằng 1",
        )
    if table.problems:
        return ImportResult.rejected(table.problems, dry_run=dry_run)

    existing = {
        (s.predecessor.code, s.successor.code, s.date): s
        for s in Succession.objects.select_related("predecessor", "successor").filter(
            predecessor__code__in=[step.predecessor for _, step, _ in parsed]
        )
    }
    created: list[Succession] = []
    changed: list[Succession] = []
    unchanged = 0
    for _, step, legal in parsed:
        found = existing.get((step.predecessor, step.successor, step.date))
        if found is None:
            created.append(
                Succession(
                    predecessor=units[step.predecessor],
                    successor=units[step.successor],
                    date=step.date,
                    kind=step.kind,
                    share=step.share,
                    legal_basis=legal,
                )
            )
        elif (found.kind, found.share, found.legal_basis) != (step.kind, step.share, legal):
            found.kind, found.share, found.legal_basis = step.kind, step.share, legal
            changed.append(found)
        else:
            unchanged += 1

    def store() -> None:
        store_with_history(
            Succession,
            created,
            changed,
            fields=["kind", "share", "legal_basis"],
            user=history_author(user),
            reason=f"Nhập tệp {filename}",
            batch_size=1000,
        )

    return finish_import(
        table,
        created=len(created),
        updated=len(changed),
        unchanged=unchanged,
        dry_run=dry_run,
        store=store,
    )


def parents_import(
    *, file: BinaryIO | Path, filename: str, dry_run: bool = False, user: Any = None
) -> ImportResult:
    """Replace the parent-link history of every unit named in `code,parent,valid_from,valid_to`.

    The rows of a unit are its whole history (links not in the file are removed); its links
    may not overlap, must lie within the unit's validity and the parent's. All-or-nothing.
    """
    try:
        table = read_table(file, filename=filename, required=("code", "parent", "valid_from"))
        rows = list(table)
    except ImportRejected as exc:
        return ImportResult.rejected(exc.problems, dry_run=dry_run)
    codes = {row[c] for _, row in rows for c in ("code", "parent") if row[c]}
    units = OrgUnit.objects.in_bulk(list(codes), field_name="code")
    wanted: dict[str, list[tuple[int, str, dt.date, dt.date | None]]] = defaultdict(list)
    for line, row in rows:
        report = table.reporter(line)
        before = len(table.problems)
        _check_codes(report, row, ("code", "parent"), units)
        if row["code"] and row["code"] == row["parent"]:
            report("parent", "đơn vị không thể là cấp trên của chính nó")
        start = _date(report, "valid_from", row["valid_from"])
        end = _date(report, "valid_to", row.get("valid_to", ""), required=False)
        if start and end and end < start:
            report(
                "valid_to",
                f"ngày kết thúc {end.isoformat()} trước ngày bắt đầu {start.isoformat()}",
            )
        if len(table.problems) > before or start is None:
            continue
        unit, parent = units[row["code"]], units[row["parent"]]
        for who, label in ((unit, "đơn vị"), (parent, "đơn vị cấp trên")):
            if who.valid_from > start or (
                who.valid_to is not None and (end is None or who.valid_to < end)
            ):
                report(
                    "valid_from" if who is unit else "parent",
                    f"quan hệ {format_validity(start, end)} vượt ngoài thời gian hiệu lực của "
                    f"{label} '{who.code}' ({format_validity(who.valid_from, who.valid_to)})",
                )
        wanted[row["code"]].append((line, row["parent"], start, end))
    for code, links in wanted.items():
        ordered = sorted(links, key=lambda item: item[2])
        for (line_a, _, _, end_a), (line_b, _, start_b, _) in itertools.pairwise(ordered):
            if end_a is None or end_a >= start_b:
                table.add_problem(
                    line_b,
                    "valid_from",
                    f"quan hệ cấp trên của '{code}' chồng lên quan hệ ở dòng {line_a}",
                )
    if table.problems:
        return ImportResult.rejected(table.problems, dry_run=dry_run)
    current = _parent_histories(list(wanted))
    changed_codes = [
        code
        for code, links in wanted.items()
        if current.get(code, []) != [(p, f, t) for _, p, f, t in sorted(links, key=lambda i: i[2])]
    ]
    new_codes = [code for code in changed_codes if code not in current]

    def store() -> None:
        ids = [units[code].pk for code in changed_codes]
        ParentLink.objects.filter(unit_id__in=ids).delete()
        ParentLink.objects.bulk_create(
            ParentLink(unit=units[code], parent=units[p], valid_from=f, valid_to=t)
            for code in changed_codes
            for _, p, f, t in wanted[code]
        )

    return finish_import(
        table,
        created=len(new_codes),
        updated=len(changed_codes) - len(new_codes),
        unchanged=len(wanted) - len(changed_codes),
        dry_run=dry_run,
        store=store,
    )


# --- Reads ---------------------------------------------------------------------------------


def lineage_steps() -> list[Step]:
    """Every succession as a domain step (one query)."""
    return [
        Step(p, s, d, k, sh)
        for p, s, d, k, sh in Succession.objects.values_list(
            "predecessor__code", "successor__code", "date", "kind", "share"
        )
    ]


def commune_steps(communes: Container[str]) -> list[Step]:
    """The successions from one commune to another (`communes`: the codes of the communes)."""
    return [s for s in lineage_steps() if s.predecessor in communes and s.successor in communes]


def unit_lineage(unit: OrgUnit) -> tuple[list[Succession], list[Succession]]:
    """The unit's predecessors and successors (rows with dates, kinds, shares, legal basis)."""
    before = list(
        unit.predecessions.select_related("predecessor").order_by("date", "predecessor__code")
    )
    after = list(unit.successions.select_related("successor").order_by("date", "successor__code"))
    return before, after


def successor_names(unit: OrgUnit) -> str:
    """ "Name (code)" of the unit's successors, joined, for messages ("" when none)."""
    return ", ".join(
        f"{s.successor.name} ({s.successor.code})"
        for s in unit.successions.select_related("successor").order_by("-share", "successor__code")
    )


def parent_proposals(day: dt.date = REFORM_DAY) -> list[Proposal]:
    """For every unit of a movable type whose parent on the day before `day` ceased then and
    that has no link from `day` on, a proposed parent from the lineage."""
    before = day - dt.timedelta(days=1)
    steps = lineage_steps()
    links = list(
        ParentLink.objects.filter(valid_from__lte=before)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=before))
        .filter(unit__type__in=MOVABLE_TYPES, parent__valid_to=before)
        .select_related("unit", "parent")
        .order_by("unit__code")
    )
    already = set(
        ParentLink.objects.filter(
            valid_from__gte=day, unit__in=[link.unit for link in links]
        ).values_list("unit__code", flat=True)
    )
    communes: dict[str, list[str]] = defaultdict(list)
    for child, parent in ParentLink.objects.filter(
        unit__type=UnitType.XA, parent__type=UnitType.HUYEN
    ).values_list("unit__code", "parent__code"):
        communes[parent].append(child)
    return [
        propose_parent(
            link.unit.code,
            link.parent.code,
            link.parent.type,
            steps,
            district_communes=communes.get(link.parent.code, ()),
        )
        for link in links
        if link.unit.code not in already and link.unit.is_active_between(day, day)
    ]


def proposals_rows(proposals: list[Proposal], day: dt.date = REFORM_DAY) -> list[list[str]]:
    """A parents file (`code,parent,valid_from,valid_to` + a `note` column) for the proposals:
    for each unit its whole history, the old links cut the day before the reform, then the
    proposed parent (empty, with the candidates in the note, when it needs a manual choice)."""
    before = day - dt.timedelta(days=1)
    history = _parent_histories([p.unit for p in proposals])
    rows = []
    for proposal in proposals:
        for parent, start, end in history[proposal.unit]:
            if start < day:
                cut = before if end is None or end > before else end
                rows.append([proposal.unit, parent, start.isoformat(), cut.isoformat(), ""])
        note = proposal.reason
        if proposal.manual and proposal.candidates:
            note += "; chọn một trong: " + " ".join(proposal.candidates)
        rows.append([proposal.unit, proposal.new_parent, day.isoformat(), "", note])
    return rows


DATA_DIR = Path(__file__).resolve().parent / "data"
REFORM_UNITS = DATA_DIR / "haiphong_2025.csv"
REFORM_SUCCESSIONS = DATA_DIR / "reform_2025_successions.csv"


def reform_load() -> list[str]:
    """Load Hải Phòng's post-reform units and the 2025 successions (idempotent); summary lines.

    Called by `benvung init` after the Hải Dương file, whose units the successions name.
    """
    from benvung.orgunits.services import orgunits_import

    lines = []
    for path, importer, label in (
        (REFORM_UNITS, orgunits_import, "Đơn vị hành chính Hải Phòng sau sắp xếp"),
        (REFORM_SUCCESSIONS, successions_import, "Kế thừa đơn vị (sắp xếp 2025)"),
    ):
        with path.open("rb") as fh:
            result = importer(file=fh, filename=path.name)
        if not result.ok:
            raise RuntimeError("\n".join(str(p) for p in result.problems))
        lines.append(
            f"{label}: {result.created} mới, {result.updated} cập nhật, "
            f"{result.unchanged} không đổi."
        )
    return lines


PROPOSAL_COLUMNS = ("code", "parent", "valid_from", "valid_to", "note")


def write_proposals_csv(out: Any, proposals: list[Proposal]) -> int:
    """Write the parents file of the proposals to a text stream; the number of rows.

    The `note` column is for the reviewer (the import ignores columns it does not know);
    a row with an empty `parent` must be filled in before the import accepts the file."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PROPOSAL_COLUMNS)
    rows = proposals_rows(proposals)
    writer.writerows(rows)
    return len(rows)
