"""Forms of the reporting pages: the overview's filter, the entry grid, the decisions on a
report.

The entry grid only collects what was typed: the checks of the values themselves (numbers,
units, who may write, locked reports) are the service's (`values_save`), the same as for an
imported file, and come back per cell through `add_problems`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from benvung.orgunits.models import OrgUnit
from benvung.reporting.entry import (
    Cell,
    EntryGrid,
    Row,
    clamp_year,
    plan_years,
    shown_text,
)
from benvung.reporting.models import EventAction
from benvung.reporting.services import Entry

YEAR_FIELD = "nam"
UNIT_FIELD = "don-vi"
COMMENT_MAX = 500


class OverviewFilterForm(forms.Form):
    """`?nam=YYYY` (within the plan's years, the current year by default) and, for those who
    read every unit, `?don-vi=CODE`: the subtree to list (none: the review queue alone)."""

    def __init__(
        self, data: QueryDict | None = None, *, scope_units: list[OrgUnit] | None = None
    ) -> None:
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data[YEAR_FIELD] = str(clamp_year(data.get(YEAR_FIELD)))
        super().__init__(data)
        self.fields[YEAR_FIELD] = forms.TypedChoiceField(
            label=_("Năm"), choices=[(str(y), str(y)) for y in plan_years()], coerce=int
        )
        self.with_scope = scope_units is not None
        if scope_units is not None:
            choices = [("", str(_("— Chọn huyện —")))]
            choices += [(u.code, u.name) for u in scope_units]
            requested = data.get(UNIT_FIELD, "")
            if requested and requested not in {u.code for u in scope_units}:
                # Any unit's subtree may be asked for by URL: show it in the select too.
                unit = OrgUnit.objects.filter(code=requested).first()
                if unit is not None:
                    choices.append((unit.code, unit.name))
            self.fields[UNIT_FIELD] = forms.ChoiceField(
                label=_("Huyện / phạm vi"), choices=choices, required=False
            )

    @property
    def year(self) -> int:
        self.is_valid()
        return int(self.cleaned_data.get(YEAR_FIELD) or clamp_year(None))

    @property
    def scope(self) -> OrgUnit | None:
        if not self.with_scope or not self.is_valid():
            return None
        code = self.cleaned_data.get(UNIT_FIELD)
        return OrgUnit.objects.filter(code=code).first() if code else None


# --- The entry grid -----------------------------------------------------------------------------


def value_name(unit_code: str, element_code: str) -> str:
    return f"v:{unit_code}:{element_code}"


def unit_name(unit_code: str, element_code: str) -> str:
    return f"u:{unit_code}:{element_code}"


def original_name(unit_code: str, element_code: str) -> str:
    return f"o:{unit_code}:{element_code}"


def version_name(unit_code: str) -> str:
    return f"ver:{unit_code}"


def comment_name(unit_code: str) -> str:
    return f"c:{unit_code}"


def original_comment_name(unit_code: str) -> str:
    return f"oc:{unit_code}"


EMPTIED = _(
    "Ô này đã có số liệu: có thể sửa thành giá trị đúng nhưng không để trống được "
    "(giá trị đã lưu: %(value)s)."
)
BOOLEAN_CHOICES = [("", _("— chưa báo cáo —")), ("1", _("Có")), ("0", _("Không"))]


@dataclass
class FormCell:
    """A cell with its inputs (None for a read-only row) and its messages."""

    cell: Cell
    dom_id: str
    value: BoundField
    unit: BoundField | None
    original: BoundField
    problems: list[str] = field(default_factory=list)
    # After a conflict: what this user had typed, when someone else changed the value since.
    yours: str = ""

    @property
    def error_id(self) -> str:
        return f"{self.dom_id}-loi"


@dataclass
class FormRow:
    row: Row
    dom_id: str
    cells: list[FormCell]
    version: BoundField
    comment: BoundField
    original_comment: BoundField
    yours_comment: str = ""
    # The unit type's label on the first row of each type, when the form has several.
    group: str = ""

    @property
    def problems(self) -> list[str]:
        return [p for cell in self.cells for p in cell.problems]


class EntryForm(forms.Form):
    """The inputs of an `EntryGrid`: per cell a value (and a unit where the element has one)
    with the value shown when the form was opened, per row a note and the version of the
    unit's report. Locked rows get fields too, so that a value posted for them anyway reaches
    the service and is refused there, not silently dropped."""

    def __init__(self, data: QueryDict | None = None, *, grid: EntryGrid) -> None:
        super().__init__(data)
        self.grid = grid
        for r, row in enumerate(grid.rows):
            code = row.unit.code
            # Text, read leniently by `versions`: a version that is not a number counts as 0,
            # which any saved report contradicts (a conflict), never as "no check".
            self.fields[version_name(code)] = forms.CharField(
                required=False, initial=str(row.version), widget=forms.HiddenInput
            )
            self.fields[comment_name(code)] = forms.CharField(
                required=False,
                max_length=COMMENT_MAX,
                initial=row.comment,
                label=_("Ghi chú"),
                widget=forms.Textarea(
                    attrs={
                        "rows": 1,
                        "id": f"r{r}-ghi-chu",
                        "aria-label": gettext("Ghi chú — %(unit)s") % {"unit": row.unit.name},
                        "class": "entry-comment",
                    }
                ),
            )
            self.fields[original_comment_name(code)] = forms.CharField(
                required=False, initial=row.comment, widget=forms.HiddenInput, strip=False
            )
            for c, cell in enumerate(row.cells):
                self._add_cell_fields(row, cell, f"r{r}-c{c}")

    def _add_cell_fields(self, row: Row, cell: Cell, dom_id: str) -> None:
        code, element = row.unit.code, cell.column.code
        label = f"{cell.column.name} — {row.unit.name}"
        widget: forms.Widget
        if cell.column.is_boolean:
            widget = forms.Select(
                choices=BOOLEAN_CHOICES, attrs={"id": dom_id, "aria-label": label}
            )
        else:
            widget = forms.TextInput(
                attrs={
                    "id": dom_id,
                    "aria-label": label,
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "class": "entry-number",
                    "size": 8,
                }
            )
        self.fields[value_name(code, element)] = forms.CharField(
            required=False, max_length=40, initial=cell.value, widget=widget
        )
        self.fields[original_name(code, element)] = forms.CharField(
            required=False, initial=cell.original, widget=forms.HiddenInput
        )
        if cell.column.needs_unit:
            unit_label = gettext("Đơn vị tính — %(column)s — %(unit)s") % {
                "column": cell.column.name,
                "unit": row.unit.name,
            }
            if cell.column.free_unit:
                unit_widget: forms.Widget = forms.TextInput(
                    attrs={
                        "id": f"{dom_id}-dvt",
                        "aria-label": unit_label,
                        "class": "entry-unit",
                        "size": 6,
                        "placeholder": gettext("đơn vị"),
                        "list": "don-vi-san-pham",
                    }
                )
            else:
                choices = list(cell.column.unit_choices)
                if cell.unit and cell.unit not in choices:
                    choices.append(cell.unit)  # a unit stored from a file stays selectable
                unit_widget = forms.Select(
                    choices=[(u, u) for u in choices],
                    attrs={"id": f"{dom_id}-dvt", "aria-label": unit_label, "class": "entry-unit"},
                )
            self.fields[unit_name(code, element)] = forms.CharField(
                required=False, max_length=30, initial=cell.unit, widget=unit_widget
            )

    # --- what was typed ---------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in self.grid.rows:
            if not row.editable:
                continue
            for cell in row.cells:
                name = value_name(row.unit.code, cell.column.code)
                typed = (cleaned.get(name) or "").strip()
                # Judged on what the form showed: a value stored by someone else since is
                # the version check's business (a conflict), not an emptied cell.
                shown = (cleaned.get(original_name(row.unit.code, cell.column.code)) or "").strip()
                if shown and not typed:
                    self.add_error(
                        name, EMPTIED % {"value": shown_text(shown, cell.column.element)}
                    )
        return cleaned

    def _typed(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "").strip()

    def entries(self) -> list[Entry]:
        """The cells with a value, as the service takes them. A row's note goes with every
        value of the row when it was changed; otherwise each value keeps its own."""
        entries = []
        for row in self.grid.rows:
            code = row.unit.code
            note = self._typed(comment_name(code))
            note_changed = note != self._typed(original_comment_name(code))
            for cell in row.cells:
                element = cell.column.code
                value = self._typed(value_name(code, element))
                if not value:
                    continue
                unit = self._typed(unit_name(code, element)) if cell.column.needs_unit else ""
                comment = note if note_changed or cell.stored is None else cell.comment
                entries.append(Entry(code, element, value, unit, comment))
        return entries

    def versions(self) -> dict[str, int]:
        """The version each written unit's report had when the form was opened (0 when it
        had none, or when the form did not say)."""
        written = {entry.unit_code for entry in self.entries()}
        versions = {}
        for row in self.grid.rows:
            code = row.unit.code
            if code in written:
                seen = self._typed(version_name(code))
                versions[code] = int(seen) if seen.isdigit() else 0
        return versions

    def originals(self) -> dict[tuple[str, str], str]:
        return {
            (row.unit.code, cell.column.code): self._typed(
                original_name(row.unit.code, cell.column.code)
            )
            for row in self.grid.rows
            for cell in row.cells
        }

    def add_problems(self, problems: Mapping[tuple[str, str], list[str]]) -> None:
        """The service's problems, each beside its cell (the form's own for ("", ""))."""
        for (unit_code, element_code), messages in problems.items():
            name = value_name(unit_code, element_code) if unit_code else None
            if name is not None and name not in self.fields:
                name = None
            for message in messages:
                text = message[:1].upper() + message[1:]
                self.add_error(name, text)

    # --- after a conflict -------------------------------------------------------------------

    def keep_typing(self, previous: EntryForm) -> None:
        """Start from the current values (this unbound form) but keep what `previous` had
        typed: in the input where nobody else changed the value since, and beside it,
        as "yours", where somebody did."""
        self.yours: dict[str, str] = {}
        for row in self.grid.rows:
            code = row.unit.code
            for cell in row.cells:
                element = cell.column.code
                names = [value_name(code, element)]
                if cell.column.needs_unit:
                    names.append(unit_name(code, element))
                if not all(name in previous.fields for name in names):
                    continue
                typed = [previous._typed(name) for name in names]
                current = [str(self.initial.get(n, self.fields[n].initial) or "") for n in names]
                if typed == current or not typed[0]:
                    continue
                if previous._typed(original_name(code, element)) == cell.original:
                    for name, text in zip(names, typed, strict=True):
                        self.initial[name] = text
                else:
                    yours = shown_text(typed[0], cell.column.element)
                    self.yours[names[0]] = f"{yours} {typed[1]}" if len(typed) > 1 else yours
            note_name = comment_name(code)
            if note_name in previous.fields:
                note = previous._typed(note_name)
                if note != row.comment:
                    if previous._typed(original_comment_name(code)) == row.comment:
                        self.initial[note_name] = note
                    else:
                        self.yours[note_name] = note or gettext("(trống)")

    # --- for the template -------------------------------------------------------------------

    @cached_property
    def rows(self) -> list[FormRow]:
        """The grid's rows with their inputs and messages (read when rendering, after the
        form was checked and the service's problems added)."""
        yours = getattr(self, "yours", {})
        several_types = len({row.unit.type for row in self.grid.rows}) > 1
        rows = []
        previous_type = None
        for r, row in enumerate(self.grid.rows):
            code = row.unit.code
            cells = []
            for c, cell in enumerate(row.cells):
                element = cell.column.code
                value = self[value_name(code, element)]
                unit = self[unit_name(code, element)] if cell.column.needs_unit else None
                errors = [*value.errors, *(unit.errors if unit is not None else [])]
                form_cell = FormCell(
                    cell=cell,
                    dom_id=f"r{r}-c{c}",
                    value=value,
                    unit=unit,
                    original=self[original_name(code, element)],
                    problems=[str(error) for error in errors],
                    yours=yours.get(value.name, ""),
                )
                if self.is_bound and not row.editable:
                    typed = str(value.value() or "").strip()
                    if typed and typed != cell.value:
                        form_cell.yours = shown_text(typed, cell.column.element)
                if form_cell.problems:
                    value.field.widget.attrs.update(
                        {"aria-invalid": "true", "aria-describedby": form_cell.error_id}
                    )
                cells.append(form_cell)
            group = row.type_label if several_types and row.unit.type != previous_type else ""
            previous_type = row.unit.type
            rows.append(
                FormRow(
                    row=row,
                    dom_id=f"r{r}",
                    cells=cells,
                    version=self[version_name(code)],
                    comment=self[comment_name(code)],
                    original_comment=self[original_comment_name(code)],
                    yours_comment=yours.get(comment_name(code), ""),
                    group=group,
                )
            )
        return rows

    @property
    def problem_count(self) -> int:
        return sum(len(errors) for errors in self.errors.values())

    @property
    def problem_links(self) -> list[tuple[str, str, str]]:
        """(input id, "unit — element", message) of every cell's problem, for the summary."""
        links = []
        for row in self.rows:
            for cell in row.cells:
                where = f"{row.row.unit.name} — {cell.cell.column.name}"
                links += [(cell.dom_id, where, problem) for problem in cell.problems]
            where = gettext("%(unit)s — Ghi chú") % {"unit": row.row.unit.name}
            links += [(f"{row.dom_id}-ghi-chu", where, str(e)) for e in row.comment.errors]
        return links


# --- Decisions on a report ----------------------------------------------------------------------

DECISIONS = [
    (EventAction.SUBMIT.value, _("Gửi báo cáo")),
    (EventAction.APPROVE.value, _("Duyệt")),
    (EventAction.RETURN.value, _("Trả lại")),
    (EventAction.REOPEN.value, _("Mở lại")),
]
NEEDS_COMMENT = {
    EventAction.RETURN.value: _("Cần ghi rõ nội dung cần sửa khi trả lại báo cáo."),
    EventAction.REOPEN.value: _("Cần ghi lý do mở lại báo cáo đã duyệt."),
}


class DecisionForm(forms.Form):
    """One step of the workflow on a report; returning and reopening need a comment."""

    action = forms.ChoiceField(choices=DECISIONS)
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        if action in NEEDS_COMMENT and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", NEEDS_COMMENT[action])
        return cleaned
