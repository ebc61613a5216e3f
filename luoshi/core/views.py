"""Pages every part shares: the home page, the health check, and a person's own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luoshi.core.access import role_of
from luoshi.core.models import ApiToken
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Role


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Each role's natural first page: unit people their tasks, everyone else the cockpit."""
    if role_of(request.user) in (Role.MANAGER, Role.STAFF):
        return redirect("my_tasks")
    return redirect("cockpit")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


@login_required
@require_GET
def token_list(request: AuthedRequest) -> HttpResponse:
    """The person's own API tokens: name, prefix, last use, expiry, each with a revoke button."""
    tokens = ApiToken.objects.filter(person=request.user).order_by("-created_at")
    return render(request, "core/token_list.html", {"tokens": tokens, "now": timezone.now()})


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    """Revoke one of the person's own tokens; another person's token is "not there"."""
    token = get_object_or_404(ApiToken, pk=token_id, person=request.user)
    token.delete()
    messages.success(request, _("令牌“%(name)s”已吊销。") % {"name": token.name})
    return redirect("token_list")
