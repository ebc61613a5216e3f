"""Pages every part shares: the home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from luoshi.core.access import role_of
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
