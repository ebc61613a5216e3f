"""From a policy text to a task tree: propose (nothing saved but the proposal), review, accept.

Acceptance turns the reviewed proposal into tasks (headings and the work under them), units the
text names that do not exist yet, and indicators with their targets — in one transaction, through
the same actions the pages use, so permissions and deadline rules apply.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core import clock
from luoshi.core.access import Action, can, can_create_top_level_tasks
from luoshi.documents.extract import extract_document
from luoshi.documents.extract.reading import ReadDocument
from luoshi.documents.extract.units import KnownUnit
from luoshi.documents.models import ImportDraft
from luoshi.indicators.models import Comparator, Direction, Indicator, IndicatorTarget, TargetKind
from luoshi.orgs.models import Person, Unit, UnitKind
from luoshi.plans.actions import create_task
from luoshi.plans.models import Plan, Task, TaskKind

#: How extracted comparators become an indicator target's comparator.
COMPARATORS = {"gt": Comparator.AT_LEAST, "gte": Comparator.AT_LEAST, "eq": Comparator.AT_LEAST,
               "lt": Comparator.AT_MOST, "lte": Comparator.AT_MOST, "approx": Comparator.ABOUT}
TARGET_KINDS = {"absolute": TargetKind.ABSOLUTE, "multiple": TargetKind.MULTIPLE, "relative": TargetKind.RELATIVE,
                "increment": TargetKind.INCREMENT}
ITEM_KINDS = {"target": TaskKind.TARGET, "project": TaskKind.PROJECT, "measure": TaskKind.WORK}


def known_units() -> list[KnownUnit]:
    """Every unit with its other names, for matching the names a text uses."""
    return [
        KnownUnit(id=unit.pk, name=unit.name, aliases=tuple(filter(None, [unit.short_name, *unit.alias_list()])))
        for unit in Unit.objects.all()
    ]


def propose(actor: Person, document: ReadDocument) -> ImportDraft:
    """Extract a proposal from a read document and keep it for review; no task or unit is created."""
    extraction = extract_document(document, known_units())
    return ImportDraft.objects.create(owner=actor, source_name=document.name[:200], proposal=extraction.to_dict())


@dataclass
class Selection:
    """What the reviewer kept and changed. Ids are the proposal's (h1, task3, t2, unit names)."""

    headings: set[str]
    tasks: set[str]
    targets: set[str]
    new_units: set[str]
    titles: dict[str, str] = field(default_factory=dict)
    lead_units: dict[str, int] = field(default_factory=dict)
    #: Work items folded into the kept item before them under the same heading ("并入上一项").
    merged: set[str] = field(default_factory=set)
    #: Corrections to targets: {"t3": {"indicator": …, "value": …, "year": …}}, each key optional.
    target_edits: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def everything(cls, proposal: dict) -> "Selection":
        return cls(
            headings={h["id"] for h in proposal["outline"]},
            tasks={t["id"] for t in proposal["tasks"]},
            targets={t["id"] for t in proposal["targets"]},
            new_units={u["name"] for u in proposal["units"] if u["is_new"] and not u["collective"]},
        )


@dataclass
class AcceptResult:
    tasks: list[Task] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    targets: list[IndicatorTarget] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _year_end(year: int | None, ceiling: dt.date) -> dt.date | None:
    if year is None:
        return None
    return min(dt.date(year, 12, 31), ceiling)


class _Acceptance:
    """One acceptance run: keeps the name → unit map and the proposal id → task map while saving."""

    def __init__(self, actor: Person, plan: Plan, parent: Task | None, proposal: dict, chosen: Selection) -> None:
        self.actor, self.plan, self.parent, self.proposal, self.chosen = actor, plan, parent, proposal, chosen
        self.result = AcceptResult()
        self.units: dict[str, Unit] = {}
        self.task_of: dict[str, Task] = {}

    def run(self) -> AcceptResult:
        self.map_units()
        for heading in self.proposal["outline"]:
            if heading["id"] in self.chosen.headings:
                self.heading_task(heading)
        for group in self.work_groups():
            self.work_task(group)
        targets = {t["id"]: dict(t, **self.chosen.target_edits.get(t["id"], {})) for t in self.proposal["targets"]}
        created: dict[str, IndicatorTarget] = {}
        for target in targets.values():
            if target["id"] in self.chosen.targets:
                self.indicator_target(target, targets, created)
        return self.result

    def map_units(self) -> None:
        for unit in self.proposal["units"]:
            if unit["known_unit"] is not None:
                found = Unit.objects.filter(pk=unit["known_unit"]).first()
                if found:
                    self.units[unit["name"]] = found
            elif unit["name"] in self.chosen.new_units:
                external = unit["roles"] == ["counterpart"]
                created = Unit(name=unit["name"][:100], parent=self.plan.owner_unit,
                               kind=UnitKind.EXTERNAL if external else UnitKind.BUREAU)
                created.full_clean()
                created._history_user = self.actor
                created.save()
                self.units[unit["name"]] = created
                self.result.units.append(created)

    def parent_of(self, heading_id: str | None) -> Task | None:
        while heading_id is not None:
            if heading_id in self.task_of:
                return self.task_of[heading_id]
            heading_id = next((h["parent"] for h in self.proposal["outline"] if h["id"] == heading_id), None)
        return self.parent

    def lead_and_support(self, item_id: str, mentions: list[dict], fallback: Unit) -> tuple[Unit, list[Unit]]:
        if item_id in self.chosen.lead_units:
            lead = Unit.objects.get(pk=self.chosen.lead_units[item_id])
        else:
            leads = [self.units[m["name"]] for m in mentions if m["role"] == "lead" and m["name"] in self.units]
            lead = leads[0] if leads else fallback
        support = [self.units[m["name"]] for m in mentions
                   if m["role"] == "support" and m["name"] in self.units and self.units[m["name"]] != lead]
        return lead, list(dict.fromkeys(support))

    def heading_task(self, heading: dict) -> None:
        parent = self.parent_of(heading["parent"])
        lead, support = self.lead_and_support(heading["id"], [], parent.lead_unit if parent else self.plan.owner_unit)
        task = create_task(
            self.actor, plan=self.plan, parent=parent, title=self.chosen.titles.get(heading["id"], heading["title"])[:300],
            lead_unit=lead, support_units=support, kind=TaskKind.AREA if parent is None else TaskKind.MEASURE,
            code=heading["marker"][:30], source_text=heading["title"],
        )
        self.task_of[heading["id"]] = task
        self.result.tasks.append(task)

    def work_groups(self) -> list[list[dict]]:
        """The kept work items, each with the items merged into it, in the order of the text."""
        groups: list[list[dict]] = []
        for item in self.proposal["tasks"]:
            if item["id"] not in self.chosen.tasks:
                continue
            if item["id"] in self.chosen.merged and groups and groups[-1][0]["heading"] == item["heading"]:
                groups[-1].append(item)
            else:
                groups.append([item])
        return groups

    def work_task(self, group: list[dict]) -> None:
        """One task for a work item and any merged into it: their texts, units and years together."""
        item = group[0]
        mentions = list(item["units"]) + [dict(mention, role="support" if mention["role"] == "lead" else mention["role"])
                                          for member in group[1:] for mention in member["units"]]  # one lead
        years = [member["year"] for member in group if member["year"]]
        parent = self.parent_of(item["heading"])
        fallback = parent.lead_unit if parent else self.plan.owner_unit
        lead, support = self.lead_and_support(item["id"], mentions, fallback)
        ceiling = parent.deadline if parent else self.plan.period_end
        floor = parent.start_date if parent else self.plan.period_start
        deadline = _year_end(max(years) if years else None, ceiling)
        if deadline is not None and deadline < floor:
            self.result.notes.append(_("“%(title)s”的年份%(year)s早于上级任务的开始日期，已改用上级任务的完成时限。")
                                     % {"title": item["title"][:30], "year": item["year"]})
            deadline = None
        liaison = any(m["role"] == "counterpart" for m in mentions)
        task = create_task(
            self.actor, plan=self.plan, parent=parent, title=self.chosen.titles.get(item["id"], item["title"])[:300],
            lead_unit=lead, support_units=support,
            kind=TaskKind.LIAISON if liaison else ITEM_KINDS.get(item["kind"], TaskKind.WORK),
            deadline=deadline, source_text="".join(member["text"] for member in group),
        )
        for member in group:
            self.task_of[member["id"]] = task
        self.result.tasks.append(task)

    def owner_of(self, target: dict) -> Unit:
        item = next((t for t in self.proposal["tasks"] if target["id"] in t["targets"]), None)
        task = self.task_of.get(item["id"]) if item else None
        return task.lead_unit if task else self.plan.owner_unit

    def indicator_for(self, name: str, unit: str, owner: Unit, lower_is_better: bool) -> Indicator:
        indicator = Indicator.objects.filter(plan=self.plan, name=name).first()
        if indicator is None:
            indicator = Indicator(plan=self.plan, name=name[:200], unit=unit[:20], owner_unit=owner,
                                  direction=Direction.LOWER if lower_is_better else Direction.HIGHER)
            indicator.full_clean()
            indicator._history_user = self.actor
            indicator.save()
            self.result.indicators.append(indicator)
        return indicator

    def indicator_target(self, target: dict, by_id: dict, created: dict[str, IndicatorTarget]) -> None:
        comparator = COMPARATORS[target["comparator"]]
        indicator = self.indicator_for(target["indicator"], target["unit"], self.owner_of(target),
                                       comparator == Comparator.AT_MOST)
        if target["year"]:
            due = dt.date(target["year"], 12, 31)
        elif target["within_years"]:
            due = dt.date(self.plan.period_start.year + round(target["within_years"]) - 1, 12, 31)
        else:
            due = self.plan.period_end
        kind = TARGET_KINDS[target["kind"]]
        made = IndicatorTarget(indicator=indicator, due_date=due, kind=kind, comparator=comparator,
                               value=target["value"], note=target["text"][:200])
        if kind == TargetKind.RELATIVE:
            made.reference_indicator = self.indicator_for(
                f"{target['relative_to'] or ''}{target['indicator']}"[:200], target["unit"], self.plan.owner_unit,
                False)
        if kind == TargetKind.MULTIPLE and target["previous_target"] in created:
            made.relative_to_target = created[target["previous_target"]]
        try:
            made.full_clean()
        except ValidationError as error:
            # Typically a doubling or a yearly increment with no baseline yet: keep the indicator,
            # tell the reviewer what to fill in, and go on.
            self.result.notes.append(_("指标“%(name)s”的目标（%(text)s）未建立：%(why)s")
                                     % {"name": indicator.name, "text": target["text"][:40],
                                        "why": "；".join(error.messages)})
            return
        made._history_user = self.actor
        made.save()
        created[target["id"]] = made
        self.result.targets.append(made)


def accept_proposal(actor: Person, draft: ImportDraft, *, plan: Plan, parent: Task | None = None,
                    selection: Selection | None = None) -> AcceptResult:
    """Create the reviewed proposal's tasks, new units and indicators in one transaction."""
    if draft.owner_id != actor.pk:
        raise PermissionDenied("a proposal is accepted by the person who made it")
    if draft.accepted_at is not None:
        raise ValidationError(_("这份提取结果已经导入过了。"))
    if parent is not None:
        if not can(actor, Action.SPLIT, parent):
            raise PermissionDenied("may not split this task")
        plan = parent.plan
    elif not can_create_top_level_tasks(actor):
        raise PermissionDenied("only the supervision office creates top-level tasks")
    chosen = selection or Selection.everything(draft.proposal)
    with transaction.atomic():
        result = _Acceptance(actor, plan, parent, draft.proposal, chosen).run()
        draft.accepted_at = clock.now()
        draft.plan = plan
        draft.save(update_fields=["accepted_at", "plan"])
    return result
