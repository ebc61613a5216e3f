"""The 督办单 forms: issuing one on a task, and the lead unit's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput
from luoshi.notices.models import Severity


class IssueForm(forms.Form):
    severity = forms.ChoiceField(label=_("督办等级"), choices=Severity.choices)
    reason = forms.CharField(label=_("督办事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    reply_by = forms.DateField(label=_("答复期限"), widget=DateInput)


class AnswerForm(forms.Form):
    reply = forms.CharField(label=_("办理情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label=_("佐证材料"), required=False)
