"""State changes of plans and tasks. Pages, the API and the command line all call these."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core import clock, limits
from luoshi.core.access import Action, require
from luoshi.core.concurrency import save_versioned
from luoshi.core.history import set_history_user
from luoshi.core.tree import ancestor_ids
from luoshi.hooks import events as hook_events
from luoshi.orgs.models import Person, Unit
from luoshi.plans.models import Comment, Goal, Plan, Step, Task, TaskKind, TaskStatus, TaskTransition
from luoshi.plans.rollup import progress_of, refresh_rollups
from luoshi.plans.schedule_days import refresh_schedule_days
from luoshi.progress.models import Evidence

#: Task fields a person may change through `update_task`.
EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "code",
    "lead_unit",
    "owner",
    "start_date",
    "deadline",
    "weight",
    "goal",
)


class WorkflowError(ValidationError):
    """The task's status does not allow this step."""


def create_plan(
    actor: Person,
    *,
    title: str,
    owner_unit: Unit,
    period_start: dt.date,
    period_end: dt.date,
    summary: str = "",
) -> Plan:
    """Create an empty plan; plans, like top-level tasks, are set up by the supervision office."""
    require(actor, Action.CREATE, Plan)  # plans, like top-level tasks, are the supervision office's
    plan = Plan(
        title=title, owner_unit=owner_unit, period_start=period_start, period_end=period_end, summary=summary
    )
    plan.full_clean()
    set_history_user(plan, actor)
    plan.save()
    return plan


def create_task(
    actor: Person,
    *,
    plan: Plan,
    title: str,
    lead_unit: Unit,
    parent: Task | None = None,
    kind: str = TaskKind.WORK,
    support_units: Iterable[Unit] = (),
    owner: Person | None = None,
    start_date: dt.date | None = None,
    deadline: dt.date | None = None,
    weight: float = 1.0,
    description: str = "",
    source_text: str = "",
    code: str = "",
    goal: Goal | None = None,
) -> Task:
    """Create a task (a draft), at the top of a plan or split off under a parent.

    A task given no start starts on the day it is assigned (交办), not on its parent's start: until
    then its start reads today, and `assign_task` moves it to the day of assignment. A child
    inherits its parent's deadline unless given an earlier one; a later deadline than the parent's
    is refused by `Task.clean`.
    """
    if parent is not None:
        require(actor, Action.SPLIT, parent)
        plan = parent.plan
        depth = Task.objects.filter(pk__in=ancestor_ids(Task, parent.pk)).count() + 1
        if depth > limits.TREE_DEPTH.most:
            raise ValidationError({"parent": limits.TREE_DEPTH.message(depth)})
    else:
        require(actor, Action.CREATE, Task)  # only the supervision office creates top-level tasks
    deadline = deadline or (parent.deadline if parent else plan.period_end)
    task = Task(
        plan=plan,
        parent=parent,
        title=title,
        lead_unit=lead_unit,
        kind=kind,
        owner=owner,
        start_date=start_date or min(clock.today(), deadline),
        starts_when_assigned=start_date is None,
        deadline=deadline,
        weight=weight,
        description=description,
        source_text=source_text,
        code=code,
        goal=goal,
        order=(parent.children.count() if parent else plan.tasks.filter(parent=None).count()) + 1,
    )
    task.full_clean()
    set_history_user(task, actor)
    with transaction.atomic():
        task.save()
        task.support_units.set(list(support_units))
    return task


def update_task(
    actor: Person,
    task: Task,
    *,
    expected_version: int,
    changes: dict[str, Any],
    support_units: Sequence[Unit] | None = None,
) -> Task:
    """Change a task's fields; a save based on a stale version raises ConflictError."""
    require(actor, Action.EDIT, task)
    if task.status == TaskStatus.CLOSED:
        raise WorkflowError(_("已办结的任务不能再修改。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("此字段不能修改。") for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(task, name, value)
    task.full_clean()
    if task.children.filter(deadline__gt=task.deadline).exists():
        raise ValidationError({"deadline": _("有下级任务的完成时限晚于此日期，请先调整下级任务。")})
    set_history_user(task, actor)
    with transaction.atomic():
        save_versioned(task, expected_version, [*changes])
        if "weight" in changes:
            refresh_rollups([task.pk])  # its share of its parent's progress changed
        if "deadline" in changes:
            refresh_schedule_days([task.pk])  # its milestones are scheduled back from the deadline
        if support_units is not None:
            task.support_units.set(list(support_units))
    return task


def delete_task(actor: Person, task: Task) -> None:
    """Delete a draft task and everything under it; assigned work is closed or returned, never deleted."""
    require(actor, Action.DELETE, task)
    if Task.objects.subtree([task.pk]).exclude(status=TaskStatus.DRAFT).exists():
        raise WorkflowError(_("只有草稿状态的任务（含其下级任务）可以删除。"))
    set_history_user(task, actor)
    with transaction.atomic():
        parent_id = task.parent_id
        task.delete()
        refresh_rollups([parent_id])  # drafts carry no weight, but the parent is read again all the same


#: name → (permission, statuses it starts from, status it leads to, whether a note is required)
TRANSITIONS: dict[str, tuple[Action, tuple[str, ...], str, bool]] = {
    Step.ASSIGN: (Action.ASSIGN, (TaskStatus.DRAFT,), TaskStatus.ASSIGNED, False),
    Step.ACKNOWLEDGE: (Action.ACKNOWLEDGE, (TaskStatus.ASSIGNED,), TaskStatus.ACKNOWLEDGED, False),
    Step.START: (Action.START, (TaskStatus.ACKNOWLEDGED,), TaskStatus.IN_PROGRESS, False),
    Step.REQUEST_CLOSING: (
        Action.REQUEST_CLOSING,
        (TaskStatus.IN_PROGRESS, TaskStatus.RETURNED),
        TaskStatus.CLOSING_REQUESTED,
        False,
    ),
    Step.SIGN_OFF: (Action.SIGN_OFF, (TaskStatus.CLOSING_REQUESTED,), TaskStatus.CLOSED, False),
    Step.RETURN: (Action.RETURN, (TaskStatus.CLOSING_REQUESTED,), TaskStatus.RETURNED, True),
}


def _transition(actor: Person, task: Task, name: Step, note: str = "") -> Task:
    permission, sources, target, note_required = TRANSITIONS[name]
    require(actor, permission, task)
    if note_required and not note.strip():
        raise ValidationError({"note": _("请填写理由。")})
    with transaction.atomic():
        # Lock the row (PostgreSQL) / hold the write lock (SQLite IMMEDIATE) so two people
        # cannot both move the task from the same status.
        current = Task.objects.select_for_update().get(pk=task.pk)
        if current.status not in sources:
            raise WorkflowError(
                _("任务当前状态为“%(status)s”，不能执行此操作。") % {"status": current.get_status_display()}
            )
        if name == Step.REQUEST_CLOSING:
            _require_evidence(current)
        at = clock.now()
        TaskTransition.objects.create(
            task=current, from_status=current.status, to_status=target, actor=actor, at=at, note=note.strip()
        )
        current.status = target
        current.closed_at = at if target == TaskStatus.CLOSED else None
        current.version += 1
        set_history_user(current, actor)
        fields = ["status", "closed_at", "version", "updated_at"]
        if name == Step.ASSIGN and current.starts_when_assigned:
            # A start left open is the day the work is handed over, so that a new task is not
            # behind its 序时进度 from the moment it is assigned.
            current.start_date = min(clock.today(), current.deadline)
            current.starts_when_assigned = False
            fields += ["start_date", "starts_when_assigned"]
        current.save(update_fields=fields)
        # 交办 gives a task weight in its parent's rollup, 办结 makes a leaf 100: the stored rollups
        # of the task and its ancestors follow in this transaction.
        refresh_rollups([current.pk])
        if target == TaskStatus.CLOSED:
            # Other systems following the plan hear of it (webhooks out); stored with the closing, so never lost.
            hook_events.task_closed(current, at)
    return current


def _require_evidence(task: Task) -> None:

    if not Evidence.objects.filter(report__task=task).exists():
        raise ValidationError({"evidence": _("申请办结前至少要上传一份佐证材料。")})


def assign_task(actor: Person, task: Task, note: str = "") -> Task:
    """交办: hand a draft task to its lead unit."""
    return _transition(actor, task, Step.ASSIGN, note)


def acknowledge_task(actor: Person, task: Task, note: str = "") -> Task:
    """签收: the lead unit confirms it has received the task."""
    return _transition(actor, task, Step.ACKNOWLEDGE, note)


def start_task(actor: Person, task: Task, note: str = "") -> Task:
    """承办: the lead unit starts work."""
    return _transition(actor, task, Step.START, note)


def request_closing(actor: Person, task: Task, note: str = "") -> Task:
    """申请办结: the lead unit asks the supervision office to close the task; needs evidence, and below
    100% a note saying why it is done all the same."""
    require(actor, Action.REQUEST_CLOSING, task)
    progress = progress_of([task.pk]).get(task.pk, 0.0)
    if progress < 100 and not note.strip():
        raise ValidationError(
            {
                "note": _("当前进度 %(progress)s%%，未到 100%%：申请办结须在办结说明中写明理由。")
                % {"progress": f"{progress:g}"}
            }
        )
    return _transition(actor, task, Step.REQUEST_CLOSING, note)


def sign_off(actor: Person, task: Task, note: str = "") -> Task:
    """复核通过 / 销号: the supervision office closes the task."""
    return _transition(actor, task, Step.SIGN_OFF, note)


def return_task(actor: Person, task: Task, note: str) -> Task:
    """退回: the supervision office sends a closing request back, with a reason."""
    return _transition(actor, task, Step.RETURN, note)


#: The workflow steps by name, as the pages and the API call them.
STEPS: dict[str, Callable[[Person, Task, str], Task]] = {
    Step.ASSIGN: assign_task,
    Step.ACKNOWLEDGE: acknowledge_task,
    Step.START: start_task,
    Step.REQUEST_CLOSING: request_closing,
    Step.SIGN_OFF: sign_off,
    Step.RETURN: return_task,
}


def add_comment(actor: Person, task: Task, body: str) -> Comment:
    require(actor, Action.COMMENT, task)
    if not body.strip():
        raise ValidationError({"body": _("意见内容不能为空。")})
    comment = Comment(task=task, author=actor, body=body.strip())
    set_history_user(comment, actor)
    comment.save()
    return comment
