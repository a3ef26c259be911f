"""The import form: which kind of file, the file, and whether to only check it."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from benvung.accounts.selectors import access_for
from benvung.core.uploads import TABLE_KINDS, check_upload

ORGUNITS, DATA, MODELS = "orgunits", "data", "models"
KIND_CHOICES = [
    (ORGUNITS, _("Đơn vị")),
    (DATA, _("Số liệu")),
    (MODELS, _("Mô hình")),
]
# What each kind of file holds, shown under the choices (the columns of the interchange files).
KIND_COLUMNS = {
    ORGUNITS: "code,name,type,parent,valid_from,valid_to,sector",
    DATA: "data_element,org_unit,period,value,unit,comment",
    MODELS: "code,name,kind,org_unit,year,description",
}
ALLOWED_SUFFIXES = (".csv", ".xlsx")


class ImportForm(forms.Form):
    """Only staff may import units: the choice is not offered to others, and refused if
    sent anyway."""

    kind = forms.ChoiceField(
        label=_("Loại dữ liệu"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial=DATA
    )
    file = forms.FileField(
        label=_("Tệp CSV hoặc XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(label=_("Chạy thử (không lưu)"), required=False)

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        access = access_for(user)
        # Units are master data (staff); the model register is the co-ordinator's.
        allowed = {DATA}
        if access.is_coordinator:
            allowed.add(MODELS)
        if getattr(user, "is_staff", False) or access.is_administrator:
            allowed.add(ORGUNITS)
        field = cast(forms.ChoiceField, self.fields["kind"])
        field.choices = [c for c in KIND_CHOICES if c[0] in allowed]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        # Size, content type, ZIP bombs: before an importer reads it.
        check_upload(upload, TABLE_KINDS)
        return upload


UNIT_FIELD = "don-vi"
YEAR_FIELD = "nam"


class TemplateForm(forms.Form):
    """`?don-vi=CODE&nam=YYYY`: which unit's subtree and year the Excel template is for.

    The select offers `unit_choices` (the user's own units, or the province and its
    districts); any other unit can be asked for by its code, and the download checks the
    user's right to it.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        unit_choices: list[tuple[str, str]],
        years: list[int],
        initial_year: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, initial={YEAR_FIELD: initial_year}, **kwargs)
        self.unit_count = len(unit_choices)
        self.fields[UNIT_FIELD] = forms.CharField(
            label=_("Đơn vị"),
            max_length=50,
            widget=forms.Select(choices=unit_choices),
        )
        self.fields[YEAR_FIELD] = forms.TypedChoiceField(
            label=_("Năm báo cáo"),
            choices=[(str(y), str(y)) for y in years],
            coerce=int,
        )
        self.fields[UNIT_FIELD].widget.attrs["id"] = "mau-don-vi"
        self.fields[YEAR_FIELD].widget.attrs["id"] = "mau-nam"
