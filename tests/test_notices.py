"""督办单 (SupervisionNotice): the office issues a numbered notice on a task to its lead unit, delivered like
a reminder; only that unit answers; the answer is tracked and counted for the bulletin; the notice is
exported as .docx and .pdf in the official layout."""

import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.bulletins.compose import compose, parse_period
from luoshi.bulletins.export import sections
from luoshi.inbox.models import Notification
from luoshi.messaging.models import DeliveryState
from luoshi.notices.actions import answer_notice, issue_notice
from luoshi.notices.counts import notice_counts
from luoshi.notices.models import AnswerState, Severity
from luoshi.reminders.models import Reminder, ReminderKind
from luoshi.reminders.sending import send_due_reminders
from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def issue(cast, reply_by=dt.date(2026, 12, 2), severity=Severity.RED, task=None):
    return issue_notice(
        cast.supervisor,
        task or cast.measure,
        severity=severity,
        reason="请示至今未报省财政厅，已影响政策争取进度。",
        reply_by=reply_by,
    )


def test_the_office_issues_numbered_notices_delivered_to_the_lead_units_manager(cast, frozen_today):
    cast.caizheng_manager.email = "zhang@caizheng.example"
    cast.caizheng_manager.save()
    first, second = issue(cast), issue(cast, severity=Severity.YELLOW, task=cast.key)
    assert (first.document_number, second.document_number) == ("督办〔2026〕1号", "督办〔2026〕2号")
    assert first.lead_unit == cast.caizheng and first.issuer_name == "党政办督查室"

    sent = Reminder.objects.filter(kind=ReminderKind.NOTICE).order_by("id")
    assert {(r.recipient.username, r.channel) for r in sent} == {
        ("caizheng_manager", "in_app"),
        ("caizheng_manager", "email"),
    }
    # Sent by the reminders' sender, even to someone who had an ordinary reminder on the task today.
    send_due_reminders()
    assert set(sent.values_list("state", flat=True)) == {DeliveryState.SENT}
    note = Notification.objects.filter(recipient=cast.caizheng_manager).order_by("id").first()
    assert note.subject.startswith("【督办单】督办〔2026〕1号（红色督办）")
    assert note.link == f"/notices/{first.pk}/"

    with pytest.raises(PermissionDenied):
        issue_notice(
            cast.caizheng_manager,
            cast.measure,
            severity=Severity.BLUE,
            reason="x",
            reply_by=dt.date(2026, 12, 4),
        )


def test_the_answer_is_tracked_on_time_late_or_unanswered_and_counted_for_the_bulletin(cast, frozen_today):
    on_time, late, silent = issue(cast), issue(cast), issue(cast)
    assert on_time.answer_state(dt.date(2026, 11, 27)) == AnswerState.WAITING
    frozen_today(dt.date(2026, 12, 1))
    answer_notice(
        cast.caizheng_manager,
        on_time,
        reply="请示已于11月30日报省财政厅。",
        evidence=SimpleUploadedFile("请示.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    frozen_today(dt.date(2026, 12, 4))
    answer_notice(cast.caizheng_manager, late, reply="已报送。")
    with pytest.raises(PermissionDenied):
        answer_notice(cast.caizheng_staff, silent, reply="已报送。")

    today = dt.date(2026, 12, 4)
    for notice in (on_time, late, silent):
        notice.refresh_from_db()
    assert [n.answer_state(today) for n in (on_time, late, silent)] == [
        AnswerState.ON_TIME,
        AnswerState.LATE,
        AnswerState.UNANSWERED,
    ]

    # As of the end of November nothing had been answered; by 4 December one on time, one late.
    november = notice_counts(dt.date(2026, 11, 1), dt.date(2026, 11, 30), plan_id=cast.plan.pk)
    assert (november.issued, november.answered, november.unanswered) == (3, 0, 3)
    december = notice_counts(dt.date(2026, 11, 1), today, plan_id=cast.plan.pk)
    assert (december.answered_on_time, december.answered_late, december.unanswered) == (1, 1, 1)
    assert notice_counts(dt.date(2026, 11, 1), today, unit_ids=[cast.jingfa.pk]).issued == 0

    content = compose(cast.plan, parse_period("2026-11"), today=today)
    assert content["notices"] == {
        "issued": 3,
        "answered_on_time": 0,
        "answered_late": 0,
        "unanswered": 3,
        "answered": 0,
    }
    assert "本期签发督办单3份，已按时答复0份，逾期答复0份，未答复3份。" in sections(content)[0].paragraphs[0]


def test_a_notice_exports_as_docx_and_pdf_in_the_official_layout(cast, frozen_today, tmp_path):
    from docx import Document

    notice = issue(cast)
    office = client_for(cast.supervisor)
    docx = office.get(reverse("notice_download", args=[notice.pk, "docx"]))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert paragraphs[:5] == [
        "督办单",
        "督办〔2026〕1号",
        "红色督办",
        "关于“形成专门请示报省财政厅”的督办通知",
        "财政局：",
    ]
    assert "请示至今未报省财政厅，已影响政策争取进度。" in paragraphs
    assert paragraphs[-2:] == ["党政办督查室", "2026年11月27日"]

    pdf = office.get(reverse("notice_download", args=[notice.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf.content)
    text = "".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "督办〔2026〕1号" in text and "红色督办" in text and "于2026年12月2日前将办理情况" in text
    assert office.get(reverse("notice_download", args=[notice.pk, "exe"])).status_code == 404


def test_the_lead_units_manager_answers_on_the_page_with_evidence(cast, frozen_today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice = issue(cast)
    manager = client_for(cast.caizheng_manager)
    page = manager.get(reverse("notice_detail", args=[notice.pk]))
    assert "答复督办单" in page.text
    answered = manager.post(
        reverse("notice_answer", args=[notice.pk]),
        {"reply": "请示已报省财政厅。", "evidence": SimpleUploadedFile("回执.pdf", b"%PDF-1.4 receipt")},
    )
    assert answered.status_code == 302
    page = client_for(cast.supervisor).get(reverse("notice_detail", args=[notice.pk]))
    assert "请示已报省财政厅。" in page.text and "按时答复" in page.text and "回执.pdf" in page.text
    download = client_for(cast.caizheng_staff).get(reverse("notice_evidence", args=[notice.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 receipt"
    again = manager.post(reverse("notice_answer", args=[notice.pk]), {"reply": "再答一次"})
    assert again.status_code == 400


def test_the_office_issues_from_the_task_page_button(cast, frozen_today):
    office = client_for(cast.supervisor)
    task_page = office.get(reverse("task_detail", args=[cast.measure.pk]))
    assert reverse("notice_new", args=[cast.measure.pk]) in task_page.text
    form = office.get(reverse("notice_new", args=[cast.measure.pk]))
    assert (
        form.status_code == 200 and 'value="2026-12-' in form.text
    )  # the reply deadline, as the date field reads it
    done = office.post(
        reverse("notice_new", args=[cast.measure.pk]),
        {"severity": "yellow", "reason": "进度滞后。", "reply_by": "2026-12-04"},
    )
    assert done.status_code == 302
    assert "督办〔2026〕1号" in office.get(done["Location"]).text
    assert (
        "督办〔2026〕1号"
        in client_for(cast.caizheng_staff).get(reverse("task_detail", args=[cast.measure.pk])).text
    )
    staff_page = client_for(cast.caizheng_manager).get(reverse("task_detail", args=[cast.measure.pk])).text
    assert reverse("notice_new", args=[cast.measure.pk]) not in staff_page


def test_only_the_office_issues_and_only_the_lead_unit_answers_everyone_else_gets_404(cast, frozen_today):
    notice = issue(cast)
    new = reverse("notice_new", args=[cast.measure.pk])
    post = {"severity": "red", "reason": "x", "reply_by": "2026-12-04"}
    for name in ("caizheng_manager", "caizheng_staff", "leader", "viewer", "jingfa_manager", "outsider"):
        person = client_for(getattr(cast, name))
        assert person.get(new).status_code == 404, name
        assert person.post(new, post).status_code == 404, name
    assert client_for(cast.admin).get(new).status_code == 200

    detail = reverse("notice_detail", args=[notice.pk])
    for name in ("supervisor", "admin", "viewer", "leader", "caizheng_manager", "caizheng_staff"):
        assert client_for(getattr(cast, name)).get(detail).status_code == 200, name
    hidden = [
        detail,
        reverse("notice_download", args=[notice.pk, "pdf"]),
        reverse("notice_evidence", args=[notice.pk]),
    ]
    for name in ("jingfa_manager", "jingfa_staff", "outsider"):
        for url in hidden:
            assert client_for(getattr(cast, name)).get(url).status_code == 404, (name, url)

    answer = reverse("notice_answer", args=[notice.pk])
    for name in ("supervisor", "admin", "viewer", "leader", "caizheng_staff", "jingfa_manager", "outsider"):
        assert client_for(getattr(cast, name)).post(answer, {"reply": "已办"}).status_code == 404, name
    notice.refresh_from_db()
    assert notice.answered_at is None
    assert client_for(cast.caizheng_manager).get(answer).status_code == 405

    outsiders_list = client_for(cast.outsider).get(reverse("notice_list")).text
    assert "督办〔2026〕1号" not in outsiders_list
    assert "督办〔2026〕1号" in client_for(cast.caizheng_staff).get(reverse("notice_list")).text
    for url in (new, detail, answer, reverse("notice_list")):
        assert Client().get(url).status_code == 302  # strangers are sent to log in
    assert client_for(cast.supervisor).get(reverse("notice_detail", args=[10**30])).status_code == 404
