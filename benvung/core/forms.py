"""The import form: which kind of file, the file, and whether to only check it."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

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
        if not getattr(user, "is_staff", False):
            field = cast(forms.ChoiceField, self.fields["kind"])
            field.choices = [c for c in KIND_CHOICES if c[0] != ORGUNITS]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        return upload
