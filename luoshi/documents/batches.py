"""Imports applied in batches of short transactions, all or nothing still.

SQLite lets one writer in at a time: a 2,000-row import in one transaction kept everyone else's progress
reports waiting (and failing) for 20–60 s. An import is therefore a sequence of steps (one created thing
each), committed `BATCH_SIZE` at a time; the draft's record of what exists is saved with every batch, and
when a step fails, everything the earlier batches created is removed again before the error goes on.
Each batch also renews the draft's heartbeat, by which a running import whose worker died is recognised
(`jobs.release_stalled`); a batch finding its import given up for dead is rolled back and stops the run.
"""

import logging
import time
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from luoshi.core import clock
from luoshi.core.history import set_history_user
from luoshi.documents.models import ImportDraft, ImportState
from luoshi.indicators.models import Indicator, IndicatorTarget
from luoshi.orgs.models import Person, Unit
from luoshi.plans.models import Plan, Task

logger = logging.getLogger(__name__)

#: Steps per transaction: at most about half a second of SQLite's write lock, then others get their turn.
BATCH_SIZE = 25
#: A breath between batches, so that a writer waiting for the lock takes it before the next batch does.
PAUSE_SECONDS = 0.02

#: Called after each committed batch with (steps done, steps in all).
ProgressCallback = Callable[[int, int], None]


def run_in_batches(
    actor: Person,
    draft: ImportDraft,
    steps: Iterator[None],
    total: int,
    record: Callable[[], dict],
    on_progress: ProgressCallback | None = None,
) -> None:
    """Run `steps` to the end, BATCH_SIZE at a time, each batch in its own transaction with the draft's progress
    and record of what it created; on an error, remove what the committed batches created, then raise it."""
    done, committed = 0, None
    try:
        while True:
            with transaction.atomic():
                taken = sum(1 for _step in _take(steps, BATCH_SIZE))
                done = min(done + taken, total)
                committed = record()
                if (
                    not ImportDraft.objects.filter(pk=draft.pk)
                    .exclude(state=ImportState.FAILED)
                    .update(created=committed, steps_done=done, steps_total=total, heartbeat_at=clock.now())
                ):  # given up for dead meanwhile (`jobs.release_stalled`): this batch is not kept either
                    raise ValidationError(_("这次导入已中止。"))
            if on_progress is not None:
                on_progress(done, total)
            if taken < BATCH_SIZE:
                return
            time.sleep(PAUSE_SECONDS)
    except Exception:
        if committed is not None:
            _take_back(actor, draft, committed)
        raise


def _take(steps: Iterator[None], count: int) -> Iterator[None]:
    for _number in range(count):
        try:
            yield next(steps)
        except StopIteration:
            return


def _take_back(actor: Person, draft: ImportDraft, created: dict) -> None:
    """Remove what a failed import's committed batches created (all drafts, made a moment ago)."""
    try:
        with transaction.atomic():
            remove_created(actor, created)
            ImportDraft.objects.filter(pk=draft.pk).update(created={}, steps_done=0)
    except Exception:  # the error that stopped the import is the one to report
        logger.exception("could not remove what the failed import %s created: %s", draft.pk, created)


def remove_created(actor: Person, created: dict) -> None:
    """Delete what an import created, newest first: a target may build on an earlier one, a task sits under an
    earlier one. Something in use since (a unit someone now works in) stops it with a message."""
    for model, key in (
        (IndicatorTarget, "targets"),
        (Indicator, "indicators"),
        (Task, "tasks"),
        (Unit, "units"),
        (Plan, "plan"),
    ):
        ids = created.get(key) or []
        for pk in reversed(ids if isinstance(ids, list) else [ids]):
            found = model.objects.filter(pk=pk).first()
            if found is None:
                continue  # already gone with its parent, or deleted by hand
            set_history_user(found, actor)
            try:
                found.delete()
            except ProtectedError:
                raise ValidationError(
                    _("“%(name)s”导入后已被其他内容使用，不能整体撤销。") % {"name": found}
                ) from None
