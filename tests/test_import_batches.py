"""A long import runs in the background worker in batches of short transactions: others' writes get in between,
the page shows its progress, and a failure midway keeps nothing and says why."""

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from luoshi.core import clock
from luoshi.documents import actions, batches
from luoshi.documents.actions import NewPlan, Selection, accept_proposal
from luoshi.documents.excel import importer
from luoshi.documents.jobs import INLINE_STEPS, apply_import
from luoshi.documents.models import ImportDraft, ImportState
from luoshi.orgs.models import Unit
from luoshi.plans.models import Plan, Task
from luoshi.progress.models import ProgressReport
from tests.test_excel_import import HEAD, xlsx
from tests.test_excel_upload_page import new_plan_data
from tests.test_text_import import draft_of, review_post

ITEMS = 300
LONG = (
    "关于推进港口发展的实施方案\n一、重点任务\n"
    + "\n".join(f"{i}. 财政局要抓好第{i}项重点工作，经发局配合，年底前完成。" for i in range(1, ITEMS + 1))
    + "\n"
)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def everything_post(cast, draft: ImportDraft) -> dict:
    """The review page posted with every item kept, into a new plan."""
    keep = {f"keep-{item['id']}": "1" for item in [*draft.proposal["outline"], *draft.proposal["tasks"]]}
    return review_post(
        draft.proposal,
        {
            "placement": "new_plan",
            "new_title": "港口方案",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "owner_unit": cast.supervision.pk,
            **keep,
        },
    )


@pytest.mark.django_db(transaction=True)
def test_a_long_import_is_queued_and_its_page_shows_the_worker_s_progress(cast, transactional_db):
    draft = draft_of(cast, LONG)
    client = signed_in(cast.supervisor)
    before = Task.objects.count()
    response = client.post(reverse("import_review", args=[draft.pk]), everything_post(cast, draft))
    assert response.status_code == 302 and Task.objects.count() == before  # nothing yet: the worker does it
    draft.refresh_from_db()
    assert draft.state == ImportState.QUEUED and draft.steps_total == ITEMS + 2 > INLINE_STEPS
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert f'<progress value="0" max="{ITEMS + 2}"' in page and 'hx-trigger="every 1s"' in page
    assert "luoshi worker" in page  # waiting for it
    call_command("worker", "--batch", "--interval", "0", "--scan-every", "0", stdout=io.StringIO())
    draft.refresh_from_db()
    assert draft.state == ImportState.DONE and draft.steps_done == draft.steps_total
    assert Task.objects.count() - before == ITEMS + 1
    polled = client.get(reverse("import_progress", args=[draft.pk]), headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == reverse(
        "import_review", args=[draft.pk]
    )  # ended: the page shows the record
    assert "撤销这次导入" in client.get(reverse("import_review", args=[draft.pk])).content.decode()


def test_the_progress_bar_counts_what_the_worker_has_done(cast):
    draft = draft_of(cast, LONG)
    ImportDraft.objects.filter(pk=draft.pk).update(
        state=ImportState.RUNNING,
        steps_done=150,
        steps_total=302,
        heartbeat_at=clock.now(),  # its worker is alive
    )
    fragment = signed_in(cast.supervisor).get(reverse("import_progress", args=[draft.pk])).content.decode()
    assert '<progress value="150" max="302"' in fragment and "150 / 302" in fragment


def test_someone_else_s_import_progress_is_not_found(cast):
    draft = draft_of(cast, LONG)
    assert (
        signed_in(cast.caizheng_manager).get(reverse("import_progress", args=[draft.pk])).status_code == 404
    )


@pytest.mark.django_db(transaction=True)
def test_a_progress_report_made_during_a_large_import_succeeds(cast, transactional_db):
    """Between two batches the import holds no lock: a unit's report, from another connection, lands at once."""
    draft = draft_of(cast, LONG)
    responses = []

    def report() -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(cast.caizheng_staff)
            responses.append(
                client.post(
                    reverse("task_report", args=[cast.measure.pk]), {"percent": 40, "narrative": "已起草请示"}
                )
            )
        finally:
            connections.close_all()

    def midway(done: int, total: int) -> None:
        if not responses:  # after the first batch, while the import goes on
            assert done < total
            writer = threading.Thread(target=report)
            writer.start()
            writer.join(timeout=30)

    accept_proposal(
        cast.supervisor,
        draft,
        selection=Selection.everything(draft.read_proposal()),
        on_progress=midway,
        new_plan=NewPlan("港口方案", cast.supervision, cast.plan.period_start, cast.plan.period_end),
    )
    [response] = responses
    assert response.status_code == 302, response.status_code  # not 503 "busy", not 500 "database is locked"
    assert ProgressReport.objects.filter(task=cast.measure, percent=40).exists()
    assert Task.objects.filter(plan__title="港口方案").count() == ITEMS + 1


@pytest.mark.django_db(transaction=True)
def test_an_import_failing_midway_keeps_nothing_and_says_why(cast, transactional_db, monkeypatch):
    draft = draft_of(cast, LONG)
    client = signed_in(cast.supervisor)
    assert (
        client.post(reverse("import_review", args=[draft.pk]), everything_post(cast, draft)).status_code
        == 302
    )
    counts = (Plan.objects.count(), Task.objects.count(), Unit.objects.count())
    create_task, made = actions.create_task, []

    def failing_create_task(*args, **kwargs):
        if len(made) == 2 * batches.BATCH_SIZE:  # two batches committed by now
            made.append(Task.objects.filter(plan__title="港口方案").count())
            raise ValidationError("上级任务已被删除")
        made.append(None)
        return create_task(*args, **kwargs)

    monkeypatch.setattr(actions, "create_task", failing_create_task)
    assert apply_import.call(draft.pk) == {"failed": 1}
    assert made[-1] >= batches.BATCH_SIZE  # they were there …
    assert (
        Plan.objects.count(),
        Task.objects.count(),
        Unit.objects.count(),
    ) == counts  # … and are gone again
    draft.refresh_from_db()
    assert (
        draft.state == ImportState.FAILED
        and draft.accepted_at is None
        and "上级任务已被删除" in draft.failure
    )
    page = client.get(reverse("import_review", args=[draft.pk])).content.decode()
    assert (
        "导入失败，未保存任何内容：上级任务已被删除" in page and 'name="items-0-keep"' in page
    )  # to try again


# --- a long 任务分解表 ---------------------------------------------------------------------------------

TABLE_ROWS = [HEAD] + [
    [str(i), f"港口物流第{i}项", "", "财政局", "", "", "2026年12月"] for i in range(1, ITEMS + 1)
]


@pytest.mark.django_db(transaction=True)
def test_a_long_task_table_is_imported_by_the_worker_in_batches(cast, transactional_db):
    client = signed_in(cast.supervisor)
    url = client.post(
        reverse("excel_upload"), {"file": SimpleUploadedFile("分解表.xlsx", xlsx(TABLE_ROWS))}
    ).url
    response = client.post(url, new_plan_data(owner_unit=cast.supervision.pk, action="import"))
    assert response.status_code == 302 and not Plan.objects.filter(title="港口物流分解表").exists()
    assert f'<progress value="0" max="{ITEMS}"' in client.get(url).content.decode()
    call_command("worker", "--batch", "--interval", "0", "--scan-every", "0", stdout=io.StringIO())
    plan = Plan.objects.get(title="港口物流分解表")
    assert plan.tasks.count() == ITEMS and ImportDraft.objects.get().steps_done == ITEMS
    assert "撤销这次导入" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_task_table_refused_midway_keeps_nothing_not_even_its_new_plan(cast, transactional_db, monkeypatch):
    client = signed_in(cast.supervisor)
    url = client.post(
        reverse("excel_upload"), {"file": SimpleUploadedFile("分解表.xlsx", xlsx(TABLE_ROWS))}
    ).url
    client.post(url, new_plan_data(owner_unit=cast.supervision.pk, action="import"))
    counts = (Plan.objects.count(), Task.objects.count())
    create_task, made = importer.create_task, []

    def refusing_create_task(*args, **kwargs):
        made.append(1)
        if (
            len(made) == 2 * batches.BATCH_SIZE + 1
        ):  # two batches committed: this row is refused as it is saved
            raise ValidationError({"title": ["同名任务已存在"]})
        return create_task(*args, **kwargs)

    monkeypatch.setattr(importer, "create_task", refusing_create_task)
    assert apply_import.call(ImportDraft.objects.get().pk) == {"failed": 1}
    assert len(made) == ITEMS and (Plan.objects.count(), Task.objects.count()) == counts
    draft = ImportDraft.objects.get()
    assert draft.state == ImportState.FAILED and draft.accepted_at is None
    assert f"第{2 * batches.BATCH_SIZE + 2}行：同名任务已存在" in client.get(url).content.decode()
