"""Campaign activity pages (学习研讨、宣传推介、对接跑办): the list with filters, the record form with
attachments, and an attachment's download."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from luoshi.activities.actions import record_activity
from luoshi.activities.models import Activity, ActivityAttachment, ActivityKind
from luoshi.core import clock, downloads
from luoshi.core.access import get_for, units_for, visible_to
from luoshi.core.forms import DateInput, UnitChoiceField
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Person, Unit
from luoshi.plans.forms import MultipleFileField
from luoshi.plans.models import Task

#: The list shows this many of the latest activities that match.
LIST_SIZE = 200


class ActivityFilter(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"), choices=[("", "—"), *ActivityKind.choices], required=False
    )
    unit = UnitChoiceField(label=gettext_lazy("单位"), queryset=Unit.objects.none(), required=False)
    since = forms.DateField(label=gettext_lazy("起"), required=False, widget=DateInput)
    until = forms.DateField(label=gettext_lazy("止"), required=False, widget=DateInput)

    def __init__(self, person: Person, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = visible_to(person, Unit.objects.all())

    def apply(self, activities: QuerySet) -> QuerySet:
        if not self.is_valid():
            return activities
        data = self.cleaned_data
        if data["unit"]:
            activities = activities.filter(unit__in=Unit.objects.subtree([data["unit"].pk]))
        if data["kind"]:
            activities = activities.filter(kind=data["kind"])
        if data["since"]:
            activities = activities.filter(held_on__gte=data["since"])
        if data["until"]:
            activities = activities.filter(held_on__lte=data["until"])
        return activities


class ActivityForm(forms.ModelForm):
    # ignored below: a field, not BaseForm.files (the form metaclass takes it off the class)
    files = MultipleFileField(  # type: ignore[assignment]
        label=gettext_lazy("附件"),
        required=False,
        help_text=gettext_lazy("签到表、照片、会议纪要等，可多选。"),
    )

    class Meta:
        model = Activity
        fields = [
            "unit",
            "kind",
            "held_on",
            "title",
            "participants",
            "participant_count",
            "counterpart",
            "outcome",
            "task",
        ]
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "held_on": DateInput,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, person: Person, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units_for(person, Activity)
        cast(forms.ModelChoiceField, self.fields["task"]).queryset = Task.objects.visible_to(
            person
        ).select_related("plan")

    def _post_clean(self) -> None:
        """The model's own checks run in `record_activity`, the one path every activity takes."""


@login_required
@require_GET
def activity_list(request: AuthedRequest) -> HttpResponse:
    person = request.user
    filters = ActivityFilter(person, request.GET or None)
    activities = (
        filters.apply(Activity.objects.visible_to(person))
        .select_related("unit", "task", "recorded_by")
        .prefetch_related("attachments")
    )
    return render(
        request,
        "activities/activity_list.html",
        {
            "activities": activities[:LIST_SIZE],
            "filters": filters,
            "can_record": units_for(person, Activity).exists(),
        },
    )


@login_required
def activity_new(request: AuthedRequest) -> HttpResponse:
    """Record an activity, with its attachments, for a unit in the person's scope."""
    person = request.user
    if not units_for(person, Activity).exists():
        raise PermissionDenied
    form = ActivityForm(
        person,
        request.POST or None,
        request.FILES or None,
        initial={"held_on": clock.today(), "unit": person.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_activity(
                person, files=data["files"], **{name: data[name] for name in ActivityForm.Meta.fields}
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("活动已记录。"))
            return redirect("activity_list")
    return render(request, "activities/activity_form.html", {"form": form})


@login_required
@require_GET
def activity_attachment(request: AuthedRequest, attachment_id: int) -> FileResponse:
    """An attachment, to whoever may see its activity; "not yours" and "not there" are one 404."""
    attachment = get_for(ActivityAttachment, request.user, attachment_id)
    return downloads.stored_file(attachment.file, attachment.original_name)
