"""Data values through the API: who reads what, and writes under the import's rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from benvung.datavalues.models import DataValue
from benvung.reporting.history import user_label, value_history
from benvung.reporting.models import EventAction, Submission, SubmissionStatus
from tests.api.conftest import World, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/data-values/"


def keys(client: APIClient, **query) -> set[tuple[str, str, str]]:
    answer = client.get(URL, {"limit": 1000, **query})
    assert answer.status_code == 200, answer.content
    return {(v["data_element"], v["org_unit"], v["period"]) for v in answer.json()["results"]}


K1 = ("NT_HOAT_DONG", "K1", "2023")  # approved
K2 = ("NT_HOAT_DONG", "K2", "2023")  # draft of district 290
E1 = ("SX_SAN_LUONG", "E1", "2023")  # approved, an enterprise's


# --- reading ---------------------------------------------------------------------------------


def test_the_public_reads_approved_values_and_never_enterprises(
    api: APIClient, world: World
) -> None:
    assert keys(api) == {K1}
    assert keys(api, org_unit="E1") == set()
    assert keys(api, org_unit="K2") == set()
    value = api.get(URL).json()["results"][0]
    assert value["approved"] is True
    assert Decimal(value["value"]) == 2


def test_signed_in_users_read_approved_values_and_their_own_drafts(world: World) -> None:
    assert keys(client_for(world.users["nobody"])) == {K1, E1}
    assert keys(client_for(world.users["reporter288"])) == {K1, E1}
    assert keys(client_for(world.users["reporter290"])) == {K1, E1, K2}
    assert keys(client_for(world.users["reporter290"]), year=2023) == {K1, E1, K2}
    assert keys(client_for(world.users["coordinator"])) == {K1, E1, K2}
    assert keys(client_for(world.users["leader"])) == {K1, E1, K2}
    draft = client_for(world.users["reporter290"]).get(URL, {"org_unit": "K2"}).json()
    assert draft["results"][0]["approved"] is False


def test_filters(world: World) -> None:
    boss = client_for(world.users["coordinator"])
    assert keys(boss, data_element="nt_hoat_dong") == {K1, K2}
    assert keys(boss, org_unit="E1") == {E1}
    assert keys(boss, period="2023") == {K1, K2, E1}
    assert keys(boss, year=2022) == set()
    assert boss.get(URL, {"year": "20x"}).status_code == 400


def test_the_list_runs_few_queries(world: World, django_assert_max_num_queries) -> None:
    reporter = client_for(world.users["reporter290"])
    with django_assert_max_num_queries(10):
        assert reporter.get(URL, {"year": 2023}).status_code == 200


# --- writing ---------------------------------------------------------------------------------


def row(element: str, org_unit: str, period: str, value: object, **extra: object) -> dict:
    return {
        "data_element": element,
        "org_unit": org_unit,
        "period": period,
        "value": value,
        **extra,
    }


def test_writing_needs_a_token_and_a_role(api: APIClient, world: World) -> None:
    rows = [row("NT_HOAT_DONG", "K1", "2024", 1)]
    assert api.post(URL, rows, format="json").status_code == 401
    refused = client_for(world.users["nobody"]).post(URL, rows, format="json")
    assert refused.status_code == 403
    assert "không có quyền nhập số liệu" in refused.json()["detail"]
    assert not DataValue.objects.filter(period="2024").exists()


def test_a_token_from_the_token_endpoint_writes(api: APIClient, world: World) -> None:
    answer = api.post(
        "/api/v1/auth/token/",
        {"username": "baocao288", "password": "mat-khau-dai-123"},
        format="json",
    )
    assert answer.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    written = api.post(URL, [row("NT_HOAT_DONG", "K3", "2024", 3)], format="json")
    assert written.status_code == 201, written.content
    wrong = APIClient().post(
        "/api/v1/auth/token/", {"username": "baocao288", "password": "sai"}, format="json"
    )
    assert wrong.status_code == 400
    nul = APIClient(HTTP_AUTHORIZATION="Token abc\x00def").get(URL)
    assert nul.status_code == 401


def test_a_successful_write_is_audited_with_user_and_source(world: World) -> None:
    reporter = world.users["reporter288"]
    rows = [
        row("NT_HOAT_DONG", "K1", "2024", 4, comment="Hội nghị tháng 5"),
        row("NT_NGUOI", "K1", "2024", "120"),
        row("TH_NANG_LUONG", "E1", 2024, 1000.5, unit="kWh"),
    ]
    answer = client_for(reporter).post(URL, rows, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json() == {"created": 3, "updated": 0, "unchanged": 0}
    value = DataValue.objects.get(
        data_element__code="NT_HOAT_DONG", org_unit__code="K1", period="2024"
    )
    assert (value.value, value.comment, value.source, value.updated_by) == (
        4,
        "Hội nghị tháng 5",
        "API",
        reporter,
    )
    [created] = value_history(element=value.data_element, unit=value.org_unit, period="2024")
    assert (created.kind, created.user, created.source) == ("+", user_label(reporter), "API")
    energy = DataValue.objects.get(data_element__code="TH_NANG_LUONG", org_unit__code="E1")
    assert energy.canonical_value == Decimal("1000.5") * Decimal("0.0001543")
    submission = Submission.objects.get(
        data_set__code="NHAN_THUC", org_unit__code="K1", period="2024"
    )
    assert submission.status == SubmissionStatus.DRAFT
    assert list(submission.events.values_list("action", "comment", "user")) == [
        (EventAction.API, "API", reporter.pk)
    ]
    again = client_for(reporter).post(
        URL, [rows[0], {**rows[1], "value": 130}, rows[2]], format="json"
    )
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 2}
    assert again.status_code == 201


def test_a_reporter_writes_only_for_their_units(world: World) -> None:
    rows = [row("NT_HOAT_DONG", "K1", "2024", 1), row("NT_HOAT_DONG", "K2", "2024", 1)]
    answer = client_for(world.users["reporter288"]).post(URL, rows, format="json")
    assert answer.status_code == 400
    assert answer.json() == {
        "problems": [
            {
                "line": 2,
                "column": "org_unit",
                "message": "bạn không có quyền báo cáo cho đơn vị 'K2'",
            }
        ]
    }
    assert not DataValue.objects.filter(period="2024").exists()  # all or nothing


def test_an_approved_report_is_locked(world: World) -> None:
    boss = client_for(world.users["coordinator"])
    answer = boss.post(URL, [row("NT_HOAT_DONG", "K1", "2023", 9)], format="json")
    assert answer.status_code == 400
    (problem,) = answer.json()["problems"]
    assert problem["line"] == 1
    assert "đã được duyệt" in problem["message"]
    assert DataValue.objects.get(org_unit__code="K1", period="2023").value == 2


def test_every_problem_names_its_line_in_vietnamese(world: World) -> None:
    rows = [
        row("NT_HOAT_DONG", "K1", "2024", 1),
        row("KHONG_CO", "K1", "2024", 1),
        row("NT_HOAT_DONG", "K1", "2024", -3),
        {"data_element": "NT_HOAT_DONG", "org_unit": "K1", "value": 1, "ghi_chu": "x"},
        "không phải đối tượng",
        row("TH_NANG_LUONG", "E1", "2024", 5),
        row("NT_HOAT_DONG", "K1", "2024", None),
    ]
    answer = client_for(world.users["coordinator"]).post(URL, rows, format="json")
    assert answer.status_code == 400
    problems = {(p["line"], p["column"]) for p in answer.json()["problems"]}
    assert {(4, "ghi_chu"), (4, "period"), (5, "-"), (7, "value")} <= problems
    # Shape problems are reported first; once the shape is right the import's checks speak.
    fixed = [r for i, r in enumerate(rows, start=1) if i not in (4, 5, 7)]
    answer = client_for(world.users["coordinator"]).post(URL, fixed, format="json")
    messages = {(p["line"], p["column"]): p["message"] for p in answer.json()["problems"]}
    assert messages[(2, "data_element")] == "không có chỉ số mã 'KHONG_CO'"
    assert messages[(3, "value")].startswith("giá trị phải là số nguyên không âm")
    assert messages[(4, "unit")].startswith("chỉ số TH_NANG_LUONG cần đơn vị tính")
    assert not DataValue.objects.filter(period="2024").exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"data_element": "NT_HOAT_DONG"}, "nội dung phải là một danh sách"),
        ([], "danh sách không có dòng nào"),
        ([row("NT_HOAT_DONG", "K1", "2024", 1)] * 5001, "tối đa 5.000 dòng"),
    ],
)
def test_the_body_must_be_a_list_of_at_most_5000_rows(
    world: World, payload: object, message: str
) -> None:
    answer = client_for(world.users["coordinator"]).post(URL, payload, format="json")
    assert answer.status_code == 400
    (problem,) = answer.json()["problems"]
    assert problem["line"] == 0
    assert message in problem["message"]


def test_5000_rows_are_accepted(world: World) -> None:
    from benvung.orgunits.models import OrgUnit

    OrgUnit.objects.bulk_create(
        OrgUnit(code=f"Z{n:04d}", name=f"KCN {n}", type="KCN", valid_from="2020-01-01")
        for n in range(2500)
    )
    rows = [
        row(element, f"Z{n:04d}", "2024", n)
        for n in range(2500)
        for element in ("NT_HOAT_DONG", "NT_NGUOI")
    ]
    answer = client_for(world.users["coordinator"]).post(URL, rows, format="json")
    assert answer.status_code == 201, answer.content[:500]
    assert answer.json()["created"] == 5000
