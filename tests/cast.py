"""The named cast every test uses: a small park committee, its people, and a plan with tasks.

Built by plain code, no fixture files. Roles:
- admin, supervisor (党政办督查室), viewer
- leader: oversees 财政局
- caizheng_manager / caizheng_staff: 财政局
- jingfa_manager / jingfa_staff: 经发局
- outsider: staff of 宣传办, which takes no part in the cast's tasks
Tasks: area (lead 党政办) → key (lead 财政局, support 经发局) → measure (lead 财政局)
       and jingfa_task (lead 经发局) under the area.
"""

import datetime as dt
from dataclasses import dataclass

from django.test import Client

from luoshi.orgs.models import Person, Role, Unit, UnitKind
from luoshi.plans.models import Plan, Task, TaskKind, TaskStatus

PASSWORD = "pass-luoshi-123"


@dataclass
class Cast:
    committee: Unit
    office: Unit
    supervision: Unit
    caizheng: Unit
    jingfa: Unit
    jingfa_section: Unit
    xuanchuan: Unit
    admin: Person
    supervisor: Person
    leader: Person
    caizheng_manager: Person
    caizheng_staff: Person
    jingfa_manager: Person
    jingfa_staff: Person
    viewer: Person
    outsider: Person
    plan: Plan
    area: Task
    key: Task
    measure: Task
    jingfa_task: Task

    def people(self) -> dict[str, Person]:
        return {
            name: getattr(self, name)
            for name in (
                "admin",
                "supervisor",
                "leader",
                "caizheng_manager",
                "caizheng_staff",
                "jingfa_manager",
                "jingfa_staff",
                "viewer",
                "outsider",
            )
        }


def make_person(username: str, role: str, unit: Unit | None, full_name: str = "") -> Person:
    person = Person(username=username, role=role, unit=unit, full_name=full_name or username)
    person.set_password(PASSWORD)
    person.save()
    return person


def make_task(
    plan: Plan,
    title: str,
    lead_unit: Unit,
    parent: Task | None = None,
    *,
    status: str = TaskStatus.IN_PROGRESS,
    start: dt.date | None = None,
    deadline: dt.date | None = None,
    weight: float = 1.0,
    kind: str = TaskKind.WORK,
    support: tuple[Unit, ...] = (),
) -> Task:
    task = Task.objects.create(
        plan=plan,
        parent=parent,
        title=title,
        lead_unit=lead_unit,
        status=status,
        kind=kind,
        weight=weight,
        start_date=start or plan.period_start,
        deadline=deadline or plan.period_end,
    )
    task.support_units.set(support)
    return task


def make_cast() -> Cast:
    committee = Unit.objects.create(name="X工业园区管委会", short_name="管委会", kind=UnitKind.COMMITTEE)
    office = Unit.objects.create(name="党政办", parent=committee)
    supervision = Unit.objects.create(
        name="党政办督查室", short_name="督查室", parent=office, kind=UnitKind.SECTION
    )
    caizheng = Unit.objects.create(name="财政局", parent=committee)
    jingfa = Unit.objects.create(name="经发局", parent=committee, aliases="经济发展局")
    jingfa_section = Unit.objects.create(name="经发局综合科", parent=jingfa, kind=UnitKind.SECTION)
    xuanchuan = Unit.objects.create(name="宣传办", parent=committee)

    admin = make_person("admin", Role.ADMIN, office, "系统管理员")
    supervisor = make_person("supervisor", Role.SUPERVISOR, supervision, "督查室王主任")
    leader = make_person("leader", Role.LEADER, committee, "李副主任")
    caizheng.supervising_leader = leader
    caizheng.save()
    people = {
        "caizheng_manager": make_person("caizheng_manager", Role.MANAGER, caizheng, "财政局张局长"),
        "caizheng_staff": make_person("caizheng_staff", Role.STAFF, caizheng, "财政局刘科员"),
        "jingfa_manager": make_person("jingfa_manager", Role.MANAGER, jingfa, "经发局赵局长"),
        "jingfa_staff": make_person("jingfa_staff", Role.STAFF, jingfa, "经发局陈科员"),
        "viewer": make_person("viewer", Role.VIEWER, None, "观察员"),
        "outsider": make_person("outsider", Role.STAFF, xuanchuan, "宣传办孙干事"),
    }

    plan = Plan.objects.create(
        title="加快工业园区高质量发展实施方案",
        document_number="园办发〔2024〕1号",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2029, 12, 31),
        owner_unit=committee,
    )
    area = make_task(plan, "港口转型升级", office, kind=TaskKind.AREA)
    key = make_task(
        plan,
        "争取集装箱运输支持政策",
        caizheng,
        area,
        deadline=dt.date(2027, 6, 30),
        support=(jingfa,),
        kind=TaskKind.LIAISON,
    )
    measure = make_task(
        plan, "形成专门请示报省财政厅", caizheng, key, deadline=dt.date(2027, 3, 31), kind=TaskKind.MEASURE
    )
    jingfa_task = make_task(plan, "拿出绿色化工承接方案", jingfa, area, deadline=dt.date(2027, 6, 30))
    return Cast(
        committee,
        office,
        supervision,
        caizheng,
        jingfa,
        jingfa_section,
        xuanchuan,
        admin,
        supervisor,
        leader,
        plan=plan,
        area=area,
        key=key,
        measure=measure,
        jingfa_task=jingfa_task,
        **people,
    )


def client_for(person, language: str | None = None) -> Client:
    """A test client signed in as the person (and reading the pages in `language` when given)."""
    client = Client()
    client.force_login(person)
    if language:
        client.cookies["django_language"] = language
    return client
