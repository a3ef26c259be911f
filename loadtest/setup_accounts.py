"""Prepare a demo database for the load test: reporter and co-ordinator accounts.

    python loadtest/setup_accounts.py OUT.json [--reporters 100] [--coordinators 10]

Each reporter account reports for one commune (data set TUYEN_TRUYEN, the current year), so
that every accepted write has one author and the check can compare the last accepted value
of each cell with the database. Writes the accounts, their forms and the reports waiting for
approval to OUT.json for the locustfile. Run with the same environment as the server
(BENVUNG_VAR_DIR / DATABASE_URL).
"""

from __future__ import annotations

import argparse
import json
import os
from importlib import import_module

PASSWORD = "tai-khoan-thu-tai-2026"  # noqa: S105 - load-test accounts on a throw-away database
DATA_SET = "TUYEN_TRUYEN"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--reporters", type=int, default=100)
    parser.add_argument("--coordinators", type=int, default=10)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benvung.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password

    from benvung.accounts.models import Role, RoleAssignment
    from benvung.orgunits.models import OrgUnit
    from benvung.reporting.models import Submission

    users = get_user_model().objects
    hashed = make_password(PASSWORD)
    communes = list(
        OrgUnit.objects.filter(type="XA", valid_to__isnull=True).order_by("code")[: args.reporters]
    )
    reporters = []
    for index, unit in enumerate(communes):
        user, _ = users.update_or_create(
            username=f"tai-bc-{index:03d}", defaults={"password": hashed, "is_active": True}
        )
        RoleAssignment.objects.get_or_create(user=user, role=Role.REPORTER, org_unit=unit)
        reporters.append(
            {
                "username": user.username,
                "unit": unit.code,
                "entry": f"/bao-cao/{DATA_SET}/{args.year}/{unit.code}/",
            }
        )
    coordinators = []
    for index in range(args.coordinators):
        user, _ = users.update_or_create(
            username=f"tai-dp-{index:02d}", defaults={"password": hashed, "is_active": True}
        )
        RoleAssignment.objects.get_or_create(user=user, role=Role.COORDINATOR, org_unit=None)
        coordinators.append({"username": user.username})
    # Every simulated person is already signed in (a session lasts a working day): the
    # sign-in itself, an Argon2 check of about a second of CPU here, is not what a deadline
    # loads, and 150 of them at once would measure only that.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = next(
        (b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")),
        settings.AUTHENTICATION_BACKENDS[-1],
    )
    for account in [*reporters, *coordinators]:
        user = users.get(username=account["username"])
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        account["session"] = session.session_key
    waiting = list(
        Submission.objects.filter(status="submitted").order_by("id").values_list("id", flat=True)
    )
    with open(args.output, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "password": PASSWORD,
                "reporters": reporters,
                "coordinators": coordinators,
                "submitted": waiting,
            },
            fh,
            indent=1,
        )
    print(f"{len(reporters)} reporters, {len(coordinators)} co-ordinators, {len(waiting)} waiting")


if __name__ == "__main__":
    main()
