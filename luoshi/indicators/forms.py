from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput


class ActualForm(forms.Form):
    period_end = forms.DateField(label=_("统计期末"), widget=DateInput)
    value = forms.CharField(label=_("实际值"), max_length=40, help_text=_("数字，或带单位如 2.5亿吨"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    evidence = forms.FileField(label=_("佐证材料"), required=False)
