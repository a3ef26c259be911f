"""Forms of the plan and indicator pages: the filter `?nam=YYYY&don-vi=CODE&du-lieu=…`, and the
co-ordinator's qualitative assessment of an indicator for a year."""

from __future__ import annotations

from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benvung.accounts.selectors import ANONYMOUS, Access
from benvung.datavalues.selectors import last_value_year
from benvung.indicators.presentation import STATUS_ORDER
from benvung.orgunits.models import OrgUnit
from benvung.orgunits.selectors import orgunit_districts
from benvung.plans.models import Plan, QualitativeAssessment
from benvung.scpmodels.forms import MultipleFileField, evidence_choices

YEAR_FIELD = "nam"
UNIT_FIELD = "don-vi"
DATA_FIELD = "du-lieu"
# Which values the figures use: every value entered, or only those of approved reports.
ALL_DATA, APPROVED_DATA = "tat-ca", "da-duyet"
DATA_CHOICES = [(ALL_DATA, _("Tất cả")), (APPROVED_DATA, _("Đã duyệt"))]


def default_year(plan: Plan) -> int:
    """The last year with reported data, else last year; within the plan's years."""
    last = last_value_year(plan.end_year)
    year = last if last is not None else timezone.localdate().year - 1
    return min(max(year, plan.base_year), plan.end_year)


class PlanFilterForm(forms.Form):
    """Which year, which unit's subtree, and (for users who read everything) which values the
    figures are for.

    The year never makes the form invalid: a year outside the plan is clamped to its first or
    last year, and a missing or unreadable one becomes `default_year`; the select then shows
    the year actually used. An unknown unit code is an error shown beside the select; the
    page then covers the plan's whole territory.

    The data choice "Tất cả | Đã duyệt" is offered to those who read every unit's unapproved
    data (`Access.reads_everything`, default "Tất cả"); everyone else, reporters included, only
    ever gets figures from approved reports (`approved_only`), so that no total lets them
    infer another unit's unpublished figure.
    """

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        plan: Plan,
        access: Access = ANONYMOUS,
        **kwargs: Any,
    ) -> None:
        data = data.copy() if data is not None else QueryDict(mutable=True)
        self.plan = plan
        self.access = access
        self.default_year = default_year(plan)
        raw = (data.get(YEAR_FIELD) or "").strip()
        year = int(raw) if raw.isdigit() else self.default_year
        data[YEAR_FIELD] = str(min(max(year, plan.base_year), plan.end_year))
        if data.get(DATA_FIELD) != APPROVED_DATA:
            data[DATA_FIELD] = ALL_DATA
        super().__init__(data, **kwargs)
        self.fields[YEAR_FIELD] = forms.CharField(
            label=_("Năm"),
            required=False,
            widget=forms.Select(choices=[(str(y), str(y)) for y in plan.years]),
        )
        own = orgunit_districts()
        if plan.scope_root is not None:
            # Only the plan's own districts (Hải Phòng's Vĩnh Bảo is not KH-2627's).
            own = own.filter(parent_links__parent=plan.scope_root).distinct()
        districts = list(own)
        choices: list[tuple[str, str]] = [("", str(_("Toàn tỉnh")))]
        choices += [(u.code, u.name) for u in districts]
        requested = data.get(UNIT_FIELD, "")
        if requested and requested not in {u.code for u in districts}:
            # Any unit's subtree can be asked for by URL: show it in the select too.
            unit = OrgUnit.objects.filter(code=requested).first()
            if unit is not None:
                choices.append((unit.code, unit.name))
        self.fields[UNIT_FIELD] = forms.ChoiceField(
            label=_("Phạm vi"), choices=choices, required=False
        )
        if access.reads_everything:
            self.fields[DATA_FIELD] = forms.ChoiceField(
                label=_("Số liệu"), choices=DATA_CHOICES, required=False
            )

    def clean_nam(self) -> int:
        return int(self.cleaned_data[YEAR_FIELD])

    @property
    def year(self) -> int:
        self.is_valid()
        return int(self.cleaned_data.get(YEAR_FIELD, self.default_year))

    @cached_property
    def root(self) -> OrgUnit | None:
        """The unit whose subtree is asked for; None for the plan's whole territory."""
        self.is_valid()
        code = self.cleaned_data.get(UNIT_FIELD)
        return OrgUnit.objects.filter(code=code).first() if code else None

    @property
    def offers_data_choice(self) -> bool:
        return DATA_FIELD in self.fields

    @property
    def approved_only(self) -> bool:
        """Whether the figures use only approved reports: always for users who do not read
        every unit's unapproved data, on request ("Đã duyệt") for those who do."""
        if not self.offers_data_choice:
            return True
        self.is_valid()
        return bool(self.cleaned_data.get(DATA_FIELD) == APPROVED_DATA)

    def query_string(self, *, root: str | None = None) -> str:
        """`nam=…&don-vi=…&du-lieu=…` for links that keep the same filter (over another
        unit's subtree when `root` is given)."""
        if root is None:
            root = self.cleaned_data.get(UNIT_FIELD) if self.is_valid() else ""
        year, data = self._query_parts
        params = [year]
        if root:
            params.append((UNIT_FIELD, root))
        if data:
            params.append(data)
        return urlencode(params)

    @cached_property
    def _query_parts(self) -> tuple[tuple[str, str], tuple[str, str] | None]:
        # Worked out once: a drill-down asks for the query of each of hundreds of districts.
        data = (
            (DATA_FIELD, APPROVED_DATA) if self.offers_data_choice and self.approved_only else None
        )
        return (YEAR_FIELD, str(self.year)), data


class QualitativeAssessmentForm(forms.Form):
    """The co-ordinator's assessment of a qualitative indicator for one year: a progress
    status, what it rests on, and evidence files (added, or removed)."""

    status = forms.ChoiceField(
        label=_("Đánh giá"), choices=[(s.value, s.label) for s in STATUS_ORDER]
    )
    narrative = forms.CharField(
        label=_("Căn cứ, kết quả thực hiện"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(
        label=_("Thêm tệp minh chứng"),
        help_text=_(
            "Chọn được nhiều tệp; mỗi tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG, "
            "tối đa 10 MB."
        ),
    )
    remove_files = forms.TypedMultipleChoiceField(
        label=_("Xóa tệp đã có"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, assessment: QualitativeAssessment | None = None, **kwargs: Any
    ) -> None:
        if assessment is not None:
            kwargs["initial"] = {
                "status": assessment.status,
                "narrative": assessment.evidence,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        files = list(assessment.files.all()) if assessment is not None else []
        if files:
            self.fields["remove_files"].choices = evidence_choices(files)  # type: ignore[attr-defined]
        else:
            del self.fields["remove_files"]
