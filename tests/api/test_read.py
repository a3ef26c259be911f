"""Reading through the API: plans, indicators, targets, progress and units (public)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from benvung.indicators.services import plan_progress, progress_json
from benvung.plans.models import Indicator
from tests.api.conftest import World, client_for

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def test_plans_list_and_detail_with_the_whole_framework(api: APIClient, world: World) -> None:
    listed = api.get(f"{V1}/plans/").json()
    # KH-2627, the national programme it implements and Hải Phòng's sample plan (the reform).
    plans = {p["code"]: p for p in listed["results"]}
    assert set(plans) == {"KH-2627", "CTQG-889", "HP-SCP-MH"}
    assert plans["KH-2627"]["scope_root"] == "30"
    detail = api.get(f"{V1}/plans/KH-2627/").json()
    assert (detail["base_year"], detail["start_year"], detail["end_year"]) == (2020, 2021, 2030)
    indicators = {i["code"]: i for o in detail["objectives"] for i in o["indicators"]}
    assert indicators.keys() == set(world.plan.indicators.values_list("code", flat=True))
    ct01 = indicators["CT01"]
    milestones = {m["year"]: m for t in ct01["targets"] for m in t["milestones"]}
    assert float(milestones[2025]["minimum"]) == 70
    assert float(milestones[2030]["minimum"]) == 100


def test_plan_detail_runs_a_fixed_number_of_queries(
    api: APIClient, world: World, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(8):
        assert api.get(f"{V1}/plans/KH-2627/").status_code == 200


def test_unknown_plan_or_indicator_is_404(api: APIClient, world: World) -> None:
    assert api.get(f"{V1}/plans/KH-0000/").status_code == 404
    assert api.get(f"{V1}/plans/KH-2627/indicators/CT99/").status_code == 404
    assert api.get(f"{V1}/plans/KH-0000/progress/").status_code == 404
    # A NUL never reaches the database (PostgreSQL would fail on it).
    assert api.get(f"{V1}/plans/KH%00/").status_code == 404


def test_indicators_list_filters_and_detail(api: APIClient, world: World) -> None:
    everything = api.get(f"{V1}/indicators/", {"limit": 1000}).json()
    assert everything["count"] == Indicator.objects.count()  # every plan's
    one = api.get(f"{V1}/indicators/", {"plan": "kh-2627", "code": "ct01"}).json()
    assert [i["code"] for i in one["results"]] == ["CT01"]
    assert one["results"][0]["plan"] == "KH-2627"
    assert one["results"][0]["parameters"]["data_element"] == "NT_HOAT_DONG"
    assert api.get(f"{V1}/indicators/", {"plan": "KHAC"}).json()["count"] == 0
    assert api.get(f"{V1}/indicators/", {"formula": "khong-co"}).status_code == 400
    detail = api.get(f"{V1}/plans/KH-2627/indicators/CT01/").json()
    assert detail == one["results"][0]


def test_targets_list(api: APIClient, world: World) -> None:
    targets = api.get(f"{V1}/targets/", {"indicator": "CT01"}).json()["results"]
    assert targets
    assert {t["indicator"] for t in targets} == {"CT01"}
    years = {m["year"] for t in targets for m in t["milestones"]}
    assert {2025, 2030} <= years
    in_2030 = api.get(f"{V1}/targets/", {"year": 2030}).json()["results"]
    assert all(any(m["year"] == 2030 for m in t["milestones"]) for t in in_2030)
    assert api.get(f"{V1}/targets/", {"year": 99999}).status_code == 400


def test_pagination_is_bounded(api: APIClient, world: World) -> None:
    page = api.get(f"{V1}/org-units/", {"date": "2023-01-01", "limit": 5, "offset": 3}).json()
    assert len(page["results"]) == 5
    assert page["count"] > 200
    huge = api.get(f"{V1}/org-units/", {"limit": 10**6, "offset": 10**30})
    assert huge.status_code == 200
    assert huge.json()["results"] == []


# --- progress --------------------------------------------------------------------------------


def expected_progress(world: World, year: int, **options) -> dict:
    evaluations = plan_progress(plan=world.plan, year=year, **options)
    data = progress_json(plan=world.plan, year=year, evaluations=evaluations)
    return json.loads(json.dumps(data))


def test_progress_is_the_json_of_the_command(api: APIClient, world: World, capsys) -> None:
    answer = api.get(f"{V1}/plans/KH-2627/progress/", {"year": 2023})
    assert answer.status_code == 200
    assert answer.json() == expected_progress(world, 2023, approved_only=True)
    call_command("progress", "--year", "2023", "--json", "--approved-only")
    assert answer.json() == json.loads(capsys.readouterr().out)


def test_the_public_always_gets_approved_figures(api: APIClient, world: World) -> None:
    published = expected_progress(world, 2023, approved_only=True)
    everything = expected_progress(world, 2023, approved_only=False)
    ct01 = {i["code"]: i for i in everything["indicators"]}["CT01"]
    assert ct01["value"] != {i["code"]: i for i in published["indicators"]}["CT01"]["value"]
    query = {"year": 2023, "approved_only": "false"}
    assert api.get(f"{V1}/plans/KH-2627/progress/", query).json() == published
    reporter = client_for(world.users["reporter290"])
    assert reporter.get(f"{V1}/plans/KH-2627/progress/", query).json() == published
    for role in ("coordinator", "leader"):
        client = client_for(world.users[role])
        assert client.get(f"{V1}/plans/KH-2627/progress/", query).json() == everything


def test_progress_over_a_unit_and_bad_parameters(api: APIClient, world: World) -> None:
    query = {"year": 2023, "org_unit": "288"}
    expected = expected_progress(world, 2023, root=world.units["288"], approved_only=True)
    assert api.get(f"{V1}/plans/KH-2627/progress/", query).json() == expected
    bad = api.get(f"{V1}/plans/KH-2627/progress/", {"org_unit": "KHONG"})
    assert bad.status_code == 400
    assert "org_unit" in bad.json()
    assert api.get(f"{V1}/plans/KH-2627/progress/", {"year": 2040}).status_code == 400
    assert api.get(f"{V1}/plans/KH-2627/progress/", {"year": "abc"}).status_code == 400


# --- units -----------------------------------------------------------------------------------


def units_on(api: APIClient, **query) -> dict[str, dict]:
    page = api.get(f"{V1}/org-units/", {"limit": 1000, **query}).json()
    return {u["code"]: u for u in page["results"]}


def test_units_as_of_a_day_with_their_parent_that_day(api: APIClient, world: World) -> None:
    before = units_on(api, date="2025-06-30")
    assert before["K3"]["parent"] == "288"
    assert before["288"]["parent"] == "30"
    assert before["30"]["parent"] is None
    assert "X9" not in before
    after = units_on(api, date="2025-07-01")
    assert after["K3"]["parent"] == "X9"
    assert after["K3"]["parent_name"] == "Xã Mới"
    assert "288" not in after
    assert after["K1"]["parent"] is None  # its district no longer exists
    zones = units_on(api, date="2024-01-01", type="KCN")
    assert set(zones) == {"K1", "K2", "K3"}
    under_288 = units_on(api, date="2024-01-01", parent="288")
    assert {"K1", "K3", "E1", "10507"} <= set(under_288)
    assert "K2" not in under_288
    assert set(units_on(api, date="2025-08-01", parent="X9")) == {"K3"}
    assert api.get(f"{V1}/org-units/", {"date": "2025-13-01"}).status_code == 400


def test_unit_detail_has_its_dated_parent_links(api: APIClient, world: World) -> None:
    detail = api.get(f"{V1}/org-units/K3/").json()
    assert detail["type"] == "KCN"
    assert [(p["parent"], p["valid_from"], p["valid_to"]) for p in detail["parent_links"]] == [
        ("288", "2020-01-01", "2025-06-30"),
        ("X9", "2025-07-01", None),
    ]
    assert api.get(f"{V1}/org-units/KHONG/").status_code == 404


# --- schema and docs -------------------------------------------------------------------------


def test_schema_and_docs_are_served(api: APIClient, db: None) -> None:
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/data-values/" in paths
    assert "/api/v1/plans/{code}/progress/" in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page
    # Served from the sidecar package: works on an intranet.
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses and not [a for a in addresses if "://" in a or a.startswith("//")]
