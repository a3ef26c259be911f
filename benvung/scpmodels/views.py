"""Pages of the SCP model register."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class ModelListView(LoginRequiredMixin, TemplateView):
    template_name = "scpmodels/list.html"
