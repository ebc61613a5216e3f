"""The fields every form shares: dates the browser accepts in both languages, units shown as their tree,
people grouped by unit with the lead unit's first — and every form uses them."""

import datetime as dt
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

import luoshi
from luoshi.core.forms import INDENT, DateInput, PersonChoiceField, UnitChoiceField, UnitMultipleChoiceField
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans.forms import ChildTaskForm, TaskForm
from tests.cast import client_for, make_person


def every_form_class() -> set[type[forms.BaseForm]]:
    """Every form class Luoshi defines, found by importing each of its modules."""
    for module in pkgutil.walk_packages(luoshi.__path__, "luoshi."):
        if ".migrations" not in module.name and not module.name.endswith(("wsgi", "cli")):
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("luoshi."):
                found.add(sub)
    return found


def test_every_date_field_of_every_form_uses_the_iso_date_widget():
    forms_with_dates = {}
    for form_class in every_form_class():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateField):
                forms_with_dates[f"{form_class.__name__}.{name}"] = type(field.widget)
    assert len(forms_with_dates) >= 9  # task edit ×2, split ×2, activity, its filter ×2, stage, actual
    assert {name: widget for name, widget in forms_with_dates.items() if widget is not DateInput} == {}


def test_every_unit_and_person_picker_shows_the_tree_or_the_units():
    plain = []
    for form_class in every_form_class():
        for name, field in form_class.base_fields.items():
            picks = isinstance(field, forms.ModelChoiceField) and field.queryset.model in (Unit, Person)
            if picks and not isinstance(field, UnitChoiceField | UnitMultipleChoiceField | PersonChoiceField):
                plain.append(f"{form_class.__name__}.{name}")
    assert plain == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_task_edit_page_gives_its_dates_as_the_browser_reads_them(cast, language):
    html = (
        client_for(cast.supervisor, language)
        .get(reverse("task_edit", args=[cast.measure.pk]))
        .content.decode()
    )
    assert re.search(r'<input type="date" name="start_date" value="2024-01-01"', html)
    assert re.search(r'<input type="date" name="deadline" value="2027-03-31"', html)


def test_a_task_saved_unchanged_in_chinese_keeps_its_dates(cast):
    client = client_for(cast.supervisor)
    form = TaskForm(instance=cast.measure)
    with translation.override("zh-hans"):
        data = {name: form[name].value() for name in form.fields}
        rendered = {name: form[name].as_widget() for name in ("start_date", "deadline")}
    assert 'value="2024-01-01"' in rendered["start_date"]
    data = {k: v for k, v in data.items() if v is not None}
    data["start_date"], data["deadline"] = "2024-01-01", "2027-03-31"  # what the browser sends back
    response = client.post(reverse("task_edit", args=[cast.measure.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.measure.refresh_from_db()
    assert (cast.measure.start_date, cast.measure.deadline) == (dt.date(2024, 1, 1), dt.date(2027, 3, 31))


def test_the_activity_form_opens_on_today_in_chinese(cast):
    html = client_for(cast.caizheng_staff).get(reverse("activity_new")).content.decode()
    assert '<input type="date" name="held_on" value="2026-11-27"' in html


def test_unit_pickers_list_the_tree_in_order_indented_by_depth(cast):
    labels = [label for value, label in UnitChoiceField().choices if value != ""]
    assert labels == [
        "X工业园区管委会",
        f"{INDENT}党政办",
        f"{INDENT * 2}党政办督查室",
        f"{INDENT}财政局",
        f"{INDENT}经发局",
        f"{INDENT * 2}经发局综合科",
        f"{INDENT}宣传办",
    ]


def test_the_split_form_offers_the_lead_units_people_first_grouped_by_unit(cast):
    make_person("zonghe_staff", Role.STAFF, cast.jingfa_section, "综合科周科员")
    form = ChildTaskForm(parent=cast.jingfa_task)
    groups = [
        (group, [label for _value, label in options])
        for group, options in form.fields["owner"].choices
        if group != ""
    ]
    assert groups[:2] == [("经发局", ["经发局赵局长", "经发局陈科员"]), ("经发局综合科", ["综合科周科员"])]
    assert [group for group, _options in groups[2:]] == [
        "X工业园区管委会",
        "党政办",
        "党政办督查室",
        "财政局",
        "宣传办",
        "未分配单位",
    ]
    html = str(form["owner"])
    assert '<optgroup label="经发局">' in html and "data-filter=" in html
    assert form["lead_unit"].value() == cast.jingfa.pk  # the parent's lead unit, chosen already


def test_the_edit_form_offers_the_tasks_own_lead_units_people_first(cast):
    groups = [group for group, _options in TaskForm(instance=cast.measure).fields["owner"].choices if group]
    assert groups[0] == "财政局"


def test_a_person_from_any_unit_can_still_be_chosen(cast):
    form = ChildTaskForm(
        {
            "title": "对接省厅",
            "kind": "work",
            "lead_unit": cast.jingfa.pk,
            "owner": cast.caizheng_staff.pk,
            "weight": 1,
        },
        parent=cast.jingfa_task,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["owner"] == cast.caizheng_staff


def test_people_who_left_are_not_offered(cast):
    cast.jingfa_staff.is_active = False
    cast.jingfa_staff.save()
    offered = {
        str(value)
        for _group, options in TaskForm(instance=cast.jingfa_task).fields["owner"].choices
        if isinstance(options, list)
        for value, _label in options
    }
    assert str(cast.jingfa_manager.pk) in offered and str(cast.jingfa_staff.pk) not in offered


def test_choosing_another_lead_unit_puts_its_people_first_and_keeps_the_owner(cast):
    client = client_for(cast.jingfa_manager)
    url = reverse("task_split", args=[cast.jingfa_task.pk])
    html = client.get(url).content.decode()
    picker = re.search(r'<select name="lead_unit"[^>]*>', html).group(0)
    assert f'hx-get="{url}"' in picker and 'hx-select="#id_owner"' in picker
    html = client.get(url, {"lead_unit": cast.caizheng.pk, "owner": cast.jingfa_staff.pk}).content.decode()
    owner = re.search(r'<select name="owner".*?</select>', html, re.S).group(0)
    assert re.findall(r'<optgroup label="([^"]+)"', owner)[0] == "财政局"
    assert re.search(rf'<option value="{cast.jingfa_staff.pk}" selected>', owner)
