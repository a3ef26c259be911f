"""/healthz: what a monitoring probe sees, healthy and with the database down."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.utils import OperationalError
from django.test import Client

from benvung.ops import health


@pytest.mark.django_db
def test_healthy_installation_answers_200_without_sign_in(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["latency_ms"] >= 0
    assert body["migrations"] == {"status": "ok", "pending": 0}
    assert body["disk"]["status"] == "ok"
    assert body["disk"]["free_bytes"] > 0
    assert body["version"]
    assert "SECRET" not in response.content.decode().upper()


@pytest.mark.django_db
def test_database_failure_answers_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def cursor(self) -> Any:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connections", {"default": Broken()})
    monkeypatch.setattr(health, "_migrations_current", False)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"status": "error", "error": "OperationalError"}
    assert body["migrations"]["status"] == "error"
    assert "connection refused" not in response.content.decode()  # no driver detail


@pytest.mark.django_db
def test_low_disk_answers_503(client: Client, settings: Any) -> None:
    settings.BENVUNG_HEALTH_MIN_FREE_MB = 10**12  # more than any disk
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"]["status"] == "low"
