"""Pages of the SCP model register: the list, a model, its form, and evidence downloads.

Every signed-in user reads the register; only the co-ordinator adds and edits models (the
right is `Access.is_coordinator`, checked again by the services). Views only parse, call a
selector or a service, and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from benvung.accounts.mixins import CoordinatorRequiredMixin
from benvung.accounts.selectors import access_for
from benvung.scpmodels import selectors
from benvung.scpmodels.forms import ModelFilterForm, ScpModelForm
from benvung.scpmodels.models import ModelKind, ScpModel
from benvung.scpmodels.services import scpmodel_create, scpmodel_update

PAGE_SIZE = 50


class ModelListView(LoginRequiredMixin, TemplateView):
    """`/mo-hinh/?q=&loai=&nam=&huyen=&trang=`."""

    template_name = "scpmodels/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ModelFilterForm(self.request.GET)
        filters = form.filters()
        models = selectors.scpmodel_list(**filters)
        page = Paginator(models, PAGE_SIZE).get_page(self.request.GET.get("trang"))
        query = self.request.GET.copy()
        query.pop("trang", None)
        counts = selectors.scpmodel_counts(models)
        context.update(
            form=form,
            page=page,
            models=page.object_list,
            total=len(models),
            kind_counts=[(label, counts.get(kind, 0)) for kind, label in ModelKind.choices],
            filtered=any(filters.values()),
            query=query.urlencode(),
            can_edit=access_for(self.request.user).is_coordinator,
        )
        return context


class ModelDetailView(LoginRequiredMixin, TemplateView):
    """`/mo-hinh/<code>/`: the model, its evidence files and its history."""

    template_name = "scpmodels/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        model = selectors.scpmodel_get(kwargs["code"])
        if model is None:
            raise Http404(_("Không có mô hình mã %(code)s.") % {"code": kwargs["code"]})
        context.update(
            model=model,
            files=list(model.files.all()),
            history=selectors.scpmodel_history(model),
            can_edit=access_for(self.request.user).is_coordinator,
        )
        return context


class _ModelFormView(CoordinatorRequiredMixin, FormView):  # type: ignore[type-arg]
    """The model form: the subclass says which model it edits (none: a new one) and which
    service saves it; a service's `ValidationError` goes back to the form's fields."""

    template_name = "scpmodels/form.html"
    form_class = ScpModelForm
    success_message: Any = ""

    def get_instance(self) -> ScpModel | None:
        return None

    def save(self, form: ScpModelForm) -> ScpModel:
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(model=self.get_instance(), unit_options=selectors.host_unit_options())
        return context

    def form_valid(self, form: ScpModelForm) -> HttpResponse:
        try:
            model = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"code": model.code})
        return redirect("scpmodels:detail", code=model.code)


class ModelCreateView(_ModelFormView):
    """`/mo-hinh/them-moi/` (co-ordinator)."""

    success_message = gettext_lazy("Đã thêm mô hình %(code)s.")

    def save(self, form: ScpModelForm) -> ScpModel:
        data = form.cleaned_data
        return scpmodel_create(
            user=self.request.user,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            org_unit=data["org_unit"],
            year=data["year"],
            description=data["description"],
            files=data["attachments"],
        )


class ModelUpdateView(_ModelFormView):
    """`/mo-hinh/<code>/sua/` (co-ordinator)."""

    success_message = gettext_lazy("Đã lưu mô hình %(code)s.")

    @cached_property
    def model(self) -> ScpModel:
        found = selectors.scpmodel_get(self.kwargs["code"])
        if found is None:
            raise Http404(_("Không có mô hình mã %(code)s.") % {"code": self.kwargs["code"]})
        return found

    def get_instance(self) -> ScpModel:
        return self.model

    def save(self, form: ScpModelForm) -> ScpModel:
        data = form.cleaned_data
        return scpmodel_update(
            model=self.model,
            user=self.request.user,
            name=data["name"],
            kind=data["kind"],
            org_unit=data["org_unit"],
            year=data["year"],
            description=data["description"],
            files=data["attachments"],
            remove_files=data.get("remove_files") or [],
        )


class EvidenceDownloadView(LoginRequiredMixin, View):
    """`/mo-hinh/minh-chung/<pk>/`: an evidence file, as an attachment under its own name."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        evidence = selectors.evidence_for_download(pk=pk, access=access_for(request.user))
        if evidence is None:
            raise Http404(_("Không có tệp minh chứng này."))
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("Tệp minh chứng không còn trên máy chủ.")) from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response
