from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput


class StageDateForm(forms.Form):
    actual_date = forms.DateField(
        label=_("实际日期"),
        required=False,
        help_text=_("留空表示尚未达到。"),
        widget=DateInput(attrs={"aria-label": _("实际日期")}),
    )
