"""The policy as one table: for every model people touch, which rows a person sees and who may
take which action on one of them. Everything else asks `visible_to`, `can` and `get_for`.

An action a model's row does not list is allowed to nobody; a model the table does not name is
the administrator's alone. `docs/security.md` prints this table with the test that proves each row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from luoshi.activities.models import Activity, ActivityAttachment
from luoshi.bulletins.models import (
    Bulletin,
    BulletinDelivery,
    BulletinSchedule,
    BulletinStatus,
    BulletinSubscription,
)
from luoshi.commitments.models import Commitment, CommitmentItem
from luoshi.core.access.roles import acts_for, is_admin, is_office, role_of, scope_unit_ids, sees_everything
from luoshi.core.access.tasks import may_on_task, visible_tasks
from luoshi.core.access.verbs import Action
from luoshi.core.models import ApiToken
from luoshi.documents.models import ImportDraft
from luoshi.hooks.models import HookDelivery, HookSubscription
from luoshi.inbox.models import Notification
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget
from luoshi.messaging.models import WebhookEndpoint
from luoshi.notices.models import SupervisionNotice
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans.models import Comment, Goal, Milestone, Plan, Task, TaskTransition
from luoshi.progress.models import Evidence, ProgressReport
from luoshi.projects.models import Project, ProjectStage, ProjectYear
from luoshi.public.models import PublicPage
from luoshi.reminders.models import Reminder, ReminderRule
from luoshi.schedule.models import HolidaySpan, HolidayYear
from luoshi.scoring.models import ScoreEntry, ScoringRule

M = TypeVar("M", bound=Model)

#: (person, row or model) → may they?  A model (not a row) stands for "any row", e.g. creating one.
Who = Callable[[Person | None, Any], bool]
#: (person, rows) → the rows they see
Rows = Callable[[Person | None, QuerySet], QuerySet]


@dataclass(frozen=True)
class Rule:
    """Who sees which rows of one model, and who may take each action on a row."""

    see: Rows
    may: dict[Action, Who] = field(default_factory=dict)


# ---- who may ----------------------------------------------------------------------------------


def anyone(person: Person | None, _obj: Any) -> bool:
    """Anyone signed in."""
    return role_of(person) is not None


def office(person: Person | None, _obj: Any) -> bool:
    """The supervision office (督查室) and the administrator."""
    return is_office(person)


def admin(person: Person | None, _obj: Any) -> bool:
    return is_admin(person)


def _follow(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


def through(path: str, action: Action) -> Who:
    """Whoever may take `action` on the row's parent (e.g. a report's task)."""
    return lambda person, obj: not isinstance(obj, type) and can(person, action, _follow(obj, path))


def for_unit(path: str, roles: tuple[Role, ...] = (Role.MANAGER, Role.STAFF)) -> Who:
    """Someone in `roles` acting for the row's unit (their own or one below it)."""
    return lambda person, obj: not isinstance(obj, type) and acts_for(person, _follow(obj, path), roles)


def office_or_unit(path: str, roles: tuple[Role, ...] = (Role.MANAGER, Role.STAFF)) -> Who:
    """The office, or someone in `roles` acting for the row's unit."""
    return either(office, for_unit(path, roles))


def own(path: str) -> Who:
    return lambda person, obj: (
        person is not None
        and role_of(person) is not None
        and not isinstance(obj, type)
        and _follow(obj, path) == person.pk
    )


def either(*whos: Who) -> Who:
    return lambda person, obj: any(who(person, obj) for who in whos)


def both(*whos: Who) -> Who:
    return lambda person, obj: all(who(person, obj) for who in whos)


def importer(person: Person | None, _obj: Any) -> bool:
    """Who may import a plan text: those who create tasks — the office, and unit managers under
    the tasks they may split (accepting checks the place)."""
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR, Role.MANAGER)


def signs_for_unit(person: Person | None, commitment: Any) -> bool:
    """Only the unit's head, or a manager of that very unit, signs its commitment."""
    if person is None or role_of(person) is None or isinstance(commitment, type):
        return False
    unit = commitment.unit
    return unit.head_id == person.pk or (role_of(person) == Role.MANAGER and person.unit_id == unit.pk)


def self_subscription(person: Person | None, subscription: Any) -> bool:
    """People subscribe themselves (not a robot) to a plan's bulletins."""
    return (
        person is not None
        and role_of(person) is not None
        and not isinstance(subscription, type)
        and subscription.endpoint_id is None
        and subscription.person_id == person.pk
    )


# ---- which rows ---------------------------------------------------------------------------------


def all_rows(person: Person | None, rows: QuerySet) -> QuerySet:
    return rows if role_of(person) else rows.none()


def office_rows(person: Person | None, rows: QuerySet) -> QuerySet:
    return rows if is_office(person) else rows.none()


def admin_rows(person: Person | None, rows: QuerySet) -> QuerySet:
    return rows if is_admin(person) else rows.none()


def under(path: str, parent: type[Model]) -> Rows:
    """The rows whose parent (e.g. a report's task) the person sees."""
    return lambda person, rows: rows.filter(
        **{f"{path}__in": visible_to(person, parent._default_manager.all())}
    )


def in_scope(path: str) -> Rows:
    """Everything for those who see everything; else the rows of the units the person acts for."""

    def rows_of(person: Person | None, rows: QuerySet) -> QuerySet:
        if role_of(person) is None:
            return rows.none()
        return rows if sees_everything(person) else rows.filter(**{f"{path}__in": scope_unit_ids(person)})

    return rows_of


def own_rows(path: str, *, unless: Callable[[Person | None], bool] = lambda person: False) -> Rows:
    """The person's own rows (their inbox, tokens, drafts); every row for those `unless` names."""

    def rows_of(person: Person | None, rows: QuerySet) -> QuerySet:
        if role_of(person) is None:
            return rows.none()
        return rows if unless(person) else rows.filter(**{path: person})

    return rows_of


def active_people(person: Person | None, people: QuerySet) -> QuerySet:
    """The directory of active people; the administrator also sees those switched off."""
    if role_of(person) is None:
        return people.none()
    return people if is_admin(person) else people.filter(is_active=True)


def bulletins_rows(person: Person | None, bulletins: QuerySet) -> QuerySet:
    """Published bulletins are for everyone signed in; drafts stay with the supervision office."""
    if role_of(person) is None:
        return bulletins.none()
    return bulletins if is_office(person) else bulletins.filter(status=BulletinStatus.PUBLISHED)


# ---- the table ----------------------------------------------------------------------------------

OFFICE_WRITES: dict[Action, Who] = {Action.CREATE: office, Action.EDIT: office, Action.DELETE: office}
ADMIN_WRITES: dict[Action, Who] = {Action.CREATE: admin, Action.EDIT: admin, Action.DELETE: admin}


def reference(writes: dict[Action, Who] = OFFICE_WRITES, **more: Who) -> Rule:
    """Known to everyone signed in, written by `writes`."""
    return Rule(all_rows, {Action.VIEW: anyone, **writes, **{Action(k): v for k, v in more.items()}})


def settings_of_office() -> Rule:
    """The office's own settings (reminder rules, robots, schedules): seen and written there only."""
    return Rule(office_rows, {Action.VIEW: office, **OFFICE_WRITES})


def part_of(path: str, parent: type[Model], writes: dict[Action, Who] | None = None) -> Rule:
    """Seen with its parent; written as `writes` says."""
    return Rule(
        under(path, parent), {Action.VIEW: through(path.replace("__", "."), Action.VIEW), **(writes or {})}
    )


POLICY: dict[type[Model], Rule] = {
    # plans and tasks
    Plan: reference(),
    Goal: reference(),
    Task: Rule(visible_tasks),  # tasks have their own rules: luoshi.core.access.tasks
    Milestone: part_of(
        "task", Task, {a: through("task", Action.EDIT) for a in (Action.CREATE, Action.EDIT, Action.DELETE)}
    ),
    Comment: part_of("task", Task, {Action.CREATE: through("task", Action.COMMENT)}),
    TaskTransition: part_of("task", Task),
    # units and people
    Unit: reference(),
    Person: Rule(active_people, {Action.VIEW: anyone, **ADMIN_WRITES}),
    # reports and evidence
    ProgressReport: part_of("task", Task, {Action.CREATE: through("task", Action.REPORT)}),
    Evidence: part_of("report__task", Task),
    # indicators and actuals
    Indicator: reference(record=office_or_unit("owner_unit_id")),
    IndicatorTarget: part_of("indicator", Indicator, OFFICE_WRITES),
    IndicatorActual: part_of(
        "indicator",
        Indicator,
        {
            Action.CREATE: through("indicator", Action.RECORD),
            Action.EDIT: through("indicator", Action.RECORD),
        },
    ),
    # projects and stages
    Project: reference(record=office_or_unit("owner_unit_id")),
    ProjectStage: part_of(
        "project", Project, {**OFFICE_WRITES, Action.RECORD: through("project", Action.RECORD)}
    ),
    ProjectYear: part_of("project", Project, OFFICE_WRITES),
    # bulletins
    Bulletin: Rule(
        bulletins_rows,
        {
            Action.VIEW: anyone,
            Action.CREATE: office,
            Action.EDIT: office,
            Action.REVIEW: office,
            Action.PUBLISH: office,
        },
    ),
    BulletinSubscription: Rule(
        own_rows("person", unless=is_office),
        {
            Action.VIEW: either(office, own("person_id")),
            Action.CREATE: either(office, self_subscription),
            Action.EDIT: office,
            Action.DELETE: either(office, own("person_id")),
        },
    ),
    BulletinSchedule: settings_of_office(),
    BulletinDelivery: Rule(office_rows, {Action.VIEW: office}),  # made by publishing, sent by the worker
    # reminders, notifications, scores
    Reminder: Rule(
        own_rows("recipient", unless=sees_everything),
        {Action.VIEW: either(lambda p, _o: sees_everything(p), own("recipient_id"))},
    ),
    Notification: Rule(
        own_rows("recipient"), {Action.VIEW: own("recipient_id"), Action.EDIT: own("recipient_id")}
    ),
    ReminderRule: settings_of_office(),
    WebhookEndpoint: settings_of_office(),
    ScoringRule: settings_of_office(),
    # the public results page: set by the office; its view shows a published page's chosen fields to anyone
    PublicPage: settings_of_office(),
    ScoreEntry: Rule(all_rows, {Action.VIEW: anyone}),  # posted by the worker from the workflow
    # webhooks out: the office's subscriptions; the events are stored by the workflow, sent by the worker
    HookSubscription: settings_of_office(),
    HookDelivery: Rule(office_rows, {Action.VIEW: office}),
    # 督办单: issued by the office on a task it sees, to the task's lead unit, answered by that unit's managers
    SupervisionNotice: Rule(
        in_scope("lead_unit_id"),
        {
            Action.VIEW: anyone,
            Action.CREATE: both(office, through("task", Action.VIEW)),
            Action.ANSWER: for_unit("lead_unit_id", (Role.MANAGER,)),
        },
    ),
    # commitments and activities
    Commitment: Rule(
        in_scope("unit_id"),
        {
            Action.VIEW: anyone,
            Action.CREATE: office_or_unit("unit_id", (Role.MANAGER,)),
            Action.ACKNOWLEDGE: signs_for_unit,
        },
    ),
    CommitmentItem: part_of("commitment", Commitment),
    Activity: Rule(in_scope("unit_id"), {Action.VIEW: anyone, Action.CREATE: office_or_unit("unit_id")}),
    ActivityAttachment: part_of("activity", Activity),
    # imports and tokens
    ImportDraft: Rule(
        own_rows("owner"),
        {
            Action.CREATE: importer,
            Action.VIEW: both(importer, own("owner_id")),
            Action.EDIT: both(importer, own("owner_id")),
        },
    ),
    ApiToken: Rule(
        own_rows("person", unless=is_admin),
        {
            Action.VIEW: either(admin, own("person_id")),
            Action.EDIT: admin,
            Action.DELETE: either(admin, own("person_id")),
        },
    ),
    # the working-day calendar
    HolidayYear: reference(),
    HolidaySpan: part_of("holiday_year", HolidayYear, OFFICE_WRITES),
}


# ---- asking ---------------------------------------------------------------------------------------


def visible_to(person: Person | None, rows: QuerySet) -> QuerySet:
    """The rows the person may see."""
    rule = POLICY.get(rows.model)
    return rule.see(person, rows) if rule else admin_rows(person, rows)


def can(person: Person | None, action: Action, obj: Model | type[Model]) -> bool:
    """May the person take the action on this row (or, given a model, on a new one)?"""
    model = obj if isinstance(obj, type) else type(obj)
    if model is Task:
        return may_on_task(person, action, cast(Task | type[Task], obj))
    rule = POLICY.get(model)
    if rule is None:
        return is_admin(person)
    who = rule.may.get(action)
    return who is not None and who(person, obj)


def require(person: Person | None, action: Action, obj: Model | type[Model]) -> None:
    """Raise PermissionDenied unless the person may take the action."""
    if not can(person, action, obj):
        raise PermissionDenied(f"not allowed: {action}")


def get_for(
    model: type[M],
    person: Person | None,
    pk: Any,
    action: Action = Action.VIEW,
    *,
    rows: QuerySet | None = None,
) -> M:
    """The row, if the person may see it and take the action: "not yours" and "not there" are one
    404; seen but not allowed is a 403. `rows` narrows or prefetches (e.g. a project's stages)."""
    rows = model._default_manager.all() if rows is None else rows
    try:
        obj = visible_to(person, rows).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(f"{model._meta.model_name} not found") from None
    require(person, action, obj)
    return obj


def get_task_for(person: Person | None, task_id: Any, action: Action = Action.VIEW) -> Task:
    """A task with what its rules and pages read, by `get_for`."""
    rows = Task.objects.select_related("plan", "parent", "lead_unit", "owner").prefetch_related(
        "support_units"
    )
    return get_for(Task, person, task_id, action, rows=rows)


def units_for(person: Person | None, model: type[Model]) -> QuerySet:
    """The units for which the person may create a row of `model` (a commitment, an activity)."""
    units = visible_to(person, Unit.objects.all())
    candidates = units if is_office(person) else units.filter(pk__in=scope_unit_ids(person))
    return units.filter(
        pk__in=[unit.pk for unit in candidates if can(person, Action.CREATE, model(unit=unit))]
    )


def may_use_admin(person: Person | None) -> bool:
    """The admin pages are the administrator's and the supervision office's."""
    return is_office(person)
