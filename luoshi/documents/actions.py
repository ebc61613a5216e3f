"""From a policy text to a task tree: propose (nothing saved but the proposal), review, accept.

Acceptance turns the reviewed proposal into tasks (headings and the work under them), units the
text gives a part that do not exist yet, and indicators with their targets — in one transaction,
through the same actions the pages use, so permissions and deadline rules apply. The import goes
where the office puts it: a new plan, or under a task of an existing one. An Excel 任务分解表 takes
the same path (`propose_task_table`, `accept_task_table`). Every accepted import records what it
created, so that `undo_import` can take it back as a whole while its tasks are still drafts.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import TypeAdapter

from luoshi.core import clock
from luoshi.core.access import Action, can, require
from luoshi.core.history import set_history_user
from luoshi.documents.batches import ProgressCallback, remove_created, run_in_batches
from luoshi.documents.excel import ImportResult, import_task_table
from luoshi.documents.excel.importer import deadline_years
from luoshi.documents.excel.reader import read_task_table
from luoshi.documents.extract import extract_document, extract_text
from luoshi.documents.extract.reading import ReadDocument
from luoshi.documents.extract.units import KnownUnit
from luoshi.documents.matches import indicator_matches, preselected
from luoshi.documents.models import ImportDraft, ImportKind, ImportState
from luoshi.documents.proposal import Extraction, Heading, ProposedUnit, Target, TaskUnit
from luoshi.documents.proposal import Task as ProposedTask
from luoshi.inbox.actions import notify
from luoshi.indicators.models import (
    Comparator,
    Direction,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    TargetKind,
)
from luoshi.orgs.models import Person, Role, Unit, UnitKind
from luoshi.plans.actions import create_plan, create_task
from luoshi.plans.models import Plan, Task, TaskKind, TaskStatus

#: How extracted comparators become an indicator target's comparator.
COMPARATORS = {
    "gt": Comparator.AT_LEAST,
    "gte": Comparator.AT_LEAST,
    "eq": Comparator.AT_LEAST,
    "lt": Comparator.AT_MOST,
    "lte": Comparator.AT_MOST,
    "approx": Comparator.ABOUT,
}
TARGET_KINDS = {
    "absolute": TargetKind.ABSOLUTE,
    "multiple": TargetKind.MULTIPLE,
    "relative": TargetKind.RELATIVE,
    "increment": TargetKind.INCREMENT,
}
ITEM_KINDS = {"target": TaskKind.TARGET, "project": TaskKind.PROJECT, "measure": TaskKind.WORK}
#: The parts that make a named body a unit to create: it leads or supports a task.
PARTS = {"lead", "support"}


def known_units() -> list[KnownUnit]:
    """Every unit with its other names, for matching the names a text uses."""
    return [
        KnownUnit(
            id=unit.pk, name=unit.name, aliases=tuple(filter(None, [unit.short_name, *unit.alias_list()]))
        )
        for unit in Unit.objects.all()
    ]


def propose(actor: Person, document: ReadDocument) -> ImportDraft:
    """Extract a proposal from a read document and keep it for review; no task or unit is created."""
    require(actor, Action.CREATE, ImportDraft)  # no extraction for someone who may not import
    extraction = extract_document(document, known_units())
    return ImportDraft.objects.create(
        owner=actor, source_name=document.name[:200], proposal=extraction.to_dict()
    )


def change_document_year(actor: Person, draft: ImportDraft, year: int) -> ImportDraft:
    """Extract the draft's text again with the year the office gives (今年 / 年底前 / 明年 read against it)."""
    require(actor, Action.EDIT, draft)  # by the person who made it
    if (
        draft.kind != ImportKind.TEXT
        or draft.accepted_at is not None
        or draft.state not in (ImportState.REVIEW, ImportState.FAILED)
    ):
        raise ValidationError(_("这份提取结果已经导入或正在导入，不能再改年份。"))
    old = draft.read_proposal()
    extraction = extract_text(
        old.text,
        known_units(),
        name=old.source.name,
        format=old.source.format,
        encoding=old.source.encoding,
        document_year=year,
    )
    extraction.source = old.source  # the source as first read (a .docx stays a .docx)
    draft.proposal = extraction.to_dict()
    draft.state, draft.failure = ImportState.REVIEW, ""
    draft.save(update_fields=["proposal", "state", "failure"])
    return draft


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
    #: Targets the office joined to an existing indicator: {"t3": indicator id}; the others make new ones.
    indicators: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """As JSON, for a background import to apply."""
        return _SELECTION.dump_python(self, mode="json")

    @classmethod
    def from_dict(cls, data: dict) -> "Selection":
        return _SELECTION.validate_python(data)

    @classmethod
    def everything(cls, proposal: Extraction, plan: Plan | None = None) -> "Selection":
        """The defaults: every heading, task and target; new units only for bodies given a part; a target
        joins an indicator of `plan` only where the name is the same and nothing conflicts (as the page pre-selects)."""
        matches = indicator_matches(proposal.targets)
        joins = {key: preselected(found, plan.pk if plan else None) for key, found in matches.items()}
        return cls(
            headings={h.id for h in proposal.outline},
            tasks={t.id for t in proposal.tasks},
            targets={t.id for t in proposal.targets},
            new_units={u.name for u in proposal.units if is_proposed_unit(u)},
            indicators={key: indicator.pk for key, indicator in joins.items() if indicator is not None},
        )


_SELECTION = TypeAdapter(Selection)


def is_proposed_unit(unit: ProposedUnit) -> bool:
    """A new body the text gives a part (牵头/配合/负责/责任单位); merely mentioned bodies are not."""
    return unit.is_new and not unit.collective and bool(PARTS & set(unit.roles))


@dataclass(frozen=True)
class NewPlan:
    """A plan the import creates to hold what it brings."""

    title: str
    owner_unit: Unit
    period_start: dt.date
    period_end: dt.date


def place_to_dict(
    *, plan: Plan | None = None, parent: Task | None = None, new_plan: NewPlan | None = None
) -> dict:
    """Where an import goes, as JSON, for a background import to apply."""
    if new_plan is not None:
        return {
            "new_plan": {
                "title": new_plan.title,
                "owner_unit": new_plan.owner_unit.pk,
                "period_start": new_plan.period_start.isoformat(),
                "period_end": new_plan.period_end.isoformat(),
            }
        }
    return {"parent": parent.pk} if parent is not None else {"plan": plan.pk if plan else None}


def place_from_dict(data: dict) -> dict:
    """The place as `accept_proposal` takes it (plan=, parent= or new_plan=); gone since: refused with a message."""
    try:
        if "new_plan" in data:
            made = data["new_plan"]
            return {
                "new_plan": NewPlan(
                    title=made["title"],
                    owner_unit=Unit.objects.get(pk=made["owner_unit"]),
                    period_start=dt.date.fromisoformat(made["period_start"]),
                    period_end=dt.date.fromisoformat(made["period_end"]),
                )
            }
        if "parent" in data:
            return {"parent": Task.objects.get(pk=data["parent"])}
        return {"plan": Plan.objects.get(pk=data["plan"]) if data.get("plan") else None}
    except (Unit.DoesNotExist, Task.DoesNotExist, Plan.DoesNotExist):
        raise ValidationError(_("导入的目标位置（方案、上级任务或牵头单位）已被删除，请重新选择。")) from None


def new_plan_for(actor: Person, title: str, years: tuple[int, int] | None) -> NewPlan | None:
    """The plan an import proposes by default: the document's title and years (this year if it names none),
    owned by the actor's unit or the first top unit; None while there is no unit to own it."""
    first, last = years or (clock.today().year, clock.today().year)
    owner = actor.unit or Unit.objects.filter(parent=None).order_by("id").first()
    if owner is None:
        return None
    return NewPlan(
        title=title[:200],
        owner_unit=owner,
        period_start=dt.date(first, 1, 1),
        period_end=dt.date(last, 12, 31),
    )


def table_years(data: bytes) -> tuple[int, int]:
    """A new plan's years for a 任务分解表: from this year (or its first deadline, if earlier) to its last deadline."""
    this_year = clock.today().year
    first, last = deadline_years(data) or (this_year, this_year)
    return min(first, this_year), max(last, this_year)


def proposal_years(proposal: Extraction) -> tuple[int, int] | None:
    if proposal.plan_period:
        return proposal.plan_period[0], proposal.plan_period[1]
    year = proposal.plan_year or (proposal.document_date.year if proposal.document_date else None)
    return (year, year) if year else None


def matching_plan(title: str) -> Plan | None:
    """The existing plan whose title is the document's, if any: then the office chooses where it goes."""
    return Plan.objects.filter(title=title.strip()).first() if title.strip() else None


def _place(
    actor: Person, plan: Plan | None, parent: Task | None, new_plan: NewPlan | None, created: dict
) -> tuple[Plan, Task | None]:
    """Where the import goes, checked: under a task the person may split, a new plan, or the top of a plan."""
    if parent is not None:
        if not can(actor, Action.SPLIT, parent):
            raise PermissionDenied("may not split this task")
        return parent.plan, parent
    if not can(actor, Action.CREATE, Task):
        raise PermissionDenied("only the supervision office creates top-level tasks")
    if new_plan is not None:
        made = create_plan(
            actor,
            title=new_plan.title,
            owner_unit=new_plan.owner_unit,
            period_start=new_plan.period_start,
            period_end=new_plan.period_end,
        )
        created["plan"] = made.pk
        return made, None
    if plan is None:
        raise ValidationError(_("请选择导入到哪里：新建方案，或已有方案中的一项任务之下。"))
    return plan, None


@dataclass
class AcceptResult:
    tasks: list[Task] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    targets: list[IndicatorTarget] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: What the actor may not create and the supervision office is asked to (units, "indicator (target)").
    proposed_units: list[str] = field(default_factory=list)
    proposed_indicators: list[str] = field(default_factory=list)

    def record(self, plan_id: int | None) -> dict:
        """What the import created, by id and in creation order, for undoing it."""
        return {
            "plan": plan_id,
            "tasks": [t.pk for t in self.tasks],
            "units": [u.pk for u in self.units],
            "indicators": [i.pk for i in self.indicators],
            "targets": [t.pk for t in self.targets],
        }


def _year_end(year: int | None, ceiling: dt.date) -> dt.date | None:
    if year is None:
        return None
    return min(dt.date(year, 12, 31), ceiling)


class _Acceptance:
    """One acceptance run: keeps the name → unit map and the proposal id → task map while saving.

    `steps()` does the work one created thing at a time (placing and the units first, then each heading,
    work item and target), so that `run_in_batches` can commit it in short transactions.
    """

    def __init__(
        self,
        actor: Person,
        draft: ImportDraft,
        proposal: Extraction,
        selection: Selection | None,
        *,
        plan: Plan | None,
        parent: Task | None,
        new_plan: NewPlan | None,
    ) -> None:
        self.actor, self.draft, self.proposal, self.selection = actor, draft, proposal, selection
        self.place: tuple[Plan | None, Task | None, NewPlan | None] = (plan, parent, new_plan)
        self.plan_created: dict = {"plan": None}
        self.result = AcceptResult()
        self.units: dict[str, Unit] = {}
        self.task_of: dict[str, Task] = {}
        self.new_indicators: dict[str, Indicator] = {}

    def total(self) -> int:
        """How many steps the run takes: one for the place and the units, one per heading, task and target."""
        self.chosen = self.selection or Selection.everything(self.proposal)
        return (
            1
            + len(self.chosen.headings & {h.id for h in self.proposal.outline})
            + len(self.work_groups())
            + len(self.chosen.targets & {t.id for t in self.proposal.targets})
        )

    def record(self) -> dict:
        return self.result.record(self.plan_created["plan"])

    def steps(self) -> Iterator[None]:
        self.plan, self.parent = _place(self.actor, *self.place, self.plan_created)
        self.chosen = self.selection or Selection.everything(self.proposal, self.plan)
        self.map_units()
        yield
        for heading in self.proposal.outline:
            if heading.id in self.chosen.headings:
                self.heading_task(heading)
                yield
        for group in self.work_groups():
            self.work_task(group)
            yield
        created: dict[str, IndicatorTarget] = {}
        for target in self.proposal.targets:
            if target.id in self.chosen.targets:
                self.indicator_target(
                    dataclasses.replace(target, **self.chosen.target_edits.get(target.id, {})), created
                )
                yield
        propose_to_office(self.actor, self.draft, self.result)
        _mark_accepted(self.draft, self.plan, self.record())  # in the last batch: done, or nothing kept

    def map_units(self) -> None:
        for unit in self.proposal.units:
            if unit.known_unit is not None:
                found = Unit.objects.filter(pk=unit.known_unit).first()
                if found:
                    self.units[unit.name] = found
            elif unit.name in self.chosen.new_units and not can(self.actor, Action.CREATE, Unit):
                self.result.proposed_units.append(unit.name)
            elif unit.name in self.chosen.new_units:
                external = unit.roles == ["counterpart"]
                created = Unit(
                    name=unit.name[:100],
                    parent=self.plan.owner_unit,
                    kind=UnitKind.EXTERNAL if external else UnitKind.BUREAU,
                )
                created.full_clean()
                set_history_user(created, self.actor)
                created.save()
                self.units[unit.name] = created
                self.result.units.append(created)

    def parent_of(self, heading_id: str | None) -> Task | None:
        while heading_id is not None:
            if heading_id in self.task_of:
                return self.task_of[heading_id]
            heading_id = next((h.parent for h in self.proposal.outline if h.id == heading_id), None)
        return self.parent

    def lead_and_support(
        self, item_id: str, mentions: list[TaskUnit], fallback: Unit
    ) -> tuple[Unit, list[Unit]]:
        if item_id in self.chosen.lead_units:
            lead = Unit.objects.get(pk=self.chosen.lead_units[item_id])
        else:
            leads = [self.units[m.name] for m in mentions if m.role == "lead" and m.name in self.units]
            lead = leads[0] if leads else fallback
        support = [
            self.units[m.name]
            for m in mentions
            if m.role == "support" and m.name in self.units and self.units[m.name] != lead
        ]
        return lead, list(dict.fromkeys(support))

    def heading_task(self, heading: Heading) -> None:
        parent = self.parent_of(heading.parent)
        lead, support = self.lead_and_support(
            heading.id, [], parent.lead_unit if parent else self.plan.owner_unit
        )
        task = create_task(
            self.actor,
            plan=self.plan,
            parent=parent,
            title=self.chosen.titles.get(heading.id, heading.title)[:300],
            lead_unit=lead,
            support_units=support,
            kind=TaskKind.AREA if parent is None else TaskKind.MEASURE,
            code=heading.marker[:30],
            source_text=heading.title,
        )
        self.task_of[heading.id] = task
        self.result.tasks.append(task)

    def work_groups(self) -> list[list[ProposedTask]]:
        """The kept work items, each with the items merged into it, in the order of the text."""
        groups: list[list[ProposedTask]] = []
        for item in self.proposal.tasks:
            if item.id not in self.chosen.tasks:
                continue
            if item.id in self.chosen.merged and groups and groups[-1][0].heading == item.heading:
                groups[-1].append(item)
            else:
                groups.append([item])
        return groups

    def work_task(self, group: list[ProposedTask]) -> None:
        """One task for a work item and any merged into it: their texts, units and years together."""
        item = group[0]
        mentions = list(item.units) + [
            TaskUnit(mention.name, "support" if mention.role == "lead" else mention.role)
            for member in group[1:]
            for mention in member.units
        ]  # one lead
        years = [member.year for member in group if member.year]
        parent = self.parent_of(item.heading)
        fallback = parent.lead_unit if parent else self.plan.owner_unit
        lead, support = self.lead_and_support(item.id, mentions, fallback)
        ceiling = parent.deadline if parent else self.plan.period_end
        floor = parent.start_date if parent else self.plan.period_start
        deadline = _year_end(max(years) if years else None, ceiling)
        if deadline is not None and deadline < floor:
            self.result.notes.append(
                _("“%(title)s”的年份%(year)s早于上级任务的开始日期，已改用上级任务的完成时限。")
                % {"title": item.title[:30], "year": item.year}
            )
            deadline = None
        liaison = any(m.role == "counterpart" for m in mentions)
        task = create_task(
            self.actor,
            plan=self.plan,
            parent=parent,
            title=self.chosen.titles.get(item.id, item.title)[:300],
            lead_unit=lead,
            support_units=support,
            kind=TaskKind.LIAISON if liaison else ITEM_KINDS.get(item.kind, TaskKind.WORK),
            deadline=deadline,
            source_text="".join(member.text for member in group),
        )
        for member in group:
            self.task_of[member.id] = task
        self.result.tasks.append(task)

    def owner_of(self, target: Target) -> Unit:
        item = next((t for t in self.proposal.tasks if target.id in t.targets), None)
        task = self.task_of.get(item.id) if item else None
        return task.lead_unit if task else self.plan.owner_unit

    def indicator_for(self, name: str, unit: str, owner: Unit, lower_is_better: bool) -> Indicator:
        """The indicator this import made under the name, or a new one: never an existing one unasked."""
        indicator = self.new_indicators.get(name[:200])
        if indicator is None:
            require(self.actor, Action.CREATE, Indicator)
            indicator = Indicator(
                plan=self.plan,
                name=name[:200],
                unit=unit[:20],
                owner_unit=owner,
                direction=Direction.LOWER if lower_is_better else Direction.HIGHER,
            )
            indicator.full_clean()
            set_history_user(indicator, self.actor)
            indicator.save()
            self.new_indicators[indicator.name] = indicator
            self.result.indicators.append(indicator)
        return indicator

    def reference_for(self, name: str, unit: str) -> Indicator:
        """The series a relative target compares with (全省…): the plan's own, if it has one by that name."""
        return Indicator.objects.filter(plan=self.plan, name=name[:200]).first() or self.indicator_for(
            name, unit, self.plan.owner_unit, False
        )

    def indicator_target(self, target: Target, created: dict[str, IndicatorTarget]) -> None:
        if not (
            can(self.actor, Action.CREATE, IndicatorTarget) and can(self.actor, Action.CREATE, Indicator)
        ):
            self.result.proposed_indicators.append(f"{target.indicator}（{target.text[:40]}）")
            return
        comparator = COMPARATORS[target.comparator]
        picked = self.chosen.indicators.get(target.id)
        if picked is not None:
            indicator = Indicator.objects.get(pk=picked)  # the office joined this target to it
        else:
            indicator = self.indicator_for(
                target.indicator, target.unit, self.owner_of(target), comparator == Comparator.AT_MOST
            )
        if target.year:
            due = dt.date(target.year, 12, 31)
        elif target.within_years:
            due = dt.date(self.plan.period_start.year + round(target.within_years) - 1, 12, 31)
        else:
            due = self.plan.period_end
        kind = TARGET_KINDS[target.kind]
        made = IndicatorTarget(
            indicator=indicator,
            due_date=due,
            kind=kind,
            comparator=comparator,
            value=target.value,
            note=target.text[:200],
        )
        if kind == TargetKind.RELATIVE:
            made.reference_indicator = self.reference_for(
                f"{target.relative_to or ''}{target.indicator}", target.unit
            )
        if kind == TargetKind.MULTIPLE and target.previous_target in created:
            made.relative_to_target = created[target.previous_target]
        try:
            made.full_clean()
        except ValidationError as error:
            # Typically a doubling or a yearly increment with no baseline yet: keep the indicator,
            # tell the reviewer what to fill in, and go on.
            self.result.notes.append(
                _("指标“%(name)s”的目标（%(text)s）未建立：%(why)s")
                % {"name": indicator.name, "text": target.text[:40], "why": "；".join(error.messages)}
            )
            return
        set_history_user(made, self.actor)
        made.save()
        created[target.id] = made
        self.result.targets.append(made)


def propose_to_office(actor: Person, draft: ImportDraft, result: AcceptResult) -> None:
    """Units and indicators the actor may not create go to the supervision office's inbox to create."""
    if not (result.proposed_units or result.proposed_indicators):
        return
    lines = (
        [_("新单位：%(names)s") % {"names": "、".join(result.proposed_units)}]
        if result.proposed_units
        else []
    )
    if result.proposed_indicators:
        lines.append(_("指标和目标：%(names)s") % {"names": "；".join(result.proposed_indicators)})
    subject = _("%(who)s导入《%(source)s》时提出的单位和指标，请督查室建立") % {
        "who": actor.display_name,
        "source": draft.source_name,
    }
    link = reverse("task_detail", kwargs={"task_id": result.tasks[0].pk}) if result.tasks else ""
    for person in Person.objects.filter(role=Role.SUPERVISOR, is_active=True):
        notify(person, subject, body="\n".join(lines), link=link)
    result.notes.append(
        _("以下单位和指标须由督查室建立，已通知督查室：%(what)s") % {"what": "；".join(lines)}
    )


def accept_proposal(
    actor: Person,
    draft: ImportDraft,
    *,
    plan: Plan | None = None,
    parent: Task | None = None,
    new_plan: NewPlan | None = None,
    selection: Selection | None = None,
    on_progress: ProgressCallback | None = None,
) -> AcceptResult:
    """Create the reviewed proposal's tasks, new units and indicators where the office puts them: under `parent`,
    in a `new_plan`, or (only when asked) at the top of `plan`. All or nothing, in batches of short transactions
    (`run_in_batches`), so that a long import does not hold the database for others."""
    check_acceptable(actor, draft, ImportKind.TEXT)
    run = _Acceptance(
        actor, draft, draft.read_proposal(), selection, plan=plan, parent=parent, new_plan=new_plan
    )
    run_in_batches(actor, draft, run.steps(), run.total(), run.record, on_progress)
    return run.result


def import_steps(draft: ImportDraft, selection: Selection) -> int:
    """How many steps accepting the draft with these choices takes (the progress bar's whole)."""
    return _Acceptance(
        draft.owner, draft, draft.read_proposal(), selection, plan=None, parent=None, new_plan=None
    ).total()


def check_acceptable(actor: Person, draft: ImportDraft, kind: str) -> None:
    require(actor, Action.EDIT, draft)  # by the person who made it
    if draft.kind != kind:
        raise ValidationError(_("这份导入记录的类型不对。"))
    if draft.accepted_at is not None:
        raise ValidationError(_("这份提取结果已经导入过了。"))


def _mark_accepted(draft: ImportDraft, plan: Plan, created: dict) -> None:
    draft.accepted_at = clock.now()
    draft.plan = plan
    draft.created = created
    draft.state = ImportState.DONE
    draft.workbook = None  # the file has served its purpose; the tasks keep their source rows
    draft.save(update_fields=["accepted_at", "plan", "created", "state", "workbook"])


def propose_task_table(actor: Person, data: bytes, name: str) -> ImportDraft:
    """Keep an uploaded 任务分解表 for its preview; a file that is no task table is refused here."""
    require(actor, Action.CREATE, ImportDraft)
    table = read_task_table(data)
    return ImportDraft.objects.create(
        owner=actor,
        kind=ImportKind.EXCEL,
        source_name=name[:200],
        workbook=data,
        proposal={"sheet": table.sheet, "rows": len(table.rows)},
    )


def check_task_table(
    actor: Person,
    draft: ImportDraft,
    *,
    plan: Plan | None = None,
    parent: Task | None = None,
    new_plan: NewPlan | None = None,
    valid_rows_only: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportResult:
    """Every row checked at the chosen place, as the import would do it; nothing is kept, not even a new plan.
    The rows are tried in short transactions, each rolled back (`import_task_table`'s dry run), so others'
    writes go on meanwhile."""
    with transaction.atomic():
        plan, parent = _place(
            actor, plan, parent, new_plan, {}
        )  # checks the place (and the new plan's fields)
        transaction.set_rollback(True)
    if new_plan is not None:
        plan.pk = None  # rolled back: the dry run makes it again in each of its trial batches
    return import_task_table(
        actor,
        draft.workbook_bytes(),
        plan=plan,
        parent=parent,
        valid_rows_only=valid_rows_only,
        dry_run=True,
        on_progress=on_progress,
    )


def accept_task_table(
    actor: Person,
    draft: ImportDraft,
    *,
    plan: Plan | None = None,
    parent: Task | None = None,
    new_plan: NewPlan | None = None,
    valid_rows_only: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import the table's rows (all, or the valid ones only) at the chosen place, in batches of short transactions;
    nothing is kept when the rows end refused or an error stops it."""
    check_acceptable(actor, draft, ImportKind.EXCEL)
    created: dict = {"plan": None}

    def run_steps(steps: Iterator[None], total: int, result: ImportResult) -> None:
        run_in_batches(
            actor,
            draft,
            steps,
            total,
            lambda: AcceptResult(tasks=result.created).record(created["plan"]),
            on_progress,
        )

    with transaction.atomic():
        plan, parent = _place(actor, plan, parent, new_plan, created)
        # kept on the draft at once: an import whose worker dies before the first batch still takes it back
        ImportDraft.objects.filter(pk=draft.pk).update(created=AcceptResult().record(created["plan"]))
    try:
        result = import_task_table(
            actor,
            draft.workbook_bytes(),
            plan=plan,
            parent=parent,
            valid_rows_only=valid_rows_only,
            run_steps=run_steps,
        )
        if result.saved:
            _mark_accepted(draft, plan, AcceptResult(tasks=result.created).record(created["plan"]))
    except BaseException:
        remove_created(actor, {"plan": created["plan"]})  # a plan made for the import goes with it
        raise
    if not result.saved:
        remove_created(actor, {"plan": created["plan"]})
    return result


def can_undo(draft: ImportDraft) -> bool:
    """An accepted import not yet undone whose tasks are all still drafts."""
    if draft.accepted_at is None or draft.undone_at is not None:
        return False
    return (
        not Task.objects.filter(pk__in=draft.created.get("tasks", []))
        .exclude(status=TaskStatus.DRAFT)
        .exists()
    )


def undo_import(actor: Person, draft: ImportDraft) -> None:
    """Remove everything the import created, in one transaction, while all its tasks are still drafts."""
    require(actor, Action.EDIT, draft)  # by the person who made it
    if draft.accepted_at is None or draft.undone_at is not None:
        raise ValidationError(_("这次导入没有可撤销的内容。"))
    created = draft.created
    task_ids = created.get("tasks", [])
    with transaction.atomic():
        started = Task.objects.filter(pk__in=task_ids).exclude(status=TaskStatus.DRAFT).count()
        if started:
            raise ValidationError(
                _("导入的任务中已有 %(n)d 项交办或开始办理，不能整体撤销；请逐项处理这些任务。")
                % {"n": started}
            )
        added = Task.objects.subtree(task_ids).exclude(pk__in=task_ids).exists() or (
            created.get("plan")
            and Task.objects.filter(plan_id=created["plan"]).exclude(pk__in=task_ids).exists()
        )
        if added:
            raise ValidationError(_("导入之后又有人在其中新增了任务，不能整体撤销；请先删除这些任务。"))
        if IndicatorActual.objects.filter(indicator_id__in=created.get("indicators", [])).exists():
            raise ValidationError(_("导入建立的指标已填报实际值，不能整体撤销。"))
        remove_created(actor, created)
        draft.undone_at = clock.now()
        draft.save(update_fields=["undone_at"])
