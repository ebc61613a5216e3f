"""Workflow steps as the pages offer them: the button, the question asked before an irreversible
step, the note it takes — and, for those who may not ask to close a task, who may."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from luoshi.core.access import Action
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
    return closing_requesters_by_unit([task.lead_unit_id])[task.lead_unit_id]


def closing_requesters_by_unit(unit_ids: Iterable[int]) -> dict[int, list[Person]]:
    """`closing_requesters` of the tasks each of these units leads, by unit, in two queries for any number."""
    parent = dict(Unit.objects.values_list("id", "parent_id"))
    chains: dict[int, list[int]] = {}
    for unit_id in set(unit_ids):
        chain: list[int] = []
        above: int | None = unit_id
        while above is not None and above not in chain:
            chain.append(above)
            above = parent.get(above)
        chains[unit_id] = chain
    managers: dict[int, list[Person]] = {}
    people = Person.objects.filter(
        is_active=True, role=Role.MANAGER, unit_id__in={u for chain in chains.values() for u in chain}
    ).select_related("unit")
    for person in people.order_by("id"):
        managers.setdefault(person.unit_id, []).append(person)
    return {
        unit_id: next((managers[u] for u in chain if u in managers), []) for unit_id, chain in chains.items()
    }


def closing_not_yours(
    allowed: set[Action], task: Task, known: dict[int, list[Person]] | None = None
) -> list[Person] | None:
    """For someone working on the task who may not ask to close it while it could be: the people who
    may (possibly none). None when there is nothing to explain. `known` keeps them by lead unit
    across the cards of one page (`closing_requesters_by_unit`), so a list asks once, not once per card."""
    if Action.REPORT not in allowed or Action.REQUEST_CLOSING in allowed:
        return None
    if task.status not in actions.TRANSITIONS[Step.REQUEST_CLOSING][1]:
        return None
    if known is None:
        return closing_requesters(task)
    if task.lead_unit_id not in known:
        known[task.lead_unit_id] = closing_requesters(task)
    return known[task.lead_unit_id]
