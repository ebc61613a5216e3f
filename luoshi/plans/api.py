"""Plans and tasks over the API: read, filter, create, edit, delete, workflow steps, history, comments.

Every endpoint finds its objects through the access layer and changes them only through
`luoshi.plans.actions`, so the pages, the API and the command line share one set of rules.
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from luoshi.core import clock
from luoshi.core.access import Action, allowed_actions, get_for, get_task_for, sees_everything, visible_to
from luoshi.core.api_json import json_response
from luoshi.core.api_types import (
    LEFT_OUT,
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Error,
    Id,
    Page,
    PersonRef,
    Text,
    UnitRef,
)
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Person, Unit
from luoshi.plans import actions
from luoshi.plans.health import Light, TaskFacts, healths_of, healths_of_rows
from luoshi.plans.history import task_history
from luoshi.plans.models import Goal, Plan, Step, Task, TaskKind, TaskQuerySet, TaskStatus
from luoshi.plans.rollup import plan_progress, progress_of, rounded

router = Router(tags=["plans"])  # 实施方案与任务 (the name shown: luoshi.api.TAGS)

# --- Schemas --------------------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    title: str = Field(description="目标")
    description: str


class PlanOut(Schema):
    id: int
    title: str = Field(description="实施方案标题")
    document_number: str = Field(description="文号")
    period_start: dt.date = Field(description="起始日期")
    period_end: dt.date = Field(description="截止日期")
    owner_unit: UnitRef = Field(description="牵头单位")
    version: int


class PlanDetail(PlanOut):
    summary: str = Field(description="概述")
    goals: list[GoalOut] = Field(description="目标")
    progress: float = Field(description="汇总进度（0–100），按顶层任务权重加权")


class TaskOut(Schema):
    id: int
    plan_id: int = Field(description="所属实施方案")
    parent_id: int | None = Field(description="上级任务；顶层任务为 null")
    code: str = Field(description="序号")
    title: str = Field(description="任务名称")
    kind: TaskKind = Field(description="类型：方面、具体目标、具体措施、具体工作、具体项目、对接跑办")
    status: TaskStatus = Field(description="流程状态")
    lead_unit: UnitRef = Field(description="牵头单位")
    owner: PersonRef | None = Field(description="责任人")
    start_date: dt.date = Field(description="开始日期")
    deadline: dt.date = Field(description="完成时限")
    weight: float = Field(description="在同级任务中的权重")
    progress: float = Field(description="汇总进度（0–100）：下级任务按权重加权，叶子任务取最新报送")
    light: Light = Field(
        description="红黄绿灯，由状态、日期、进度、倒排工期与退回推算；草稿为 draft（未交办）"
    )
    reasons: list[str] = Field(description="亮灯原因，逐条文字说明（与任务页、通报相同）")
    updated_at: dt.datetime
    version: int = Field(description="版本号；修改时原样带回，用于发现并发修改")


class TaskDetail(TaskOut):
    description: str = Field(description="任务内容")
    source_text: str = Field(description="原文")
    goal_id: int | None = Field(description="所属目标")
    support_units: list[UnitRef] = Field(description="配合单位")
    expected_progress: float = Field(description="序时进度（0–100）：已过工作日占比")
    closed_at: dt.datetime | None = Field(description="办结时间")
    created_at: dt.datetime
    children: list[int] = Field(description="下级任务 id")
    allowed_actions: list[Action] = Field(description="当前调用者对此任务可做的操作")

    @staticmethod
    def resolve_children(obj: Task) -> list[int]:
        return list(obj.children.values_list("id", flat=True))

    @staticmethod
    def resolve_allowed_actions(obj: Task, context) -> list[Action]:
        allowed = allowed_actions(context["request"].user, obj)
        return [action for action in Action if action in allowed]


def attach_health(tasks: list[Task]) -> list[Task]:
    """Put rolled-up progress, expected progress and the light on each task, in one rollup query."""
    progress = progress_of(t.pk for t in tasks)
    healths = healths_of(tasks, progress, clock.today(), indicators=True)  # one page of tasks at a time
    for task in tasks:
        health = healths[task.pk]
        task.progress, task.expected_progress, task.light = health.progress, health.expected, health.light
        task.reasons = list(health.reasons)
    return tasks


def with_health(task: Task) -> Task:
    return attach_health([task])[0]


class TaskFilters(Schema):
    plan: Id | None = Field(None, description="实施方案 id")
    parent: Id | None = Field(None, description="上级任务 id：只列它的直接下级")
    unit: Id | None = Field(None, description="单位 id：牵头或配合")
    status: TaskStatus | None = Field(None, description="流程状态")
    kind: TaskKind | None = Field(None, description="任务类型")
    overdue: bool | None = Field(None, description="true 只列已逾期未办结的任务；false 只列未逾期的")
    deadline_from: dt.date | None = Field(None, description="完成时限不早于此日（含）")
    deadline_to: dt.date | None = Field(None, description="完成时限不晚于此日（含）")
    q: Text | None = Field(None, max_length=100, description="在任务名称和序号中查找")
    ordering: Literal[
        "deadline",
        "-deadline",
        "code",
        "-code",
        "title",
        "-title",
        "status",
        "-status",
        "updated_at",
        "-updated_at",
        "id",
        "-id",
    ] = Field("deadline", description="排序字段，前缀 - 表示倒序")


def filter_tasks(tasks: TaskQuerySet, f: TaskFilters) -> TaskQuerySet:
    if f.plan is not None:
        tasks = tasks.filter(plan_id=f.plan)
    if f.parent is not None:
        tasks = tasks.filter(parent_id=f.parent)
    if f.unit is not None:
        tasks = tasks.led_or_supported_by([f.unit])
    if f.status is not None:
        tasks = tasks.filter(status=f.status)
    if f.kind is not None:
        tasks = tasks.filter(kind=f.kind)
    if f.overdue is not None:
        overdue = Task.objects.overdue(clock.today()).values("pk")
        tasks = tasks.filter(pk__in=overdue) if f.overdue else tasks.exclude(pk__in=overdue)
    if f.deadline_from is not None:
        tasks = tasks.filter(deadline__gte=f.deadline_from)
    if f.deadline_to is not None:
        tasks = tasks.filter(deadline__lte=f.deadline_to)
    if f.q:
        tasks = tasks.filter(Q(title__icontains=f.q) | Q(code__icontains=f.q))
    return tasks.order_by(f.ordering, "id")


class TaskIn(Schema):
    """Fields shared by creating and editing a task."""

    model_config = ConfigDict(extra="forbid")

    title: Text = Field(min_length=1, max_length=300, description="任务名称")
    kind: TaskKind = Field(TaskKind.WORK, description="任务类型")
    lead_unit: Id = Field(description="牵头单位 id")
    support_units: list[Id] = Field([], max_length=100, description="配合单位 id")
    owner: Id | None = Field(None, description="责任人 id")
    start_date: Day | None = Field(None, description="开始日期；留空则为交办之日")
    deadline: Day | None = Field(None, description="完成时限；留空则同上级任务；不能晚于上级任务")
    weight: float = Field(1.0, gt=0, le=1000, allow_inf_nan=False, description="权重，大于 0")
    code: Text = Field("", max_length=30, description="序号")
    description: Text = Field("", max_length=20000, description="任务内容")
    goal: Id | None = Field(None, description="所属目标 id（同一实施方案）")


class TaskCreate(TaskIn):
    plan: Id = Field(description="实施方案 id")
    parent: Id | None = Field(None, description="上级任务 id；留空为顶层任务（仅督查室可建）")
    source_text: Text = Field("", max_length=20000, description="原文")


class TaskPatch(Schema):
    """Only the fields sent are changed; `version` is the one the client read. Only `owner` and
    `goal` may be sent as null (to clear them)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31, description="读取时的版本号；已被他人修改则返回 409")
    title: Text = Field(LEFT_OUT, min_length=1, max_length=300, description="任务名称")
    kind: TaskKind = Field(LEFT_OUT, description="任务类型")
    lead_unit: Id = Field(LEFT_OUT, description="牵头单位 id")
    support_units: list[Id] = Field(LEFT_OUT, max_length=100, description="配合单位 id（整体替换）")
    owner: Id | None = Field(None, description="责任人 id；null 表示清除")
    start_date: Day = Field(LEFT_OUT, description="开始日期")
    deadline: Day = Field(LEFT_OUT, description="完成时限；不能晚于上级任务，也不能早于下级任务")
    weight: float = Field(LEFT_OUT, gt=0, le=1000, allow_inf_nan=False, description="权重，大于 0")
    code: Text = Field(LEFT_OUT, max_length=30, description="序号")
    description: Text = Field(LEFT_OUT, max_length=20000, description="任务内容")
    goal: Id | None = Field(None, description="所属目标 id；null 表示清除")


class StepIn(Schema):
    note: Text = Field("", max_length=2000, description="说明；退回时必填")


class CommentIn(Schema):
    body: Text = Field(min_length=1, max_length=5000, description="意见内容")


class CommentOut(Schema):
    id: int
    author: PersonRef
    body: str
    created_at: dt.datetime


class TransitionOut(Schema):
    id: int
    from_status: TaskStatus
    to_status: TaskStatus
    actor: PersonRef
    at: dt.datetime
    note: str


class ChangeOut(Schema):
    field: str = Field(description="字段")
    before: Any = Field(description="修改前")
    after: Any = Field(description="修改后")


class HistoryOut(Schema):
    at: dt.datetime
    who: str = Field(description="操作人")
    kind: Literal["created", "changed", "deleted"]
    changes: list[ChangeOut]


# --- Reference lookups for input ids: a missing one is a field error, not a 404 -------------------


def _unit(field: str, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({field: f"单位 {unit_id} 不存在。"})
    return unit


def _units(field: str, unit_ids: list[int]) -> list[Unit]:
    units = list(Unit.objects.filter(pk__in=set(unit_ids)))
    missing = sorted(set(unit_ids) - {u.pk for u in units})
    if missing:
        raise ValidationError({field: f"单位 {', '.join(map(str, missing))} 不存在。"})
    return units


def _person(field: str, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise ValidationError({field: f"人员 {person_id} 不存在。"})
    return person


def _goal(plan_id: int, goal_id: int | None) -> Goal | None:
    if goal_id is None:
        return None
    goal = Goal.objects.filter(pk=goal_id, plan_id=plan_id).first()
    if goal is None:
        raise ValidationError({"goal": "该实施方案没有这个目标。"})
    return goal


# --- Plans ----------------------------------------------------------------------------------------


@router.get("/plans", response={200: list[PlanOut], **READ_ERRORS}, summary="实施方案列表")
@paginate(Page)
def list_plans(request: AuthedRequest):
    # Plans are public documents: every signed-in person sees them, like indicators.
    return visible_to(request.user, Plan.objects.select_related("owner_unit"))


@router.get("/plans/{plan_id}", response={200: PlanDetail, **READ_ERRORS}, summary="实施方案详情与汇总进度")
def get_plan(request: AuthedRequest, plan_id: Id):
    plan = get_for(
        Plan, request.user, plan_id, rows=Plan.objects.select_related("owner_unit").prefetch_related("goals")
    )
    plan.progress = plan_progress(plan.pk)
    return plan


# --- Tasks ----------------------------------------------------------------------------------------


@router.get("/tasks", response={200: list[TaskOut], **READ_ERRORS}, summary="任务列表（筛选、排序、分页）")
@paginate(Page, prepare=attach_health)
def list_tasks(request: AuthedRequest, filters: Query[TaskFilters]):
    tasks = Task.objects.visible_to(request.user).select_related("lead_unit", "owner")
    return filter_tasks(tasks, filters)


@router.get("/tasks/{task_id}", response={200: TaskDetail, **READ_ERRORS}, summary="任务详情")
def get_task(request: AuthedRequest, task_id: Id):
    return with_health(get_task_for(request.user, task_id))


#: The most tasks one subtree request returns; a larger subtree is read level by level (`/tasks?parent=`).
MAX_SUBTREE = 10_000


class SubtreeTask(TaskOut):
    depth: int = Field(description="在子树中的层级：根任务为 0")


class SubtreeOut(Schema):
    root_id: int = Field(description="根任务 id")
    count: int = Field(description="返回的任务数")
    tasks: list[SubtreeTask] = Field(description="根任务及其全部下级任务中调用者看得到的，按树的先序排列")


@router.get(
    "/tasks/{task_id}/subtree",
    response={200: SubtreeOut, **READ_ERRORS},
    summary="任务及其全部下级任务（整棵子树，一次取回）",
)
def get_subtree(request: AuthedRequest, task_id: Id):
    """The task and every task below it that the caller may see, in tree order, each with its
    progress and light: what Redmine's `include=children` gives, in a fixed number of queries.

    Built for thousands of rows: the tasks are read with only the columns a row shows, progress is
    the stored rollup, units and people are read once each, the tasks are plain rows (not model
    instances) lit by `healths_of_rows`, and the rows are written out as plain data shaped by
    `SubtreeOut` (tests/test_api_subtree.py validates them against it) rather than validated object
    by object, which took most of the time at 2,000 tasks."""
    root = get_task_for(request.user, task_id)
    subtree = Task.objects.subtree([root.pk])
    if sees_everything(request.user):  # what they see is the whole tree: one walk reads its shape and rows
        visible_rows = _at_most_max(subtree.values(*_ROW_FIELDS, "order"))
        nodes = [(row["id"], row["parent_id"], row["order"]) for row in visible_rows]
    else:
        nodes = _at_most_max(subtree.values_list("id", "parent_id", "order"))
        visible_rows = list(Task.objects.visible_to(request.user).subtree([root.pk]).values(*_ROW_FIELDS))
    visible = {row["id"]: row for row in visible_rows}
    children: dict[int, list[tuple[int, int]]] = {}
    for pk, parent_id, order in nodes:
        if pk != root.pk:
            children.setdefault(parent_id, []).append((order, pk))
    ordered: list[tuple[dict, int]] = []
    stack = [(root.pk, 0)]
    while stack:
        pk, depth = stack.pop()
        task = visible.get(pk)
        if task is not None:  # a hidden task's visible descendants stand one level up
            ordered.append((task, depth))
        below = depth + 1 if task is not None else depth
        stack.extend((kid, below) for _order, kid in sorted(children.get(pk, []), reverse=True))
    tasks = [task for task, _depth in ordered]
    local_day = clock.local_days()
    healths = healths_of_rows(
        (
            TaskFacts(
                t["id"],
                t["status"],
                t["start_date"],
                t["deadline"],
                local_day(t["closed_at"]) if t["closed_at"] else None,
            )
            for t in tasks
        ),
        {t["id"]: rounded(t["rolled_up"]) for t in tasks},
        clock.today(),
        indicators=True,
    )
    units = {  # one object per unit and person, written out in every row that names them
        pk: {"id": pk, "name": name}
        for pk, name in Unit.objects.filter(pk__in={t["lead_unit_id"] for t in tasks}).values_list(
            "pk", "name"
        )
    }
    people = {
        p.pk: {"id": p.pk, "name": p.display_name}
        for p in Person.objects.filter(pk__in={t["owner_id"] for t in tasks if t["owner_id"]}).only(
            "id", "username", "full_name"
        )
    }
    rows = []
    for task, depth in ordered:
        health = healths[task["id"]]
        rows.append(
            {
                "id": task["id"],
                "plan_id": task["plan_id"],
                "parent_id": task["parent_id"],
                "code": task["code"],
                "title": task["title"],
                "kind": task["kind"],
                "status": task["status"],
                "lead_unit": units[task["lead_unit_id"]],
                "owner": people.get(task["owner_id"]),
                "start_date": task["start_date"].isoformat(),  # as the encoder writes it, without a call back
                "deadline": task["deadline"].isoformat(),
                "weight": task["weight"],
                "progress": health.progress,
                "light": health.light.value,
                "reasons": health.reasons,  # a tuple, written as a list
                "updated_at": task["updated_at"],
                "version": task["version"],
                "depth": depth,
            }
        )
    return json_response({"root_id": root.pk, "count": len(rows), "tasks": rows})


def _at_most_max(rows: QuerySet) -> list:
    """The rows of a subtree, refused if there are more than MAX_SUBTREE (read no further than one past it)."""
    rows_read = list(rows[: MAX_SUBTREE + 1])
    if len(rows_read) > MAX_SUBTREE:
        raise ValidationError(
            {"task_id": f"子树超过 {MAX_SUBTREE} 项任务，请按层读取（/api/tasks?parent=）。"}
        )
    return rows_read


#: The columns a subtree row shows, or its light reads (closed_at: the day named in 已办结's reason).
_ROW_FIELDS = (
    "id",
    "plan_id",
    "parent_id",
    "code",
    "title",
    "kind",
    "status",
    "lead_unit_id",
    "owner_id",
    "start_date",
    "deadline",
    "weight",
    "rolled_up",
    "closed_at",
    "updated_at",
    "version",
)


@router.post("/tasks", response={201: TaskDetail, **WRITE_ERRORS}, summary="新建任务或分解下级任务")
def create_task(request: AuthedRequest, payload: TaskCreate):
    parent = None
    if payload.parent is not None:
        parent = (
            Task.objects.visible_to(request.user).select_related("plan").filter(pk=payload.parent).first()
        )
        if parent is None:
            raise ValidationError({"parent": f"上级任务 {payload.parent} 不存在。"})
        if parent.plan_id != payload.plan:
            raise ValidationError({"parent": "上级任务必须属于同一个实施方案。"})
        plan = parent.plan
    else:
        plan = Plan.objects.filter(pk=payload.plan).first()
        if plan is None:
            raise ValidationError({"plan": f"实施方案 {payload.plan} 不存在。"})
    task = actions.create_task(
        request.user,
        plan=plan,
        parent=parent,
        title=payload.title,
        kind=payload.kind,
        lead_unit=_unit("lead_unit", payload.lead_unit),
        support_units=_units("support_units", payload.support_units),
        owner=_person("owner", payload.owner),
        start_date=payload.start_date,
        deadline=payload.deadline,
        weight=payload.weight,
        code=payload.code,
        description=payload.description,
        source_text=payload.source_text,
        goal=_goal(plan.pk, payload.goal),
    )
    return Status(201, with_health(task))


@router.patch(
    "/tasks/{task_id}", response={200: TaskDetail, 409: Error, **WRITE_ERRORS}, summary="修改任务（带版本号）"
)
def update_task(request: AuthedRequest, task_id: Id, payload: TaskPatch):
    task = get_task_for(request.user, task_id, Action.EDIT)
    sent = payload.model_dump(exclude_unset=True)
    expected_version = sent.pop("version")
    support_ids = sent.pop("support_units", None)
    support_units = _units("support_units", support_ids) if support_ids is not None else None
    if "lead_unit" in sent:
        sent["lead_unit"] = _unit("lead_unit", sent["lead_unit"])
    if "owner" in sent:
        sent["owner"] = _person("owner", sent["owner"])
    if "goal" in sent:
        sent["goal"] = _goal(task.plan_id, sent["goal"])
    task = actions.update_task(
        request.user, task, expected_version=expected_version, changes=sent, support_units=support_units
    )
    return with_health(task)


@router.delete("/tasks/{task_id}", response={204: None, **WRITE_ERRORS}, summary="删除草稿任务及其下级")
def delete_task(request: AuthedRequest, task_id: Id):
    actions.delete_task(request.user, get_task_for(request.user, task_id, Action.DELETE))
    return Status(204, None)


@router.post(
    "/tasks/{task_id}/steps/{step}",
    response={200: TaskDetail, **WRITE_ERRORS},
    summary="流程操作：交办、签收、承办、申请办结、复核通过（销号）、退回",
)
def take_step(request: AuthedRequest, task_id: Id, step: Step, payload: StepIn | None = None):
    task = get_task_for(request.user, task_id, actions.TRANSITIONS[step][0])
    return with_health(actions.STEPS[step](request.user, task, payload.note if payload else ""))


@router.get("/tasks/{task_id}/history", response={200: list[HistoryOut], **READ_ERRORS}, summary="修改记录")
def get_history(request: AuthedRequest, task_id: Id):
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    return [
        {
            "at": e.at,
            "who": e.who,
            "kind": kinds[e.kind],
            "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in e.changes],
        }
        for e in task_history(get_task_for(request.user, task_id))
    ]


@router.get(
    "/tasks/{task_id}/comments", response={200: list[CommentOut], **READ_ERRORS}, summary="批示与意见"
)
def list_comments(request: AuthedRequest, task_id: Id):
    return get_task_for(request.user, task_id).comments.select_related("author")


@router.post("/tasks/{task_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, summary="发表意见")
def add_comment(request: AuthedRequest, task_id: Id, payload: CommentIn):
    task = get_task_for(request.user, task_id, Action.COMMENT)
    return Status(201, actions.add_comment(request.user, task, payload.body))


@router.get(
    "/tasks/{task_id}/transitions", response={200: list[TransitionOut], **READ_ERRORS}, summary="流程记录"
)
def list_transitions(request: AuthedRequest, task_id: Id):
    return get_task_for(request.user, task_id).transitions.select_related("actor")
