"""Workflow steps as the pages offer them: the button, the question asked before an irreversible
step, the note it takes — and, for those who may not ask to close a task, who may."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from luoshi.core.access import Action
from luoshi.core.tree import ancestor_ids
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans import actions
from luoshi.plans.forms import CONFIRMED_STEPS
from luoshi.plans.models import Step, Task


@dataclass
class StepButton:
    """A step the person may take now, as its form on the page shows it."""

    name: str
    label: str
    confirm: str = ""  # the question asked before posting; empty for steps that need none
    note: str = ""  # the note field's placeholder; empty when the form takes no note
    note_required: bool = False

    @property
    def confirmed(self) -> bool:
        return self.name in CONFIRMED_STEPS


def step_button(name: str, progress: float) -> StepButton:
    label = str(Step(name).label)
    if name == Step.REQUEST_CLOSING:
        if progress < 100:
            shown = {"progress": f"{progress:g}"}
            return StepButton(
                name,
                label,
                note=_("办结说明（必填）"),
                note_required=True,
                confirm=_("当前进度 %(progress)s%%，未到 100%%。确定申请办结？请在办结说明中写明理由。")
                % shown,
            )
        return StepButton(
            name, label, note=_("办结说明（选填）"), confirm=_("确定申请办结？督查室复核通过后销号。")
        )
    if name == Step.SIGN_OFF:
        return StepButton(name, label, confirm=_("确定复核通过并销号？销号后任务不能再修改。"))
    if name == Step.RETURN:
        return StepButton(name, label, note=_("退回理由"), note_required=True)
    return StepButton(name, label)


def available_steps(
    allowed: set[Action], task: Task, progress: float, names: Iterable[str] = Step.values
) -> list[StepButton]:
    """The workflow steps the person may take on the task now: permitted to them and open from its status."""
    return [
        step_button(name, progress)
        for name in names
        if actions.TRANSITIONS[name][0] in allowed and task.status in actions.TRANSITIONS[name][1]
    ]


def closing_requesters(task: Task) -> list[Person]:
    """Who asks to close the task (申请办结): the managers of its lead unit, or where it has none, of the
    nearest unit above it that has."""
    chain = {u.pk: u.parent_id for u in Unit.objects.filter(pk__in=ancestor_ids(Unit, task.lead_unit_id))}
    managers: dict[int, list[Person]] = {}
    people = Person.objects.filter(is_active=True, role=Role.MANAGER, unit_id__in=chain).select_related(
        "unit"
    )
    for person in people.order_by("id"):
        managers.setdefault(person.unit_id, []).append(person)
    unit_id: int | None = task.lead_unit_id
    while unit_id is not None:
        if unit_id in managers:
            return managers[unit_id]
        unit_id = chain.get(unit_id)
    return []


def closing_not_yours(
    allowed: set[Action], task: Task, known: dict[int, list[Person]] | None = None
) -> list[Person] | None:
    """For someone working on the task who may not ask to close it while it could be: the people who
    may (possibly none). None when there is nothing to explain. `known` keeps them by lead unit
    across the cards of one page, so a list asks once per unit, not once per card."""
    if Action.REPORT not in allowed or Action.REQUEST_CLOSING in allowed:
        return None
    if task.status not in actions.TRANSITIONS[Step.REQUEST_CLOSING][1]:
        return None
    if known is None:
        return closing_requesters(task)
    if task.lead_unit_id not in known:
        known[task.lead_unit_id] = closing_requesters(task)
    return known[task.lead_unit_id]
