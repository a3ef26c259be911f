"""`/healthz`: the state of the installation for monitoring (JSON, no sign-in)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from benvung.ops.health import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with `{"status": "ok", …}` when healthy, 503 otherwise."""
    healthy, report = health()
    return JsonResponse(report, status=200 if healthy else 503)
