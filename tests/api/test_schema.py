"""The OpenAPI schema validates, and the API holds to it: a property-based run (schemathesis)
over every operation finds no server error.

The run calls the WSGI application in-process, inside the test's transaction, so that it
works the same on SQLite and PostgreSQL and leaves nothing behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import World

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# How many requests the property-based run sent, per operation (shown with -s).
SENT: Counter[str] = Counter()
EXAMPLES = 25


def test_the_schema_validates_without_warnings(tmp_path: Path) -> None:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(generated)  # OpenAPI 3 JSON schema of drf-spectacular
    operation_ids = [
        operation["operationId"]
        for item in generated["paths"].values()
        for operation in item.values()
    ]
    assert len(operation_ids) == len(set(operation_ids)) == 11
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        skip_checks=True,
    )


def test_every_operation_and_parameter_is_described() -> None:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in generated["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary") and operation.get("description"), where
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), f"{where} {parameter['name']}"
            for code, response in operation["responses"].items():
                assert response.get("description"), f"{where} {code}"


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Requests go straight to the WSGI handler, which closes the database connection (and
    with it the test's transaction) when a request starts and ends; Django's test client
    turns that off the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def coordinator_token(world: World) -> str:
    token, _ = Token.objects.get_or_create(user=world.users["coordinator"])
    return str(token.key)


def run(case: Any, **kwargs: Any) -> None:
    SENT[f"{case.method} {case.path}"] += 1
    response = case.call(**kwargs)
    # No server error, and every documented answer has the documented shape.
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_reads_never_fail(case: Any, world: World, in_test_transaction: None) -> None:
    run(case)


@pytest.mark.django_db
@schema.include(method="POST").parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_writes_never_fail(
    case: Any, world: World, in_test_transaction: None, coordinator_token: str
) -> None:
    run(case, headers={"Authorization": f"Token {coordinator_token}"})


def test_report_the_run() -> None:
    """Prints what the property-based run sent (pytest -s), after it ran."""
    if SENT:
        print(f"\nschemathesis: {sum(SENT.values())} requests")
        for operation, count in sorted(SENT.items()):
            print(f"  {count:5d}  {operation}")
