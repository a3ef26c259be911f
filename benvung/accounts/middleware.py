"""Two-factor sign-in: a user who has enrolled a TOTP device must give a code before any
internal page. The public portal, the sign-in pages and the token API are not affected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

# Routes anyone may open without a second factor: the public portal and the pages of the
# sign-in itself (namespace, or url name without namespace).
OPEN_NAMESPACES = {"portal"}
OPEN_URL_NAMES = {"home", "sitemap", "media", "login", "logout", "set_language"}
OPEN_ACCOUNT_PAGES = {
    "otp-verify",
    "password-reset",
    "password-reset-done",
    "password-reset-confirm",
    "password-reset-complete",
}


# Whether the session's user had a confirmed device when signing in: kept in the (server-side)
# session so that pages do not query the devices on every request.
SESSION_KEY = "benvung_otp_required"


def second_factor_note(request: HttpRequest, user: Any = None) -> bool:
    """Look the user's devices up once and remember the answer in the session (at sign-in, and
    again whenever the devices change)."""
    required = bool(user_has_device(user or request.user, confirmed=True))
    request.session[SESSION_KEY] = required
    return required


def needs_second_factor(request: HttpRequest) -> bool:
    """Whether the signed-in user has a confirmed device but this session gave no code yet."""
    user = request.user
    if not user.is_authenticated:
        return False
    if getattr(user, "is_verified", lambda: False)():
        return False
    required = request.session.get(SESSION_KEY)
    if required is None:  # a session opened before this setting existed
        return second_factor_note(request)
    return bool(required)


class TwoFactorMiddleware:
    """Sends an unverified session of an enrolled user to the code page (after OTPMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.namespace in OPEN_NAMESPACES:
            return None
        if not match.namespace and match.url_name in OPEN_URL_NAMES:
            return None
        if match.namespace == "accounts" and match.url_name in OPEN_ACCOUNT_PAGES:
            return None
        if not needs_second_factor(request):
            return None
        if match.namespace == "api":
            # A token request carries no session user; a browser session without its code
            # may not read the API either.
            return JsonResponse(
                {"detail": _("Cần nhập mã xác thực hai bước trước khi dùng API.")}, status=403
            )
        target = reverse("accounts:otp-verify")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
