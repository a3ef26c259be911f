# (DRF, django-filter and drf-spectacular ship no type information.)
"""Authentication of the API: a token (`Authorization: Token <key>`) or the site's session."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class KeyTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing keys that are not plain text before they reach
    the database (PostgreSQL rejects a NUL character with an error, not a miss)."""

    def authenticate_credentials(self, key: str) -> Any:
        if not key.isascii() or not key.isalnum():
            raise AuthenticationFailed("Token không hợp lệ.")
        return super().authenticate_credentials(key)


AUTHENTICATION_CLASSES = [KeyTokenAuthentication, SessionAuthentication]
