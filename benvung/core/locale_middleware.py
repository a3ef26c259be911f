"""Choose the interface language: Vietnamese unless the user picked English with the switch.

Django's LocaleMiddleware would also follow the browser's Accept-Language header, so a visitor whose
browser prefers English would get an English page without asking for it. The department's staff and
citizens read Vietnamese first, so only the language cookie set by Django's `set_language` view
(the switch in the page header) changes the language.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_from_cookie(request: HttpRequest) -> str:
    """Return the language chosen with the switch, or the default language (Vietnamese)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


class LanguageCookieMiddleware:
    """Activate the language from the language cookie for the duration of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_from_cookie(request)
        # `override` restores the previous language afterwards, so code run outside a request
        # (commands, tests) keeps speaking Vietnamese.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
