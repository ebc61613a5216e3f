from typing import cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.core.forms import DateInput, UnitChoiceField
from luoshi.core.types import AuthedRequest
from luoshi.documents.actions import NewPlan, matching_plan, new_plan_for
from luoshi.orgs.models import Person
from luoshi.plans.models import Plan, Task


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("方案文件"),
        required=False,
        help_text=_(
            ".txt（UTF-8/GBK/UTF-16）或 .docx，20 MB 以内；Excel 任务分解表（.xlsx）会转到任务分解表导入"
        ),
    )
    text = forms.CharField(label=_("或粘贴文本"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("file") and not data.get("text", "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴文本。"))
        return data


class DocumentYearForm(forms.Form):
    """The document's year as the office corrects it on the review page."""

    year = forms.IntegerField(label=_("文件年份"), min_value=1900, max_value=2200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label=_("任务分解表"), help_text=_(".xlsx，10 MB 以内，最多 2000 行"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class Placement(models.TextChoices):
    NEW_PLAN = "new_plan", _("新建实施方案")
    UNDER_TASK = "under_task", _("已有方案中一项任务之下")
    PLAN_TOP = "plan_top", _("已有方案的顶层（与它现有的方面并列）")


def task_choices(person: Person) -> tuple[list, dict[int, int]]:
    """The tasks the person can see, grouped by plan and indented in tree order; and each task's plan."""
    tasks = list(
        Task.objects.visible_to(person)
        .order_by("order", "id")
        .values("id", "plan_id", "parent_id", "code", "title")
    )
    visible = {t["id"] for t in tasks}
    children: dict = {}
    for task in tasks:
        parent = task["parent_id"] if task["parent_id"] in visible else None
        children.setdefault((task["plan_id"], parent), []).append(task)

    def walk(plan_id: int, parent: int | None, depth: int) -> list[tuple[int, str]]:
        rows = []
        for task in children.get((plan_id, parent), []):
            rows.append((task["id"], f"{'　' * depth}{task['code']} {task['title'][:40]}".rstrip()))
            rows += walk(plan_id, task["id"], depth + 1)
        return rows

    groups = [
        (plan.title, walk(plan.pk, None, 0))
        for plan in Plan.objects.filter(pk__in={t["plan_id"] for t in tasks})
    ]
    choices = [("", _("（选择上级任务）")), *[(title, rows) for title, rows in groups if rows]]
    return choices, {t["id"]: t["plan_id"] for t in tasks}


class PlacementForm(forms.Form):
    """Where an import goes: a new plan (the default), under a chosen task, or — only when asked — a plan's top."""

    placement = forms.ChoiceField(label=_("导入到"), choices=Placement.choices, widget=forms.RadioSelect)
    new_title = forms.CharField(label=_("新方案标题"), required=False, max_length=200)
    period_start = forms.DateField(label=_("起始日期"), required=False, widget=DateInput)
    period_end = forms.DateField(label=_("截止日期"), required=False, widget=DateInput)
    owner_unit = UnitChoiceField(label=_("牵头单位"), required=False)
    parent = forms.ModelChoiceField(label=_("上级任务"), queryset=Task.objects.none(), required=False)
    plan = forms.ModelChoiceField(label=_("实施方案"), queryset=Plan.objects.all(), required=False)

    def __init__(self, *args, person: Person, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = Task.objects.visible_to(person)
        parent.choices, self.task_plans = task_choices(person)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        placement = data.get("placement")
        if placement == Placement.NEW_PLAN:
            for name in ("new_title", "period_start", "period_end", "owner_unit"):
                if not data.get(name):
                    self.add_error(name, _("新建方案须填写此项。"))
            if (
                data.get("period_start")
                and data.get("period_end")
                and data["period_end"] < data["period_start"]
            ):
                self.add_error("period_end", _("截止日期不能早于起始日期。"))
        elif placement == Placement.UNDER_TASK and not data.get("parent"):
            self.add_error("parent", _("请选择上级任务。"))
        elif placement == Placement.PLAN_TOP and not data.get("plan"):
            self.add_error("plan", _("请选择实施方案。"))
        return data

    def chosen_plan_id(self) -> int | None:
        """The existing plan the form points at now (none for a new plan), for pre-selecting indicators."""
        placement, raw = self["placement"].value(), None
        if placement == Placement.PLAN_TOP:
            raw = self["plan"].value()
        elif placement == Placement.UNDER_TASK and str(self["parent"].value()).isdecimal():
            raw = Task.objects.filter(pk=self["parent"].value()).values_list("plan_id", flat=True).first()
        return int(str(raw)) if str(raw).isdecimal() else None

    def where(self) -> dict:
        """The place as the import actions take it: plan=, parent= or new_plan=."""
        data = self.cleaned_data
        if data["placement"] == Placement.NEW_PLAN:
            return {
                "new_plan": NewPlan(
                    title=data["new_title"],
                    owner_unit=data["owner_unit"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                )
            }
        if data["placement"] == Placement.UNDER_TASK:
            return {"parent": data["parent"]}
        return {"plan": data["plan"]}


def placement_initial(new_plan: NewPlan | None, matched: Plan | None) -> dict:
    """A new plan unless the document's title is an existing plan's: then the office must choose."""
    if new_plan is None:  # no unit yet to own a new plan: the office fills the form in
        return {} if matched is None else {"plan": matched}
    initial = {
        "new_title": new_plan.title,
        "period_start": new_plan.period_start,
        "period_end": new_plan.period_end,
        "owner_unit": new_plan.owner_unit,
    }
    if matched is None:
        initial["placement"] = Placement.NEW_PLAN
    else:
        initial["plan"] = matched
    return initial


def placement_form(
    request: AuthedRequest,
    title: str,
    years: tuple[int, int] | None,
    form_class: type[PlacementForm] = PlacementForm,
) -> PlacementForm:
    """The placement form of a review page, bound on POST, else with the document's defaults."""
    initial = placement_initial(new_plan_for(request.user, title, years), matching_plan(title))
    if request.method == "POST":
        return form_class(request.POST, person=request.user, initial=initial)
    return form_class(person=request.user, initial=initial)


class ExcelAcceptForm(PlacementForm):
    valid_rows_only = forms.TypedChoiceField(
        label=_("导入哪些行"),
        coerce=lambda v: v == "valid",
        initial="all",
        widget=forms.RadioSelect,
        choices=[("all", _("全部行（有错误则都不导入）")), ("valid", _("只导入无误的行"))],
    )
