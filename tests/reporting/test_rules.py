"""The workflow's rules on writes: whose units, locked reports, submissions reached."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model

from benvung.accounts.models import Role, RoleAssignment
from benvung.accounts.selectors import access_for
from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit
from benvung.plans.services import PLAN_DATA_DIR, plan_load
from benvung.reporting import periods
from benvung.reporting.models import DataSet, EventAction, Submission, SubmissionStatus
from benvung.reporting.services import (
    OPERATOR,
    WorkflowError,
    data_sets_load,
    submission_approve,
    submission_for,
    submission_reopen,
    submission_return,
    submission_submit,
    values_import,
)
from tests.factories import OrgUnitFactory, unit_under

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world() -> dict[str, OrgUnit]:
    import json

    province = OrgUnitFactory(code="P", type="TINH")
    d1 = unit_under(province, code="D1", type="HUYEN")
    d2 = unit_under(province, code="D2", type="HUYEN")
    definition = json.loads((PLAN_DATA_DIR / "kh2627.json").read_text(encoding="utf-8"))
    plan_load(definition=definition)
    data_sets_load(definitions=definition["data_sets"])
    return {
        "P": province,
        "D1": d1,
        "D2": d2,
        "L1": unit_under(d1, code="L1", type="LANG_NGHE"),
        "L2": unit_under(d2, code="L2", type="LANG_NGHE"),
    }


def reporter_of(unit: OrgUnit, name: str = "baocao") -> object:
    user = User.objects.create_user(name, password="x")
    RoleAssignment.objects.create(user=user, role=Role.REPORTER, org_unit=unit)
    return user


def coordinator() -> object:
    user = User.objects.create_user("dieuphoi", password="x")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def load(text: str, user: object = None, name: str = "so-lieu.csv"):
    header = "data_element,org_unit,period,value,unit,comment\n"
    return values_import(file=io.BytesIO((header + text).encode()), filename=name, user=user)


def test_a_reporter_writes_only_within_their_subtree(world) -> None:
    user = reporter_of(world["D1"])
    result = load("NT_HOAT_DONG,L1,2025,2,,\nNT_HOAT_DONG,L2,2025,3,,\n", user)
    assert [str(p) for p in result.problems] == [
        "so-lieu.csv:3: org_unit: bạn không có quyền báo cáo cho đơn vị 'L2'"
    ]
    assert not DataValue.objects.exists()
    assert load("NT_HOAT_DONG,L1,2025,2,,\n", user).ok


def test_a_user_without_a_role_cannot_write(world) -> None:
    user = User.objects.create_user("khach", password="x")
    result = load("NT_HOAT_DONG,L1,2025,2,,\n", user)
    assert [p.message for p in result.problems] == ["tài khoản của bạn không có quyền nhập số liệu"]


def test_an_import_creates_draft_submissions_and_moves_versions(world) -> None:
    user = reporter_of(world["D1"])
    assert load("NT_HOAT_DONG,L1,2025,2,,\nNT_NGUOI,L1,2025,40,,\n", user).ok
    submission = Submission.objects.get()
    assert (submission.data_set.code, submission.org_unit.code, submission.period) == (
        "NHAN_THUC",
        "L1",
        "2025",
    )
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.version == 1
    assert list(submission.events.values_list("action", "comment")) == [
        (EventAction.IMPORT, "so-lieu.csv")
    ]
    # The same file again changes nothing: no new version, no event.
    assert load("NT_HOAT_DONG,L1,2025,2,,\nNT_NGUOI,L1,2025,40,,\n", user).ok
    submission.refresh_from_db()
    assert submission.version == 1
    assert submission.events.count() == 1
    # A changed value moves the report one version up, with its event.
    assert load("NT_HOAT_DONG,L1,2025,3,,\n", user).ok
    submission.refresh_from_db()
    assert submission.version == 2
    assert submission.events.count() == 2


def test_a_report_split_over_chunks_moves_once(world, monkeypatch) -> None:
    """A large file is written a chunk at a time: a report whose rows fall in two chunks is
    created once, with one event; and when only a later chunk changes one of its values, it
    still moves one version up."""
    from benvung.datavalues import services as value_services

    monkeypatch.setattr(value_services, "CHUNK_ROWS", 1)
    user = reporter_of(world["D1"])
    rows = "NT_HOAT_DONG,L1,2025,2,,\nNT_NGUOI,L1,2025,40,,\n"
    assert load(rows, user).ok
    submission = Submission.objects.get()
    assert (submission.version, submission.events.count()) == (1, 1)
    assert load(rows.replace(",40,", ",41,"), user).ok
    submission.refresh_from_db()
    assert (submission.version, submission.events.count()) == (2, 2)


def test_a_few_reports_are_moved_without_a_temporary_table(world) -> None:
    """A form save reaches one report: its key goes into the statements, not into a table
    created and dropped on every save (PostgreSQL's catalogs would bloat near a deadline)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = reporter_of(world["D1"])
    with CaptureQueriesContext(connection) as queries:
        assert load("NT_HOAT_DONG,L1,2025,2,,\n", user).ok
    assert not [q for q in queries.captured_queries if "TEMPORARY" in q["sql"].upper()]
    submission = Submission.objects.get()
    assert (submission.version, submission.events.count()) == (1, 1)


def test_sent_reports_are_locked_for_reporters_and_approved_ones_for_everyone(world) -> None:
    reporter = reporter_of(world["D1"])
    boss = coordinator()
    assert load("NT_HOAT_DONG,L1,2025,2,,\n", reporter).ok
    submission = Submission.objects.get()
    submission_submit(submission=submission, user=reporter, access=access_for(reporter))
    refused = load("NT_HOAT_DONG,L1,2025,5,,\n", reporter)
    assert [p.message for p in refused.problems] == [
        "báo cáo “NHAN_THUC” của đơn vị 'L1' kỳ 2025 đã gửi, đang chờ duyệt"
    ]
    # The co-ordinator may still correct a sent report before deciding.
    assert load("NT_HOAT_DONG,L1,2025,3,,\n", boss).ok
    submission_approve(submission=submission, user=boss, access=access_for(boss))
    for who in (reporter, boss, None):
        result = load("NT_HOAT_DONG,L1,2025,9,,\n", who)
        assert not result.ok
        message = result.problems[0].message
        assert "đã được duyệt; cần điều phối viên mở lại trước khi sửa" in message
    assert DataValue.objects.get().value == 3
    submission_reopen(
        submission=submission, user=boss, access=access_for(boss), reason="Sai số liệu quý IV"
    )
    assert load("NT_HOAT_DONG,L1,2025,9,,\n", reporter).ok
    assert DataValue.objects.get().value == 9


def test_workflow_steps_and_their_rules(world) -> None:
    reporter = reporter_of(world["D1"])
    other = reporter_of(world["D2"], "baocao2")
    boss = coordinator()
    submission = submission_for(
        data_set=DataSet.objects.get(code="NHAN_THUC"), org_unit=world["L1"], period="2025"
    )
    with pytest.raises(WorkflowError, match="không có quyền báo cáo"):
        submission_submit(submission=submission, user=other, access=access_for(other))
    with pytest.raises(WorkflowError, match="Chỉ duyệt được báo cáo đã gửi"):
        submission_approve(submission=submission, user=boss, access=access_for(boss))
    submission_submit(submission=submission, user=reporter, access=access_for(reporter))
    with pytest.raises(WorkflowError, match="Chỉ điều phối viên"):
        submission_approve(submission=submission, user=reporter, access=access_for(reporter))
    with pytest.raises(WorkflowError, match="Cần ghi rõ nội dung"):
        submission_return(submission=submission, user=boss, access=access_for(boss), comment=" ")
    submission_return(
        submission=submission, user=boss, access=access_for(boss), comment="Thiếu số người"
    )
    submission.refresh_from_db()
    assert (submission.status, submission.comment) == (SubmissionStatus.RETURNED, "Thiếu số người")
    submission_submit(submission=submission, user=reporter, access=access_for(reporter))
    submission_approve(submission=submission, user=boss, access=access_for(boss))
    with pytest.raises(WorkflowError, match="Cần ghi lý do"):
        submission_reopen(submission=submission, user=boss, access=access_for(boss), reason="")
    assert list(submission.events.values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
        "approve",
    ]


def test_the_command_line_acts_as_the_coordinator() -> None:
    assert OPERATOR.can_approve and OPERATOR.can_enter_data


@pytest.mark.parametrize(
    ("year", "day", "month", "offset", "expected"),
    [
        (2025, 20, 12, 0, dt.date(2025, 12, 20)),
        (2025, 31, 1, 1, dt.date(2026, 1, 31)),
        (2024, 31, 2, 1, dt.date(2025, 2, 28)),
        (2023, 30, 2, 1, dt.date(2024, 2, 29)),
    ],
)
def test_deadlines(year, day, month, offset, expected) -> None:
    assert periods.deadline_for(year, day=day, month=month, year_offset=offset) == expected


def test_annual_window_follows_decree_09_2019() -> None:
    assert periods.annual_window(2025) == (dt.date(2024, 12, 15), dt.date(2025, 12, 14))
    deadline = dt.date(2025, 12, 20)
    assert periods.is_on_time(dt.date(2025, 12, 20), deadline)
    assert not periods.is_on_time(dt.date(2025, 12, 21), deadline)
    assert not periods.is_on_time(None, deadline)
    assert periods.days_left(dt.date(2025, 12, 15), deadline) == 5


def test_a_form_saved_on_an_old_version_is_refused_and_shows_what_changed(world) -> None:
    from benvung.reporting.services import Entry, values_save

    first = reporter_of(world["D1"])
    second = coordinator()
    data_set = DataSet.objects.get(code="NHAN_THUC")
    # Both open the empty form (version 0 for L1), then the first saves.
    saved = values_save(
        user=first,
        data_set=data_set,
        period="2025",
        entries=[Entry("L1", "NT_HOAT_DONG", "2")],
        versions={"L1": 0},
    )
    assert saved.ok
    late = values_save(
        user=second,
        data_set=data_set,
        period="2025",
        entries=[Entry("L1", "NT_HOAT_DONG", "7")],
        versions={"L1": 0},
        originals={("L1", "NT_HOAT_DONG"): ""},
    )
    assert not late.ok
    assert [(c.element_code, c.yours, c.theirs, c.by) for c in late.conflicts] == [
        ("NT_HOAT_DONG", "", "2", "baocao")
    ]
    assert DataValue.objects.get().value == 2
    # With the current version the correction goes through.
    version = Submission.objects.get().version
    assert values_save(
        user=second,
        data_set=data_set,
        period="2025",
        entries=[Entry("L1", "NT_HOAT_DONG", "7")],
        versions={"L1": version},
    ).ok
    assert DataValue.objects.get().value == 7


def test_a_form_problem_points_at_its_cell(world) -> None:
    from benvung.reporting.services import Entry, values_save

    user = reporter_of(world["D1"])
    outcome = values_save(
        user=user,
        data_set=DataSet.objects.get(code="NHAN_THUC"),
        period="2025",
        entries=[Entry("L1", "NT_HOAT_DONG", "2"), Entry("L1", "NT_NGUOI", "-4")],
        versions={"L1": 0},
    )
    assert not outcome.ok
    assert outcome.problems == {
        ("L1", "NT_NGUOI"): ["giá trị phải là số nguyên không âm, không phải '-4'"]
    }
    assert not DataValue.objects.exists()
