"""Who may see and do what: every permission question is answered here, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benvung.accounts.models import Role, RoleAssignment
from benvung.indicators.domain.hierarchy import year_window
from benvung.orgunits.selectors import subtree_codes


@dataclass(frozen=True)
class Access:
    """A user's rights: roles, and the units whose subtrees they report for."""

    user_id: int | None
    roles: frozenset[str]
    reporter_roots: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or Role.COORDINATOR in self.roles

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or Role.ADMINISTRATOR in self.roles

    @property
    def reads_everything(self) -> bool:
        """Co-ordinators, leaders and administrators read every unit's unpublished data."""
        return self.is_coordinator or self.is_administrator or Role.LEADER in self.roles

    @property
    def is_reporter(self) -> bool:
        return bool(self.reporter_roots)

    @property
    def can_approve(self) -> bool:
        return self.is_coordinator

    @property
    def can_enter_data(self) -> bool:
        return self.is_coordinator or self.is_reporter


ANONYMOUS = Access(user_id=None, roles=frozenset())


def access_for(user: Any) -> Access:
    """The rights of a user (one query); anonymous users have none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_benvung_access", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    rows = list(RoleAssignment.objects.filter(user=user).values_list("role", "org_unit__code"))
    access = Access(
        user_id=user.pk,
        roles=frozenset(role for role, _ in rows),
        reporter_roots=frozenset(code for role, code in rows if role == Role.REPORTER and code),
        is_superuser=bool(user.is_superuser),
    )
    user._benvung_access = access
    return access


def reportable_units(access: Access, year: int) -> frozenset[str] | None:
    """Codes of the units the user may enter data for in the year; None means every unit."""
    if access.is_coordinator:
        return None
    if not access.reporter_roots:
        return frozenset()
    start, end = year_window(year)
    return subtree_codes(access.reporter_roots, start, end)


def readable_unpublished_units(access: Access, year: int) -> frozenset[str] | None:
    """Codes of the units whose unapproved data the user may read; None means every unit."""
    if access.reads_everything:
        return None
    return reportable_units(access, year)
