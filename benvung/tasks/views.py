"""`/nhiem-vu/`: the plan's tasks by group, with agency filter and search (printable)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from benvung.tasks import selectors

PLAN_CODE = "KH-2627"


class TaskFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("tên hoặc mã nhiệm vụ")}),
    )
    co_quan = forms.ChoiceField(label=_("Cơ quan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Tất cả")))]
        choices += [(u.code, u.name) for u in selectors.agencies()]
        self.fields["co_quan"].choices = choices  # type: ignore[attr-defined]


class TaskListView(LoginRequiredMixin, TemplateView):
    """`/nhiem-vu/?q=&co_quan=`."""

    template_name = "tasks/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = TaskFilterForm(self.request.GET)
        q = agency = ""
        if form.is_valid():
            q = form.cleaned_data["q"].strip()
            agency = form.cleaned_data["co_quan"]
        groups = selectors.task_list(plan_code=PLAN_CODE, agency=agency, q=q)
        context.update(
            form=form,
            groups=groups,
            total=sum(len(g.tasks) for g in groups),
            filtered=bool(q or agency),
            plan_code=PLAN_CODE,
        )
        return context
