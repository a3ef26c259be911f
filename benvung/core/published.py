"""What the public site shows, computed once per change of the data it comes from.

Near a reporting deadline the public pages are read far more often than published data
changes, and each computes the plan's indicators. `SiteState.published_version` is moved
once after every committed transaction that may change what the public may see, and each
process keeps the last answer of a `@cached` public function with the version it was computed
at. Between changes the figures cost one query. A committed change reaches the public pages
once the kept answer is older than `BENVUNG_PUBLIC_MAX_AGE_S` seconds (default 10), so that
near a deadline, when co-ordinators approve reports every second, each process computes the
public figures at most once in that time instead of on nearly every request. With 0, every
change is shown at the next request (the version is compared each time, and the process that
made the change forgets its answers at once: the tests run so).

An answer is also computed again when the unit hierarchy's token moves
(`orgunits.HierarchyState`: database triggers change it with any write to units, parent
links or successions, by any path). What moves the version (see `portal.apps` for the model
list):
- any save or delete of a plan, indicator, target, milestone,
  assessment, definition version, data element, form, SCP model, report (approval, return,
  reopening) or single value (the admin);
- every import (`core.importing.finish_import`) and the plan and demo loaders.

Values saved in a form or by the API do not move it: the workflow never writes into an
approved report (`reporting.services._WorkflowRules`), and only approved values are public,
so such a value becomes public by the report's approval, which moves it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connection, models, transaction
from django.utils.translation import get_language

P = ParamSpec("P")
R = TypeVar("R")

# Answers kept per process; a public page asks a handful of functions for a few years.
_MAX_ANSWERS = 256
# Key → ((version, hierarchy token), when computed (monotonic seconds), answer).
_answers: dict[tuple[Any, ...], tuple[tuple[int, int | None], float, Any]] = {}


def changed(**_: Any) -> None:
    """Move the published version once the current transaction commits (at once outside a
    transaction). Takes and ignores a signal's arguments, so it can be a receiver.

    Moving the version after the commit keeps a long import from holding the version's row
    (and every approval waiting on it) until it ends. With no maximum age this process also
    forgets its answers now, so that it sees its own change even before the commit (a test,
    or a view that writes and then reads)."""
    if settings.BENVUNG_PUBLIC_MAX_AGE_S <= 0:
        _answers.clear()
    transaction.on_commit(_move)


def _move() -> None:
    from benvung.core.models import SiteState

    moved = SiteState.objects.filter(pk=1).update(
        published_version=models.F("published_version") + 1
    )
    if not moved:
        SiteState.objects.get_or_create(pk=1, defaults={"published_version": 1})


def version() -> int:
    """The current published version (one query)."""
    from benvung.core.models import SiteState

    found = SiteState.objects.filter(pk=1).values_list("published_version", flat=True).first()
    return found or 0


def _state() -> tuple[int, int | None]:
    """The published version and the hierarchy's token, in one query: what a kept answer
    was computed from."""
    from benvung.core.models import SiteState
    from benvung.orgunits.models import HierarchyState

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT published_version FROM {SiteState._meta.db_table} WHERE id = 1), "  # noqa: S608 - model table names
            f"(SELECT token FROM {HierarchyState._meta.db_table} WHERE id = 1)"
        )
        version_now, token = cursor.fetchone()
    # No row yet is version 0, as `version()` says (the row is created on first use).
    return version_now or 0, token


def cached(function: Callable[P, R]) -> Callable[P, R]:
    """Keep a public function's answer until the published version or the hierarchy's
    token moves.

    Its arguments must be keyword arguments whose values are plain values or model
    instances (keyed by their primary key); the language is part of the key, since some
    answers hold translated labels. The version is read before computing, so an answer is
    never stored under a version older than the data it was computed from. An answer of
    another version is still used while younger than `BENVUNG_PUBLIC_MAX_AGE_S`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if args:
            raise TypeError(f"{function.__qualname__}: chỉ nhận tham số có tên")
        key = (
            function.__module__,
            function.__qualname__,
            get_language(),
            tuple(sorted((name, _key(value)) for name, value in kwargs.items())),
        )
        current = _state()
        now = time.monotonic()
        known = _answers.get(key)
        if known is not None and (
            known[0] == current or now - known[1] < settings.BENVUNG_PUBLIC_MAX_AGE_S
        ):
            return known[2]  # type: ignore[no-any-return]
        answer = function(*args, **kwargs)
        if len(_answers) >= _MAX_ANSWERS:
            _answers.pop(next(iter(_answers)))
        _answers[key] = (current, now, answer)
        return answer

    return wrapper


def _key(value: Any) -> Any:
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    return value


def forget() -> None:
    """Drop every kept answer (tests)."""
    _answers.clear()
