"""The API covers what the supervision pages show: bulletins, 督办单, reminders and the inbox, the score
ledger, commitments, activities and the working-day calendar — read, and written where the role may,
each with its denial."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.core.models import ApiToken
from luoshi.inbox.actions import notify
from luoshi.notices.models import SupervisionNotice
from luoshi.reminders.models import Reminder
from luoshi.schedule.models import DayKind, HolidaySpan, HolidayYear
from luoshi.scoring.models import ScoreEntry, ScoreReason
from tests.conftest import TODAY


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def api_as(person) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}"})


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_the_office_drafts_reviews_and_publishes_a_bulletin_that_everyone_then_reads_and_downloads(cast):
    office = api_as(cast.supervisor)
    draft = ok(
        office.post(
            "/api/bulletins", {"plan": cast.plan.pk, "period": "2026-10"}, content_type="application/json"
        ),
        201,
    )
    assert (
        draft["status"] == "draft"
        and draft["document_number"] == ""
        and draft["content"]["overall"]["tasks"] >= 1
    )
    staff = api_as(cast.caizheng_staff)
    assert staff.get(f"/api/bulletins/{draft['id']}").status_code == 404  # drafts are the office's
    assert staff.post(f"/api/bulletins/{draft['id']}/steps/review").status_code == 404
    ok(
        office.patch(
            f"/api/bulletins/{draft['id']}",
            {"remarks": "请各单位抓紧推进。"},
            content_type="application/json",
        )
    )
    ok(office.post(f"/api/bulletins/{draft['id']}/steps/review"))
    published = ok(office.post(f"/api/bulletins/{draft['id']}/steps/publish"))
    assert published["status"] == "published" and published["document_number"] == "督查通报〔2026〕1号"

    listing = ok(staff.get("/api/bulletins"))
    assert [b["id"] for b in listing["items"]] == [draft["id"]]
    seen = ok(staff.get(f"/api/bulletins/{draft['id']}"))
    assert seen["content"]["remarks"] == "请各单位抓紧推进。"
    pdf = staff.get(seen["downloads"]["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert staff.get(seen["downloads"]["xlsx"]).content.startswith(b"PK")  # a workbook is a zip
    assert (
        staff.patch(
            f"/api/bulletins/{draft['id']}", {"remarks": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_a_bad_period_is_a_field_error(cast):
    response = api_as(cast.supervisor).post(
        "/api/bulletins", {"plan": cast.plan.pk, "period": "十月"}, content_type="application/json"
    )
    assert response.status_code == 422 and "period" in response.json()["detail"]


def test_the_office_issues_a_notice_and_only_the_lead_units_manager_answers_it(cast):
    assert (
        api_as(cast.caizheng_manager)
        .post(f"/api/tasks/{cast.key.pk}/notices", {"reason": "进度滞后"}, content_type="application/json")
        .status_code
        == 403
    )
    notice = ok(
        api_as(cast.supervisor).post(
            f"/api/tasks/{cast.key.pk}/notices", {"reason": "进度滞后"}, content_type="application/json"
        ),
        201,
    )
    assert notice["document_number"] == f"督办〔{TODAY.year}〕1号" and notice["answer_state"] == "waiting"
    assert notice["lead_unit"]["name"] == "财政局" and notice["reply_by"] > TODAY.isoformat()
    url = f"/api/notices/{notice['id']}"
    assert api_as(cast.jingfa_manager).get(url).status_code == 404  # not its unit's notice
    assert api_as(cast.jingfa_manager).post(f"{url}/answer", {"reply": "x"}).status_code == 404
    assert api_as(cast.caizheng_staff).post(f"{url}/answer", {"reply": "x"}).status_code == 403
    answered = ok(
        api_as(cast.caizheng_manager).post(
            f"{url}/answer",
            {"reply": "已报省财政厅", "evidence": SimpleUploadedFile("请示.pdf", b"%PDF-1.4 ok")},
        )
    )
    assert answered["answer_state"] == "on_time" and answered["answered_by"]["name"] == "财政局张局长"
    leader = api_as(cast.leader)  # oversees 财政局
    assert leader.get(answered["evidence_url"]).getvalue() == b"%PDF-1.4 ok"
    assert leader.get(answered["downloads"]["docx"]).content.startswith(b"PK")
    assert [n["id"] for n in ok(leader.get("/api/notices?answered=true"))["items"]] == [notice["id"]]
    assert ok(leader.get("/api/notices?answered=false"))["count"] == 0
    assert SupervisionNotice.objects.get().reply == "已报省财政厅"


def test_reminders_are_seen_by_their_recipient_and_the_office_and_the_inbox_is_ones_own(cast):
    reminder = Reminder.objects.create(
        kind="overdue",
        recipient_role="owner",
        task=cast.key,
        channel="in_app",
        recipient=cast.caizheng_staff,
        key="k1",
        subject="请报送进度",
        body="已逾期",
        link="",
        due_on=TODAY,
        issued_on=TODAY,
        created_at=cast.key.created_at,
        next_attempt_at=cast.key.created_at,
    )
    for person in (cast.caizheng_staff, cast.supervisor, cast.viewer):
        assert [r["subject"] for r in ok(api_as(person).get("/api/reminders"))["items"]] == ["请报送进度"]
    assert ok(api_as(cast.caizheng_manager).get("/api/reminders"))["count"] == 0
    assert api_as(cast.caizheng_manager).get(f"/api/reminders/{reminder.pk}").status_code == 404

    message = notify(cast.caizheng_staff, "请报送", task=cast.key)
    mine = api_as(cast.caizheng_staff)
    assert [n["subject"] for n in ok(mine.get("/api/notifications?unread=true"))["items"]] == ["请报送"]
    assert api_as(cast.supervisor).post(f"/api/notifications/{message.pk}/read").status_code == 404
    assert ok(mine.post(f"/api/notifications/{message.pk}/read"))["read_at"] is not None
    assert ok(mine.get("/api/notifications?unread=true"))["count"] == 0


def test_the_score_ledger_and_the_ranking_are_read_by_everyone_signed_in(cast):
    for n, (unit, points) in enumerate([(cast.caizheng, 5), (cast.jingfa, -2), (cast.caizheng, -1)]):
        ScoreEntry.objects.create(
            key=f"t{n}",
            plan=cast.plan,
            unit=unit,
            task=cast.key,
            reason=ScoreReason.ON_TIME,
            points=points,
            occurred_on=TODAY,
            note="说明",
            source=cast.key,
            posted_at=cast.key.created_at,
        )
    client = api_as(cast.outsider)
    caizheng = ok(client.get(f"/api/scores?unit={cast.caizheng.pk}"))
    assert sorted(e["points"] for e in caizheng["items"]) == [-1.0, 5.0]
    ranking = ok(client.get(f"/api/plans/{cast.plan.pk}/ranking"))
    assert [(u["unit"]["name"], u["total"], u["rank"]) for u in ranking["units"]] == [
        ("财政局", 4.0, 1),
        ("经发局", -2.0, 2),
    ]
    assert (
        client.get(f"/api/plans/{cast.plan.pk}/ranking?since=2026-12-01&until=2026-11-01").status_code == 422
    )


def test_a_commitment_is_drawn_up_signed_by_the_units_manager_and_downloaded(cast):
    body = {"unit": cast.caizheng.pk, "year": 2027}
    assert (
        api_as(cast.jingfa_manager)
        .post("/api/commitments", body, content_type="application/json")
        .status_code
        == 403
    )
    commitment = ok(
        api_as(cast.caizheng_manager).post("/api/commitments", body, content_type="application/json"), 201
    )
    assert {item["title"] for item in commitment["items"]} >= {cast.key.title}
    url = f"/api/commitments/{commitment['id']}"
    assert api_as(cast.jingfa_manager).get(url).status_code == 404
    assert api_as(cast.caizheng_staff).post(f"{url}/acknowledge").status_code == 403
    signed = ok(api_as(cast.caizheng_manager).post(f"{url}/acknowledge"))
    assert signed["acknowledged_by"]["name"] == "财政局张局长"
    assert api_as(cast.caizheng_manager).post(f"{url}/acknowledge").status_code == 422  # signed once
    assert api_as(cast.leader).get(signed["download_url"]).content.startswith(b"PK")
    assert [
        c["unit"]["name"] for c in ok(api_as(cast.viewer).get("/api/commitments?year=2027"))["items"]
    ] == ["财政局"]


def test_an_activity_is_recorded_with_its_attachments_for_the_units_own_people_to_see(cast):
    fields = {
        "unit": cast.caizheng.pk,
        "kind": "study",
        "held_on": "2026-11-20",
        "title": "专题学习会",
        "outcome": "统一认识",
        "participant_count": 12,
    }
    assert api_as(cast.jingfa_staff).post("/api/activities", fields).status_code == 403
    future = api_as(cast.caizheng_staff).post("/api/activities", {**fields, "held_on": "2026-12-20"})
    assert future.status_code == 422 and "held_on" in future.json()["detail"]
    activity = ok(
        api_as(cast.caizheng_staff).post(
            "/api/activities", {**fields, "files": [SimpleUploadedFile("签到表.pdf", b"%PDF sign-in")]}
        ),
        201,
    )
    [attachment] = activity["attachments"]
    assert api_as(cast.leader).get(attachment["url"]).getvalue() == b"%PDF sign-in"
    assert api_as(cast.jingfa_staff).get(attachment["url"]).status_code == 404
    assert ok(api_as(cast.jingfa_staff).get("/api/activities"))["count"] == 0
    since = (TODAY - dt.timedelta(days=30)).isoformat()
    assert [
        a["title"] for a in ok(api_as(cast.supervisor).get(f"/api/activities?since={since}"))["items"]
    ] == ["专题学习会"]


def test_the_calendar_the_office_entered_is_read_by_everyone_signed_in(cast):
    year = HolidayYear.objects.create(year=2027, notice="国办发明电〔2026〕1号")
    HolidaySpan.objects.create(
        holiday_year=year,
        kind=DayKind.OFF,
        name="元旦",
        first_day=dt.date(2027, 1, 1),
        last_day=dt.date(2027, 1, 3),
    )
    [entered] = ok(api_as(cast.outsider).get("/api/holidays"))
    assert entered["notice"] == "国办发明电〔2026〕1号"
    assert entered["spans"] == [
        {"kind": "off", "name": "元旦", "first_day": "2027-01-01", "last_day": "2027-01-03"}
    ]
    assert Client().get("/api/holidays").status_code == 401
