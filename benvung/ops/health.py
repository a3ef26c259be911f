"""What `/healthz` reports: the database, the migrations, the free disk space, the version.

No secret and no personal data: a monitoring probe may call it without signing in.
"""

from __future__ import annotations

import shutil
import time
from importlib import metadata
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

_migrations_current = False  # once up to date, stays so until the next start (deploy)


def version() -> str:
    """The installed benvung version ("unknown" when run from a tree without metadata)."""
    try:
        return metadata.version("benvung")
    except metadata.PackageNotFoundError:
        return "unknown"


def check_database(alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """`{"status": "ok"|"error", "latency_ms": …}` of a trivial query."""
    start = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is not usable
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - start) * 1000, 1)}


def check_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """`{"status": "ok"|"pending"|"error", "pending": n}`: are all migrations applied?"""
    global _migrations_current
    if _migrations_current:
        return {"status": "ok", "pending": 0}
    try:
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # no database, no migration table
        return {"status": "error", "error": type(exc).__name__}
    if plan:
        return {"status": "pending", "pending": len(plan)}
    _migrations_current = True
    return {"status": "ok", "pending": 0}


def check_disk() -> dict[str, Any]:
    """Free bytes in the var directory; "low" under `BENVUNG_HEALTH_MIN_FREE_MB`."""
    minimum = int(getattr(settings, "BENVUNG_HEALTH_MIN_FREE_MB", 500)) * 1024 * 1024
    try:
        free = shutil.disk_usage(settings.VAR_DIR).free
    except OSError as exc:
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok" if free >= minimum else "low", "free_bytes": free, "min_bytes": minimum}


def health() -> tuple[bool, dict[str, Any]]:
    """(healthy, report) with every check; healthy when all of them are "ok"."""
    report: dict[str, Any] = {
        "database": check_database(),
        "migrations": check_migrations(),
        "disk": check_disk(),
    }
    healthy = all(part["status"] == "ok" for part in report.values())
    return healthy, {"status": "ok" if healthy else "error", **report, "version": version()}
