"""Load the sample plan, its organisation, figures and history into an empty database."""

import random
import time
from dataclasses import dataclass, field

from django.db import transaction

from luoshi.core import clock
from luoshi.demo.figures import build_indicators
from luoshi.demo.notices import issue_demo_notices
from luoshi.demo.org import DEMO_PASSWORD, LEADERS, LOGINS, UNITS, build_org
from luoshi.demo.portfolio import build_projects
from luoshi.demo.timeline import Calendar, Replay, moment
from luoshi.demo.tree import GOALS, MOBILISATION, PLAN_SUMMARY, PLAN_TITLE, TREE
from luoshi.demo.workflow import Replayer
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans.models import Goal, Plan

#: Same seed, same demo: names, dates and percentages are drawn from this.
SEED = 20201120


class DemoConflict(Exception):
    """The database already holds units or people the demo would create."""


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    unit: str
    full_name: str


@dataclass
class DemoResult:
    plan: Plan
    created: bool
    seconds: float = 0.0
    logins: list[Login] = field(default_factory=list)
    password: str = DEMO_PASSWORD


def demo_logins() -> list[Login]:
    """The one-per-role logins, as they are in the database."""
    people = {
        p.username: p
        for p in Person.objects.filter(username__in=[u for u, *_ in LOGINS]).select_related("unit")
    }
    return [
        Login(
            username,
            str(Role(role).label),
            unit.name if (unit := people[username].unit) else "—",
            people[username].display_name,
        )
        for username, role, *_ in LOGINS
        if username in people
    ]


def load_demo() -> DemoResult:
    """Load the demo unless its plan is already there; refuse if its units or people clash with others."""
    existing = Plan.objects.filter(title=PLAN_TITLE).first()
    if existing is not None:
        return DemoResult(existing, created=False, logins=demo_logins())
    _refuse_clashes()
    began = time.monotonic()
    cal = Calendar(clock.today())
    rng = random.Random(SEED)
    replay = Replay()
    with transaction.atomic(), replay.running():
        # The units and people were there before the plan arrived.
        replay.at(moment(cal.on(2020, 3, 2)))
        org = build_org(rng)
        replay.at(moment(cal.on(*MOBILISATION), 8, 30))
        plan = Plan.objects.create(
            title=PLAN_TITLE,
            document_number=f"省办发〔{cal.year(2020)}〕12号",
            summary=PLAN_SUMMARY,
            period_start=cal.first_day,
            period_end=cal.last_day,
            owner_unit=org.unit("管委会"),
        )
        goals = [
            Goal.objects.create(plan=plan, title=g.title, description=g.description, order=number)
            for number, g in enumerate(GOALS, start=1)
        ]
        replayer = Replayer(plan, goals, org, cal, rng, replay)
        replayer.build(TREE)
        replayer.remarks()
        issue_demo_notices(replayer)
        by_title = {task.title: task for task in replayer.tasks.values()}
        build_indicators(plan, goals, by_title, org, cal, replay)
        build_projects(plan, by_title, org, cal, rng, replay)
    return DemoResult(plan, created=True, seconds=time.monotonic() - began, logins=demo_logins())


def _refuse_clashes() -> None:
    names = [spec.name for spec in UNITS]
    usernames = [u for u, *_ in LOGINS] + [spec.username for spec in LEADERS]
    clashing_units = list(Unit.objects.filter(name__in=names).values_list("name", flat=True)[:5])
    clashing_people = list(
        Person.objects.filter(username__in=usernames).values_list("username", flat=True)[:5]
    )
    if clashing_units or clashing_people:
        found = "、".join(clashing_units + clashing_people)
        raise DemoConflict(
            f"The database already has units or people the demo would create ({found}). Load the demo into "
            "an empty database: point LUOSHI_DATA_DIR at a new folder, or run `luoshi demo --reset`."
        )
