"""What the task pages share: the plan being looked at, and tasks as rows with progress and light."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest

from luoshi.core import clock
from luoshi.core.access import visible_to
from luoshi.orgs.models import Person
from luoshi.plans.health import Health, Light, healths_of
from luoshi.plans.models import Plan, Task, TaskKind, TaskStatus
from luoshi.plans.rollup import progress_of


@dataclass
class TaskRow:
    """A task as a page shows it: its rolled-up progress and light, and its place in a tree."""

    task: Task
    health: Health
    depth: int = 0
    has_children: bool = False
    children_shown: bool = False
    context: bool = False  # shown only because a task below it matches the filter
    ancestors: str = ""  # ids of the shown ancestors, space separated, for the tree's toggles
    allowed: set[str] = field(
        default_factory=set
    )  # the actions the viewer may take, where a page offers them
    labels: "Labels | None" = None

    # Display names come from one translated table per request: Django's get_FOO_display() builds
    # and hashes the lazy choices on every call, which dominated long lists.
    @property
    def kind_label(self) -> str:
        return self._labels.kinds[self.task.kind]

    @property
    def status_label(self) -> str:
        return self._labels.statuses[self.task.status]

    @property
    def light_label(self) -> str:
        return self._labels.lights[self.health.light]

    @property
    def _labels(self) -> "Labels":
        if self.labels is None:
            self.labels = Labels.now()
        return self.labels

    @property
    def overdue_days(self) -> int:
        if self.task.is_closed:
            return 0
        return max(0, (clock.today() - self.task.deadline).days)

    @property
    def days_left(self) -> int:
        return (self.task.deadline - clock.today()).days


@dataclass(frozen=True)
class Labels:
    """The display names of kinds, statuses and lights in the active language."""

    kinds: dict[str, str]
    statuses: dict[str, str]
    lights: dict[str, str]

    @classmethod
    def now(cls) -> "Labels":
        return cls(
            {k: str(v) for k, v in TaskKind.choices},
            {k: str(v) for k, v in TaskStatus.choices},
            {k: str(v) for k, v in Light.choices},
        )


def task_rows(tasks: Iterable[Task], progress: Mapping[int, float] | None = None) -> list[TaskRow]:
    """Rows for the given tasks; their progress is read in one query unless given."""
    tasks = list(tasks)
    if progress is None:
        progress = progress_of(t.pk for t in tasks)
    today, labels = clock.today(), Labels.now()
    healths = healths_of(tasks, progress, today)
    return [TaskRow(t, healths[t.pk], labels=labels) for t in tasks]


def plan_choices(person: Person) -> list[Plan]:
    """The plans the person may look at, newest first."""
    return list(visible_to(person, Plan.objects.order_by("-period_start", "id")))


def chosen_plan(request: HttpRequest, plans: list[Plan]) -> Plan | None:
    """The plan named by ?plan=, else the newest one under way; a plan id that does not exist is a 404.

    "Under way" means some task has left draft: a plan just imported (all drafts) does not take the
    cockpit and the tree from the plan the units are working on.
    """
    raw = request.GET.get("plan", "")
    if not raw:
        under_way = set(
            Task.objects.exclude(status=TaskStatus.DRAFT).values_list("plan_id", flat=True).distinct()
        )
        return next((plan for plan in plans if plan.pk in under_way), plans[0] if plans else None)
    for plan in plans:
        if str(plan.pk) == raw:
            return plan
    raise Http404("plan not found")
