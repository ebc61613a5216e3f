"""Background work run by `luoshi worker` through django-tasks and its database backend.

`periodic_scan` records the reminders due today and brings the score ledger up to date, then queues
`send_reminders`, which delivers whatever is due (new reminders and retries). The scan also drafts the
bulletins whose scheduled day has come, and the sending also sends published bulletins to their
subscribers (`luoshi.bulletins.jobs`). `luoshi remind` runs the scan and the reminders' sending in-process.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from luoshi.bulletins.jobs import draft_bulletins, send_bulletins
from luoshi.core import clock
from luoshi.core.maintenance import flag as maintenance_flag
from luoshi.hooks import events as hook_events
from luoshi.hooks.sending import send_due_hooks
from luoshi.reminders.actions import scan_reminders
from luoshi.reminders.sending import send_due_reminders
from luoshi.scoring.actions import post_all_scores


@dataclass(frozen=True)
class ScanResult:
    reminders_added: int
    scores_added: int
    scores_removed: int


def scan(now: dt.datetime | None = None) -> ScanResult:
    """The periodic scan: new reminders for today, and the score ledger as of today."""
    now = now or clock.now()
    today = timezone.localdate(now)
    added = scan_reminders(today, now)
    hook_events.tasks_overdue(today, now)  # other systems hear of each newly overdue task (webhooks out)
    scores = post_all_scores(today)
    return ScanResult(added, scores.added, scores.removed)


@task()
def periodic_scan() -> dict[str, int]:
    """Scan, then queue the sending so that new reminders go out at once; nothing while a restore runs."""
    if maintenance_flag().exists():
        return {"paused_for_restore": 1}
    result = scan()
    # Bulletins are "generated on a schedule": the ones whose day has come are drafted for the office to review.
    drafted = draft_bulletins.call()
    send_reminders.enqueue()
    return {**asdict(result), "bulletins_drafted": drafted["drafted"]}


@task()
def send_reminders() -> dict[str, int]:
    """Deliver every reminder whose time has come; returns how many ended in each state."""
    if maintenance_flag().exists():  # the data is being replaced: send from the restored data afterwards
        return {"paused_for_restore": 1}
    outcomes = dict(send_due_reminders())
    # Published bulletins go out to their subscribers, and failed sendings are retried, on the same beat.
    send_bulletins.call()
    send_due_hooks()  # and webhooks out, with the same retries
    return outcomes


def enqueue_periodic_scan() -> bool:
    """Queue a scan unless one is already waiting to run; True if one was queued."""
    waiting = DBTaskResult.objects.ready().filter(task_path=periodic_scan.module_path)
    if waiting.exists():
        return False
    periodic_scan.enqueue()
    return True
