"""Indicator pages: every indicator's light and forecast, and one indicator's actuals against its path."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luoshi.core import clock, downloads
from luoshi.core.access import Action, can, get_for
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.indicators.actions import import_actuals, parse_value, record_actual
from luoshi.indicators.forecast import IndicatorFigures, Verdict, indicator_figures, level_forecast
from luoshi.indicators.forms import ActualForm
from luoshi.indicators.models import Indicator, IndicatorActual
from luoshi.indicators.status import IndicatorLight
from luoshi.indicators.trajectory import IndicatorFacts, facts_for
from luoshi.indicators.wording import above_reference, amount, points, target_words
from luoshi.plans.views.rows import chosen_plan, plan_choices

#: Verdicts that are about the future; met and missed targets are shown as actuals.
FORECAST_VERDICTS = (Verdict.WILL_MEET, Verdict.AT_RISK, Verdict.WILL_MISS)


def chart_data(figures: IndicatorFigures, facts: IndicatorFacts) -> dict:
    """What the chart of one indicator draws: actuals, the planned path, targets and forecasts."""
    planned = [[p.period_end.isoformat(), p.expected] for p in figures.trajectory if p.expected is not None]
    if facts.baseline_date is not None and facts.baseline_value is not None:
        planned.insert(0, [facts.baseline_date.isoformat(), facts.baseline_value])
    return {
        "id": figures.id,
        "name": figures.name,
        "unit": figures.unit,
        "url": reverse("indicator_detail", args=[figures.id]),
        "light": figures.status.light if figures.status else IndicatorLight.NO_DATA,
        "lightLabel": str((figures.status.light if figures.status else IndicatorLight.NO_DATA).label),
        "actual": [[o.period_end.isoformat(), o.value] for o in facts.actuals],
        "planned": planned,
        "targets": [
            [t.due_date.isoformat(), t.absolute]
            for t in figures.targets
            if t.absolute is not None and t.kind != "relative"
        ],
        "forecasts": [
            [f.due_date.isoformat(), f.value, f.low, f.high, str(f.verdict.label)]
            for f in figures.forecasts
            if f.verdict in FORECAST_VERDICTS and f.measured == "level"
        ],
    }


def chart_labels() -> dict:
    return {
        "actual": _("实际值"),
        "trajectory": _("序时轨迹"),
        "target": _("目标"),
        "forecast": _("预测"),
        "interval": _("预测区间"),
    }


def _amount(value: float | None, unit: str) -> str:
    return amount(value, unit)


def _forecast_text(forecast, unit: str, facts: IndicatorFacts) -> str:
    """A forecast's value. For a relative target the forecast is of the margin over the reference, so
    say so, beside what the indicator itself is forecast to be."""
    if forecast is None or forecast.value is None:
        return "—"
    if forecast.measured == "gap":
        margin = above_reference(forecast.value)
        own = level_forecast(facts, forecast.due_date)
        return (
            margin
            if own is None
            else _("%(own)s（%(margin)s）") % {"own": amount(own, unit), "margin": margin}
        )
    return amount(forecast.value, unit)


def _interval_text(forecast, unit: str) -> str:
    """The forecast's interval, in the forecast's own terms (points over the reference for a relative target)."""
    if forecast is None or forecast.low is None:
        return "—"
    if forecast.measured == "gap":
        return _("%(low)s ~ %(high)s 个百分点") % {
            "low": points(forecast.low),
            "high": points(forecast.high),
        }
    return f"{amount(forecast.low, unit)} ~ {amount(forecast.high, unit)}"


@login_required
@require_GET
def indicator_list(request: AuthedRequest) -> HttpResponse:
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    rows = []
    if plan is not None:
        visible = Indicator.objects.visible_to(request.user).filter(plan=plan)
        indicators = list(visible.select_related("owner_unit"))
        facts = {f.id: f for f in facts_for(visible, today=clock.today())}
        for indicator in indicators:
            figures = indicator_figures(facts[indicator.pk])
            upcoming = next((f for f in figures.forecasts if f.verdict in FORECAST_VERDICTS), None)
            rows.append(
                {
                    "indicator": indicator,
                    "figures": figures,
                    "light": figures.status.light if figures.status else IndicatorLight.NO_DATA,
                    "actual": _amount(figures.status.actual, indicator.unit) if figures.status else "—",
                    "expected": _amount(figures.status.expected, indicator.unit) if figures.status else "—",
                    "period": figures.status.period_end if figures.status else None,
                    "next": upcoming,
                    "next_target": (
                        _("参照 + %(points)s 个百分点") % {"points": f"{upcoming.target_value:g}"}
                        if upcoming and upcoming.measured == "gap" and upcoming.target_value is not None
                        else _amount(upcoming.target_value, indicator.unit)
                        if upcoming
                        else ""
                    ),
                    "next_forecast": _forecast_text(upcoming, indicator.unit, facts[indicator.pk])
                    if upcoming
                    else "",
                }
            )
    return render(request, "indicators/indicator_list.html", {"plans": plans, "plan": plan, "rows": rows})


@login_required
@require_GET
def indicator_detail(request: AuthedRequest, indicator_id: int) -> HttpResponse:
    indicator = get_for(
        Indicator,
        request.user,
        indicator_id,
        rows=Indicator.objects.select_related("plan", "owner_unit", "goal", "task"),
    )
    facts = facts_for(Indicator.objects.filter(pk=indicator.pk), today=clock.today())[0]
    figures = indicator_figures(facts)
    forecasts = {f.target_id: f for f in figures.forecasts}
    references = dict(
        indicator.targets.filter(reference_indicator__isnull=False).values_list(
            "pk", "reference_indicator__name"
        )
    )
    targets = [
        {
            "target": t,
            "absolute": _amount(t.absolute, indicator.unit),
            "forecast": forecasts.get(t.id),
            "words": target_words(t, indicator.unit, references.get(t.id, "")),
            "forecast_value": _forecast_text(forecasts.get(t.id), indicator.unit, facts),
            "interval": _interval_text(forecasts.get(t.id), indicator.unit),
        }
        for t in figures.targets
    ]
    evidence = dict(indicator.actuals.exclude(evidence="").values_list("period_end", "pk"))
    periods = [
        {
            "period": p,
            "actual": _amount(p.actual, indicator.unit),
            "expected": _amount(p.expected, indicator.unit),
            "evidence_id": evidence.get(p.period_end),
        }
        for p in reversed(figures.periods)
    ]
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "figures": figures,
            "targets": targets,
            "periods": periods,
            "chart": chart_data(figures, facts),
            "labels": chart_labels(),
            "light": figures.status.light if figures.status else IndicatorLight.NO_DATA,
            "baseline": _amount(indicator.baseline_value, indicator.unit),
            "can_enter": can(request.user, Action.RECORD, indicator),
            "actual_form": ActualForm(),
        },
    )


@login_required
@require_POST
def indicator_actual(request: AuthedRequest, indicator_id: int) -> HttpResponse:
    """Enter one period's actual, with an evidence file."""
    indicator = get_for(Indicator, request.user, indicator_id, Action.RECORD)
    form = ActualForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(map(str, errors)))
    else:
        data = form.cleaned_data
        try:
            value = parse_value(data["value"], indicator.unit)
            record_actual(
                request.user,
                indicator,
                period_end=data["period_end"],
                value=value,
                evidence=data["evidence"],
                note=data["note"],
            )
        except (ValueError, ValidationError) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("实际值已保存。"))
    return redirect(reverse("indicator_detail", args=[indicator.pk]) + "#enter-actuals")


@login_required
@require_POST
def indicator_import(request: AuthedRequest, indicator_id: int) -> HttpResponse:
    """Import a table of actuals for the indicator: every row or none."""
    indicator = get_for(Indicator, request.user, indicator_id, Action.RECORD)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的文件。"))
    else:
        try:
            result = import_actuals(request.user, indicator, upload)
        except ValidationError as error:
            messages.error(request, one_line(error))
        else:
            for line in result.errors:
                messages.error(request, line)
            if result.saved:
                messages.success(request, _("已导入 %(n)d 期实际值。") % {"n": len(result.saved)})
            elif result.errors:
                messages.error(request, _("文件有错误，未导入任何数据。"))
    return redirect(reverse("indicator_detail", args=[indicator.pk]) + "#enter-actuals")


@login_required
@require_GET
def actual_evidence(request: AuthedRequest, actual_id: int) -> FileResponse:
    """An actual's evidence file, for whoever may see its indicator; one 404 otherwise."""
    visible = Indicator.objects.visible_to(request.user)
    actual = IndicatorActual.objects.filter(pk=actual_id, indicator__in=visible).exclude(evidence="").first()
    if actual is None:
        raise Http404("evidence not found")
    return downloads.stored_file(actual.evidence)
