"""A log line for every failed sign-in and every lockout (besides django-axes's own records
in the admin), so that the server's log shows an attack as it happens."""

from __future__ import annotations

import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("benvung.security")


def _address(request: Any) -> str:
    if request is None:
        return "?"
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "?"))


@receiver(user_login_failed)
def log_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    logger.warning(
        "sign-in failed for username %r from %s", credentials.get("username"), _address(request)
    )


@receiver(user_locked_out)
def log_locked_out(
    sender: Any, request: Any, username: str | None, ip_address: str, **_: Any
) -> None:
    logger.warning("sign-in locked out for username %r from %s (15 minutes)", username, ip_address)


@receiver(user_logged_in)
def note_second_factor(sender: Any, request: Any, user: Any, **_: Any) -> None:
    """Remember in the new session whether the user must give a two-factor code."""
    if request is not None and hasattr(request, "session"):
        from benvung.accounts.middleware import second_factor_note

        second_factor_note(request, user)
