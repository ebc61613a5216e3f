"""Which existing indicators an extracted target could join, and why joining one would be wrong.

A target joins an existing indicator only when the office picks it on the review page. A same-name
indicator is offered there; it is pre-selected only where it belongs to the plan the import goes
to and neither its unit, its years nor its base conflict with the target — an old year's target
merged into a live indicator draws a zig-zag trajectory.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from luoshi.documents.proposal import Target
from luoshi.indicators.models import Indicator


@dataclass(frozen=True)
class IndicatorMatch:
    indicator: Indicator
    #: Why this indicator does not fit the target ("" when it fits).
    conflict: str

    @property
    def label(self) -> str:
        where = _("并入“%(name)s”（%(plan)s）") % {
            "name": self.indicator.name,
            "plan": self.indicator.plan.title[:20],
        }
        return f"{where} ⚠ {self.conflict}" if self.conflict else where


def conflict_of(indicator: Indicator, target: Target, target_years: list[int]) -> str:
    """Why the target should not join this indicator: its unit, its year or its base; "" if none."""
    if target.unit and indicator.unit and target.unit != indicator.unit:
        return _("计量单位不同（%(a)s / %(b)s）") % {"a": indicator.unit, "b": target.unit}
    year = target.year
    if year is not None:
        if year in target_years:
            return _("已有%(year)s年的目标") % {"year": year}
        if target_years and year < max(target_years):
            return _("年份早于已有目标（%(year)s年）") % {"year": max(target_years)}
    base = re.search(r"(\d{4})年", target.relative_to or "")
    if (
        target.kind == "multiple"
        and base
        and indicator.baseline_date
        and int(base.group(1)) != indicator.baseline_date.year
    ):
        return _("基期不同（%(a)s年 / %(b)s年）") % {"a": indicator.baseline_date.year, "b": base.group(1)}
    return ""


def indicator_matches(targets: list[Target]) -> dict[str, list[IndicatorMatch]]:
    """For each target id, the existing indicators of the same name, each with its conflict."""
    names = {t.indicator for t in targets}
    found: dict[str, list[Indicator]] = {}
    for indicator in (
        Indicator.objects.filter(name__in=names).select_related("plan").prefetch_related("targets")
    ):
        found.setdefault(indicator.name, []).append(indicator)
    matches: dict[str, list[IndicatorMatch]] = {}
    for target in targets:
        matches[target.id] = [
            IndicatorMatch(
                indicator, conflict_of(indicator, target, [t.due_date.year for t in indicator.targets.all()])
            )
            for indicator in found.get(target.indicator, [])
        ]
    return matches


def preselected(matches: list[IndicatorMatch], plan_id: int | None) -> Indicator | None:
    """The match to pre-select: in the plan the import goes to, and without a conflict."""
    return next((m.indicator for m in matches if not m.conflict and m.indicator.plan_id == plan_id), None)
