"""Writes of the accounts app: the log of who saw which unpublished data, two-factor devices."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from axes.helpers import get_client_ip_address
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from benvung.accounts.models import AccessLogEntry, DataKind

logger = logging.getLogger("benvung.security")


def _client_ip(request: Any) -> str | None:
    """The client's address as django-axes sees it (X-Real-IP behind nginx in production)."""
    try:
        return get_client_ip_address(request) or None
    except (AttributeError, ValueError):
        return None


def record_access(request: Any, unit: Any, kind: DataKind | str) -> AccessLogEntry | None:
    """Note that the signed-in user of `request` is viewing unpublished data of `unit`
    (an OrgUnit, or None for a page over several units) through `kind`.

    Anonymous requests never see unpublished data and are not logged."""
    entries = record_access_many(request, [unit], kind)
    return entries[0] if entries else None


def record_access_many(
    request: Any, units: Iterable[Any], kind: DataKind | str
) -> list[AccessLogEntry]:
    """`record_access` for several units at once (one row each, one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    ip = _client_ip(request)
    path = request.get_full_path()[:500]
    rows = [
        AccessLogEntry(
            user=user,
            path=path,
            org_unit=unit,
            data_kind=DataKind(kind),
            ip=ip,
        )
        for unit in units
    ]
    return AccessLogEntry.objects.bulk_create(rows)


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on the first visit of the enrolment page;
    its key is what the QR code carries until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with a code from the app; any older device of the user is removed,
    so that exactly one key is valid."""
    if not device.verify_token(token.strip()):
        logger.info("two-factor enrolment: wrong code for user %s", device.user_id)
        return False
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    logger.info("two-factor enrolled for user %s", device.user_id)
    return True


def totp_devices_reset(*, user: Any, by: Any = None) -> int:
    """Remove every TOTP device of the user (lost phone): their next sign-in is password-only
    until they enrol again. Returns how many were removed."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    logger.warning(
        "two-factor reset for user %s by %s", getattr(user, "pk", user), getattr(by, "pk", by)
    )
    return int(count)
