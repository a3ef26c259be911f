"""Forms of the model register: the list's filter, the model form, and a field for uploading
several evidence files at once (also used by the qualitative assessment form).

The forms only parse what was typed; the rules (unit active in the year, code unique, file
types and sizes) are checked by the services, whose errors come back to the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from benvung.orgunits.selectors import orgunit_districts
from benvung.scpmodels.models import Evidence, ModelKind, ScpModel
from benvung.scpmodels.selectors import host_unit_lookup, scpmodel_years
from benvung.scpmodels.services import EVIDENCE_ACCEPT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (none included); `cleaned_data` holds a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [cleaned for item in items if item and (cleaned := single(item, initial))]


def evidence_choices(files: list[Evidence]) -> list[tuple[int, str]]:
    return [(f.pk, f.original_name) for f in files]


class ModelFilterForm(forms.Form):
    """`/mo-hinh/?q=&loai=&nam=&huyen=`: a bad value is an error and that filter is dropped."""

    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("tên, mã hoặc đơn vị")}),
    )
    loai = forms.ChoiceField(label=_("Loại"), required=False)
    nam = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    huyen = forms.ChoiceField(label=_("Huyện, thị xã, thành phố"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds: list[tuple[str, str]] = [("", str(_("Tất cả")))]
        self.fields["loai"].choices = kinds + list(ModelKind.choices)  # type: ignore[attr-defined]
        years: list[tuple[str | int, str]] = [("", str(_("Tất cả")))]
        self.fields["nam"].choices = years + [(y, str(y)) for y in scpmodel_years()]  # type: ignore[attr-defined]
        districts: list[tuple[str, str]] = [("", str(_("Toàn tỉnh")))]
        self.fields["huyen"].choices = districts + [  # type: ignore[attr-defined]
            (u.code, u.name) for u in orgunit_districts()
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters, as keyword arguments of `scpmodel_list`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("loai") or "",
            "year": data.get("nam"),
            "district": data.get("huyen") or "",
            "query": (data.get("q") or "").strip(),
        }


class HostUnitField(forms.CharField):
    """A unit typed by its code or picked from the suggestions (the page's <datalist>);
    its full name works too. Cleans to the `OrgUnit`."""

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        unit = host_unit_lookup(text)
        if unit is None:
            raise forms.ValidationError(
                _("không có đơn vị mã hoặc tên “%(text)s”"), params={"text": text}
            )
        return unit


class ScpModelForm(forms.Form):
    """Create (with `code`) or edit (without: a model's code does not change) a model."""

    code = forms.CharField(label=_("Mã mô hình"), max_length=50)
    name = forms.CharField(label=_("Tên mô hình"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại"), choices=ModelKind.choices, widget=forms.RadioSelect)
    org_unit = HostUnitField(
        label=_("Đơn vị thực hiện"),
        max_length=300,
        help_text=_("Gõ mã hoặc tên đơn vị rồi chọn trong danh sách gợi ý."),
        widget=forms.TextInput(attrs={"list": "host-units", "autocomplete": "off"}),
    )
    year = forms.IntegerField(
        label=_("Năm"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(
        label=_("Tệp minh chứng"),
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

    def __init__(self, *args: Any, instance: ScpModel | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "org_unit": instance.org_unit.code,
                "year": instance.year,
                "description": instance.description,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            del self.fields["code"]
            files = list(instance.files.all())
            self.fields["remove_files"].choices = evidence_choices(files)  # type: ignore[attr-defined]
            if not files:
                del self.fields["remove_files"]
        else:
            del self.fields["remove_files"]
