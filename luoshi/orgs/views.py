"""Unit pages: every unit's record in a plan, and one unit's tasks, lights, on-time rate and score."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from luoshi.cockpit.figures import ATTENTION, task_figures
from luoshi.core import clock
from luoshi.core.access import get_for, visible_to
from luoshi.core.types import AuthedRequest
from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Unit
from luoshi.plans.health import Light
from luoshi.plans.models import Task
from luoshi.plans.on_time import on_time_by_unit
from luoshi.plans.views.rows import chosen_plan, plan_choices, task_rows
from luoshi.projects.models import Project
from luoshi.scoring.actions import score_ledger, scores_by_unit

#: Tasks listed on a unit's page; the tree filtered by the unit has all of them.
MAX_TASKS = 200
#: Latest score entries shown on a unit's page, newest first.
LEDGER_ROWS = 20
LIGHTS = (Light.OVERDUE, Light.RED, Light.RETURNED, Light.YELLOW, Light.GREEN, Light.DONE)


@login_required
@require_GET
def unit_list(request: AuthedRequest) -> HttpResponse:
    """Units ranked by what needs attention in the plan, with their lights, on-time rate and score."""
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    rows = []
    if plan is not None:
        today = clock.today()
        figures = task_figures(request.user, plan, today)
        delivery = on_time_by_unit(Task.objects.visible_to(request.user).filter(plan=plan), today)
        scores = {s.id: s for s in scores_by_unit(plan.period_start, today, plan=plan)}
        for lights in figures.by_unit:
            record = delivery.get(lights.unit_id)
            rows.append(
                {
                    "score": scores.get(lights.unit_id),
                    "unit_id": lights.unit_id,
                    "name": lights.name,
                    "total": sum(lights.counts.values()),
                    "lights": [(light, lights.counts[light]) for light in LIGHTS],
                    "delivery": record,
                    "attention": lights.attention,
                }
            )
    return render(
        request, "orgs/unit_list.html", {"plans": plans, "plan": plan, "rows": rows, "lights": LIGHTS}
    )


@login_required
@require_GET
def unit_detail(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = get_for(
        Unit, request.user, unit_id, rows=Unit.objects.select_related("parent", "head", "supervising_leader")
    )
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    context: dict = {
        "unit": unit,
        "plans": plans,
        "plan": plan,
        "children": unit.children.all(),
        "people": visible_to(request.user, unit.people.all()).order_by("role", "id"),
    }
    if plan is not None:
        today = clock.today()
        tasks = Task.objects.visible_to(request.user).filter(plan=plan).led_or_supported_by([unit.pk])
        listed = list(
            tasks.open().select_related("lead_unit", "owner").order_by("deadline", "id")[:MAX_TASKS]
        )
        rows = task_rows(listed)
        order = {light: i for i, light in enumerate(LIGHTS)}
        rows.sort(
            key=lambda r: (order.get(r.health.light, len(order)), r.task.deadline, r.task.pk)
        )  # drafts last
        led = next((u for u in task_figures(request.user, plan, today).by_unit if u.unit_id == unit.pk), None)
        counts = {light: led.counts[light] if led else 0 for light in LIGHTS}
        record = on_time_by_unit(tasks.filter(lead_unit=unit), today).get(unit.pk)
        # The rank among all units, as the unit list shows it: never a ranking of this unit alone.
        score = next(
            (s for s in scores_by_unit(plan.period_start, today, plan=plan) if s.id == unit.pk), None
        )
        ledger = list(
            score_ledger(plan.period_start, today, plan=plan, unit_ids=[unit.pk]).reverse()[:LEDGER_ROWS]
        )
        tree = f"{reverse('task_list')}?{urlencode({'plan': plan.pk, 'unit': unit.pk})}"
        context.update(
            score=score,
            ledger=ledger,
            rows=rows,
            total=tasks.count(),
            open_total=tasks.open().count(),
            counts=[(light, counts[light]) for light in LIGHTS],
            delivery=record,
            tree_url=tree,
            attention=ATTENTION,
            truncated=len(listed) == MAX_TASKS,
            indicators=Indicator.objects.visible_to(request.user).filter(plan=plan, owner_unit=unit),
            projects=Project.objects.visible_to(request.user)
            .filter(plan=plan, owner_unit=unit)
            .order_by("id")[:50],
        )
    return render(request, "orgs/unit_detail.html", context)
