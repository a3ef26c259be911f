"""The import page: the web counterpart of `benvung import orgunits|data|models FILE`.

It also offers the Excel template of the data file (`reporting:template`), whose filled copy
is uploaded here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import FormView

from benvung.accounts.selectors import access_for
from benvung.core.forms import (
    DATA,
    KIND_CHOICES,
    KIND_COLUMNS,
    MODELS,
    ORGUNITS,
    ImportForm,
    TemplateForm,
)
from benvung.core.importing import ImportResult, Problem
from benvung.core.uploads import limits, web_limits
from benvung.orgunits.services import orgunits_import
from benvung.reporting.completeness import default_year
from benvung.reporting.excel import template_unit_choices, template_years
from benvung.reporting.services import values_import
from benvung.scpmodels.services import scpmodels_import

KIND_LABELS = dict(KIND_CHOICES)
IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    ORGUNITS: orgunits_import,
    DATA: values_import,
    MODELS: scpmodels_import,
}


@dataclass(frozen=True)
class ProblemGroup:
    """The problems of one sheet of an Excel file ("" for a CSV file or the whole file)."""

    sheet: str
    problems: list[Problem]

    @property
    def has_cells(self) -> bool:
        return any(p.cell for p in self.problems)

    @property
    def rows(self) -> list[tuple[str, Problem]]:
        """Each problem with its cell within the sheet ("D5"; the heading names the sheet)."""
        return [(p.cell.rsplit("!", 1)[-1] if p.cell else "", p) for p in self.problems]


def problems_by_sheet(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """Problems grouped by sheet, in the order met; those of the whole file first."""
    groups: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=lambda p: (p.sheet != "", p.line)):
        groups.setdefault(problem.sheet, []).append(problem)
    return [ProblemGroup(sheet, found) for sheet, found in groups.items()]


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
        today = timezone.localdate()
        context["template_form"] = TemplateForm(
            unit_choices=template_unit_choices(access_for(self.request.user)),
            years=template_years(today),
            initial_year=min(default_year(today), today.year),
        )
        result = context.get("result")
        if result is not None and not result.ok:
            context["problem_groups"] = problems_by_sheet(result.problems)
        return context

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        with limits(web_limits()):  # fewer rows than the command line allows
            result = IMPORTERS[kind](
                file=upload,
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                user=self.request.user,
            )
        context = self.get_context_data(form=form, result=result, kind_label=KIND_LABELS[kind])
        return self.render_to_response(context)
