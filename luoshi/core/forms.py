"""Form pieces every app shares: the date field a browser accepts, and the unit and people pickers.

Every form that asks for a date uses `DateInput`; every form that picks units uses `UnitChoiceField`
(or `UnitMultipleChoiceField`), and every form that picks a person uses `PersonChoiceField`.
"""

from collections.abc import Iterable, Iterator, Mapping
from typing import cast

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Person, Unit

#: The only format `<input type=date>` accepts, in every language (zh-hans would render 2024/04/26).
ISO_DATE = "%Y-%m-%d"
#: One level of the unit tree in a picker (an ideographic space: browsers keep it, screen readers skip it).
INDENT = "\u3000"


class DateInput(forms.DateInput):
    """The browser's date field, given its value as 2024-04-26 whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or ISO_DATE)


def _attrs(attrs: Mapping) -> str:
    """HTML attributes as Django's widgets/attrs.html writes them: False left out, True bare."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A `<select>` written in Python, the same HTML as Django's: its templates render each option
    through two includes (0.08 ms an option), which made a picker of 500 units the dearest part of
    a page."""

    def render(self, name: str, value, attrs: dict | None = None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{escape(group_name)}">')
            out.extend(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'
                for option in options
            )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # every value above is escaped


def units_in_tree_order(units: Iterable[Unit]) -> list[tuple[Unit, int]]:
    """The units depth first, siblings in their order, each with its depth; a unit whose parent is
    not among them stands at the top."""
    units = list(units)
    present = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in sorted(units, key=lambda u: (u.order, u.pk)):
        children.setdefault(unit.parent_id if unit.parent_id in present else None, []).append(unit)
    ordered: list[tuple[Unit, int]] = []
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return ordered


class _UnitTree(ModelChoiceIterator):
    """A unit picker's options in tree order, each indented by its depth."""

    def __iter__(self) -> Iterator:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit, depth in units_in_tree_order(self.queryset):
            value, label = self.choice(unit)
            yield (value, INDENT * depth + label)


class UnitChoiceField(forms.ModelChoiceField):
    """Pick one unit from the unit tree, shown indented in tree order."""

    iterator = _UnitTree

    def __init__(self, queryset: QuerySet | None = None, **kwargs) -> None:
        super().__init__(queryset=Unit.objects.all() if queryset is None else queryset, **kwargs)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Pick several units from the unit tree, shown indented in tree order, with a filter box."""

    iterator = _UnitTree

    def __init__(self, queryset: QuerySet | None = None, **kwargs) -> None:
        kwargs.setdefault(
            "widget", forms.SelectMultiple(attrs={"size": 8, "data-filter": _("输入单位名称筛选")})
        )
        super().__init__(queryset=Unit.objects.all() if queryset is None else queryset, **kwargs)


def person_label(person: Person) -> str:
    return f"{person.display_name}（{person.title}）" if person.title else person.display_name


class _PeopleByUnit(ModelChoiceIterator):
    """A person picker's options grouped by unit: the preferred unit's people first (its own, then the
    units below it), then every other unit in tree order."""

    def __iter__(self) -> Iterator:
        field = cast(PersonChoiceField, self.field)  # the iterator of PersonChoiceField only
        if field.empty_label is not None:
            yield ("", field.empty_label)
        people: dict[int | None, list[Person]] = {}
        for person in self.queryset.order_by("id"):
            people.setdefault(person.unit_id, []).append(person)
        ordered = [unit for unit, _depth in units_in_tree_order(Unit.objects.filter(pk__in=people.keys()))]
        first = (
            set(Unit.objects.subtree([field.first_unit_id]).values_list("id", flat=True))
            if field.first_unit_id
            else set()
        )
        ordered.sort(key=lambda unit: unit.pk not in first)  # stable: tree order kept within each part
        for unit in ordered:
            yield (unit.name, [(self.choice(p)[0], person_label(p)) for p in people[unit.pk]])
        if None in people:
            yield (_("未分配单位"), [(self.choice(p)[0], person_label(p)) for p in people[None]])


class PersonChoiceField(forms.ModelChoiceField):
    """Pick an active person, grouped by unit (<optgroup>), `first_unit_id`'s people on top, with a filter box."""

    iterator = _PeopleByUnit

    def __init__(self, queryset: QuerySet | None = None, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Select(attrs={"data-filter": _("输入姓名或单位筛选")}))
        people = Person.objects.all() if queryset is None else queryset
        super().__init__(queryset=people.filter(is_active=True), **kwargs)  # only people who can still act
        self.first_unit_id: int | None = None


class _PickerChange(forms.Form):
    """What a unit picker sends when it changes: the unit now chosen and the person chosen so far."""

    unit = forms.IntegerField(required=False, min_value=1)
    person = forms.IntegerField(required=False, min_value=1)


def people_follow_unit(
    form: forms.BaseForm,
    url: str,
    query: Mapping[str, str],
    *,
    unit_field: str = "lead_unit",
    person_field: str = "owner",
) -> None:
    """Offer the chosen unit's people first, and again whenever the unit picker changes: the picker
    fetches the form's page (`url`) with the new unit, and htmx swaps in its person picker."""
    person_id = f"#{form[person_field].id_for_label}"
    form.fields[unit_field].widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-target": person_id,
            "hx-select": person_id,
            "hx-swap": "outerHTML",
            "hx-include": f"[name={form.add_prefix(person_field)}]",
        }
    )
    source = (
        form.data if form.is_bound else query
    )  # a form shown again with its errors follows what was posted
    change = _PickerChange(
        {"unit": source.get(form.add_prefix(unit_field)), "person": source.get(form.add_prefix(person_field))}
    )
    if not change.is_valid() or not change.cleaned_data["unit"]:
        return
    people = form.fields[person_field]
    assert isinstance(people, PersonChoiceField), f"{person_field} must be a PersonChoiceField"
    people.first_unit_id = change.cleaned_data["unit"]
    if not form.is_bound:
        form.initial[unit_field] = change.cleaned_data["unit"]
        form.initial[person_field] = change.cleaned_data["person"]
