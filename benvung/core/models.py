"""Installation-wide state."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteState(models.Model):
    """One row: what this installation holds (e.g. generated demo data)."""

    has_demo_data = models.BooleanField(_("có dữ liệu minh họa"), default=False)
    demo_seed = models.IntegerField(_("hạt giống dữ liệu minh họa"), null=True, blank=True)
    # Moved by `core.published.changed()` after every commit that may change what the
    # public site shows; the public figures are cached per value (`core.published`).
    published_version = models.PositiveBigIntegerField(_("phiên bản dữ liệu công khai"), default=0)

    class Meta:
        verbose_name = _("trạng thái hệ thống")
        verbose_name_plural = _("trạng thái hệ thống")

    def __str__(self) -> str:
        return str(_("Trạng thái hệ thống"))

    @classmethod
    def load(cls) -> SiteState:
        """The single row, created on first use."""
        state, _ = cls.objects.get_or_create(pk=1)
        return state
