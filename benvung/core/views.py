"""The import page: the web counterpart of `benvung import orgunits|data|models FILE`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views.generic import FormView

from benvung.core.forms import DATA, KIND_CHOICES, KIND_COLUMNS, MODELS, ORGUNITS, ImportForm
from benvung.core.importing import ImportResult
from benvung.orgunits.services import orgunits_import
from benvung.reporting.services import values_import
from benvung.scpmodels.services import scpmodels_import

KIND_LABELS = dict(KIND_CHOICES)
IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    ORGUNITS: orgunits_import,
    DATA: values_import,
    MODELS: scpmodels_import,
}


class ImportView(LoginRequiredMixin, FormView):  # type: ignore[type-arg]
    """Upload a file, check it, and store it unless it is a dry run or has a problem.

    The result is rendered on the same page (no redirect): the problem list belongs to the
    file just sent, and a reload re-sending it changes nothing when it was refused.
    """

    template_name = "core/import.html"
    form_class = ImportForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kind_columns"] = KIND_COLUMNS
        return context

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        result = IMPORTERS[kind](
            file=upload,
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            user=self.request.user,
        )
        context = self.get_context_data(form=form, result=result, kind_label=KIND_LABELS[kind])
        return self.render_to_response(context)
