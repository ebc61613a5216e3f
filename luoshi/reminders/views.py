"""The 催办 page: for the supervision office, every reminder sent, read, and answered by a report or
not, by lead unit, with filters."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from luoshi.core import clock
from luoshi.core.access import is_office
from luoshi.core.forms import DateInput, UnitChoiceField
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Unit
from luoshi.plans.models import Plan
from luoshi.reminders.log import reminder_log
from luoshi.reminders.models import Reminder, ReminderKind

#: The page reads at most this many reminder rows (each channel is a row), newest first.
MAX_ROWS = 3000
#: Without dates, the page shows the last this many days.
DEFAULT_DAYS = 30

ANSWERED = [("", "—"), ("yes", gettext_lazy("已答复")), ("no", gettext_lazy("未答复"))]


class ReminderFilter(forms.Form):
    plan = forms.ModelChoiceField(label=gettext_lazy("实施方案"), queryset=Plan.objects.all(), required=False)
    unit = UnitChoiceField(label=gettext_lazy("牵头单位"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"), choices=[("", "—"), *ReminderKind.choices], required=False
    )
    answered = forms.ChoiceField(label=gettext_lazy("答复"), choices=ANSWERED, required=False)
    since = forms.DateField(label=gettext_lazy("起"), required=False, widget=DateInput)
    until = forms.DateField(label=gettext_lazy("止"), required=False, widget=DateInput)

    def apply(self, reminders: QuerySet, today: dt.date) -> QuerySet:
        data = self.cleaned_data if self.is_valid() else {}
        since = data.get("since") or today - dt.timedelta(days=DEFAULT_DAYS)
        reminders = reminders.filter(issued_on__gte=since)
        if data.get("until"):
            reminders = reminders.filter(issued_on__lte=data["until"])
        if data.get("plan"):
            reminders = reminders.filter(task__plan=data["plan"])
        if data.get("unit"):
            reminders = reminders.filter(task__lead_unit__in=Unit.objects.subtree([data["unit"].pk]))
        if data.get("kind"):
            reminders = reminders.filter(kind=data["kind"])
        return reminders


@login_required
@require_GET
def reminder_list(request: AuthedRequest) -> HttpResponse:
    if not is_office(request.user):
        raise Http404("not found")  # the 催办 page is the supervision office's
    today = clock.today()
    filters = ReminderFilter(request.GET or None)
    rows = filters.apply(Reminder.objects.all(), today).order_by("-issued_on", "-id")
    ids = list(rows.values_list("id", flat=True)[:MAX_ROWS])
    groups = reminder_log(Reminder.objects.filter(pk__in=ids))
    answered = filters.cleaned_data.get("answered") if filters.is_valid() else ""
    if answered:
        for group in groups:
            group.lines = [line for line in group.lines if bool(line.answered_on) == (answered == "yes")]
        groups = [group for group in groups if group.lines]
    return render(
        request,
        "reminders/reminder_list.html",
        {
            "groups": groups,
            "filters": filters,
            "truncated": len(ids) == MAX_ROWS,
            "totals": {
                name: sum(getattr(g, name) for g in groups)
                for name in ("sent", "read", "answered", "unanswered")
            },
        },
    )
