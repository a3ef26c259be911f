"""A report's page and its workflow through the web: send, approve, return, reopen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from benvung.reporting.models import EventAction, Submission, SubmissionStatus
from tests.reporting.test_entry import FORM, World, build_world, form_fields, post, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def sent(world: World, values: dict[str, str], action: str = "submit") -> None:
    """The district's reporter fills the form with `values` and sends it."""
    client = world.client(world.reporter)
    fields = form_fields(client.get(FORM))
    fields.update(values)
    assert post(client, FORM, fields, action=action).status_code == 302


def report_of(unit: str) -> Submission:
    return Submission.objects.select_related("org_unit").get(org_unit__code=unit)


def url_of(submission: Submission) -> str:
    return f"/bao-cao/nop/{submission.pk}/"


def decide(client: Client, submission: Submission, action: str, comment: str = "") -> Any:
    return client.post(url_of(submission), {"action": action, "comment": comment}, follow=True)


def test_the_page_shows_the_report_its_values_deadline_and_timeline(world: World) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "2", "v:L1:NT_NGUOI": "1500"})
    submission = report_of("L1")
    response = world.client(world.reporter).get(url_of(submission))
    assert response.status_code == 200
    page = text_of(response)
    assert "Làng nghề Gốm" in page and "NHAN_THUC" in page
    assert "Đã gửi, chờ duyệt" in page
    assert "Hạn nộp 20/12/2025" in page
    # Sent today, long after the 2025 deadline of this test's calendar, or before it.
    late = timezone.localdate() > dt.date(2025, 12, 20)
    assert ("gửi muộn" in page) == late and ("gửi đúng hạn" in page) == (not late)
    assert "1.500" in page  # Vietnamese grouping
    detail = response.context["detail"]
    assert [e.action for e in detail.events] == [EventAction.SAVE, EventAction.SUBMIT]
    assert "Lưu số liệu" in page and "Gửi báo cáo" in page
    # A reporter has no decision to take on a sent report.
    assert response.context["actions"] == set()


def test_return_needs_a_comment_then_the_reporter_sees_it_corrects_and_resends(
    world: World,
) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "0"})
    submission = report_of("L1")
    boss = world.client(world.coordinator)
    assert world.client(world.coordinator).get(url_of(submission)).context["actions"] == {
        "approve",
        "return",
    }
    response = boss.post(url_of(submission), {"action": "return", "comment": "  "})
    assert response.status_code == 400
    assert "Cần ghi rõ nội dung cần sửa khi trả lại báo cáo." in text_of(response)
    assert report_of("L1").status == SubmissionStatus.SUBMITTED

    comment = "Làng nghề đã tổ chức 2 hội thảo, đề nghị sửa số hoạt động."
    response = decide(boss, submission, "return", comment)
    assert "Đã trả lại báo cáo của Làng nghề Gốm" in text_of(response)
    submission = report_of("L1")
    assert (submission.status, submission.comment) == (SubmissionStatus.RETURNED, comment)
    assert submission.events.last().comment == comment  # type: ignore[union-attr]

    reporter = world.client(world.reporter)
    assert comment in text_of(reporter.get("/bao-cao/?nam=2025"))
    page = reporter.get(FORM)
    assert comment in text_of(page)
    assert comment in text_of(reporter.get(url_of(submission)))
    fields = form_fields(page)
    fields["v:L1:NT_HOAT_DONG"] = "2"
    assert post(reporter, FORM, fields, action="submit").status_code == 302
    assert report_of("L1").status == SubmissionStatus.SUBMITTED

    response = decide(boss, submission, "approve")
    assert "Đã duyệt báo cáo của Làng nghề Gốm" in text_of(response)
    submission = report_of("L1")
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.decided_by == world.coordinator
    assert list(submission.events.values_list("action", flat=True)) == [
        "save",
        "submit",
        "return",
        "save",
        "submit",
        "approve",
    ]


def test_reopening_an_approved_report_needs_a_reason(world: World) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "2"})
    submission = report_of("L1")
    boss = world.client(world.coordinator)
    decide(boss, submission, "approve")
    assert boss.get(url_of(submission)).context["actions"] == {"reopen"}
    response = boss.post(url_of(submission), {"action": "reopen", "comment": ""})
    assert response.status_code == 400
    assert "Cần ghi lý do mở lại báo cáo đã duyệt." in text_of(response)
    assert report_of("L1").status == SubmissionStatus.APPROVED
    response = decide(boss, submission, "reopen", "Số liệu quý IV bị thiếu")
    assert "Đã mở lại báo cáo" in text_of(response)
    submission = report_of("L1")
    assert (submission.status, submission.comment) == (
        SubmissionStatus.RETURNED,
        "Số liệu quý IV bị thiếu",
    )
    # The unit can correct and send again.
    reporter = world.client(world.reporter)
    assert reporter.get(url_of(submission)).context["actions"] == {"submit"}
    response = decide(reporter, submission, "submit")
    assert "Đã gửi báo cáo của Làng nghề Gốm" in text_of(response)
    assert report_of("L1").status == SubmissionStatus.SUBMITTED


def test_a_reporter_cannot_decide_and_the_service_says_why(world: World) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "2"})
    submission = report_of("L1")
    response = decide(world.client(world.reporter), submission, "approve")
    assert "Chỉ điều phối viên Sở Công Thương được duyệt báo cáo." in text_of(response)
    assert report_of("L1").status == SubmissionStatus.SUBMITTED


def test_a_step_the_state_does_not_allow_is_refused_with_a_message(world: World) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "2"}, action="save")
    submission = report_of("L1")
    response = decide(world.client(world.coordinator), submission, "approve")
    assert "Chỉ duyệt được báo cáo đã gửi." in text_of(response)
    assert report_of("L1").status == SubmissionStatus.DRAFT


def test_another_districts_reporter_cannot_see_or_act_on_the_report(world: World) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "2"})
    submission = report_of("L1")
    client = world.client(world.other)
    assert client.get(url_of(submission)).status_code == 403
    assert client.post(url_of(submission), {"action": "submit"}).status_code == 403
    assert Client().get(url_of(submission)).status_code == 302  # anonymous: to the login page
    assert world.client(world.coordinator).get("/bao-cao/nop/999999/").status_code == 404


def test_the_page_accepts_only_post_for_steps_and_checks_csrf(world: World) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "2"})
    submission = report_of("L1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    assert client.post(url_of(submission), {"action": "approve"}).status_code == 403
    assert report_of("L1").status == SubmissionStatus.SUBMITTED


def test_the_queue_approves_in_place_and_never_redirects_elsewhere(world: World) -> None:
    sent(world, {"v:L1:NT_HOAT_DONG": "2", "v:L2:NT_HOAT_DONG": "1"})
    boss = world.client(world.coordinator)
    queue = boss.get("/bao-cao/?nam=2025")
    assert [s.org_unit.code for s in queue.context["queue"].object_list] == ["L1", "L2"]
    first = report_of("L1")
    response = boss.post(url_of(first), {"action": "approve", "next": "/bao-cao/?nam=2025"})
    assert response["Location"] == "/bao-cao/?nam=2025"
    response = boss.post(
        url_of(report_of("L2")), {"action": "approve", "next": "https://example.com/"}
    )
    assert response["Location"] == url_of(report_of("L2"))
    assert list(boss.get("/bao-cao/?nam=2025").context["queue"].object_list) == []
