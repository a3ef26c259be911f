"""Forms of the documents page: which year and data, the header values of a year, and a
template upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from benvung.documents.models import DocumentKind, DocumentSettings
from benvung.documents.services import SETTINGS_FIELDS

YEAR_FIELD = "nam"
DATA_FIELD = "du-lieu"
ALL_DATA, APPROVED_DATA = "tat-ca", "da-duyet"
DATA_CHOICES = [(ALL_DATA, _("Tất cả số liệu")), (APPROVED_DATA, _("Chỉ số liệu đã duyệt"))]
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class YearForm(forms.Form):
    """`?nam=YYYY&du-lieu=tat-ca|da-duyet`: never invalid, an unknown year becomes the
    default one (as on the plan page)."""

    def __init__(self, data: QueryDict, *, years: list[int], default: int) -> None:
        raw = (data.get(YEAR_FIELD) or "").strip()
        year = int(raw) if raw.isdigit() and int(raw) in years else default
        approved = data.get(DATA_FIELD) == APPROVED_DATA
        choice = APPROVED_DATA if approved else ALL_DATA
        super().__init__({YEAR_FIELD: str(year), DATA_FIELD: choice})
        self.fields[YEAR_FIELD] = forms.TypedChoiceField(
            label=_("Năm báo cáo"), choices=[(str(y), str(y)) for y in years], coerce=int
        )
        self.fields[DATA_FIELD] = forms.ChoiceField(
            label=_("Số liệu chỉ tiêu"), choices=DATA_CHOICES, widget=forms.RadioSelect
        )
        self.year = year
        self.approved_only = approved

    def query(self) -> str:
        return f"{YEAR_FIELD}={self.year}" + (
            f"&{DATA_FIELD}={APPROVED_DATA}" if self.approved_only else ""
        )


class DocumentSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The header values of a year, with the version the form was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DocumentSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "report_date": DATE_WIDGET,
            "plan_date": DATE_WIDGET,
            "report_recipients": forms.Textarea(attrs={"rows": 5}),
            "plan_recipients": forms.Textarea(attrs={"rows": 7}),
        }
        help_texts = {
            "report_number": _("Để trống khi chưa lấy số: văn thư ghi khi phát hành."),
            "report_date": _("Để trống thì ghi “ngày … tháng … năm …” để điền tay."),
            "plan_number": _("Dùng cho kế hoạch năm sau; dự toán ghi “Kèm theo Kế hoạch số …”."),
            "on_behalf": _("Đánh dấu khi Phó Giám đốc ký thay: “KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC”."),
            "report_recipients": _("Mỗi dòng một nơi nhận, ví dụ “- UBND tỉnh (để b/c);”."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else None

    def clean_body_abbreviation(self) -> str:
        value = str(self.cleaned_data["body_abbreviation"]).strip()
        if not value.replace("Đ", "D").replace("đ", "d").isalnum():
            raise forms.ValidationError(
                _("Chữ viết tắt chỉ gồm chữ và số, không dấu cách (ví dụ SCT).")
            )
        return value


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Tệp mẫu Word (.docx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            }
        ),
    )
