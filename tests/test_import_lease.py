"""A worker killed mid-import does not leave the import "running" for ever: once its heartbeat is older than the
lease, the import's page says it was interrupted, what it had created is gone, and it can be imported again
(and that import undone)."""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from luoshi.core import clock
from luoshi.documents.actions import NewPlan, Selection, accept_proposal
from luoshi.documents.jobs import INTERRUPTED, LEASE, TAKEN_BACK, apply_import
from luoshi.documents.models import ImportDraft, ImportState
from luoshi.plans.models import Plan, Task
from tests.test_import_batches import everything_post, signed_in
from tests.test_text_import import draft_of
from tests.test_worker import LUOSHI, worker_database

ITEMS = 600
LONG = (
    "关于推进港口发展的实施方案\n一、重点任务\n"
    + "\n".join(f"{i}. 财政局要抓好第{i}项重点工作，经发局配合，年底前完成。" for i in range(1, ITEMS + 1))
    + "\n"
)


def progress_in(env: dict, tmp_path, draft_id: int) -> tuple[str, int]:
    """The draft's state and steps done, as the worker process has written them."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "luoshi.sqlite3", timeout=10) as db:
            return db.execute(
                f"SELECT state, steps_done FROM {ImportDraft._meta.db_table} WHERE id = ?", [draft_id]
            ).fetchone()
    return ImportDraft.objects.values_list("state", "steps_done").get(pk=draft_id)


def kill_worker_midway(env: dict, tmp_path, draft_id: int) -> None:
    """Start `luoshi worker`, wait until it has committed a batch or more of the import, and kill it (-9)."""
    worker = subprocess.Popen(
        [str(LUOSHI), "worker", "--scan-every", "0", "--interval", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert worker.poll() is None, "the worker stopped by itself"
            assert time.monotonic() < deadline, "the worker did not start the import within 120 s"
            state, done = progress_in(env, tmp_path, draft_id)
            if state == ImportState.RUNNING and done > 0:
                break
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
    if (
        connection.vendor == "sqlite"
    ):  # the process's database, with the half-done import, back into the test's
        connection.ensure_connection()
        with sqlite3.connect(tmp_path / "luoshi.sqlite3") as source:
            source.backup(connection.connection)


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_was_killed_is_failed_with_a_reason_taken_back_and_can_be_imported_again(
    cast, transactional_db, tmp_path, monkeypatch
):
    draft = draft_of(cast, LONG)
    client = signed_in(cast.supervisor)
    review = reverse("import_review", args=[draft.pk])
    assert client.post(review, everything_post(cast, draft)).status_code == 302
    tasks_before = Task.objects.count()

    env, _scans = worker_database(tmp_path)
    kill_worker_midway(env, tmp_path, draft.pk)

    draft.refresh_from_db()
    assert draft.state == ImportState.RUNNING and 0 < draft.steps_done < draft.steps_total
    half_done = Task.objects.filter(plan__title="港口方案").count()
    assert 0 < half_done < ITEMS + 1
    # Within the lease the page still shows the import running (a batch may just be slow).
    assert "正在导入" in client.get(review).content.decode()

    later = (
        draft.heartbeat_at + LEASE + dt.timedelta(seconds=1)
    )  # the worker's clock: the test's is the cast's
    monkeypatch.setattr(clock, "now", lambda: later)
    polled = client.get(reverse("import_progress", args=[draft.pk]), headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == review
    page = client.get(review).content.decode()
    assert INTERRUPTED in page and TAKEN_BACK in page
    draft.refresh_from_db()
    assert (draft.state, draft.created, draft.steps_done) == (ImportState.FAILED, {}, 0)
    assert not Plan.objects.filter(title="港口方案").exists()
    assert Task.objects.count() == tasks_before

    # Imported again (by a worker that stays alive), it completes, and the whole import can be undone.
    assert client.post(review, everything_post(cast, draft)).status_code == 302
    assert apply_import.call(draft.pk)["tasks"] == ITEMS + 1
    page = client.get(review).content.decode()
    assert "撤销这次导入" in page
    client.post(reverse("import_undo", args=[draft.pk]))
    assert not Plan.objects.filter(title="港口方案").exists()
    assert Task.objects.count() == tasks_before


@pytest.mark.django_db(transaction=True)
def test_a_late_batch_of_a_worker_given_up_for_dead_is_not_kept(cast, transactional_db):
    """A worker that was only slow, not dead, finds its import failed at its next batch and keeps nothing."""
    draft = draft_of(cast, LONG)

    def given_up(done: int, total: int) -> None:
        ImportDraft.objects.filter(pk=draft.pk).update(state=ImportState.FAILED)

    with pytest.raises(ValidationError, match="已中止"):
        accept_proposal(
            cast.supervisor,
            draft,
            selection=Selection.everything(draft.read_proposal()),
            on_progress=given_up,
            new_plan=NewPlan("港口方案", cast.supervision, cast.plan.period_start, cast.plan.period_end),
        )
    assert not Task.objects.filter(plan__title="港口方案").exists()
    assert not Plan.objects.filter(title="港口方案").exists()
