"""The score ledger over the API: its entries and the units' ranking, through the access policy like their pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from luoshi.core import clock
from luoshi.core.access import get_for, visible_to
from luoshi.core.api_types import READ_ERRORS, Id, Page, PersonRef, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.plans.models import Plan
from luoshi.scoring.actions import scores_by_unit
from luoshi.scoring.models import ScoreEntry, ScoreReason

router = Router(tags=["supervision"])  # 督查督办 (the name shown: luoshi.api.TAGS)


class ScoreEntryOut(Schema):
    id: int
    plan_id: int = Field(description="实施方案 id")
    unit: UnitRef = Field(description="单位")
    person: PersonRef | None = Field(description="责任人")
    task_id: int | None = Field(description="任务 id")
    reason: ScoreReason = Field(description="事由")
    points: float = Field(description="分值；扣分为负")
    occurred_on: dt.date = Field(description="发生日期")
    note: str = Field(description="说明")


class ScoreFilters(Schema):
    plan: Id | None = Field(None, description="实施方案 id")
    unit: Id | None = Field(None, description="单位 id")
    task: Id | None = Field(None, description="任务 id")
    since: dt.date | None = Field(None, description="发生日期不早于此日（含）")
    until: dt.date | None = Field(None, description="发生日期不晚于此日（含）")


@router.get(
    "/scores", response={200: list[ScoreEntryOut], **READ_ERRORS}, summary="计分记录（动态增量计分台账）"
)
@paginate(Page)
def list_scores(request: AuthedRequest, filters: Query[ScoreFilters]):
    entries = visible_to(request.user, ScoreEntry.objects.select_related("unit", "person"))
    for field, value in (
        ("plan_id", filters.plan),
        ("unit_id", filters.unit),
        ("task_id", filters.task),
        ("occurred_on__gte", filters.since),
        ("occurred_on__lte", filters.until),
    ):
        if value is not None:
            entries = entries.filter(**{field: value})
    return entries.order_by("-occurred_on", "-id")


class UnitScoreOut(Schema):
    unit: UnitRef = Field(description="单位")
    total: float = Field(description="合计得分")
    gained: float = Field(description="加分合计")
    lost: float = Field(description="扣分合计（负数）")
    entries: int = Field(description="记录条数")
    rank: int = Field(description="名次（1 为最好，同分同名次）")


class RankingOut(Schema):
    plan_id: int
    since: dt.date
    until: dt.date
    units: list[UnitScoreOut]


@router.get(
    "/plans/{plan_id}/ranking",
    response={200: RankingOut, **READ_ERRORS},
    summary="各单位得分排名（驾驶舱、通报所用）",
)
def get_ranking(
    request: AuthedRequest, plan_id: Id, since: dt.date | None = None, until: dt.date | None = None
):
    plan = get_for(Plan, request.user, plan_id)
    since, until = since or plan.period_start, until or clock.today()
    if since > until:
        raise ValidationError({"since": "起始日期不能晚于截止日期。"})
    ranking = scores_by_unit(since, until, plan=plan)
    return {
        "plan_id": plan.pk,
        "since": since,
        "until": until,
        "units": [
            {
                "unit": {"id": s.id, "name": s.name},
                "total": s.total,
                "gained": s.gained,
                "lost": s.lost,
                "entries": s.entries,
                "rank": s.rank,
            }
            for s in ranking
        ],
    }
