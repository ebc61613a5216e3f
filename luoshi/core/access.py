"""Who may see and do what: the one permission layer behind the pages, the API and the admin.

Rules, in words:
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

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from luoshi.orgs.models import Role, Unit

if TYPE_CHECKING:
    from luoshi.orgs.models import Person
    from luoshi.plans.models import Task


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    DELETE = "delete"
    SPLIT = "split"
    ASSIGN = "assign"
    ACKNOWLEDGE = "acknowledge"
    START = "start"
    REPORT = "report"
    REQUEST_CLOSING = "request_closing"
    SIGN_OFF = "sign_off"
    RETURN = "return"
    COMMENT = "comment"


SUPERVISOR_ACTIONS = {
    Action.VIEW, Action.EDIT, Action.DELETE, Action.SPLIT, Action.ASSIGN,
    Action.SIGN_OFF, Action.RETURN, Action.COMMENT,
}
MANAGER_LEAD_ACTIONS = {
    Action.VIEW, Action.EDIT, Action.DELETE, Action.SPLIT, Action.ASSIGN, Action.ACKNOWLEDGE,
    Action.START, Action.REPORT, Action.REQUEST_CLOSING, Action.COMMENT,
}
MANAGER_ASSIGNER_ACTIONS = {Action.VIEW, Action.EDIT, Action.DELETE, Action.ASSIGN, Action.COMMENT}
STAFF_LEAD_ACTIONS = {Action.VIEW, Action.START, Action.REPORT, Action.COMMENT}
SUPPORT_ACTIONS = {Action.VIEW, Action.REPORT, Action.COMMENT}
LEADER_ACTIONS = {Action.VIEW, Action.COMMENT}


def role_of(person: "Person | None") -> Role | None:
    if person is None or not person.is_authenticated or not person.is_active:
        return None
    if person.is_superuser:
        return Role.ADMIN
    return Role(person.role)


def scope_unit_ids(person: "Person") -> set[int]:
    """The units a person acts for: their home unit and those below it; a leader's overseen units
    and those below them. Cached on the person for the request."""
    cached = getattr(person, "_luoshi_scope", None)
    if cached is not None:
        return cached
    role = role_of(person)
    if role == Role.LEADER:
        roots = list(Unit.objects.filter(supervising_leader=person).values_list("id", flat=True))
    elif role in (Role.MANAGER, Role.STAFF) and person.unit_id:
        roots = [person.unit_id]
    else:
        roots = []
    scope = set(Unit.objects.subtree(roots).values_list("id", flat=True)) if roots else set()
    person._luoshi_scope = scope
    return scope


def sees_everything(person: "Person | None") -> bool:
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR, Role.VIEWER)


def visible_tasks(person: "Person | None", tasks: QuerySet) -> QuerySet:
    """The tasks a person may see."""
    role = role_of(person)
    if role is None:
        return tasks.none()
    if sees_everything(person):
        return tasks
    scope = scope_unit_ids(person)
    if not scope:
        return tasks.none()
    from luoshi.plans.models import Task

    supported = Task.support_units.through.objects.filter(unit_id__in=scope).values("task_id")
    mine = Q(lead_unit_id__in=scope) | Q(pk__in=supported)
    if role == Role.MANAGER:
        mine |= Q(parent__lead_unit_id__in=scope)
    return tasks.filter(mine)


def allowed_actions(person: "Person | None", task: "Task") -> set[Action]:
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
        if task.parent_id and task.parent.lead_unit_id in scope:
            actions |= MANAGER_ASSIGNER_ACTIONS
    if role == Role.STAFF and leads:
        actions |= STAFF_LEAD_ACTIONS
    if supports:
        actions |= SUPPORT_ACTIONS
    return actions


def can(person: "Person | None", action: Action, task: "Task") -> bool:
    return action in allowed_actions(person, task)


def require(person: "Person | None", action: Action, task: "Task") -> None:
    """Raise PermissionDenied unless the person may take the action on the task."""
    if not can(person, action, task):
        raise PermissionDenied(f"not allowed: {action}")


def get_task_for(person: "Person | None", task_id: int, action: Action = Action.VIEW) -> "Task":
    """The task, if the person may see it and take the action; "not yours" and "not there" are one 404."""
    from luoshi.plans.models import Task

    try:
        task = (
            Task.objects.visible_to(person)
            .select_related("plan", "parent", "lead_unit", "owner")
            .prefetch_related("support_units")
            .get(pk=task_id)
        )
    except (Task.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("task not found") from None
    require(person, action, task)
    return task


def visible_plans(person: "Person | None", plans: QuerySet) -> QuerySet:
    """Plans, like the unit tree and the staff directory, are known to every signed-in person;
    what a person may *do* is decided task by task."""
    return plans if role_of(person) else plans.none()


def visible_units(person: "Person | None", units: QuerySet) -> QuerySet:
    return units if role_of(person) else units.none()


def visible_people(person: "Person | None", people: QuerySet) -> QuerySet:
    """The directory of active people; contact details beyond names are for the API's /people/me."""
    return people.filter(is_active=True) if role_of(person) else people.none()


def visible_indicators(person: "Person | None", indicators: QuerySet) -> QuerySet:
    """Indicators are the plan's public figures: every signed-in person sees all of them."""
    return indicators if role_of(person) else indicators.none()


def visible_projects(person: "Person | None", projects: QuerySet) -> QuerySet:
    """The portfolio is open to every signed-in person, like the indicators."""
    return projects if role_of(person) else projects.none()


def can_enter_actuals(person: "Person | None", owner_unit_id: int) -> bool:
    """Actuals of an indicator or a project are entered by its owner unit or the supervision office."""
    role = role_of(person)
    if role in (Role.ADMIN, Role.SUPERVISOR):
        return True
    return role in (Role.MANAGER, Role.STAFF) and owner_unit_id in scope_unit_ids(person)


def can_create_top_level_tasks(person: "Person | None") -> bool:
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR)


#: Reference data the supervision office maintains in the admin; everything else there is admin-only.
SUPERVISOR_REFERENCE_MODELS = {
    "orgs.unit", "plans.plan", "plans.goal", "indicators.indicator", "indicators.indicatortarget",
    "indicators.indicatoractual", "projects.project", "projects.projectstage", "projects.projectyear",
    "schedule.holidayyear", "schedule.holidayspan",
    "supervision.reminderrule", "supervision.webhookendpoint", "supervision.scoringrule",
    "bulletins.bulletinsubscription", "bulletins.bulletinschedule",
}


def can_manage_reference(person: "Person | None", model_label: str) -> bool:
    """May the person add, change and delete this kind of reference data in the admin?"""
    role = role_of(person)
    if role == Role.ADMIN:
        return True
    return role == Role.SUPERVISOR and model_label.lower() in SUPERVISOR_REFERENCE_MODELS


def can_use_admin(person: "Person | None") -> bool:
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR)


def can_write_bulletins(person: "Person | None") -> bool:
    """Bulletins are drafted, reviewed and published by the supervision office."""
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR)


def visible_bulletins(person: "Person | None", bulletins: QuerySet) -> QuerySet:
    """Published bulletins are for everyone signed in; drafts stay with the supervision office."""
    if role_of(person) is None:
        return bulletins.none()
    if can_write_bulletins(person):
        return bulletins
    return bulletins.filter(status="published")


# --- 催办 and 督办单 (SupervisionNotice) --------------------------------------------------------------
# - the 催办 page (every reminder sent, read and answered): the supervision office (and admin).
# - 督办单: issued by the supervision office (and admin) on any task; seen by whoever sees everything
#   and by the people whose scope holds the unit it was sent to; answered only by a manager of that
#   unit (or of a unit above it). Anything else on a notice is the same 404 as a missing one.

def can_oversee_reminders(person: "Person | None") -> bool:
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR)


def can_issue_notice(person: "Person | None", task: "Task") -> bool:
    return can_oversee_reminders(person) and Action.VIEW in allowed_actions(person, task)


def visible_notices(person: "Person | None", notices: QuerySet) -> QuerySet:
    if role_of(person) is None:
        return notices.none()
    if sees_everything(person):
        return notices
    return notices.filter(lead_unit_id__in=scope_unit_ids(person))


def can_answer_notice(person: "Person | None", notice) -> bool:
    return role_of(person) == Role.MANAGER and notice.lead_unit_id in scope_unit_ids(person)


def get_notice_for(person: "Person | None", notice_id: int, *, answer: bool = False):
    """The 督办单, if the person may see it (and, with `answer`, answer it); otherwise one 404."""
    from luoshi.notices.models import SupervisionNotice

    try:
        notice = (visible_notices(person, SupervisionNotice.objects.all())
                  .select_related("task", "task__plan", "task__owner", "lead_unit", "issued_by", "answered_by")
                  .filter(pk=notice_id).first())
    except (ValueError, TypeError, OverflowError):
        notice = None
    if notice is None or (answer and not can_answer_notice(person, notice)):
        raise Http404("notice not found")
    return notice
