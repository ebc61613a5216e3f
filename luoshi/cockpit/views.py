"""The leader cockpit (领导驾驶舱): the plan's health on one screen, every figure a link to the list behind it."""

import datetime as dt
import functools

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from luoshi.cockpit.changes import changes_between, end_of_previous_month
from luoshi.cockpit.figures import (
    ATTENTION,
    indicator_overview,
    read_plan,
    task_figures,
    tasks_by_unit_chart,
    unit_names,
)
from luoshi.core import clock
from luoshi.core.forms import DateInput
from luoshi.core.types import AuthedRequest
from luoshi.indicators.views import chart_data
from luoshi.plans.health import Light
from luoshi.plans.views.rows import chosen_plan, plan_choices
from luoshi.projects.models import Project
from luoshi.projects.rollups import by_year, total_of
from luoshi.scoring.actions import scores_by_unit

#: Small multiples shown on the cockpit; the indicator list has all of them.
MAX_INDICATOR_CHARTS = 9
#: Units in the score ranking.
RANKING_ROWS = 10


def tree_url(plan_id: int, **filters) -> str:
    return f"{reverse('task_list')}?{urlencode({'plan': plan_id, **filters})}"


def as_of_url(plan_id: int, as_of: dt.date, **filters) -> str:
    """The tasks behind a past day's tile: as they stood at the end of that day."""
    return f"{reverse('cockpit_as_of')}?{urlencode({'plan': plan_id, 'as_of': as_of.isoformat(), **filters})}"


class AsOfForm(forms.Form):
    """截至: read the plan as it stood at the end of a past day; empty or invalid means today."""

    as_of = forms.DateField(label=gettext_lazy("截至"), required=False, widget=DateInput)
    since = forms.DateField(label=gettext_lazy("比较自"), required=False, widget=DateInput)

    def day(self, name: str, today: dt.date) -> dt.date | None:
        if not self.is_valid() or not self.cleaned_data.get(name):
            return None
        return min(self.cleaned_data[name], today)


@login_required
@require_GET
def cockpit(request: AuthedRequest) -> HttpResponse:
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    if plan is None:
        return render(request, "cockpit/cockpit.html", {"plans": plans, "plan": None})
    today = clock.today()
    form = AsOfForm(request.GET)
    as_of = form.day("as_of", today)
    past = as_of is not None and as_of < today
    figures = task_figures(request.user, plan, today, as_of=as_of)
    # Today's tiles open the task tree; a past day's open the same tasks as they stood that day.
    behind = (
        functools.partial(as_of_url, plan.pk, as_of)
        if past and as_of is not None
        else functools.partial(tree_url, plan.pk)
    )
    tiles = [
        (light, figures.count(light), behind(light=light.value))
        for light in (Light.GREEN, Light.YELLOW, Light.RED, Light.RETURNED, Light.OVERDUE, Light.DONE)
    ]
    unit_rows = tasks_by_unit_chart(figures.by_unit)
    for row in unit_rows:
        row["urls"] = {
            str(light): behind(unit=row["unit_id"], lead_only="on", light=light.value) for light in ATTENTION
        }

    indicators = indicator_overview(request.user, plan, today, MAX_INDICATOR_CHARTS)
    indicator_charts = [chart_data(fig, facts) for fig, facts in indicators.worst]

    # The portfolio's totals and years only: the rollups by unit and industry are the project list's.
    projects = Project.objects.visible_to(request.user).filter(plan=plan)
    years = [
        # Amounts are entered in 万元; the chart draws yuan so that its axis reads 亿 / billion.
        {
            "year": y.year,
            "planned": float(y.planned_investment) * 1e4,
            "completed": float(y.completed_investment) * 1e4,
            "url": f"{reverse('project_list')}?{urlencode({'plan': plan.pk, 'year': y.year})}",
        }
        for y in by_year(projects)
        if y.planned_investment or y.completed_investment
    ]
    ranking = scores_by_unit(plan.period_start, today, plan=plan)[:RANKING_ROWS]
    labels = {
        str(Light.OVERDUE): str(Light.OVERDUE.label),
        str(Light.RED): str(Light.RED.label),
        str(Light.YELLOW): str(Light.YELLOW.label),
        "planned": _("计划投资"),
        "completed": _("完成投资"),
        "actual": _("实际值"),
        "trajectory": _("序时轨迹"),
        "target": _("目标"),
        "forecast": _("预测"),
        "yuan": _("元"),
    }
    return render(
        request,
        "cockpit/cockpit.html",
        {
            "plans": plans,
            "plan": plan,
            "today": as_of or today,
            "figures": figures,
            "tiles": tiles,
            "form": form,
            "past": past,
            "changes_url": f"{reverse('cockpit_changes')}?{urlencode({'plan': str(plan.pk), 'as_of': (as_of or today).isoformat()})}",
            "overdue_url": tree_url(plan.pk, light=Light.OVERDUE.value),
            "all_url": tree_url(plan.pk),
            "sign_off_url": tree_url(plan.pk, status="closing_requested"),
            "drafts_url": tree_url(plan.pk, status="draft"),
            "unit_rows": unit_rows,
            "unit_chart_height": max(230, 60 + 28 * len(unit_rows)),
            "indicator_total": indicators.total,
            "indicator_counts": indicators.counts,
            "indicator_charts": indicator_charts,
            "portfolio_total": total_of(projects, today=today),
            "years": years,
            "chart_labels": labels,
            "ranking": ranking,
            "project_urls": {
                "all": f"{reverse('project_list')}?{urlencode({'plan': plan.pk})}",
                "behind": f"{reverse('project_list')}?{urlencode({'plan': str(plan.pk), 'state': 'behind'})}",
                "started": f"{reverse('project_list')}?{urlencode({'plan': str(plan.pk), 'state': 'started'})}",
            },
        },
    )


@login_required
@require_GET
def cockpit_changes(request: AuthedRequest) -> HttpResponse:
    """环比: what changed since the end of the previous month (or a chosen day), by lead unit."""
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    if plan is None:
        return render(request, "cockpit/changes.html", {"plans": plans, "plan": None})
    today = clock.today()
    form = AsOfForm(request.GET)
    until = form.day("as_of", today) or today
    since = form.day("since", today) or end_of_previous_month(until)
    if since >= until:
        since = end_of_previous_month(until)
    changes = changes_between(request.user, plan, since, until, today)
    return render(
        request, "cockpit/changes.html", {"plans": plans, "plan": plan, "form": form, "changes": changes}
    )


#: A past day's list shows at most this many tasks.
AS_OF_ROWS = 1000


@login_required
@require_GET
def cockpit_as_of(request: AuthedRequest) -> HttpResponse:
    """The tasks behind a past day's cockpit tile: each with the light, reasons and progress it had at the
    end of that day (the bulletin's reading), so the list holds exactly the tile's number."""
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    today = clock.today()
    as_of = AsOfForm(request.GET).day("as_of", today)
    if plan is None or as_of is None or as_of >= today:
        return redirect(tree_url(plan.pk) if plan else reverse("cockpit"))
    reading = read_plan(request.user, plan, today, as_of)
    light = request.GET.get("light", "")
    unit = request.GET.get("unit", "")
    rows = [
        (task, reading.healths[task.pk])
        for task in reading.tasks
        if reading.healths[task.pk].light != Light.DRAFT
        and (not light or reading.healths[task.pk].light == light)
        and (not unit or str(task.lead_unit_id) == unit)
    ]
    rows.sort(key=lambda row: (row[0].code or "", row[0].pk))
    names = unit_names()
    return render(
        request,
        "cockpit/as_of.html",
        {
            "plans": plans,
            "plan": plan,
            "as_of": as_of,
            "total": len(rows),
            "truncated": len(rows) > AS_OF_ROWS,
            "rows": [(task, health, names[task.lead_unit_id]) for task, health in rows[:AS_OF_ROWS]],
            "light": Light(light) if light in Light.values else None,
            "unit": names.get(int(unit)) if unit.isdecimal() else "",
            "cockpit_url": f"{reverse('cockpit')}?{urlencode({'plan': str(plan.pk), 'as_of': as_of.isoformat()})}",
        },
    )
