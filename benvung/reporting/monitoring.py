"""Pages of completeness (who has reported) and the Excel template download."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class CompletenessView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/completeness.html"


class TemplateDownloadView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/completeness.html"
