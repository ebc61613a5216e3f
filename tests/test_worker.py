"""`luoshi worker`: runs the django-tasks database worker, queues the reminder scan on an interval, and
stops cleanly on SIGTERM."""

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from luoshi.inbox.models import Notification
from luoshi.messaging.models import DeliveryState
from luoshi.reminders.models import Reminder
from luoshi.supervision.jobs import enqueue_periodic_scan, periodic_scan, send_reminders

LUOSHI = Path(sys.executable).with_name("luoshi")


def test_the_worker_runs_the_scan_and_the_sending_it_queues_then_stops_and_a_restart_sends_nothing_twice(
    transactional_db, cast
):
    out = io.StringIO()
    call_command("worker", "--batch", "--interval", "0", stdout=out)

    ran = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert ran == {
        periodic_scan.module_path: TaskResultStatus.SUCCESSFUL,
        send_reminders.module_path: TaskResultStatus.SUCCESSFUL,
    }
    # The cast's leaf tasks have had no report for months: their units' managers are chased in-app.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "caizheng_manager",
        "jingfa_manager",
    }
    assert set(Reminder.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert out.getvalue().strip().endswith("worker stopped")

    # Restarted, the worker scans again and finds everything already sent.
    reminders, notes = Reminder.objects.count(), Notification.objects.count()
    call_command("worker", "--batch", "--interval", "0", stdout=io.StringIO())
    assert (Reminder.objects.count(), Notification.objects.count()) == (reminders, notes)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 4


def test_a_scan_is_not_queued_twice_while_one_is_waiting(db):
    assert enqueue_periodic_scan() is True
    assert enqueue_periodic_scan() is False
    assert DBTaskResult.objects.count() == 1


def successful_scans_in(database: Path) -> int:
    with sqlite3.connect(database, timeout=10) as db:
        (count,) = db.execute(
            f"SELECT COUNT(*) FROM {DBTaskResult._meta.db_table} WHERE task_path = ? AND status = ?",
            [periodic_scan.module_path, TaskResultStatus.SUCCESSFUL.value],
        ).fetchone()
    return count


def worker_database(tmp_path: Path) -> tuple[dict, Callable[[], int]]:
    """The environment for a worker process sharing this test's data, and a count of its finished scans."""
    env = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path)}
    if connection.vendor == "sqlite":
        database = tmp_path / "luoshi.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(database) as copy:  # the migrated test database, with the cast, for the process
            connection.connection.backup(copy)
        env.pop("LUOSHI_DATABASE_URL", None)
        return env, lambda: successful_scans_in(database)
    s = connection.settings_dict  # PostgreSQL: the process uses the test database itself
    env["LUOSHI_DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return env, lambda: DBTaskResult.objects.filter(
        task_path=periodic_scan.module_path, status=TaskResultStatus.SUCCESSFUL
    ).count()


def test_the_worker_process_scans_on_its_interval_and_stops_cleanly_on_sigterm(
    transactional_db, cast, tmp_path
):
    env, scans_done = worker_database(tmp_path)
    worker = subprocess.Popen(
        [str(LUOSHI), "worker", "--scan-every", "0.5", "--interval", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while scans_done() < 2:  # the scan at start, then one queued by the timer
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the worker did not scan twice within 60 s"
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert output.strip().endswith("worker stopped")


@pytest.fixture(autouse=True)
def _keep_signal_handlers():
    """The in-process worker installs handlers; make sure the test run gets its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
