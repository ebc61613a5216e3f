"""Forms for tasks: declared once, used by the pages."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput, PersonChoiceField, UnitChoiceField, UnitMultipleChoiceField
from luoshi.plans.actions import EDITABLE_FIELDS
from luoshi.plans.models import Goal, Step, Task
from luoshi.progress.actions import lowering_message

#: The unit and people pickers of the task forms: the unit tree, and people grouped by unit.
PICKERS = {"lead_unit": UnitChoiceField, "support_units": UnitMultipleChoiceField, "owner": PersonChoiceField}


class TaskForm(forms.ModelForm):
    """Edit a task; `version` carries the version the form was opened at, to catch stale saves."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Task
        fields = [*EDITABLE_FIELDS, "support_units"]
        field_classes = PICKERS
        widgets = {
            "start_date": DateInput,
            "deadline": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Chinese labels take no ASCII colon
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["owner"]).first_unit_id = self.instance.lead_unit_id
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = (
            self.instance.plan.goals.all() if self.instance.plan_id else Goal.objects.none()
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # Model validation runs in the action (update_task), on the object it saves.
        pass


class ChildTaskForm(forms.ModelForm):
    """Split a task: the child starts on the day it is assigned and inherits the parent's deadline,
    unless other dates are given; the parent's lead unit and its people are offered first."""

    class Meta:
        model = Task
        fields = ["title", "kind", "lead_unit", "support_units", "owner", "start_date", "deadline", "weight"]
        field_classes = PICKERS
        widgets = {"start_date": DateInput, "deadline": DateInput}

    def __init__(self, *args, parent: Task, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", {"lead_unit": parent.lead_unit_id})
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["owner"]).first_unit_id = parent.lead_unit_id
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
    """A progress report; a percent below the last report's asks for the reason (kept in the timeline)."""

    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("下调理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleFileField(label=_("佐证材料"), required=False)  # type: ignore[assignment]  # a field, not BaseForm.files: the metaclass takes it off the class

    def __init__(self, *args, previous: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous
        if previous is not None:
            self.fields["reason"].help_text = _("上次报送 %(percent)d%%；进度低于此值须说明下调理由。") % {
                "percent": previous
            }

    def clean(self):
        super().clean()
        data = self.cleaned_data
        percent = data.get("percent")
        if (
            self.previous is not None
            and percent is not None
            and percent < self.previous
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", lowering_message(self.previous, percent))
        return data


#: Steps that cannot be taken back: the page asks to confirm them, and a post without that confirmation is refused.
CONFIRMED_STEPS = frozenset({Step.REQUEST_CLOSING, Step.SIGN_OFF})


class StepForm(forms.Form):
    """A workflow step taken on a page: its note, and the confirmation the page asked for where one is needed."""

    note = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.step in CONFIRMED_STEPS and not data.get("confirmed"):
            raise forms.ValidationError(_("此操作须经确认：请在页面上点击按钮，并在提示中确认。"))
        return data

    def checked_note(self) -> str:
        """The step's note once the form holds; otherwise a ValidationError with its messages."""
        if not self.is_valid():
            raise forms.ValidationError([m for errors in self.errors.values() for m in errors])
        return self.cleaned_data["note"]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))
