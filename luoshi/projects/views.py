"""The project portfolio (项目库): the list with its rollups, and one project's stages and investment."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from luoshi.core import clock
from luoshi.core.access import Action, can, get_for
from luoshi.core.forms import UnitChoiceField
from luoshi.core.money import MoneyColumns
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.plans.models import Task
from luoshi.plans.views.rows import chosen_plan, plan_choices
from luoshi.projects.actions import record_stage_date
from luoshi.projects.forms import StageDateForm
from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage
from luoshi.projects.rollups import rollups, with_rollup_flags

PAGE_SIZE = 50


class ProjectFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100)
    unit = UnitChoiceField(
        label=gettext_lazy("责任单位"), required=False, empty_label=gettext_lazy("全部单位")
    )
    industry = forms.CharField(label=gettext_lazy("产业类别"), required=False, max_length=50)
    state = forms.ChoiceField(
        label=gettext_lazy("进展"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            ("behind", gettext_lazy("滞后")),
            ("started", gettext_lazy("已开工")),
            ("not_started", gettext_lazy("未开工")),
            ("late_start", gettext_lazy("开工滞后")),
        ],
    )
    year = forms.IntegerField(label=gettext_lazy("投资年度"), required=False, min_value=1900, max_value=2200)

    def values(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def _filtered(projects: QuerySet, filters: dict) -> QuerySet:
    if text := filters.get("q"):
        projects = projects.filter(name__icontains=text)
    if unit := filters.get("unit"):
        projects = projects.filter(owner_unit=unit)
    if industry := filters.get("industry"):
        projects = projects.filter(industry=industry)
    if year := filters.get("year"):
        projects = projects.filter(pk__in=ProjectYear.objects.filter(year=year).values("project_id"))
    return projects


def _by_state(projects: QuerySet, state: str | None) -> QuerySet:
    """Filter by the flags the portfolio rollups define (started, on time, behind)."""
    if state == "behind":
        return projects.filter(behind=True)
    if state == "started":
        return projects.filter(has_started=True)
    if state == "not_started":
        return projects.filter(has_started=False)
    if state == "late_start":
        return projects.filter(has_started=True, on_time=False)
    return projects


@login_required
@require_GET
def project_list(request: AuthedRequest) -> HttpResponse:
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    form = ProjectFilter(request.GET)
    filters = form.values()
    context: dict[str, Any] = {"plans": plans, "plan": plan, "form": form, "filtered": bool(filters)}
    if plan is not None:
        today = clock.today()
        projects = _filtered(Project.objects.visible_to(request.user).filter(plan=plan), filters)
        flagged = _by_state(with_rollup_flags(projects, today), filters.get("state"))
        portfolio = rollups(Project.objects.filter(pk__in=flagged.values("pk")), today=today)
        page = Paginator(
            flagged.select_related("owner_unit")
            .prefetch_related("stages")
            .order_by("-total_investment", "id"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        industries = (
            Project.objects.filter(plan=plan)
            .exclude(industry="")
            .order_by("industry")
            .values_list("industry", flat=True)
            .distinct()
        )
        context.update(
            portfolio=portfolio,
            page=page,
            query=query.urlencode(),
            industries=industries,
            stage_start=Stage.START,
            today=today,
            # one unit per table, the same on every page of it: chosen by the largest of the filter
            money=MoneyColumns.for_amounts([flagged.aggregate(m=Max("total_investment"))["m"]]),
            unit_money=MoneyColumns.for_amounts(r.total_investment for r in portfolio.by_unit),
        )
    return render(request, "projects/project_list.html", context)


@login_required
@require_GET
def project_detail(request: AuthedRequest, project_id: int) -> HttpResponse:
    project = get_for(
        Project, request.user, project_id, rows=Project.objects.select_related("plan", "owner_unit")
    )
    today = clock.today()
    flags = with_rollup_flags(Project.objects.filter(pk=project.pk), today).get()
    years = list(project.years.all())
    stages = [  # each stage with its form for the actual date
        (stage, StageDateForm(initial={"actual_date": stage.actual_date}, auto_id=False))
        for stage in project.stages.all()
    ]
    chart = {
        "years": [y.year for y in years],
        # Entered in 万元, drawn in yuan so that the axis reads 亿 / billion.
        "planned": [float(y.planned_investment) * 1e4 for y in years],
        "completed": [float(y.completed_investment) * 1e4 for y in years],
        "labels": {"planned": _("计划投资"), "completed": _("完成投资"), "unit": _("元")},
    }
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "flags": flags,
            "today": today,
            "stages": stages,
            "years": years,
            "chart": chart,
            "money": MoneyColumns.for_amounts(
                a for y in years for a in (y.planned_investment, y.completed_investment)
            ),
            "tasks": Task.objects.visible_to(request.user)
            .filter(projects=project)
            .select_related("lead_unit"),
            "can_record": can(request.user, Action.RECORD, project),
        },
    )


@login_required
@require_POST
def stage_date(request: AuthedRequest, project_id: int, stage_id: int) -> HttpResponse:
    """Record the actual date of one stage of a project."""
    stage = get_for(
        ProjectStage,
        request.user,
        stage_id,
        Action.RECORD,
        rows=ProjectStage.objects.select_related("project").filter(project_id=project_id),
    )
    form = StageDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            record_stage_date(request.user, stage, form.cleaned_data["actual_date"])
        except ValidationError as error:
            messages.error(request, one_line(error))
        else:
            messages.success(request, _("已记录%(stage)s日期。") % {"stage": stage.get_stage_display()})
    return redirect(reverse("project_detail", args=[project_id]) + "#stages")
