from django import forms

from luoshi.public.models import PublicPage


class PublicPageForm(forms.ModelForm):
    class Meta:
        model = PublicPage
        fields = [
            "published",
            "intro",
            "show_areas",
            "show_indicators",
            "show_completed_tasks",
            "show_units",
            "show_bulletins",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class PageNumbers(forms.Form):
    """Which page of completed tasks and of indicators the public page shows; anything else is the first."""

    tasks = forms.IntegerField(min_value=1, max_value=100_000, required=False)
    indicators = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def number(self, name: str) -> int:
        return (self.cleaned_data.get(name) or 1) if self.is_valid() else 1
