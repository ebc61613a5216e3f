"""Annual commitment pages (工作承诺): my units' lists (every unit's for the office), generating,
acknowledging with a timestamp, a print view and the .xlsx download."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from luoshi.commitments import actions as actions
from luoshi.commitments.models import Commitment
from luoshi.core import downloads
from luoshi.core.access import Action, can, get_for, is_office, sees_everything, units_for
from luoshi.core.forms import UnitChoiceField
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Person, Unit


class YearFilter(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100, required=False)


class GenerateForm(forms.Form):
    unit = UnitChoiceField(
        label=gettext_lazy("单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=gettext_lazy("督查室可留空，为所有有任务的单位一并生成。"),
    )
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)

    def __init__(self, person: Person, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units_for(person, Commitment)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if not data.get("unit") and not is_office(self.person):
            raise ValidationError(_("请选择单位。"))
        return data


@login_required
@require_GET
def commitment_list(request: AuthedRequest) -> HttpResponse:
    """The lists of the person's units for a year; the office (and leaders, viewers) see every unit's."""
    person = request.user
    filters = YearFilter(request.GET or None)
    year = (filters.cleaned_data["year"] if filters.is_valid() else None) or actions.next_year()
    rows = (
        Commitment.objects.visible_to(person)
        .filter(year=year)
        .select_related("unit", "generated_by", "acknowledged_by")
        .annotate(item_count=Count("items"))
    )
    may_generate = units_for(person, Commitment).exists()
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "commitments": rows,
            "year": year,
            "filters": filters,
            "sees_all": sees_everything(person),
            "form": GenerateForm(person, initial={"year": year}) if may_generate else None,
        },
    )


@login_required
@require_POST
def commitment_generate(request: AuthedRequest) -> HttpResponse:
    """Draw up one unit's list, or (the office, no unit chosen) every unit's that is not yet signed."""
    person = request.user
    if not units_for(person, Commitment).exists():
        raise PermissionDenied
    form = GenerateForm(person, request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("commitment_list")
    unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
    try:
        if unit is None:
            made = actions.generate_commitments(person, year)
            messages.success(request, _("已生成 %(n)d 个单位的工作承诺。") % {"n": len(made)})
        else:
            commitment = actions.generate_commitment(person, unit, year)
            return redirect("commitment_detail", commitment_id=commitment.pk)
    except ValidationError as error:
        messages.error(request, one_line(error))
    return redirect(f"{reverse('commitment_list')}?year={year}")


def _commitment(person: Person, commitment_id: int, action: Action = Action.VIEW) -> Commitment:
    return get_for(
        Commitment,
        person,
        commitment_id,
        action,
        rows=Commitment.objects.select_related("unit", "generated_by", "acknowledged_by"),
    )


@login_required
@require_GET
def commitment_detail(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    commitment = _commitment(request.user, commitment_id)
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "items": commitment.items.all(),
            "can_acknowledge": not commitment.is_acknowledged
            and can(request.user, Action.ACKNOWLEDGE, commitment),
            "can_generate": not commitment.is_acknowledged and can(request.user, Action.CREATE, commitment),
        },
    )


@login_required
@require_POST
def commitment_acknowledge(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    """The unit head signs the list; the time is recorded and the list is frozen."""
    commitment = _commitment(request.user, commitment_id)
    try:
        actions.acknowledge_commitment(request.user, commitment)
    except ValidationError as error:
        messages.error(request, one_line(error))
    else:
        messages.success(request, _("工作承诺已确认。"))
    return redirect("commitment_detail", commitment_id=commitment.pk)


@login_required
@require_GET
def commitment_print(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    commitment = _commitment(request.user, commitment_id)
    return render(
        request,
        "commitments/commitment_print.html",
        {"commitment": commitment, "items": commitment.items.all()},
    )


@login_required
@require_GET
def commitment_download(request: AuthedRequest, commitment_id: int) -> HttpResponse:
    commitment = _commitment(request.user, commitment_id)
    return downloads.attachment(actions.commitment_xlsx(commitment), commitment.filename, downloads.XLSX)
