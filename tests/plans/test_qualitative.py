"""Qualitative indicators (CT05, CT06): the co-ordinator sets a year's status, narrative and
evidence files on the indicator page; everyone else reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from benvung.accounts.models import Role, RoleAssignment
from benvung.plans.models import Indicator, Plan, QualitativeAssessment
from benvung.plans.services import PLAN_DATA_DIR, plan_load_file, qualitative_assessment_set
from benvung.scpmodels.models import Evidence
from tests.factories import OrgUnitFactory, unit_under
from tests.scpmodels.test_pages import PDF, PNG, upload

CT05_URL = "/ke-hoach/KH-2627/chi-tieu/CT05/"


def assessment_url(year: int, code: str = "CT05") -> str:
    return f"/ke-hoach/KH-2627/chi-tieu/{code}/danh-gia/{year}/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "protected"  # where evidence files go (beside MEDIA_ROOT)


@pytest.fixture
def plan(db: None) -> Plan:
    province = OrgUnitFactory(code="30", name="Tỉnh Hải Dương", type="TINH")
    unit_under(province, code="288", name="Thành phố Hải Dương", type="HUYEN")
    return plan_load_file(path=PLAN_DATA_DIR / "kh2627.json")


@pytest.fixture
def ct05(plan: Plan) -> Indicator:
    return plan.indicators.get(code="CT05")


def user_with(username: str, role: str | None, unit_code: str = "") -> User:
    user = User.objects.create_user(username, password="x")
    if role:
        from benvung.orgunits.models import OrgUnit

        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def coordinator(plan: Plan) -> User:
    return user_with("dieuphoi", Role.COORDINATOR)


@pytest.fixture
def coordinator_client(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


def test_coordinator_sets_status_narrative_and_files_from_the_indicator_page(
    coordinator_client: Client, coordinator: User, ct05: Indicator
) -> None:
    page = coordinator_client.get(CT05_URL, {"nam": 2024}).content.decode()
    assert f'action="{assessment_url(2024)}"' in page
    # Every progress status is offered, with its Vietnamese label, best first.
    options = [
        '<option value="dat">Đạt</option>',
        '<option value="dung_tien_do">Đúng tiến độ</option>',
        '<option value="can_day_nhanh">Cần đẩy nhanh</option>',
        '<option value="cham_tien_do">Chậm tiến độ</option>',
        '<option value="thut_lui">Thụt lùi</option>',
        '<option value="khong_dat">Không đạt</option>',
        '<option value="chua_co_du_lieu">Chưa có dữ liệu</option>',
    ]
    positions = [page.index(option) for option in options]
    assert positions == sorted(positions)

    response = coordinator_client.post(
        assessment_url(2024),
        {
            "status": "can_day_nhanh",
            "narrative": "5 trường nghề lồng ghép nội dung SXTDBV",
            "attachments": [upload("Kế hoạch đào tạo.pdf", PDF), upload("lop-hoc.png", PNG)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{CT05_URL}?nam=2024#danh-gia"
    assessment = QualitativeAssessment.objects.get(indicator=ct05, year=2024)
    assert (assessment.status, assessment.evidence) == (
        "can_day_nhanh",
        "5 trường nghề lồng ghép nội dung SXTDBV",
    )
    assert assessment.updated_by == coordinator
    assert sorted(f.original_name for f in assessment.files.all()) == [
        "Kế hoạch đào tạo.pdf",
        "lop-hoc.png",
    ]
    shown = coordinator_client.get(CT05_URL, {"nam": 2024})
    text = shown.content.decode()
    assert "Đã lưu đánh giá CT05 năm 2024." in text
    assert "5 trường nghề lồng ghép nội dung SXTDBV" in text
    assert "Kế hoạch đào tạo.pdf" in text
    assert shown.context["current"].status == "can_day_nhanh"
    assert shown.context["current"].status_label == "Cần đẩy nhanh"
    # The plan page shows the status too.
    plan_page = coordinator_client.get("/ke-hoach/KH-2627/", {"nam": 2024})
    assert "badge--can_day_nhanh" in plan_page.content.decode()


def test_editing_replaces_status_and_removes_files(
    coordinator_client: Client,
    coordinator: User,
    ct05: Indicator,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = qualitative_assessment_set(
        indicator=ct05,
        year=2023,
        status="cham_tien_do",
        narrative="Rà soát chương trình",
        files=[upload("cu.pdf", PDF)],
        user=coordinator,
    )
    old = first.files.get()
    form = coordinator_client.get(assessment_url(2023)).content.decode()
    assert "Rà soát chương trình" in form and "cu.pdf" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            assessment_url(2023),
            {"status": "dung_tien_do", "narrative": "Đã lồng ghép", "remove_files": [old.pk]},
        )
    assert response.status_code == 302
    assessment = QualitativeAssessment.objects.get(indicator=ct05, year=2023)
    assert (assessment.status, assessment.evidence) == ("dung_tien_do", "Đã lồng ghép")
    assert not assessment.files.exists()
    assert not (media / old.file.name).exists()


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"status": "tot"}, "status", "lựa chọn hợp lệ"),
        (
            {"status": "dat", "attachments": [upload("gia.pdf", PNG)]},
            "attachments",
            "không phải PDF",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    coordinator_client: Client, ct05: Indicator, post: dict[str, Any], field: str, message: str
) -> None:
    response = coordinator_client.post(assessment_url(2024), post)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not QualitativeAssessment.objects.exists()
    assert not Evidence.objects.exists()


def test_service_checks_indicator_year_status_and_right(
    plan: Plan, ct05: Indicator, coordinator: User
) -> None:
    ct01 = plan.indicators.get(code="CT01")
    with pytest.raises(ValidationError, match="được tính từ số liệu"):
        qualitative_assessment_set(
            indicator=ct01, year=2024, status="dat", narrative="", user=coordinator
        )
    with pytest.raises(ValidationError, match="ngoài thời gian thực hiện kế hoạch"):
        qualitative_assessment_set(
            indicator=ct05, year=2020, status="dat", narrative="", user=coordinator
        )
    with pytest.raises(ValidationError, match="không hợp lệ"):
        qualitative_assessment_set(
            indicator=ct05, year=2024, status="tot", narrative="", user=coordinator
        )
    leader = user_with("lanhdao", Role.LEADER)
    with pytest.raises(PermissionDenied):
        qualitative_assessment_set(
            indicator=ct05, year=2024, status="dat", narrative="", user=leader
        )
    assert not QualitativeAssessment.objects.exists()


def test_form_only_for_years_of_the_plan_and_qualitative_indicators(
    coordinator_client: Client, ct05: Indicator
) -> None:
    base_year = coordinator_client.get(CT05_URL, {"nam": 2020})
    assert "assessment_form" not in base_year.context
    assert coordinator_client.get(assessment_url(2020)).status_code == 404
    assert coordinator_client.get(assessment_url(2031)).status_code == 404
    assert coordinator_client.get(assessment_url(2024, "CT01")).status_code == 404
    assert coordinator_client.get(assessment_url(2024, "CT99")).status_code == 404


@pytest.mark.parametrize(("role", "unit"), [(Role.REPORTER, "288"), (Role.LEADER, ""), (None, "")])
def test_others_read_assessments_but_cannot_set_them(
    client: Client, ct05: Indicator, coordinator: User, role: str | None, unit: str
) -> None:
    qualitative_assessment_set(
        indicator=ct05,
        year=2024,
        status="dung_tien_do",
        narrative="Đúng kế hoạch",
        files=[upload("bien-ban.pdf", PDF)],
        user=coordinator,
    )
    client.force_login(user_with("nguoi-doc", role, unit))
    page = client.get(CT05_URL, {"nam": 2024})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đúng kế hoạch" in text and "bien-ban.pdf" in text
    assert "assessment_form" not in page.context
    assert assessment_url(2024) not in text
    evidence = Evidence.objects.get()
    assert client.get(f"/mo-hinh/minh-chung/{evidence.pk}/").status_code == 200
    assert client.get(assessment_url(2024)).status_code == 403
    response = client.post(assessment_url(2024), {"status": "dat", "narrative": "Sửa trộm"})
    assert response.status_code == 403
    assert QualitativeAssessment.objects.get().status == "dung_tien_do"


def test_anonymous_is_sent_to_login(client: Client, ct05: Indicator) -> None:
    response = client.post(assessment_url(2024), {"status": "dat"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not QualitativeAssessment.objects.exists()
