"""Background imports: a long import runs in `luoshi worker` (django-tasks), in batches, its progress on the draft.

The review page queues the import (`queue_import`) and polls the draft's progress; the worker applies it
(`apply_import`) through the same `accept_proposal` the page and the command use, so the rules are the same.
A failed import keeps nothing and says why on the review page, which the office can post again.

A worker can die mid-import (killed, out of memory, the machine restarted): its import would stay "running"
for ever. The worker renews the draft's heartbeat when it starts and with every committed batch; a running
import not heard from for `LEASE` is given up when its page is next looked at (`release_stalled`): what its
batches created is removed, and the review page says the import was interrupted and may be started again.
"""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from luoshi.core import clock
from luoshi.documents.actions import (
    Selection,
    accept_proposal,
    accept_task_table,
    check_acceptable,
    place_from_dict,
)
from luoshi.documents.batches import remove_created
from luoshi.documents.excel import RowError
from luoshi.documents.models import ImportDraft, ImportKind, ImportState
from luoshi.orgs.models import Person

logger = logging.getLogger(__name__)

#: Imports of up to this many steps (tasks, targets) run while the page waits; longer ones in the worker.
INLINE_STEPS = 200

#: A running import whose worker has not renewed its heartbeat for this long has lost its worker. A batch takes
#: a fraction of a second, but reading and checking a large 任务分解表 before the first batch can take a minute or
#: more on a loaded machine; the same lease as a reminder's claim (`supervision.delivery.CLAIM_LEASE`).
LEASE = dt.timedelta(minutes=5)

#: What the review page says of an import whose worker stopped mid-way.
INTERRUPTED = gettext_noop("导入中断：后台程序（luoshi worker）在导入过程中停止了。")
TAKEN_BACK = gettext_noop("已导入的部分已全部撤回；请确认后台程序在运行，然后重新导入。")

#: What the review page says when the person may not import at the chosen place.
NOT_HERE = gettext_noop(
    "您无权在这里导入任务：新方案和顶层任务由督查室建立，下级任务须在您能分解的任务之下。"
)


def queue_import(actor: Person, draft: ImportDraft, choices: dict, steps: int) -> None:
    """Keep the reviewed choices on the draft and queue the import; a draft already queued is refused.

    `choices` holds the place (`place_to_dict`) and, for a text, the selection (`Selection.to_dict`), for a
    任务分解表 whether only the valid rows go.
    """
    check_acceptable(actor, draft, draft.kind)
    with transaction.atomic():
        queued = ImportDraft.objects.filter(
            pk=draft.pk, state__in=[ImportState.REVIEW, ImportState.FAILED]
        ).update(state=ImportState.QUEUED, request=choices, steps_done=0, steps_total=steps, failure="")
        if not queued:
            raise ValidationError(_("这份提取结果已在导入中。"))
        transaction.on_commit(lambda: apply_import.enqueue(draft.pk))


@task()
def apply_import(draft_id: int) -> dict[str, int]:
    """Apply a queued import as the person who reviewed it; on failure nothing is kept and the draft says why."""
    if not ImportDraft.objects.filter(pk=draft_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, heartbeat_at=clock.now()
    ):
        return {"skipped": 1}  # gone, or taken by another worker
    draft = ImportDraft.objects.select_related("owner").get(pk=draft_id)
    choices = draft.request
    try:
        if draft.kind == ImportKind.EXCEL:
            table = accept_task_table(
                draft.owner,
                draft,
                valid_rows_only=choices["valid_rows_only"],
                **place_from_dict(choices["place"]),
            )
            if not table.saved:
                return _failed(
                    draft_id, "；".join([table.summary(), *(_row_error(e) for e in table.errors[:20])])
                )
            return {"tasks": len(table.created)}
        result = accept_proposal(
            draft.owner,
            draft,
            selection=Selection.from_dict(choices["selection"]),
            **place_from_dict(choices["place"]),
        )
    except PermissionDenied:
        return _failed(draft_id, _(NOT_HERE))
    except ValidationError as error:
        return _failed(draft_id, "；".join(error.messages))
    except Exception:
        logger.exception("import %s failed", draft_id)
        return _failed(draft_id, _("导入时出现意外错误。"))
    ImportDraft.objects.filter(pk=draft_id).update(request={**choices, "notes": result.notes})
    return {"tasks": len(result.tasks), "units": len(result.units), "indicators": len(result.indicators)}


def release_stalled(draft: ImportDraft) -> ImportDraft:
    """The draft as it stands; a running import whose worker stopped (no heartbeat for LEASE) is first failed, and
    what its committed batches created removed, so that the office sees why and can import again (or undo
    nothing: nothing is left)."""
    if draft.state != ImportState.RUNNING or (
        draft.heartbeat_at and draft.heartbeat_at > clock.now() - LEASE
    ):
        return draft
    given_up = (
        ImportDraft.objects.filter(pk=draft.pk, state=ImportState.RUNNING)
        .exclude(heartbeat_at__gt=clock.now() - LEASE)
        .update(state=ImportState.FAILED, failure=_(INTERRUPTED))
    )
    draft.refresh_from_db()
    if given_up:  # a late batch of a worker thought dead now finds its import failed and is rolled back
        logger.warning("import %s: its worker stopped (last heard of %s)", draft.pk, draft.heartbeat_at)
        try:
            with transaction.atomic():
                remove_created(draft.owner, draft.created)
                ImportDraft.objects.filter(pk=draft.pk).update(
                    created={}, steps_done=0, failure=_(INTERRUPTED) + _(TAKEN_BACK)
                )
        except ValidationError as error:  # something it made is in use since: say so, keep the record
            ImportDraft.objects.filter(pk=draft.pk).update(failure=_(INTERRUPTED) + "；".join(error.messages))
        draft.refresh_from_db()
    return draft


def _row_error(error: RowError) -> str:
    return (
        _("第%(row)d行：%(error)s") % {"row": error.row, "error": error.message}
        if error.row
        else error.message
    )


def _failed(draft_id: int, why: str) -> dict[str, int]:
    ImportDraft.objects.filter(pk=draft_id).update(state=ImportState.FAILED, failure=why[:2000])
    return {"failed": 1}
