"""Pages of data entry, review and history."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class OverviewView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/overview.html"
