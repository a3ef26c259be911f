"""The documents page (`/van-ban/`): choose a year, edit the header values, download the
report, next year's plan and the budget estimate as Word or Excel, and manage the templates.

Co-ordinators and leaders make documents; only co-ordinators change the header values and
the templates (the services check again). Views parse, call a selector or service, render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from benvung.accounts.mixins import CoordinatorRequiredMixin
from benvung.accounts.selectors import access_for
from benvung.documents import selectors
from benvung.documents.builder import FILE_NAMES
from benvung.documents.forms import (
    DATA_FIELD,
    YEAR_FIELD,
    DocumentSettingsForm,
    TemplateUploadForm,
    YearForm,
)
from benvung.documents.models import DocumentKind, DocumentTemplate
from benvung.documents.rendering import TemplateRenderError, default_template_path
from benvung.documents.services import (
    CONTENT_TYPES,
    can_edit_documents,
    can_make_documents,
    document_build,
    document_settings_save,
    document_template_reset,
    document_template_upload,
)
from benvung.plans.models import Plan

SLUGS = {
    "bao-cao": DocumentKind.BAO_CAO,
    "ke-hoach": DocumentKind.KE_HOACH,
    "du-toan": DocumentKind.DU_TOAN,
}
SLUG_OF: dict[str, str] = {kind.value: slug for slug, kind in SLUGS.items()}


def _plan() -> Plan:
    plan = selectors.default_plan()
    if plan is None:
        raise Http404(_("Chưa có kế hoạch. Hãy chạy benvung init."))
    return plan


class DocumentsAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Co-ordinators and leaders; other signed-in users get 403."""

    request: HttpRequest

    def test_func(self) -> bool:
        return can_make_documents(access_for(self.request.user))


@dataclass(frozen=True)
class DocumentCard:
    kind: str
    slug: str
    title: str
    subject_year: int
    available: bool
    note: str


@dataclass(frozen=True)
class TemplateCard:
    kind: str
    slug: str
    label: str
    active: DocumentTemplate | None
    history: list[DocumentTemplate]
    form: TemplateUploadForm


class DocumentsView(DocumentsAccessMixin, TemplateView):
    """`/van-ban/?nam=YYYY&du-lieu=tat-ca|da-duyet`; POST saves the year's header values."""

    template_name = "documents/index.html"

    @cached_property
    def plan(self) -> Plan:
        return _plan()

    def year_form(self) -> YearForm:
        data = self.request.GET if self.request.method == "GET" else self.request.POST
        return YearForm(
            data,
            years=selectors.cycle_years(self.plan),
            default=selectors.default_year(self.plan),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year_form = kwargs.get("year_form") or self.year_form()
        year = year_form.year
        settings = selectors.document_settings(self.plan, year)
        settings_form = kwargs.get("settings_form") or DocumentSettingsForm(instance=settings)
        has_current = selectors.has_implementation_plan(self.plan, year)
        has_next = selectors.has_implementation_plan(self.plan, year + 1)
        missing_next = _("Chưa có kế hoạch triển khai năm %(year)s.") % {"year": year + 1}
        documents = [
            DocumentCard(
                DocumentKind.BAO_CAO,
                SLUG_OF[DocumentKind.BAO_CAO],
                _("Báo cáo kết quả thực hiện Kế hoạch năm %(year)s") % {"year": year},
                year,
                True,
                ""
                if has_current
                else _("Chưa có kế hoạch triển khai năm %(year)s: báo cáo chỉ có phần chỉ tiêu.")
                % {"year": year},
            ),
            DocumentCard(
                DocumentKind.KE_HOACH,
                SLUG_OF[DocumentKind.KE_HOACH],
                _("Kế hoạch triển khai thực hiện năm %(year)s") % {"year": year + 1},
                year + 1,
                has_next,
                "" if has_next else missing_next,
            ),
            DocumentCard(
                DocumentKind.DU_TOAN,
                SLUG_OF[DocumentKind.DU_TOAN],
                _("Dự toán kinh phí thực hiện năm %(year)s") % {"year": year + 1},
                year + 1,
                has_next,
                "" if has_next else missing_next,
            ),
        ]
        templates = [
            TemplateCard(
                kind,
                SLUG_OF[kind],
                str(label),
                selectors.active_template(kind),
                selectors.template_history(kind),
                TemplateUploadForm(initial={"kind": kind}),
            )
            for kind, label in DocumentKind.choices
        ]
        context.update(
            plan=self.plan,
            year=year,
            year_form=year_form,
            year_field=year_form[YEAR_FIELD],
            data_field=year_form[DATA_FIELD],
            query=year_form.query(),
            documents=documents,
            templates=templates,
            settings=settings,
            settings_form=settings_form,
            can_edit=can_edit_documents(access_for(self.request.user)),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_edit_documents(access_for(request.user)):
            return HttpResponse(status=403)
        year_form = self.year_form()
        year = year_form.year
        settings = selectors.document_settings(self.plan, year)
        form = DocumentSettingsForm(request.POST, instance=settings)
        if form.is_valid():
            try:
                document_settings_save(
                    plan=self.plan,
                    year=year,
                    data=form.cleaned_data,
                    version=form.cleaned_data.get("version"),
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Đã lưu thông tin ban hành văn bản năm %(year)s.") % {"year": year}
                )
                return redirect(f"{reverse('documents:index')}?{year_form.query()}")
        context = self.get_context_data(year_form=year_form, settings_form=form)
        return self.render_to_response(context, status=400)


class DocumentDownloadView(DocumentsAccessMixin, View):
    """`/van-ban/<year>/<bao-cao|ke-hoach|du-toan>.<docx|xlsx>[?du-lieu=da-duyet]`."""

    def get(self, request: HttpRequest, year: str, slug: str, fmt: str) -> HttpResponse:
        kind = SLUGS.get(slug)
        if kind is None or fmt not in CONTENT_TYPES:
            raise Http404(_("Không có văn bản này."))
        plan = _plan()
        try:
            document = document_build(
                plan=plan,
                kind=kind,
                year=int(year),
                fmt=fmt,
                approved_only=request.GET.get("du-lieu") == "da-duyet",
            )
        except (selectors.DocumentUnavailable, TemplateRenderError) as exc:
            messages.error(request, str(exc))
            return redirect(f"{reverse('documents:index')}?nam={year}")
        response = HttpResponse(document.content, content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        return response


class TemplateDownloadView(DocumentsAccessMixin, View):
    """`/van-ban/mau/<slug>/mac-dinh.docx` (the shipped default), `/van-ban/mau/<slug>/
    dang-dung.docx` (the one in use) and `/van-ban/mau/tep/<pk>.docx` (an earlier upload)."""

    def get(self, request: HttpRequest, **kwargs: Any) -> FileResponse:
        if "pk" in kwargs:
            template = DocumentTemplate.objects.filter(pk=kwargs["pk"]).first()
            if template is None:
                raise Http404(_("Không có mẫu này."))
            return self._respond(template.file.open("rb"), template.kind, uploaded=True)
        kind = SLUGS.get(kwargs["slug"])
        if kind is None:
            raise Http404(_("Không có mẫu này."))
        active = selectors.active_template(kind) if kwargs["which"] == "dang-dung" else None
        if active is not None:
            return self._respond(active.file.open("rb"), kind, uploaded=True)
        return self._respond(default_template_path(kind).open("rb"), kind, uploaded=False)

    def _respond(self, handle: Any, kind: str, *, uploaded: bool) -> FileResponse:
        name = FILE_NAMES[kind].removesuffix(".docx")
        filename = f"mau-{name}{'-da-sua' if uploaded else ''}.docx"
        return FileResponse(
            handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["docx"]
        )


class TemplateUploadView(CoordinatorRequiredMixin, View):
    """POST `/van-ban/mau/tai-len/`: a Word template in place of the default of its kind."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TemplateUploadForm(request.POST, request.FILES)
        # No anchor: the message is at the top of the page, where the page opens.
        back = f"{reverse('documents:index')}?{request.POST.get('query', '')}"
        if not form.is_valid():
            messages.error(request, _("Hãy chọn tệp mẫu Word (.docx) để tải lên."))
            return redirect(back)
        kind = form.cleaned_data["kind"]
        try:
            document_template_upload(kind=kind, file=form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Đã dùng mẫu mới cho “%(kind)s”.") % {"kind": DocumentKind(kind).label},
            )
        return redirect(back)


class TemplateResetView(CoordinatorRequiredMixin, View):
    """POST `/van-ban/mau/<slug>/mac-dinh/`: back to the shipped template."""

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        kind = SLUGS.get(slug)
        if kind is None:
            raise Http404(_("Không có mẫu này."))
        document_template_reset(kind=kind, user=request.user)
        messages.success(
            request,
            _("“%(kind)s” dùng lại mẫu mặc định.") % {"kind": DocumentKind(kind).label},
        )
        return redirect(f"{reverse('documents:index')}?{request.POST.get('query', '')}")
