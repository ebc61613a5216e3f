"""A task's backward schedule (倒排工期) over the API: exactly what `luoshi schedule --format json` prints."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from luoshi.core import clock
from luoshi.core.access import get_task_for, visible_to
from luoshi.core.api_types import READ_ERRORS, Id
from luoshi.core.output import plain
from luoshi.core.types import AuthedRequest
from luoshi.plans.health import light_figures
from luoshi.schedule.backward import ProblemKind, ScheduleError, ScheduleVerdict, task_schedule_figures
from luoshi.schedule.models import DayKind, HolidayYear
from luoshi.schedule.workdays import CalendarNotCovered

router = Router(tags=["schedule"])  # 倒排工期 (the name shown: luoshi.api.TAGS)


class ScheduledTaskRef(Schema):
    id: int = Field(description="任务 id")
    title: str = Field(description="任务名称")
    deadline: dt.date = Field(description="完成时限")


class ScheduledMilestoneOut(Schema):
    key: int = Field(description="里程碑 id")
    name: str = Field(description="里程碑名称")
    duration: int = Field(description="工期（工作日）")
    depends_on: list[int] = Field(description="本任务内的前置里程碑 id（完成—开始）")
    latest_start: dt.date = Field(description="最迟开始：从完成时限按工作日倒排")
    latest_finish: dt.date = Field(description="最迟完成")
    expected_start: dt.date | None = Field(description="预计开始：从今天和前置节点正排；已完成为 null")
    expected_finish: dt.date = Field(description="预计完成；已完成为实际完成日期")
    done: bool = Field(description="是否已完成")
    slack: int = Field(description="机动时间（工作日）：最迟完成减预计完成；负数表示将误期")
    critical: bool = Field(description="是否在关键路径上（未完成节点中机动时间最少）")
    planned_finish: dt.date | None = Field(description="计划中填写的完成日期")


class ProblemOut(Schema):
    kind: ProblemKind = Field(
        description="start_passed 最迟开始已过，deadline_missed 预计误期，"
        "planned_too_late 计划完成日期晚于最迟完成"
    )
    message: str = Field(description="说明")
    milestone: int | None = Field(description="涉及的里程碑 id")


class ScheduleOut(Schema):
    deadline: dt.date = Field(description="完成时限")
    last_working_day: dt.date = Field(description="完成时限当天或之前的最后一个工作日")
    today: dt.date = Field(description="按哪一天计算")
    milestones: list[ScheduledMilestoneOut] = Field(description="里程碑，按依赖顺序")
    critical_path: list[int] = Field(description="关键路径上的里程碑 id，按先后")
    expected_finish: dt.date | None = Field(description="预计完成日期；全部完成时为 null")
    slack: int | None = Field(description="未完成节点中最少的机动时间（工作日）")
    problems: list[ProblemOut] = Field(description="排不开的问题")
    estimated: bool = Field(description="是否有年份按周一至周五估算（尚未录入节假日安排）")
    verdict: ScheduleVerdict = Field(
        description="on_track 按倒排工期推进；behind 最迟开始已过、按当前进度将误期"
        "（任务灯至少为黄）；late 有节点超过最迟完成仍未完成（任务灯至少为红）"
    )


class TaskLightOut(Schema):
    light: str = Field(description="红黄绿灯（与任务页、列表和通报相同）")
    label: str = Field(description="灯的名称")
    reasons: list[str] = Field(description="亮灯原因，逐条文字说明")


class TaskScheduleOut(Schema):
    task: ScheduledTaskRef
    feasible: bool = Field(description="能否按期完成：没有最迟开始已过或预计误期的问题")
    schedule: ScheduleOut
    light: TaskLightOut


class ScheduleQuery(Schema):
    estimate: bool = Field(False, description="没有节假日安排的年份按周一至周五估算，而不是返回 422")


@router.get(
    "/tasks/{task_id}/schedule", response={200: TaskScheduleOut, **READ_ERRORS}, summary="任务的倒排工期"
)
def get_task_schedule(request: AuthedRequest, task_id: Id, query: Query[ScheduleQuery]):
    """Latest and expected dates, slack, critical path and problems of the task's milestones.

    A year with no holiday notice entered, or milestones waiting on each other in a circle, is a 422
    whose message says which."""
    task = get_task_for(request.user, task_id)
    try:
        today = clock.today()
        return plain(
            {
                **task_schedule_figures(task, today=today, estimate=query.estimate),
                "light": light_figures(task, today),
            }
        )
    except (ScheduleError, CalendarNotCovered) as error:
        raise ValidationError(str(error)) from error


# --- The working-day calendar ------------------------------------------------------------------


class HolidaySpanOut(Schema):
    kind: DayKind = Field(description="类型：放假、调休上班")
    name: str = Field(description="节日")
    first_day: dt.date = Field(description="起始日")
    last_day: dt.date = Field(description="结束日")


class HolidayYearOut(Schema):
    year: int = Field(description="年度")
    notice: str = Field(description="依据（国务院办公厅通知）")
    spans: list[HolidaySpanOut] = Field(description="放假与调休上班")

    @staticmethod
    def resolve_spans(obj: HolidayYear) -> list:
        return list(obj.spans.all())


@router.get(
    "/holidays",
    response={200: list[HolidayYearOut], **READ_ERRORS},
    summary="督查室录入的节假日安排（工作日计算所依据的放假与调休）",
)
def list_holiday_years(request: AuthedRequest):
    return visible_to(request.user, HolidayYear.objects.prefetch_related("spans")).order_by("year")
