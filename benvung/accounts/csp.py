"""Content-Security-Policy helpers for the few library pages that render an inline block.

The policy (settings.CONTENT_SECURITY_POLICY) allows only this server's scripts plus, on a
page that asks for it, a nonce made for that one response. django-prose-editor's widget
renders an import map (`<script type="importmap">`) that no file can replace; the admin
pages that show the editor pass the request's nonce to it through `NonceMediaAdminMixin`.
The editor (Tiptap) also adds one fixed `<style>` element of ProseMirror's base rules and
offers no way to give it a nonce: those pages allow exactly that text by its SHA-256 hash.
tests/browser/test_csp_browser.py fails if an upgrade of django-prose-editor changes it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from js_asset import Media

# SHA-256 of the CSS that Tiptap's `injectCSS` writes into a <style> element
# (django-prose-editor 0.28.0, static/django_prose_editor/editor.js).
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def media_with_nonce(media: Any, request: HttpRequest) -> Any:
    """The form media with the request's CSP nonce on its inline import map and scripts."""
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None:
        return media
    return Media.from_media(media, nonce=str(nonce))


class NonceMediaAdminMixin:
    """For a ModelAdmin whose form shows django-prose-editor: nonce its media and allow the
    editor's one style element."""

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if "media" in context:
            context["media"] = media_with_nonce(context["media"], request)
        response: HttpResponse = super().render_change_form(  # type: ignore[misc]
            request, context, *args, **kwargs
        )
        # Read by django-csp's middleware, as its csp_update decorator does.
        response._csp_update = {"style-src": [PROSE_EDITOR_STYLE_HASH]}  # type: ignore[attr-defined]
        return response
