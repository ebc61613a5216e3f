"""Portfolio rollups (项目库汇总): investment, starts on time and projects behind, by unit, industry
and year — each an aggregate query, so the cost does not grow with the number of projects.

Definitions, used everywhere:
- completed investment: the sum of the projects' yearly completed investment;
- started: the START (开工) stage has an actual date; on time when that date is on or before the
  planned one;
- behind schedule: some stage's planned date has passed (before today) without an actual date.
Amounts are in 万元, as entered.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))


@dataclass(frozen=True)
class PortfolioRow:
    key: str  # the unit's name, the industry, or "全部"
    projects: int
    total_investment: Decimal
    completed_investment: Decimal
    started: int
    started_on_time: int
    behind_schedule: int
    unit_id: int | None = None


@dataclass(frozen=True)
class YearRow:
    year: int
    planned_investment: Decimal
    completed_investment: Decimal
    planned_starts: int  # projects whose START stage is planned in the year
    started: int  # projects whose START stage actually happened in the year
    started_on_time: int


@dataclass(frozen=True)
class Portfolio:
    today: dt.date
    total: PortfolioRow
    by_unit: list[PortfolioRow]
    by_industry: list[PortfolioRow]
    by_year: list[YearRow]


def with_rollup_flags(projects: QuerySet[Project], today: dt.date) -> QuerySet[Project]:
    """Each project annotated with `completed` investment and the flags `has_started`, `on_time` and
    `behind`, as defined above; the rollups aggregate exactly these."""
    completed = (
        ProjectYear.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("completed_investment"))
        .values("total")
    )
    start = ProjectStage.objects.filter(project=OuterRef("pk"), stage=Stage.START, actual_date__isnull=False)
    return projects.order_by().annotate(
        completed=Coalesce(Subquery(completed), ZERO),
        has_started=Exists(start),
        on_time=Exists(start.filter(actual_date__lte=F("planned_date"))),
        behind=Exists(
            ProjectStage.objects.filter(
                project=OuterRef("pk"), actual_date__isnull=True, planned_date__lt=today
            )
        ),
    )


_MEASURES = {
    "projects": Count("pk"),
    "total_investment": Coalesce(Sum("total_investment"), ZERO),
    "completed_investment": Coalesce(Sum("completed"), ZERO),
    "started": Count("pk", filter=Q(has_started=True)),
    "started_on_time": Count("pk", filter=Q(on_time=True)),
    "behind_schedule": Count("pk", filter=Q(behind=True)),
}


def _row(key: str, values: dict, unit_id: int | None = None) -> PortfolioRow:
    return PortfolioRow(key=key, unit_id=unit_id, **{name: values[name] for name in _MEASURES})


def rollups(projects: QuerySet[Project], *, today: dt.date) -> Portfolio:
    """Every rollup of the given projects (already scoped to the reader), in six queries."""
    annotated = with_rollup_flags(projects, today)
    by_unit = (
        annotated.values("owner_unit_id", "owner_unit__name")
        .annotate(**_MEASURES)
        .order_by("owner_unit__name")
    )
    by_industry = annotated.values("industry").annotate(**_MEASURES).order_by("industry")
    return Portfolio(
        today=today,
        total=total_of(projects, today=today),
        by_unit=[_row(r["owner_unit__name"], r, r["owner_unit_id"]) for r in by_unit],
        by_industry=[_row(r["industry"] or "（未分类）", r) for r in by_industry],
        by_year=by_year(projects),
    )


def total_of(projects: QuerySet[Project], *, today: dt.date) -> PortfolioRow:
    """The rollup of all the given projects together, in one query."""
    return _row("全部", with_rollup_flags(projects, today).aggregate(**_MEASURES))


def by_year(projects: QuerySet[Project]) -> list[YearRow]:
    """Investment planned and completed, starts planned, made and on time, for every year, in three queries."""
    money = (
        ProjectYear.objects.filter(project__in=projects.values("pk"))
        .order_by()
        .values("year")
        .annotate(planned=Sum("planned_investment"), completed=Sum("completed_investment"))
    )
    starts = ProjectStage.objects.filter(project__in=projects.values("pk"), stage=Stage.START).order_by()
    planned = starts.annotate(year=ExtractYear("planned_date")).values("year").annotate(n=Count("pk"))
    actual = (
        starts.filter(actual_date__isnull=False)
        .annotate(year=ExtractYear("actual_date"))
        .values("year")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(actual_date__lte=F("planned_date"))))
    )
    rows: dict[int, dict] = {}
    for r in money:
        rows.setdefault(r["year"], {})["money"] = (r["planned"], r["completed"])
    for r in planned:
        rows.setdefault(r["year"], {})["planned"] = r["n"]
    for r in actual:
        rows.setdefault(r["year"], {})["actual"] = (r["n"], r["on_time"])
    return [
        YearRow(
            year=year,
            planned_investment=row.get("money", (Decimal(0), Decimal(0)))[0],
            completed_investment=row.get("money", (Decimal(0), Decimal(0)))[1],
            planned_starts=row.get("planned", 0),
            started=row.get("actual", (0, 0))[0],
            started_on_time=row.get("actual", (0, 0))[1],
        )
        for year, row in sorted(rows.items())
    ]


def projects_started_in(year: int, projects: QuerySet[Project] | None = None) -> int:
    """How many projects started works (开工) within the year, by their START stage's actual date:
    the figure behind targets like "8 条铁路专用线 2020 年开工"."""
    stages = ProjectStage.objects.filter(
        stage=Stage.START, actual_date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
    )
    if projects is not None:
        stages = stages.filter(project__in=projects.values("pk"))
    return stages.count()  # one START stage per project (constraint one_date_per_stage)


def starts_by_task_and_year(task_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """Projects started per (task, year), for indicators computed from project stages; one query."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = (
        ProjectStage.objects.filter(stage=Stage.START, actual_date__isnull=False, project__tasks__in=ids)
        .annotate(year=ExtractYear("actual_date"))
        .order_by()
        .values("project__tasks", "year")
        .annotate(n=Count("project", distinct=True))
    )
    return {(r["project__tasks"], r["year"]): r["n"] for r in rows}
