"""View mixins that ask `accounts.selectors` the permission questions."""

from __future__ import annotations

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpRequest

from benvung.accounts.selectors import access_for


class CoordinatorRequiredMixin(UserPassesTestMixin):
    """Anonymous users are sent to sign in; signed-in users without the right get 403."""

    request: HttpRequest

    def test_func(self) -> bool:
        return access_for(self.request.user).is_coordinator
