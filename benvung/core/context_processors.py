"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from benvung.core.models import SiteState


def site(request: HttpRequest) -> dict[str, Any]:
    """Whether the installation shows demo data (a banner on every page)."""
    return {"site_state": SiteState.load()}
