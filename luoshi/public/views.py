"""The public results page (结果公示), open to anyone, and the office's page for what it shows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from luoshi.core import clock
from luoshi.core.access import Action, can
from luoshi.core.types import AuthedRequest
from luoshi.plans.models import Plan
from luoshi.public import figures
from luoshi.public.actions import set_public_page
from luoshi.public.forms import PageNumbers, PublicPageForm
from luoshi.public.models import PublicPage

#: How long a rendered public page is served from the cache. The office's own changes (publishing,
#: taking down, what is shown) take effect at once, since the page's version is in the key; changes
#: to the plan's data (a task closed, an actual entered, a bulletin published) show within this time.
CACHE_SECONDS = 300


@require_GET
def public_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan's published results, the same for everyone: rendered without the request (no user, no
    form token), so that it can be cached and shared."""
    page = PublicPage.objects.select_related("plan").filter(plan_id=plan_id, published=True).first()
    if page is None:
        raise Http404("no public page")
    numbers = PageNumbers(request.GET)
    tasks_page, indicators_page = numbers.number("tasks"), numbers.number("indicators")
    key = f"public-page:{page.plan_id}:{page.version}:{get_language()}:{tasks_page}:{indicators_page}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("public/page.html", _page_context(page, tasks_page, indicators_page))
        cache.set(key, html, CACHE_SECONDS)
    return HttpResponse(html)


def _page_context(page: PublicPage, tasks_page: int, indicators_page: int) -> dict:
    today = clock.today()
    counts = figures.task_counts(page)
    return {
        "page": page,
        "plan": page.plan,
        "today": today,
        "counts": counts,
        "language": get_language(),
        "areas": figures.areas(page) if page.show_areas else None,
        "indicators": figures.indicators(page, indicators_page, today) if page.show_indicators else None,
        "completed": figures.completed_tasks(page, tasks_page, counts["closed"])
        if page.show_completed_tasks
        else None,
        "bulletins": figures.bulletins(page) if page.show_bulletins else None,
        "tasks_page": tasks_page,
        "indicators_page": indicators_page,
    }


def _office_only(request: AuthedRequest) -> None:
    if not can(request.user, Action.CREATE, PublicPage):
        raise Http404("not the office's")


@login_required
@require_GET
def public_list(request: AuthedRequest) -> HttpResponse:
    """Every plan with its public page's state: for the office."""
    _office_only(request)
    plans = Plan.objects.order_by("-period_start", "id")
    pages = {p.plan_id: p for p in PublicPage.objects.all()}
    rows = [{"plan": plan, "page": pages.get(plan.pk)} for plan in plans]
    return render(request, "public/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def public_settings(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """What the plan's public page shows, and whether it is up."""
    _office_only(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    page = PublicPage.objects.filter(plan=plan).first() or PublicPage(plan=plan)
    form = PublicPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        saved = set_public_page(request.user, plan, **{name: form.cleaned_data[name] for name in form.fields})
        messages.success(request, _("结果公示页已公开。") if saved.published else _("结果公示页未公开。"))
        return redirect(reverse("public_settings", args=[plan.pk]))
    return render(request, "public/settings.html", {"plan": plan, "form": form, "page": page})
