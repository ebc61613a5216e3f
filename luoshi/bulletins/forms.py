from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.bulletins.compose import parse_period
from luoshi.bulletins.models import Bulletin
from luoshi.core.forms import UnitChoiceField
from luoshi.plans.models import Plan


class NewBulletinForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("实施方案"), queryset=Plan.objects.all())
    period = forms.CharField(
        label=_("通报周期"), help_text=_("2026-11（月）、2026-Q4（季）或 2026-W47（周）")
    )
    scope_unit = UnitChoiceField(label=_("通报范围"), required=False, help_text=_("留空表示整个方案。"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class BulletinTextForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["title", "commendations", "criticisms", "remarks"]
        widgets: dict[str, forms.Widget] = {
            name: forms.Textarea(attrs={"rows": 4}) for name in ("commendations", "criticisms", "remarks")
        }
        widgets["title"] = forms.TextInput(attrs={"size": 80})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
