"""Account pages: the user's own page, two-factor enrolment and the code asked after the
password. The sign-in and password-reset pages are Django's views with our templates
(see `urls.py`); the lockout page is django-axes's, rendered from `accounts/lockout.html`."""

from __future__ import annotations

import base64
import io
import logging
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from benvung.accounts.forms import TokenForm
from benvung.accounts.middleware import needs_second_factor, second_factor_note
from benvung.accounts.selectors import access_for
from benvung.accounts.services import (
    totp_device_confirm,
    totp_device_pending,
    totp_devices_reset,
)

logger = logging.getLogger("benvung.security")


def may_enrol(user: Any) -> bool:
    """Two-factor sign-in is offered to co-ordinators and administrators (they approve and
    manage every unit's data)."""
    access = access_for(user)
    return access.is_coordinator or access.is_administrator


def qr_svg_data_uri(text: str) -> str:
    """The QR code of `text` as an SVG `data:` address: drawn here, no outside service."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def base32_secret(device: TOTPDevice) -> str:
    """The device key as the base32 text authenticator apps accept, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class AccountView(LoginRequiredMixin, View):
    """`/accounts/tai-khoan/`: who I am, my roles, my two-factor status."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        context = {
            "roles": user.roles.select_related("org_unit"),  # type: ignore[union-attr]
            "may_enrol": may_enrol(user),
            "has_device": user_has_device(user, confirmed=True),
        }
        return render(request, "accounts/account.html", context)


class OtpEnrolView(LoginRequiredMixin, View):
    """`/accounts/hai-buoc/dang-ky/`: the QR code and key of a new device; a code confirms it."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_enrol(request.user):
            raise PermissionDenied(
                _("Xác thực hai bước dành cho điều phối viên và quản trị hệ thống.")
            )
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request: HttpRequest, form: TokenForm) -> HttpResponse:
        device = totp_device_pending(user=request.user)
        context = {
            "form": form,
            "qr": qr_svg_data_uri(device.config_url),
            "secret": base32_secret(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        }
        return render(request, "accounts/otp_enrol.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            device = totp_device_pending(user=request.user)
            if totp_device_confirm(device=device, token=form.cleaned_data["token"]):
                otp_login(request, device)
                second_factor_note(request)
                messages.success(
                    request,
                    _("Đã bật xác thực hai bước. Lần đăng nhập sau, hãy nhập mã trong ứng dụng."),
                )
                return HttpResponseRedirect(reverse("accounts:account"))
            form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất."))
        return self.render_form(request, form)


class OtpVerifyView(LoginRequiredMixin, View):
    """`/accounts/hai-buoc/xac-thuc/?next=`: the code asked after the password."""

    def get(self, request: HttpRequest) -> HttpResponse:
        # Checked afresh here: an administrator may have removed the device since sign-in.
        if needs_second_factor(request) and second_factor_note(request):
            return self.render_form(request, TokenForm())
        return HttpResponseRedirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))

    def render_form(self, request: HttpRequest, form: TokenForm) -> HttpResponse:
        context = {"form": form, "next": _safe_next(request, "")}
        return render(request, "accounts/otp_verify.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            for device in devices_for_user(request.user, confirmed=True):
                # verify_token counts failures and slows down guessing (django-otp throttling).
                if device.verify_token(form.cleaned_data["token"]):
                    otp_login(request, device)
                    return HttpResponseRedirect(
                        _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
                    )
            logger.warning(
                "two-factor: wrong code for user %s from %s",
                request.user.pk,
                request.META.get("REMOTE_ADDR"),
            )
            form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất."))
        return self.render_form(request, form)


class OtpDisableView(LoginRequiredMixin, View):
    """`/accounts/hai-buoc/tat/` (POST, from a session that gave its code): remove my device."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request):
            raise PermissionDenied
        totp_devices_reset(user=request.user, by=request.user)
        second_factor_note(request)
        messages.info(request, _("Đã tắt xác thực hai bước."))
        return HttpResponseRedirect(reverse("accounts:account"))
