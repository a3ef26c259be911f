"""Pages of completeness (who has reported) and the Excel template download."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from benvung.accounts.selectors import access_for, readable_unpublished_units
from benvung.core.forms import TemplateForm
from benvung.indicators.domain.hierarchy import year_window
from benvung.orgunits.models import OrgUnit
from benvung.orgunits.selectors import orgunit_districts
from benvung.reporting.completeness import (
    CompletenessReport,
    DataSetProgress,
    Tally,
    TallyRow,
    completeness,
    default_year,
)
from benvung.reporting.excel import (
    FIRST_YEAR,
    template_bytes,
    template_for,
    template_years,
)
from benvung.reporting.models import DataSet

YEAR_FIELD = "nam"
UNIT_FIELD = "don-vi"
DATA_SET_FIELD = "bieu-mau"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CompletenessFilterForm(forms.Form):
    """`?nam=YYYY&don-vi=CODE&bieu-mau=CODE`. Never invalid: an unknown year becomes the
    default one, an unknown district or data set none (the whole province, every data set)."""

    def __init__(self, data: QueryDict, *, default: int, last_year: int) -> None:
        data = data.copy()
        raw = (data.get(YEAR_FIELD) or "").strip()
        year = int(raw) if raw.isdigit() else default
        data[YEAR_FIELD] = str(min(max(year, FIRST_YEAR), last_year))
        super().__init__(data)
        self.fields[YEAR_FIELD] = forms.TypedChoiceField(
            label=_("Năm"),
            choices=[(str(y), str(y)) for y in range(last_year, FIRST_YEAR - 1, -1)],
            coerce=int,
        )
        districts = [("", str(_("Toàn tỉnh")))]
        districts += [(u.code, u.name) for u in orgunit_districts()]
        self.fields[UNIT_FIELD] = forms.ChoiceField(
            label=_("Huyện"), choices=districts, required=False
        )
        data_sets = [("", str(_("Tất cả biểu mẫu")))]
        data_sets += [(d.code, d.name) for d in DataSet.objects.all()]
        self.fields[DATA_SET_FIELD] = forms.ChoiceField(
            label=_("Biểu mẫu"), choices=data_sets, required=False
        )

    def value(self, name: str) -> Any:
        self.is_valid()
        return self.cleaned_data.get(name) or None


@dataclass(frozen=True)
class TableLine:
    """A line of a completeness table: a data set heading (with its deadline), a row, or a
    total."""

    kind: str  # "group", "row" or "total"
    label: str
    tally: Tally | None = None
    data_set: DataSetProgress | None = None


@dataclass(frozen=True)
class TableSection:
    key: str
    title: str
    first_column: str
    lines: list[TableLine]


def _rows(rows: list[TallyRow]) -> list[TableLine]:
    return [TableLine("row", row.label, row.tally) for row in rows]


def table_sections(report: CompletenessReport) -> list[TableSection]:
    """The page's two tables: by data set × unit type, and by district."""
    by_type: list[TableLine] = []
    for data_set in report.data_sets:
        by_type.append(TableLine("group", data_set.name, data_set=data_set))
        by_type += _rows(data_set.by_type)
        if len(data_set.by_type) > 1:
            by_type.append(TableLine("total", str(_("Cộng")), data_set.tally))
    by_district = _rows(report.by_district)
    if len(report.by_district) > 1:
        by_district.append(TableLine("total", str(_("Tổng cộng")), report.total))
    return [
        TableSection(
            "loai-don-vi", str(_("Theo biểu mẫu và loại đơn vị")), str(_("Loại đơn vị")), by_type
        ),
        TableSection("huyen", str(_("Theo huyện")), str(_("Huyện")), by_district),
    ]


class CompletenessView(LoginRequiredMixin, TemplateView):
    """`/bao-cao/tien-do-nop/`: expected, sent, approved and on-time reports of a year, by
    data set × unit type and by district, and the units still missing. Co-ordinators and
    leaders see every unit; a reporter only their own."""

    template_name = "reporting/completeness.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        default = default_year(today)
        form = CompletenessFilterForm(
            self.request.GET, default=default, last_year=max(today.year, default)
        )
        year = form.value(YEAR_FIELD) or default
        district = form.value(UNIT_FIELD)
        data_set = None
        if code := form.value(DATA_SET_FIELD):
            data_set = DataSet.objects.filter(code=code).first()
        access = access_for(self.request.user)
        report = completeness(
            year=year, data_set=data_set, root_code=district, today=today, access=access
        )
        context.update(
            form=form,
            year=year,
            report=report,
            sections=table_sections(report),
            data_set=data_set,
            limited=readable_unpublished_units(access, year) is not None,
        )
        return context


class TemplateDownloadView(LoginRequiredMixin, View):
    """`/bao-cao/mau-excel/?don-vi=CODE&nam=YYYY`: the Excel template of a unit's subtree.

    Only for a unit whose data the user may read (a reporter: their own units), else 403; a
    missing or unknown unit or year goes back to the import page with the reason."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        access = access_for(request.user)
        today = timezone.localdate()
        form = TemplateForm(
            request.GET,
            unit_choices=[],
            years=template_years(today),
            initial_year=today.year,
        )
        if not form.is_valid():
            return self._back(request, str(_("Hãy chọn đơn vị và năm báo cáo để tải mẫu Excel.")))
        code: str = form.cleaned_data[UNIT_FIELD]
        year: int = form.cleaned_data[YEAR_FIELD]
        root = OrgUnit.objects.filter(code=code).first()
        if root is None:
            return self._back(request, str(_("Không có đơn vị mã “%(code)s”.")) % {"code": code})
        readable = readable_unpublished_units(access, year)
        if readable is not None and code not in readable:
            raise PermissionDenied("Bạn không có quyền với số liệu của đơn vị này.")
        if not root.is_active_between(*year_window(year)):
            return self._back(
                request,
                str(_("Đơn vị %(name)s không hoạt động trong năm %(year)s."))
                % {"name": root.name, "year": year},
            )
        template = template_for(root=root, year=year, access=access, today=today)
        return FileResponse(
            io.BytesIO(template_bytes(template)),
            as_attachment=True,
            filename=template.filename,
            content_type=XLSX,
        )

    @staticmethod
    def _back(request: HttpRequest, message: str) -> HttpResponse:
        messages.error(request, message)
        return HttpResponseRedirect(reverse("core:import") + "#mau-excel")
