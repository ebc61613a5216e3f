"""The review page's choices as formsets: one form per heading or work item, per target and per unit named.

Each form knows the proposal item it stands for (by its place in the formset, never by a posted id), and
the formsets together give the `Selection` the acceptance takes.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _

from luoshi.core.forms import UnitChoiceField
from luoshi.documents.actions import Selection, is_proposed_unit
from luoshi.documents.proposal import Extraction, Heading, ProposedUnit, Target
from luoshi.documents.proposal import Task as ProposedTask
from luoshi.indicators.models import Indicator


@dataclass(frozen=True)
class ReviewRow:
    """A heading or a work item in the order of the text, with its depth in the outline."""

    kind: str  # "heading" or "task"
    item: Heading | ProposedTask
    depth: int


def review_rows(proposal: Extraction) -> list[ReviewRow]:
    """Headings and the work items under them, in the order of the text, each with its depth."""
    levels = {h.id: h.level for h in proposal.outline}
    rows = [(h.span[0], False, ReviewRow("heading", h, h.level)) for h in proposal.outline]
    rows += [
        (t.span[0], True, ReviewRow("task", t, levels.get(t.heading or "", 0) + 1)) for t in proposal.tasks
    ]
    return [row for _at, _is_task, row in sorted(rows, key=lambda row: (row[0], row[1]))]


class ItemForm(forms.Form):
    """A heading or work item: keep it, rename it, give it a lead unit, fold it into the item before it."""

    keep = forms.BooleanField(required=False)
    title = forms.CharField(required=False)
    lead_unit = UnitChoiceField(required=False)  # the page draws one unit list for all rows
    merge = forms.BooleanField(required=False)

    def __init__(self, *args: Any, row: ReviewRow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row = row


class TargetForm(forms.Form):
    """A target: keep it, correct its indicator, value or year, or join it to an existing indicator."""

    keep = forms.BooleanField(required=False)
    indicator = forms.CharField(required=False)
    value = forms.CharField(required=False)
    year = forms.CharField(required=False, strip=True)
    join = forms.ModelChoiceField(queryset=Indicator.objects.all(), required=False)

    def __init__(self, *args: Any, target: Target, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target

    def _name(self) -> str:
        return self.cleaned_data.get("indicator") or self.target.indicator

    def clean_value(self) -> float | None:
        """A number (thousands separators allowed) that differs from the proposal's, else None: unchanged."""
        value = self.cleaned_data["value"].replace(",", "")
        if not value or value == str(self.target.value):
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(
                _("目标“%(name)s”的数值“%(value)s”不是数字。") % {"name": self._name(), "value": value}
            ) from None
        if not number.is_finite():
            raise forms.ValidationError(_("目标“%(name)s”的数值不是有限的数。") % {"name": self._name()})
        return float(number)

    def clean_year(self) -> str:
        year = self.cleaned_data["year"]
        if year and not (year.isdecimal() and 1900 <= int(year) <= 2200):
            raise forms.ValidationError(
                _("目标“%(name)s”的年份“%(year)s”应为四位年份，或留空。")
                % {"name": self._name(), "year": year}
            )
        return year

    def edits(self) -> dict[str, Any]:
        """What the reviewer changed: {"indicator": …, "value": …, "year": …}, each only when changed."""
        data, change = self.cleaned_data, {}
        if data["indicator"] and data["indicator"] != self.target.indicator:
            change["indicator"] = data["indicator"][:200]
        if data["value"] is not None:
            change["value"] = data["value"]
        if data["year"] != str(self.target.year or ""):
            change["year"] = int(data["year"]) if data["year"] else None
        return change


class UnitForm(forms.Form):
    """A body the text names: create it as a new unit, or not."""

    create = forms.BooleanField(required=False)

    def __init__(self, *args: Any, unit: ProposedUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit


class _ItemFormSet(forms.BaseFormSet):
    """A formset whose forms each stand for one proposal item, by position."""

    items: list = []
    item_kwarg = ""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs[self.item_kwarg] = self.items[index]
        return kwargs


def _formset(
    form: type[forms.Form], items: list, item_kwarg: str, initial: list[dict], prefix: str, data: Any = None
) -> forms.BaseFormSet:
    """As many forms as items, no more and no fewer: a post with another count is refused."""
    count = len(items)
    formset_class = cast(
        type[_ItemFormSet],
        forms.formset_factory(
            form,
            formset=_ItemFormSet,
            extra=0,
            min_num=count,
            max_num=count,
            absolute_max=max(count, 1),
            validate_min=True,
            validate_max=True,
        ),
    )
    formset_class.items, formset_class.item_kwarg = items, item_kwarg
    return formset_class(data, initial=initial, prefix=prefix)


@dataclass
class ReviewForms:
    """The review page's three formsets: items (headings and work), targets, units."""

    rows: list[ReviewRow]
    items: forms.BaseFormSet
    targets: forms.BaseFormSet
    units: forms.BaseFormSet

    @classmethod
    def of(cls, proposal: Extraction, data: Any = None) -> "ReviewForms":
        """The formsets of a proposal: bound to `data` (a POST), else showing the proposal as extracted."""
        rows = review_rows(proposal)
        return cls(
            rows=rows,
            items=_formset(
                ItemForm,
                rows,
                "row",
                [{"keep": True, "title": row.item.title} for row in rows],
                "items",
                data,
            ),
            targets=_formset(
                TargetForm,
                proposal.targets,
                "target",
                [
                    {
                        "keep": True,
                        "indicator": t.indicator,
                        "value": str(t.value),
                        "year": "" if t.year is None else str(t.year),
                    }
                    for t in proposal.targets
                ],
                "targets",
                data,
            ),
            units=_formset(
                UnitForm,
                proposal.units,
                "unit",
                [{"create": is_proposed_unit(u)} for u in proposal.units],
                "units",
                data,
            ),
        )

    def formsets(self) -> tuple[forms.BaseFormSet, ...]:
        return self.items, self.targets, self.units

    def is_valid(self) -> bool:
        return all(
            [formset.is_valid() for formset in self.formsets()]
        )  # every formset checked, for its errors

    def error_messages(self) -> list[str]:
        """Every error of every form, in page order, for the message at the top of the page."""
        found = []
        for formset in self.formsets():
            found += [str(error) for error in formset.non_form_errors()]
            for form in formset.forms:
                found += [str(error) for errors in form.errors.values() for error in errors]
        return found

    def selection(self) -> Selection:
        """What the reviewer kept and changed, for the acceptance (only after is_valid)."""
        items = [(form.row, form.cleaned_data) for form in self.items.forms]
        targets = [(form, form.cleaned_data) for form in self.targets.forms]
        return Selection(
            headings={row.item.id for row, data in items if row.kind == "heading" and data["keep"]},
            tasks={row.item.id for row, data in items if row.kind == "task" and data["keep"]},
            targets={form.target.id for form, data in targets if data["keep"]},
            new_units={form.unit.name for form in self.units.forms if form.cleaned_data["create"]},
            titles={row.item.id: data["title"] for row, data in items if data["title"]},
            lead_units={row.item.id: data["lead_unit"].pk for row, data in items if data["lead_unit"]},
            merged={row.item.id for row, data in items if row.kind == "task" and data["merge"]},
            target_edits={form.target.id: form.edits() for form, _data in targets if form.edits()},
            indicators={form.target.id: data["join"].pk for form, data in targets if data["join"]},
        )
