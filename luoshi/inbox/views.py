"""The in-app inbox (站内通知): the list, the unread badge for the top bar, marking messages read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from luoshi.core.types import AuthedRequest
from luoshi.inbox.actions import mark_all_read, mark_read, unread_count
from luoshi.inbox.models import Notification

#: The inbox shows this many of the latest messages.
INBOX_SIZE = 200


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    notifications = Notification.objects.visible_to(request.user).select_related("task")[:INBOX_SIZE]
    return render(
        request,
        "inbox/notification_list.html",
        {"notifications": notifications, "unread": unread_count(request.user)},
    )


@login_required
@require_GET
def notification_badge(request: AuthedRequest) -> HttpResponse:
    """The unread count, as an htmx fragment the top bar polls."""
    return render(request, "inbox/notification_badge.html", {"unread": unread_count(request.user)})


@login_required
@require_POST
def notification_read(request: AuthedRequest, notification_id: int) -> HttpResponse:
    """Mark a message read and open what it is about."""
    notification = mark_read(request.user, notification_id)
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link)
    return redirect("notification_list")


@login_required
@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    mark_all_read(request.user)
    return redirect("notification_list")
