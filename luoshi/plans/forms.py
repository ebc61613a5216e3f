"""Forms for tasks: declared once, used by the pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Person, Unit
from luoshi.plans.actions import EDITABLE_FIELDS
from luoshi.plans.models import Goal, Task


class DateInput(forms.DateInput):
    input_type = "date"


class TaskForm(forms.ModelForm):
    """Edit a task; `version` carries the version the form was opened at, to catch stale saves."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Task
        fields = [*EDITABLE_FIELDS, "support_units"]
        widgets = {
            "start_date": DateInput,
            "deadline": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "support_units": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Chinese labels take no ASCII colon
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.all()
        self.fields["support_units"].queryset = Unit.objects.all()
        self.fields["owner"].queryset = Person.objects.filter(is_active=True).order_by("unit_id", "id")
        self.fields["goal"].queryset = self.instance.plan.goals.all() if self.instance.plan_id else Goal.objects.none()
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # Model validation runs in the action (update_task), on the object it saves.
        pass


class ChildTaskForm(forms.ModelForm):
    """Split a task: the child starts on the day it is assigned and inherits the parent's deadline,
    unless other dates are given."""

    class Meta:
        model = Task
        fields = ["title", "kind", "lead_unit", "support_units", "owner", "start_date", "deadline", "weight"]
        widgets = {"start_date": DateInput, "deadline": DateInput}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["start_date"].required = False
        self.fields["start_date"].help_text = _("留空则为交办之日。")
        self.fields["deadline"].required = False
        self.fields["deadline"].help_text = _("留空则与上级任务相同；不能晚于上级任务。")

    def _post_clean(self):
        pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("佐证材料"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))
