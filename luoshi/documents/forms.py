from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Plan, Task


class UploadForm(forms.Form):
    file = forms.FileField(label=_("方案文件"), required=False, help_text=_(".txt（UTF-8/GBK/UTF-16）或 .docx，20 MB 以内"))
    text = forms.CharField(label=_("或粘贴文本"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("text", "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴文本。"))
        return data


class AcceptForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("导入到方案"), queryset=Plan.objects.all())
    parent = forms.IntegerField(label=_("上级任务编号"), required=False, min_value=1, max_value=2**62,
                                help_text=_("留空则作为方案的顶层任务。"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        task = Task.objects.filter(pk=pk).first()
        if task is None:
            raise forms.ValidationError(_("找不到这个任务。"))
        return task
