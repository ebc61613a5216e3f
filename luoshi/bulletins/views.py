"""Bulletin pages: the list, a new draft, the draft's words, its figures refreshed, review, publish and download."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.bulletins import actions
from luoshi.bulletins.export import FORMATS, sections
from luoshi.bulletins.forms import BulletinTextForm, NewBulletinForm
from luoshi.bulletins.models import Bulletin
from luoshi.core import downloads
from luoshi.core.access import Action, can, get_for, visible_to
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.plans.models import Plan

#: Rows of each list the page shows: a province's bulletin lists tens of thousands of tasks; the Excel
#: download carries every row, and the page says how many it leaves out.
PAGE_ROWS = 200


def _bulletin(person, bulletin_id: int, action: Action = Action.VIEW) -> Bulletin:
    return get_for(
        Bulletin,
        person,
        bulletin_id,
        action,
        rows=Bulletin.objects.select_related("plan", "issuer_unit", "scope_unit"),
    )


@login_required
def bulletin_list(request: AuthedRequest) -> HttpResponse:
    bulletins = visible_to(request.user, Bulletin.objects.select_related("plan", "issuer_unit"))
    newest = Plan.objects.order_by("-period_start", "id").first()
    form = (
        NewBulletinForm(request.POST or None, initial={"plan": newest})
        if can(request.user, Action.CREATE, Bulletin)
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                bulletin = actions.draft_bulletin(
                    request.user, plan=data["plan"], period=data["period"], scope_unit=data["scope_unit"]
                )
            except ValidationError as error:
                form.add_error(None, one_line(error))
            else:
                return redirect("bulletin_detail", bulletin_id=bulletin.pk)
    return render(request, "bulletins/bulletin_list.html", {"bulletins": bulletins[:200], "form": form})


@login_required
def bulletin_detail(request: AuthedRequest, bulletin_id: int) -> HttpResponse:
    bulletin = _bulletin(request.user, bulletin_id)
    writable = can(request.user, Action.EDIT, bulletin) and not bulletin.is_published
    form = BulletinTextForm(request.POST or None, instance=bulletin) if writable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            actions.edit_bulletin(
                request.user,
                Bulletin.objects.get(pk=bulletin.pk),
                **{name: form.cleaned_data[name] for name in form.fields},
            )
            messages.success(request, _("通报已保存。"))
            return redirect("bulletin_detail", bulletin_id=bulletin.pk)
    content = actions.bulletin_content(bulletin)
    composed_at = content.get("composed_at")
    return render(
        request,
        "bulletins/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "content": content,
            "sections": sections(content, limit=PAGE_ROWS),
            "form": form,
            "can_write": writable,
            "formats": sorted(FORMATS),
            "composed_at": dt.datetime.fromisoformat(composed_at) if composed_at else None,
        },
    )


@login_required
@require_POST
def bulletin_step(request: AuthedRequest, bulletin_id: int, step: str) -> HttpResponse:
    steps: dict[str, tuple[actions.BulletinStep, Action]] = {
        "review": (actions.review_bulletin, Action.REVIEW),
        "publish": (actions.publish_bulletin, Action.PUBLISH),
        "refresh": (actions.refresh_bulletin, Action.EDIT),
    }
    if step not in steps:
        raise Http404("no such step")
    step_action, permission = steps[step]
    bulletin = _bulletin(request.user, bulletin_id, permission)
    try:
        step_action(request.user, bulletin)
    except ValidationError as error:
        messages.error(request, one_line(error))
    return redirect("bulletin_detail", bulletin_id=bulletin.pk)


@login_required
def bulletin_download(request: AuthedRequest, bulletin_id: int, fmt: str) -> HttpResponse:
    bulletin = _bulletin(request.user, bulletin_id)
    return downloads.document(FORMATS, fmt, actions.bulletin_content(bulletin), bulletin.file_stem)
