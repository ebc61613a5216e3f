"""The permission matrix beyond tasks (those are in test_permissions.py): every model's rows, and every
write path — page, API endpoint, admin change view, import, export, download, command — for all roles.

The tables below restate the rules of docs/security.md by hand, independently of luoshi.core.access:
removing any one check there makes a case here fail. The cast's rows: an indicator and a project of
财政局, whose leader oversees it; the key task led by 财政局 and supported by 经发局.
"""

import contextlib
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from luoshi.activities.actions import record_activity
from luoshi.activities.models import Activity, ActivityAttachment
from luoshi.bulletins import actions as bulletin_actions
from luoshi.bulletins.compose import parse_period
from luoshi.bulletins.models import Bulletin, BulletinSubscription
from luoshi.commitments.actions import generate_commitment
from luoshi.commitments.models import Commitment
from luoshi.core.access import Action, can, get_for, visible_to
from luoshi.core.models import ApiToken
from luoshi.documents.actions import propose
from luoshi.documents.extract.reading import read_bytes
from luoshi.documents.models import ImportDraft
from luoshi.hooks.models import Event, HookDelivery, HookSubscription
from luoshi.inbox.actions import notify
from luoshi.inbox.models import Notification
from luoshi.indicators.models import Indicator, IndicatorActual
from luoshi.notices.actions import issue_notice
from luoshi.notices.models import SupervisionNotice
from luoshi.orgs.models import Person, Unit
from luoshi.plans.models import Plan, Task
from luoshi.progress.models import Evidence, ProgressReport
from luoshi.projects.models import Project, ProjectStage
from luoshi.reminders.models import Reminder, ReminderRule
from luoshi.schedule.models import HolidayYear
from luoshi.scoring.models import ScoreEntry, ScoreReason
from tests.cast import Cast, client_for, make_cast
from tests.conftest import TODAY, copy_of, made_once
from tests.test_text_import import review_post

ROLES = [
    "admin",
    "supervisor",
    "leader",
    "caizheng_manager",
    "caizheng_staff",
    "jingfa_manager",
    "jingfa_staff",
    "viewer",
    "outsider",
]
EVERYONE = set(ROLES)
OFFICE = {"admin", "supervisor"}
SEES_EVERYTHING = OFFICE | {"viewer"}
#: those who see the key task: its lead and support units, 财政局's leader, and who sees everything
KEY_TASK = EVERYONE - {"outsider"}
#: those who act for 财政局, or oversee it, or see everything
CAIZHENG_SCOPE = SEES_EVERYTHING | {"leader", "caizheng_manager", "caizheng_staff"}
#: who enters 财政局's figures: the office, or 财政局's manager and staff
CAIZHENG_RECORDERS = OFFICE | {"caizheng_manager", "caizheng_staff"}
MANAGERS = {"caizheng_manager", "jingfa_manager"}

TEXT = "关于推进港口发展的实施方案\n一、重点任务\n（一）争取航线补贴。财政局要制定航线补贴办法。\n"


@dataclass
class World:
    """One row of each kind, made by the office (or the system) before a role tries its hand."""

    indicator: Indicator
    project: Project
    stage: ProjectStage
    draft_bulletin: Bulletin
    published: Bulletin
    commitment: Commitment
    activity: Activity
    attachment: ActivityAttachment
    evidence: Evidence
    notification: Notification
    reminder: Reminder
    token: ApiToken
    import_draft: ImportDraft
    subscription: BulletinSubscription
    reminder_rule: ReminderRule
    holiday_year: HolidayYear
    notice: SupervisionNotice
    score: ScoreEntry
    hook_subscription: HookSubscription
    hook_delivery: HookDelivery


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast and its world, made once for the module's hundreds of cases: each case rolls its writes back."""
    folder = tmp_path_factory.mktemp("permission-world")

    def make() -> tuple[Cast, World]:
        cast = make_cast()
        return cast, make_world(cast)

    with made_once(django_db_blocker, folder, make) as both:
        yield folder, both


@pytest.fixture
def copied(made, db, frozen_today, settings, tmp_path) -> tuple[Cast, World]:
    """One copy of both, so that the cast and the world share their rows' objects."""
    folder, both = made
    return copy_of(both, folder, settings, tmp_path)


@pytest.fixture
def cast(copied) -> Cast:
    return copied[0]


@pytest.fixture
def world(copied) -> World:
    return copied[1]


def make_world(cast: Cast) -> World:
    indicator = Indicator.objects.create(
        plan=cast.plan, name="港口吞吐量", unit="吨", owner_unit=cast.caizheng
    )
    IndicatorActual.objects.create(indicator=indicator, period_end=dt.date(2025, 12, 31), value=1)
    project = Project.objects.create(
        plan=cast.plan, name="集装箱码头", owner_unit=cast.caizheng, total_investment=1
    )
    stage = ProjectStage.objects.create(project=project, stage="start", planned_date=TODAY)
    draft = bulletin_actions.draft_bulletin(cast.supervisor, plan=cast.plan, period=parse_period("2026-11"))
    published = bulletin_actions.draft_bulletin(
        cast.supervisor, plan=cast.plan, period=parse_period("2026-10")
    )
    published = bulletin_actions.publish_bulletin(
        cast.supervisor, bulletin_actions.review_bulletin(cast.supervisor, published)
    )
    commitment = generate_commitment(cast.supervisor, cast.caizheng, 2027)
    activity = record_activity(
        cast.supervisor,
        unit=cast.caizheng,
        kind="study",
        held_on=TODAY,
        title="学习会",
        outcome="统一认识",
        files=[SimpleUploadedFile("签到表.pdf", b"%PDF-1.4")],
    )
    report = ProgressReport.objects.create(
        task=cast.key,
        unit=cast.caizheng,
        author=cast.caizheng_staff,
        reported_on=TODAY,
        percent=10,
        narrative="起草中",
    )
    evidence = Evidence(report=report, original_name="佐证.txt", size=2)
    evidence.file.save("佐证.txt", io.BytesIO(b"ok"), save=True)
    reminder = Reminder.objects.create(
        kind="before_deadline",
        recipient_role="owner",
        task=cast.key,
        channel="in_app",
        recipient=cast.caizheng_staff,
        key="k1",
        subject="催办",
        body="",
        link="",
        due_on=TODAY,
        issued_on=TODAY,
        created_at=cast.key.created_at,
        next_attempt_at=cast.key.created_at,
    )
    token, _key = ApiToken.issue(cast.caizheng_manager, "报表")
    import_draft = propose(cast.caizheng_manager, read_bytes(TEXT.encode(), "方案.txt"))
    hook_subscription = HookSubscription.objects.create(name="市督查平台", url="https://example.gov.cn/hook")
    hook_delivery = HookDelivery.objects.create(
        subscription=hook_subscription,
        event=Event.TASK_CLOSED,
        event_id="e1",
        key="e1:s1",
        payload={},
        next_attempt_at=cast.key.created_at,
        created_at=cast.key.created_at,
    )
    return World(
        indicator=indicator,
        project=project,
        stage=stage,
        draft_bulletin=draft,
        published=published,
        commitment=commitment,
        activity=activity,
        attachment=activity.attachments.get(),
        evidence=evidence,
        notification=notify(cast.caizheng_staff, "请报送"),
        reminder=reminder,
        token=token,
        import_draft=import_draft,
        subscription=BulletinSubscription.objects.create(plan=cast.plan, person=cast.caizheng_staff),
        reminder_rule=ReminderRule.objects.create(plan=cast.plan, kind="before_deadline", working_days=3),
        holiday_year=HolidayYear.objects.create(year=2026, notice="国办发明电〔2025〕7号"),
        notice=issue_notice(
            cast.supervisor,
            cast.key,
            severity="red",
            reason="进度滞后",
            reply_by=TODAY + dt.timedelta(days=7),
        ),
        score=ScoreEntry.objects.create(
            key="test:1",
            plan=cast.plan,
            unit=cast.caizheng,
            task=cast.key,
            reason=ScoreReason.ON_TIME,
            points=1,
            occurred_on=TODAY,
            note="按时办结",
            source=cast.key,
            posted_at=cast.key.created_at,
        ),
        hook_subscription=hook_subscription,
        hook_delivery=hook_delivery,
    )


# ---- who sees which rows --------------------------------------------------------------------------

#: row → the roles that see it
SEES: dict[str, set[str]] = {
    "plan": EVERYONE,
    "key_task": KEY_TASK,
    "unit": EVERYONE,
    "person": EVERYONE,
    "report": KEY_TASK,
    "evidence": KEY_TASK,
    "indicator": EVERYONE,
    "actual": EVERYONE,
    "project": EVERYONE,
    "stage": EVERYONE,
    "draft_bulletin": OFFICE,
    "published": EVERYONE,
    "reminder": SEES_EVERYTHING | {"caizheng_staff"},
    "notification": {"caizheng_staff"},
    "commitment": CAIZHENG_SCOPE,
    "activity": CAIZHENG_SCOPE,
    "attachment": CAIZHENG_SCOPE,
    "import_draft": {"caizheng_manager"},
    "token": {"admin", "caizheng_manager"},
    "subscription": OFFICE | {"caizheng_staff"},
    "reminder_rule": OFFICE,
    "holiday_year": EVERYONE,
    "notice": CAIZHENG_SCOPE,
    "score": EVERYONE,
    "hook_subscription": OFFICE,
    "hook_delivery": OFFICE,
}


def row_of(cast, world: World, name: str):
    return {
        "plan": cast.plan,
        "key_task": cast.key,
        "unit": cast.caizheng,
        "person": cast.caizheng_staff,
        "report": world.evidence.report,
        "actual": world.indicator.actuals.get(),
    }.get(name) or getattr(world, name)


@pytest.mark.parametrize("name", sorted(SEES))
def test_each_role_sees_exactly_the_rows_the_rules_allow(cast, world, name):
    row = row_of(cast, world, name)
    rows = type(row).objects.filter(pk=row.pk)
    seen = {role for role in ROLES if visible_to(getattr(cast, role), rows).exists()}
    assert seen == SEES[name]
    assert not visible_to(None, rows).exists()


#: (row, action) → the roles the policy allows it, asked directly (pages, API and admin ask the same)
CAN: dict[tuple[str, Action], set[str]] = {
    ("plan", Action.EDIT): OFFICE,
    ("unit", Action.EDIT): OFFICE,
    ("person", Action.EDIT): {"admin"},
    ("indicator", Action.RECORD): CAIZHENG_RECORDERS,
    ("indicator", Action.EDIT): OFFICE,
    ("actual", Action.EDIT): CAIZHENG_RECORDERS,
    ("stage", Action.RECORD): CAIZHENG_RECORDERS,
    ("stage", Action.EDIT): OFFICE,
    ("draft_bulletin", Action.REVIEW): OFFICE,
    ("draft_bulletin", Action.PUBLISH): OFFICE,
    ("published", Action.VIEW): EVERYONE,
    ("subscription", Action.DELETE): OFFICE | {"caizheng_staff"},
    ("reminder", Action.EDIT): set(),
    ("notification", Action.EDIT): {"caizheng_staff"},
    ("reminder_rule", Action.EDIT): OFFICE,
    ("commitment", Action.ACKNOWLEDGE): {"caizheng_manager"},
    ("commitment", Action.CREATE): OFFICE | {"caizheng_manager"},
    ("activity", Action.CREATE): CAIZHENG_RECORDERS,
    ("import_draft", Action.EDIT): {"caizheng_manager"},
    ("token", Action.DELETE): {"admin", "caizheng_manager"},
    ("token", Action.EDIT): {"admin"},
    ("holiday_year", Action.EDIT): OFFICE,
    ("evidence", Action.VIEW): KEY_TASK,
    ("notice", Action.ANSWER): {"caizheng_manager"},
    ("notice", Action.EDIT): set(),
    ("score", Action.EDIT): set(),
    ("score", Action.DELETE): set(),
    ("hook_subscription", Action.EDIT): OFFICE,
    ("hook_subscription", Action.CREATE): OFFICE,
    ("hook_delivery", Action.EDIT): set(),
    ("hook_delivery", Action.DELETE): set(),
}


@pytest.mark.parametrize(("name", "action"), sorted(CAN))
def test_each_role_may_take_exactly_the_actions_the_rules_allow_on_a_row(cast, world, name, action):
    row = row_of(cast, world, name)
    assert {role for role in ROLES if can(getattr(cast, role), action, row)} == CAN[name, action]
    assert not can(None, action, row)


@pytest.mark.parametrize(
    "name",
    ["draft_bulletin", "commitment", "notification", "import_draft", "evidence", "attachment", "token"],
)
def test_someone_elses_row_and_a_missing_row_are_the_same_404(cast, world, name):
    row = row_of(cast, world, name)
    stranger = cast.outsider
    with pytest.raises(Http404) as hidden:
        get_for(type(row), stranger, row.pk)
    with pytest.raises(Http404) as missing:
        get_for(type(row), stranger, 10**9)
    assert str(hidden.value).endswith("not found") and str(hidden.value) == str(missing.value)


def api_client(person: Person) -> Client:
    """A program calling the API with the person's token."""
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'matrix')[1]}"})


#: row → (its list endpoint, its detail endpoint or None): what the API shows of the supervision rows
API_ROWS: dict[str, tuple[str, str | None]] = {
    "draft_bulletin": ("/api/bulletins", "/api/bulletins/{pk}"),
    "published": ("/api/bulletins", "/api/bulletins/{pk}"),
    "notice": ("/api/notices", "/api/notices/{pk}"),
    "reminder": ("/api/reminders", "/api/reminders/{pk}"),
    "commitment": ("/api/commitments", "/api/commitments/{pk}"),
    "activity": ("/api/activities", "/api/activities/{pk}"),
    "score": ("/api/scores", None),
    "notification": ("/api/notifications", None),
}


@pytest.mark.parametrize("name", sorted(API_ROWS))
def test_each_role_reads_over_the_api_exactly_the_rows_the_rules_allow(cast, world, name):
    row = row_of(cast, world, name)
    listing, detail = API_ROWS[name]
    listed, opened = set(), set()
    for role in ROLES:
        client = api_client(getattr(cast, role))
        response = client.get(listing, {"page_size": 200})
        assert response.status_code == 200
        if row.pk in {item["id"] for item in response.json()["items"]}:
            listed.add(role)
        if detail is not None:
            answer = client.get(detail.format(pk=row.pk))
            assert answer.status_code in (200, 404), (role, answer.status_code)
            if answer.status_code == 200:
                opened.add(role)
    assert listed == SEES[name]
    assert detail is None or opened == SEES[name]
    assert Client().get(listing).status_code == 401


@pytest.mark.parametrize(
    "name", [name for name, (_l, detail) in sorted(API_ROWS.items()) if detail and SEES[name] != EVERYONE]
)
def test_over_the_api_someone_elses_row_and_a_missing_row_are_the_same_404(cast, world, name):
    detail = API_ROWS[name][1]
    client = api_client(cast.outsider if name != "draft_bulletin" else cast.viewer)
    hidden = client.get(detail.format(pk=row_of(cast, world, name).pk))
    missing = client.get(detail.format(pk=10**9))
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content


# ---- every write path, page, API, admin, import, export, download, command -----------------------------

#: a probe: (cast, world, client, person) → whether the write took effect (or the download served the file)
Probe = Callable[..., bool]


def enter_actual_page(cast, world, client, person) -> bool:
    client.post(
        reverse("indicator_actual", args=[world.indicator.pk]), {"period_end": "2026-10-31", "value": "7"}
    )
    return world.indicator.actuals.filter(period_end=dt.date(2026, 10, 31)).exists()


def import_actuals_page(cast, world, client, person) -> bool:
    table = SimpleUploadedFile("实际值.csv", "统计期末,实际值\n2026-09-30,5\n".encode())
    client.post(reverse("indicator_import", args=[world.indicator.pk]), {"file": table})
    return world.indicator.actuals.filter(period_end=dt.date(2026, 9, 30)).exists()


def enter_actual_api(cast, world, client, person) -> bool:
    _token, key = ApiToken.issue(person, "matrix")
    Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
        f"/api/indicators/{world.indicator.pk}/actuals", {"period_end": "2026-08-31", "value": "3"}
    )
    return world.indicator.actuals.filter(period_end=dt.date(2026, 8, 31)).exists()


def record_stage_page(cast, world, client, person) -> bool:
    client.post(
        reverse("project_stage_date", args=[world.project.pk, world.stage.pk]), {"actual_date": "2026-11-01"}
    )
    world.stage.refresh_from_db()
    return world.stage.actual_date == dt.date(2026, 11, 1)


def draft_bulletin_page(cast, world, client, person) -> bool:
    client.post(reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "2026-09"})
    return Bulletin.objects.filter(period_start=dt.date(2026, 9, 1)).exists()


def edit_bulletin_page(cast, world, client, person) -> bool:
    client.post(
        reverse("bulletin_detail", args=[world.draft_bulletin.pk]),
        {"title": "改过的通报", "commendations": "", "criticisms": "", "remarks": ""},
    )
    return Bulletin.objects.get(pk=world.draft_bulletin.pk).title == "改过的通报"


def review_bulletin_page(cast, world, client, person) -> bool:
    client.post(reverse("bulletin_step", args=[world.draft_bulletin.pk, "review"]))
    return Bulletin.objects.get(pk=world.draft_bulletin.pk).status == "reviewed"


def download_draft_bulletin(cast, world, client, person) -> bool:
    return client.get(reverse("bulletin_download", args=[world.draft_bulletin.pk, "xlsx"])).status_code == 200


def download_published_bulletin(cast, world, client, person) -> bool:
    return client.get(reverse("bulletin_download", args=[world.published.pk, "xlsx"])).status_code == 200


def generate_commitment_page(cast, world, client, person) -> bool:
    client.post(reverse("commitment_generate"), {"unit": cast.caizheng.pk, "year": 2028})
    return Commitment.objects.filter(unit=cast.caizheng, year=2028).exists()


def acknowledge_commitment_page(cast, world, client, person) -> bool:
    client.post(reverse("commitment_acknowledge", args=[world.commitment.pk]))
    return Commitment.objects.get(pk=world.commitment.pk).is_acknowledged


def download_commitment(cast, world, client, person) -> bool:
    return client.get(reverse("commitment_download", args=[world.commitment.pk])).status_code == 200


def record_activity_page(cast, world, client, person) -> bool:
    client.post(
        reverse("activity_new"),
        {
            "unit": cast.caizheng.pk,
            "kind": "study",
            "held_on": "2026-11-20",
            "title": "第二次学习会",
            "outcome": "部署",
            "participant_count": 3,
        },
    )
    return Activity.objects.filter(title="第二次学习会").exists()


def download_activity_attachment(cast, world, client, person) -> bool:
    return client.get(reverse("activity_attachment", args=[world.attachment.pk])).status_code == 200


def download_evidence(cast, world, client, person) -> bool:
    return client.get(reverse("evidence_download", args=[world.evidence.pk])).status_code == 200


def export_tasks(cast, world, client, person) -> bool:
    """The export serves every signed-in person, with only the tasks they see: the key task's row."""
    response = client.get(reverse("task_export", args=["csv"]), {"plan": cast.plan.pk})
    return response.status_code == 200 and cast.key.title in response.content.decode("utf-8-sig")


def mark_notification_read(cast, world, client, person) -> bool:
    client.post(reverse("notification_read", args=[world.notification.pk]))
    return Notification.objects.get(pk=world.notification.pk).read_at is not None


def start_text_import(cast, world, client, person) -> bool:
    before = ImportDraft.objects.count()
    client.post(reverse("import_upload"), {"text": TEXT})
    return ImportDraft.objects.count() == before + 1


def accept_text_import(cast, world, client, person) -> bool:
    """The person's own proposal, accepted under the key task."""
    draft = ImportDraft.objects.create(
        owner=person, source_name="方案.txt", proposal=world.import_draft.proposal
    )
    keep = {f"keep-{item['id']}": "1" for item in draft.proposal["tasks"]}
    client.post(
        reverse("import_review", args=[draft.pk]),
        review_post(draft.proposal, {"placement": "under_task", "parent": cast.key.pk, **keep}),
    )
    return Task.objects.filter(parent=cast.key, title__contains="航线补贴").exists()


def import_command(cast, world, client, person, tmp_path) -> bool:
    source = tmp_path / "方案.txt"
    source.write_text(TEXT, encoding="utf-8")
    with contextlib.suppress(CommandError):  # how the command refuses
        call_command("import", str(source), plan=cast.plan.pk, username=person.username, stdout=io.StringIO())
    return Task.objects.filter(plan=cast.plan, parent=None, title="重点任务").exists()


def admin_change_unit(cast, world, client, person) -> bool:
    client.post(
        f"/admin/orgs/unit/{cast.xuanchuan.pk}/change/",
        {
            "name": "宣传部",
            "short_name": "",
            "aliases": "",
            "kind": "bureau",
            "parent": cast.committee.pk,
            "order": 0,
        },
    )
    return Unit.objects.filter(name="宣传部").exists()


def admin_change_person(cast, world, client, person) -> bool:
    staff = cast.jingfa_staff
    client.post(
        f"/admin/orgs/person/{staff.pk}/change/",
        {
            "username": staff.username,
            "full_name": "改名",
            "unit": staff.unit_id,
            "role": staff.role,
            "title": "",
            "phone": "",
            "email": "",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    return Person.objects.get(pk=staff.pk).full_name == "改名"


def admin_change_indicator(cast, world, client, person) -> bool:
    indicator = world.indicator
    client.post(
        f"/admin/indicators/indicator/{indicator.pk}/change/",
        {
            "plan": cast.plan.pk,
            "name": "港口货物吞吐量",
            "unit": "吨",
            "owner_unit": cast.caizheng.pk,
            "direction": "higher",
            "frequency": indicator.frequency,
            "trajectory_shape": indicator.trajectory_shape,
            "tolerance": indicator.tolerance,
            "source": "",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "actuals-TOTAL_FORMS": "0",
            "actuals-INITIAL_FORMS": "0",
        },
    )
    return Indicator.objects.filter(name="港口货物吞吐量").exists()


def admin_delete_token(cast, world, client, person) -> bool:
    client.post(f"/admin/core/apitoken/{world.token.pk}/delete/", {"post": "yes"})
    return not ApiToken.objects.filter(pk=world.token.pk).exists()


def admin_change_bulletin(cast, world, client, person) -> bool:
    """Bulletins are written on their own pages; the admin never changes them, not even the administrator's."""
    client.post(f"/admin/bulletins/bulletin/{world.draft_bulletin.pk}/change/", {"title": "后台改的"})
    return Bulletin.objects.filter(title="后台改的").exists()


def draft_bulletin_api(cast, world, client, person) -> bool:
    api_client(person).post(
        "/api/bulletins", {"plan": cast.plan.pk, "period": "2026-08"}, content_type="application/json"
    )
    return Bulletin.objects.filter(period_start=dt.date(2026, 8, 1)).exists()


def review_bulletin_api(cast, world, client, person) -> bool:
    api_client(person).post(f"/api/bulletins/{world.draft_bulletin.pk}/steps/review")
    return Bulletin.objects.get(pk=world.draft_bulletin.pk).status == "reviewed"


def download_draft_bulletin_api(cast, world, client, person) -> bool:
    return (
        api_client(person).get(f"/api/bulletins/{world.draft_bulletin.pk}/download/xlsx").status_code == 200
    )


def download_published_bulletin_api(cast, world, client, person) -> bool:
    return api_client(person).get(f"/api/bulletins/{world.published.pk}/download/xlsx").status_code == 200


def issue_notice_api(cast, world, client, person) -> bool:
    api_client(person).post(
        f"/api/tasks/{cast.key.pk}/notices", {"reason": "再次督办"}, content_type="application/json"
    )
    return SupervisionNotice.objects.filter(reason="再次督办").exists()


def answer_notice_api(cast, world, client, person) -> bool:
    api_client(person).post(f"/api/notices/{world.notice.pk}/answer", {"reply": "已办理"})
    return SupervisionNotice.objects.get(pk=world.notice.pk).reply == "已办理"


def download_notice_api(cast, world, client, person) -> bool:
    return api_client(person).get(f"/api/notices/{world.notice.pk}/download/docx").status_code == 200


def generate_commitment_api(cast, world, client, person) -> bool:
    api_client(person).post(
        "/api/commitments", {"unit": cast.caizheng.pk, "year": 2029}, content_type="application/json"
    )
    return Commitment.objects.filter(unit=cast.caizheng, year=2029).exists()


def acknowledge_commitment_api(cast, world, client, person) -> bool:
    api_client(person).post(f"/api/commitments/{world.commitment.pk}/acknowledge")
    return Commitment.objects.get(pk=world.commitment.pk).is_acknowledged


def download_commitment_api(cast, world, client, person) -> bool:
    return api_client(person).get(f"/api/commitments/{world.commitment.pk}/download").status_code == 200


def record_activity_api(cast, world, client, person) -> bool:
    api_client(person).post(
        "/api/activities",
        {
            "unit": cast.caizheng.pk,
            "kind": "study",
            "held_on": "2026-11-21",
            "title": "第三次学习会",
            "outcome": "部署",
        },
    )
    return Activity.objects.filter(title="第三次学习会").exists()


def download_activity_attachment_api(cast, world, client, person) -> bool:
    return api_client(person).get(f"/api/activities/attachments/{world.attachment.pk}").status_code == 200


def mark_notification_read_api(cast, world, client, person) -> bool:
    api_client(person).post(f"/api/notifications/{world.notification.pk}/read")
    return Notification.objects.get(pk=world.notification.pk).read_at is not None


def add_hook_subscription_admin(cast, world, client, person) -> bool:
    client.post(
        "/admin/hooks/hooksubscription/add/",
        {
            "name": "省平台",
            "url": "https://example.gov.cn/in",
            "secret": "s" * 40,
            "on_task_closed": "on",
            "active": "on",
        },
    )
    return HookSubscription.objects.filter(name="省平台").exists()


def add_hook_subscription_api(cast, world, client, person) -> bool:
    api_client(person).post(
        "/api/webhooks",
        {"name": "区平台", "url": "https://example.gov.cn/q", "events": ["task.overdue"]},
        content_type="application/json",
    )
    return HookSubscription.objects.filter(name="区平台").exists()


#: write path → (probe, the roles allowed to use it)
ALLOWED: dict[str, tuple[Probe, set[str]]] = {
    "enter an indicator's actual (page)": (enter_actual_page, CAIZHENG_RECORDERS),
    "import an indicator's actuals (page)": (import_actuals_page, CAIZHENG_RECORDERS),
    "enter an indicator's actual (API)": (enter_actual_api, CAIZHENG_RECORDERS),
    "record a project stage date (page)": (record_stage_page, CAIZHENG_RECORDERS),
    "draft a bulletin (page)": (draft_bulletin_page, OFFICE),
    "edit a bulletin (page)": (edit_bulletin_page, OFFICE),
    "review a bulletin (page)": (review_bulletin_page, OFFICE),
    "download a draft bulletin": (download_draft_bulletin, OFFICE),
    "download a published bulletin": (download_published_bulletin, EVERYONE),
    "generate a unit's commitment (page)": (generate_commitment_page, OFFICE | {"caizheng_manager"}),
    "acknowledge a unit's commitment (page)": (acknowledge_commitment_page, {"caizheng_manager"}),
    "download a commitment": (download_commitment, CAIZHENG_SCOPE),
    "record an activity (page)": (record_activity_page, CAIZHENG_RECORDERS),
    "download an activity's attachment": (download_activity_attachment, CAIZHENG_SCOPE),
    "download evidence": (download_evidence, KEY_TASK),
    "export the task tree": (export_tasks, KEY_TASK),
    "mark a notification read": (mark_notification_read, {"caizheng_staff"}),
    "start a text import": (start_text_import, OFFICE | MANAGERS),
    "accept a text import under the key task": (accept_text_import, OFFICE | {"caizheng_manager"}),
    "change a unit (admin)": (admin_change_unit, OFFICE),
    "change a person (admin)": (admin_change_person, {"admin"}),
    "change an indicator (admin)": (admin_change_indicator, OFFICE),
    "delete someone's API token (admin)": (admin_delete_token, {"admin"}),
    "change a bulletin (admin)": (admin_change_bulletin, set()),
    "draft a bulletin (API)": (draft_bulletin_api, OFFICE),
    "review a bulletin (API)": (review_bulletin_api, OFFICE),
    "download a draft bulletin (API)": (download_draft_bulletin_api, OFFICE),
    "download a published bulletin (API)": (download_published_bulletin_api, EVERYONE),
    "issue a notice (API)": (issue_notice_api, OFFICE),
    "answer a notice (API)": (answer_notice_api, {"caizheng_manager"}),
    "download a notice (API)": (download_notice_api, CAIZHENG_SCOPE),
    "generate a unit's commitment (API)": (generate_commitment_api, OFFICE | {"caizheng_manager"}),
    "acknowledge a unit's commitment (API)": (acknowledge_commitment_api, {"caizheng_manager"}),
    "download a commitment (API)": (download_commitment_api, CAIZHENG_SCOPE),
    "record an activity (API)": (record_activity_api, CAIZHENG_RECORDERS),
    "download an activity's attachment (API)": (download_activity_attachment_api, CAIZHENG_SCOPE),
    "mark a notification read (API)": (mark_notification_read_api, {"caizheng_staff"}),
    "add a webhook subscription (admin)": (add_hook_subscription_admin, OFFICE),
    "add a webhook subscription (API)": (add_hook_subscription_api, OFFICE),
}


@pytest.mark.parametrize("path", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_use_exactly_the_write_paths_the_rules_allow(cast, world, role, path):
    probe, allowed = ALLOWED[path]
    person = getattr(cast, role)
    took_effect = probe(cast, world, client_for(person), person)
    assert took_effect == (role in allowed), f"{role} {'should' if role in allowed else 'must not'}: {path}"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_imports_a_text_from_the_command_line_at_the_top_of_a_plan(
    cast, world, role, tmp_path
):
    person = getattr(cast, role)
    assert import_command(cast, world, None, person, tmp_path) == (role in OFFICE)


def test_a_switched_off_account_sees_nothing_and_may_do_nothing(cast, world):
    cast.caizheng_manager.is_active = False
    cast.caizheng_manager.save()
    for rows in (Plan.objects.all(), Task.objects.all(), Indicator.objects.all(), Commitment.objects.all()):
        assert not visible_to(cast.caizheng_manager, rows).exists()


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_the_admin_lists_only_the_rows_the_person_sees(cast, world, role):
    client = client_for(getattr(cast, role))
    tokens = client.get("/admin/core/apitoken/").content.decode()
    assert ("报表" in tokens) == (role == "admin")  # 财政局's token is its holder's and the administrator's
    drafts = client.get("/admin/bulletins/bulletin/").content.decode()
    assert world.draft_bulletin.title in drafts
