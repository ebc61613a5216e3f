"""Tasks: who sees which, and which workflow steps each role may take on one.

- admin: everything.  viewer: sees everything, changes nothing.
- supervision office (督查室): sees everything; creates, edits, splits and assigns tasks; signs off
  or returns closings; comments.
- leader (分管领导): sees the tasks of the units they oversee (and the units below), comments.
- unit manager: where their unit (or a unit below it) leads the task, or led the parent it was
  split from: edits, splits, assigns, acknowledges, starts, reports, requests closing, comments;
  where it only supports: reports and comments.
- unit staff: where their unit leads: starts, reports, comments; where it supports: reports,
  comments.
Whether the task's *status* allows a step is the workflow's business (plans.actions), not this one.
"""

from django.db.models import Q, QuerySet

from luoshi.core.access.roles import role_of, scope_unit_ids, sees_everything
from luoshi.core.access.verbs import Action
from luoshi.orgs.models import Person, Role
from luoshi.plans.models import Task, led_or_supported

SUPERVISOR_ACTIONS = {
    Action.VIEW,
    Action.EDIT,
    Action.DELETE,
    Action.SPLIT,
    Action.ASSIGN,
    Action.SIGN_OFF,
    Action.RETURN,
    Action.COMMENT,
}
MANAGER_LEAD_ACTIONS = {
    Action.VIEW,
    Action.EDIT,
    Action.DELETE,
    Action.SPLIT,
    Action.ASSIGN,
    Action.ACKNOWLEDGE,
    Action.START,
    Action.REPORT,
    Action.REQUEST_CLOSING,
    Action.COMMENT,
}
MANAGER_ASSIGNER_ACTIONS = {Action.VIEW, Action.EDIT, Action.DELETE, Action.ASSIGN, Action.COMMENT}
STAFF_LEAD_ACTIONS = {Action.VIEW, Action.START, Action.REPORT, Action.COMMENT}
SUPPORT_ACTIONS = {Action.VIEW, Action.REPORT, Action.COMMENT}
LEADER_ACTIONS = {Action.VIEW, Action.COMMENT}


def visible_tasks(person: Person | None, tasks: QuerySet) -> QuerySet:
    """The tasks a person may see."""
    role = role_of(person)
    if role is None:
        return tasks.none()
    if sees_everything(person):
        return tasks
    scope = scope_unit_ids(person)
    if not scope:
        return tasks.none()
    mine = led_or_supported(scope)
    if role == Role.MANAGER:
        mine |= Q(parent__lead_unit_id__in=scope)
    return tasks.filter(mine)


def allowed_actions(person: Person | None, task: Task) -> set[Action]:
    """Every action the person may take on the task, by role and by their unit's part in it."""
    role = role_of(person)
    if role is None:
        return set()
    if role == Role.ADMIN:
        return set(Action)
    if role == Role.SUPERVISOR:
        return set(SUPERVISOR_ACTIONS)
    if role == Role.VIEWER:
        return {Action.VIEW}
    scope = scope_unit_ids(person)
    leads = task.lead_unit_id in scope
    supports = any(unit.pk in scope for unit in task.support_units.all())
    if role == Role.LEADER:
        return set(LEADER_ACTIONS) if (leads or supports) else set()
    actions: set[Action] = set()
    if role == Role.MANAGER:
        if leads:
            actions |= MANAGER_LEAD_ACTIONS
        if task.parent is not None and task.parent.lead_unit_id in scope:
            actions |= MANAGER_ASSIGNER_ACTIONS
    if role == Role.STAFF and leads:
        actions |= STAFF_LEAD_ACTIONS
    if supports:
        actions |= SUPPORT_ACTIONS
    return actions


def may_on_task(person: Person | None, action: Action, task: Task | type[Task]) -> bool:
    """On a task: its own rules. On the model: only the office creates top-level tasks."""
    if isinstance(task, type):
        return action == Action.CREATE and role_of(person) in (Role.ADMIN, Role.SUPERVISOR)
    return action in allowed_actions(person, task)
