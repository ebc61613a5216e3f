"""Replays the sample plan's history through the ordinary actions, so every task's record is real.

Each task follows its `story`:
- leaves: "done" (closed with evidence and a sign-off), "green"/"yellow"/"red" (in progress, ahead of,
  a little behind or far behind expected progress today), "overdue" (deadline passed, still open),
  "returned", "closing" (closing requested), "acknowledged", "assigned" (not yet acknowledged), "draft";
- parents: "active" (assigned, acknowledged, started; progress rolls up from children) or "done"
  (closed after all its children).
The supervision office creates and assigns the top two levels (the committee's decomposition);
each lead unit's manager splits its key tasks further and assigns the parts (细化分解).
"""

import datetime as dt
import math
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import prefetch_related_objects

from luoshi.demo.org import Org
from luoshi.demo.timeline import Calendar, Replay, moment
from luoshi.demo.tree import MOBILISATION, TaskSpec
from luoshi.orgs.models import Person, Unit, UnitKind
from luoshi.plans import actions
from luoshi.plans.health import expected_progress
from luoshi.plans.models import Goal, Milestone, Plan, Task, TaskKind, TaskStatus
from luoshi.plans.schedule_days import refresh_schedule_days
from luoshi.progress.actions import report_progress
from luoshi.schedule.workdays import is_working_day

OPENERS = ("", "本期", "按照倒排工期安排，", "经与配合单位会商，", "在分管领导调度推动下，", "对照任务节点，")
EXTRAS = (
    "召开专题推进会{n}次。",
    "赴现场调度{n}次。",
    "与省直部门对接{n}次。",
    "形成工作简报{n}期。",
    "协调解决具体问题{n}个。",
    "",
)
MINOR_PROBLEMS = (
    "配合单位材料报送不够及时。",
    "受天气影响，现场施工有所延误。",
    "资金拨付流程较长。",
    "上级审批时限不确定，需持续跟进。",
    "要素保障压力较大，需协调用地指标。",
)
RETURN_NOTES = (
    "佐证材料不全，缺少验收意见，请补充后重新申请。",
    "办结材料与任务要求不一致，请补充完成情况说明。",
    "请补充配合单位的确认意见。",
)
EVIDENCE_LABELS = ("工作台账", "会议纪要", "现场照片说明", "批复文件摘要", "对接情况记录")
LEADER_REMARKS = (
    "请{unit}对照时间节点倒排工期，在下周调度会上专题汇报。",
    "进度明显滞后，请{unit}主要负责同志亲自协调，尽快拿出解决办法。",
    "请{unit}说明滞后原因，明确完成时间，督查室跟踪督办。",
)


class Replayer:
    """Builds the task tree of one plan, replaying each task's history at its own dates."""

    def __init__(
        self, plan: Plan, goals: list[Goal], org: Org, cal: Calendar, rng: random.Random, replay: Replay
    ) -> None:
        self.plan, self.goals, self.org, self.cal, self.rng, self.replay = plan, goals, org, cal, rng, replay
        self.today = cal.today
        self.tasks: dict[str, Task] = {}  # by code
        self.stories: dict[str, str] = {}  # by code

    # -- time ----------------------------------------------------------------------------------

    def day(self, day: dt.date) -> dt.date:
        """The first working day on or after `day`, but never after today."""
        moved = day
        while not is_working_day(moved, estimate=True):
            moved += dt.timedelta(days=1)
        if moved <= self.today:
            return moved
        moved = min(day, self.today)
        while not is_working_day(moved, estimate=True) and moved > self.today - dt.timedelta(days=7):
            moved -= dt.timedelta(days=1)
        return moved

    def at(self, day: dt.date) -> dt.date:
        """Move the clock to a working hour of `day` (made a working day) and return that day."""
        day = self.day(day)
        self.replay.at(moment(day, self.rng.randint(8, 17), self.rng.randint(0, 59)))
        return day

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        return day + dt.timedelta(days=self.rng.randint(low, high))

    def before_today(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    # -- people --------------------------------------------------------------------------------

    def head(self, unit: Unit) -> Person:
        """The unit's head, as the one Person object the demo keeps (its access scope stays cached)."""
        return self.org.heads[self.key_of(unit)]

    def reporter(self, unit_key: str) -> Person:
        staff = self.org.staff.get(unit_key)
        return staff if staff and self.rng.random() < 0.8 else self.org.heads[unit_key]

    # -- the tree ------------------------------------------------------------------------------

    def build(self, specs: tuple[TaskSpec, ...]) -> None:
        start = self.cal.on(*MOBILISATION)
        for number, spec in enumerate(specs, start=1):
            self.task(spec, None, str(number), start)

    def task(self, spec: TaskSpec, parent: Task | None, code: str, parent_created: dt.date) -> dt.date | None:
        """Create the task and replay its story; returns the day it was closed, if it was."""
        depth = code.count(".") + 1
        created = self.at(self.created_on(spec, parent_created, depth))
        creator = self.org.supervisor if depth <= 2 or parent is None else self.head(parent.lead_unit)
        start = self.cal.on(*spec.start) if spec.start else created
        if spec.story in ("acknowledged", "assigned", "draft"):
            start = self.later(self.today, 7, 30)  # new work, planned to begin in the coming weeks
        deadline = (
            self.cal.on(*spec.due) if spec.due else (parent.deadline if parent else self.plan.period_end)
        )
        task = actions.create_task(
            creator,
            plan=self.plan,
            parent=parent,
            title=spec.title,
            lead_unit=self.org.unit(spec.lead),
            kind=spec.kind,
            support_units=[self.org.unit(key) for key in spec.support],
            owner=self.org.heads[spec.lead],
            start_date=start,
            deadline=max(deadline, start),
            weight=spec.weight,
            description=spec.description,
            code=code,
            goal=self.goals[spec.goal - 1] if spec.goal else None,
        )
        self.tasks[code] = task
        self.stories[code] = spec.story
        if spec.story == "draft":
            return None
        assigned = created
        actions.assign_task(creator, task)
        if spec.story == "assigned":
            return None
        acknowledged = self.at(self.later(assigned, 1, 4))
        task = actions.acknowledge_task(self.head(task.lead_unit), task)
        if spec.story == "acknowledged":
            return None
        if spec.children:
            return self.parent_story(task, spec, acknowledged)
        return self.leaf_story(task, spec, acknowledged)

    def created_on(self, spec: TaskSpec, parent_created: dt.date, depth: int) -> dt.date:
        if spec.story in ("assigned", "acknowledged", "draft"):
            low, high = {"draft": (1, 6), "assigned": (2, 6), "acknowledged": (12, 25)}[spec.story]
            return self.before_today(low, high)
        if depth == 1:
            return parent_created
        if depth == 2:
            return self.later(parent_created, 0, 3)
        return self.later(parent_created, 10, 35)  # the lead unit's own decomposition

    def parent_story(self, task: Task, spec: TaskSpec, acknowledged: dt.date) -> dt.date | None:
        self.at(self.later(acknowledged, 1, 5))
        task = actions.start_task(self.head(task.lead_unit), task)
        closes = [
            self.task(child, task, f"{task.code}.{number}", acknowledged)
            for number, child in enumerate(spec.children, start=1)
        ]
        if spec.story != "done" or None in closes:
            return None
        # The lead unit sums up once every part is closed, and asks to close the whole.
        summary = self.later(max(day for day in closes if day is not None), 2, 6)
        self.report(
            task,
            spec,
            summary,
            100,
            evidence=True,
            narrative=f"下设{len(spec.children)}项任务已全部办结，形成总结报告。",
        )
        return self.close(task, spec, summary)

    def leaf_story(self, task: Task, spec: TaskSpec, acknowledged: dt.date) -> dt.date | None:
        story = spec.story
        prefetch_related_objects([task], "support_units")  # every report asks who supports the task
        first = self.later(acknowledged, 12, 35)
        if story == "done":
            finish = min(task.deadline, self.today - dt.timedelta(days=25)) - dt.timedelta(
                days=self.rng.randint(0, 20)
            )
            finish = max(finish, self.later(acknowledged, 14, 30))
            if spec.finished:
                finish = min(self.cal.on(*spec.finished), self.today - dt.timedelta(days=25))
            self.series(task, spec, first, finish, 100)
            return self.close(task, spec, finish)
        if story in ("returned", "closing"):
            low, high = (18, 30) if story == "returned" else (4, 9)
            finish = self.before_today(low, high)
            self.series(task, spec, first, finish, 100)
            requested = self.at(self.later(finish, 1, 2))
            task = actions.request_closing(self.head(task.lead_unit), task, "任务已完成，申请办结。")
            if story == "returned":
                self.at(self.later(requested, 3, 6))
                actions.return_task(self.org.supervisor, task, self.rng.choice(RETURN_NOTES))
            return None
        last = self.before_today(3, 25)
        expected = expected_progress(task.start_date, task.deadline, self.today)
        final = {
            "green": lambda: min(99, math.ceil(expected) + self.rng.randint(1, 8)),
            "yellow": lambda: max(0, math.floor(expected) - self.rng.randint(4, 12)),
            "red": lambda: max(0, math.floor(expected) - self.rng.randint(22, 35)),
            "overdue": lambda: self.rng.randint(55, 88),
        }[story]()
        self.series(task, spec, first, last, final)
        return None

    # -- reports and closing -------------------------------------------------------------------

    def series(self, task: Task, spec: TaskSpec, first: dt.date, last: dt.date, final: int) -> None:
        """Reports from `first` to `last`, rising to `final` percent; milestones follow the steps."""
        days = [first]
        while days[-1] < last - dt.timedelta(days=20):
            days.append(self.later(days[-1], 80, 140))  # about once a quarter
        days = [d for d in days if d < last - dt.timedelta(days=10)] + [last]
        span = max(1, (last - first).days)
        percent = 0
        history: list[tuple[dt.date, int]] = []
        for number, day in enumerate(days):
            is_last = number == len(days) - 1
            share = (day - first).days / span + self.rng.uniform(-0.06, 0.06)
            percent = final if is_last else max(percent, min(final, round(final * max(0.05, share))))
            lagging = (spec.story in ("yellow", "red", "overdue") and number >= len(days) * 2 // 3) or (
                day > task.deadline and percent < 100
            )
            self.report(
                task,
                spec,
                day,
                percent,
                evidence=(is_last and final == 100) or self.rng.random() < 0.08,
                lagging=lagging,
                from_support=0 < number < len(days) - 1,
            )
            history.append((day, percent))
        self.milestones(task, spec, history)

    def report(
        self,
        task: Task,
        spec: TaskSpec,
        day: dt.date,
        percent: int,
        *,
        evidence: bool = False,
        lagging: bool = False,
        from_support: bool = False,
        narrative: str = "",
    ) -> None:
        day = self.at(day)
        author = self.reporter(self.key_of(task.lead_unit))
        supporters = [u for u in task.support_units.all() if u.kind != UnitKind.EXTERNAL]
        if from_support and supporters and task.status != TaskStatus.ACKNOWLEDGED and self.rng.random() < 0.2:
            author = self.reporter(self.key_of(self.rng.choice(supporters)))
        problems = ""
        if lagging:
            problems = spec.problem or self.rng.choice(MINOR_PROBLEMS)
        elif percent < 100 and self.rng.random() < 0.12:
            problems = self.rng.choice(MINOR_PROBLEMS)
        narrative = narrative or self.narrative(spec, percent)
        files = [self.evidence(task, day, narrative, final=percent == 100)] if evidence else []
        report_progress(
            author,
            task,
            percent=percent,
            narrative=narrative,
            problems=problems,
            reported_on=day,
            files=files,
        )
        if task.status == TaskStatus.ACKNOWLEDGED:
            task.refresh_from_db(fields=["status", "version"])  # the first report started the work

    def narrative(self, spec: TaskSpec, percent: int) -> str:
        steps = spec.steps or (
            "制定工作方案，明确责任分工",
            "协调解决要件问题",
            "完成主体工作",
            "整理佐证材料",
        )
        if percent >= 100:
            return f"已全部完成：{'；'.join(steps)}。"
        done = min(len(steps) - 1, int(percent / 100 * len(steps)))
        finished = "；".join(steps[:done]) or "前期准备"
        extra = self.rng.choice(EXTRAS).format(n=self.rng.randint(1, 4))
        return f"{self.rng.choice(OPENERS)}已完成：{finished}。正在推进：{steps[done]}，完成进度约{percent}%。{extra}"

    def evidence(self, task: Task, day: dt.date, narrative: str, *, final: bool) -> SimpleUploadedFile:
        label = "办结材料清单" if final else self.rng.choice(EVIDENCE_LABELS)
        body = (
            f"{label}\n任务：{task.code} {task.title}\n牵头单位：{task.lead_unit.name}\n日期：{day.isoformat()}\n\n"
            f"{narrative}\n"
        )
        return SimpleUploadedFile(f"{task.code}-{label}.txt", body.encode("utf-8"), content_type="text/plain")

    def close(self, task: Task, spec: TaskSpec, finished: dt.date) -> dt.date:
        """Request closing, perhaps be sent back once for missing material, and be signed off."""
        requested = self.at(self.later(finished, 1, 3))
        task = actions.request_closing(
            self.head(task.lead_unit), task, "任务已完成，佐证材料已上传，申请销号。"
        )
        if self.rng.random() < 0.2:
            returned = self.at(self.later(requested, 2, 4))
            task = actions.return_task(self.org.supervisor, task, self.rng.choice(RETURN_NOTES))
            resent = self.later(returned, 2, 5)
            self.report(
                task, spec, resent, 100, evidence=True, narrative="已按督查室意见补充佐证材料和完成情况说明。"
            )
            requested = self.at(self.later(resent, 0, 1))
            task = actions.request_closing(self.head(task.lead_unit), task, "已补充材料，再次申请办结。")
        closed = self.at(self.later(requested, 2, 6))
        actions.sign_off(self.org.supervisor, task, "材料齐全，同意办结销号。")
        return closed

    def milestones(self, task: Task, spec: TaskSpec, history: list[tuple[dt.date, int]]) -> None:
        """Checkpoints for projects and targets, one per step, spread evenly up to the deadline; a step
        counts as reached on the first report whose percent covers it, as the narratives say."""
        if task.kind not in (TaskKind.PROJECT, TaskKind.TARGET) or len(spec.steps) < 2:
            return
        span = (task.deadline - task.start_date).days
        steps = len(spec.steps)
        previous = None
        for number, step in enumerate(spec.steps, start=1):
            due = task.start_date + dt.timedelta(days=span * number // steps)
            completed = next((day for day, percent in history if percent * steps >= number * 100), None)
            milestone = Milestone.objects.create(
                task=task,
                title=step,
                due_date=due,
                completed_on=completed,
                order=number,
                duration_days=max(
                    1, (due - (previous.due_date if previous else task.start_date)).days * 5 // 7
                ),
            )
            if previous:
                milestone.depends_on.add(previous)
            previous = milestone
        refresh_schedule_days([task.pk])  # written here, not through an action: keep its schedule days

    # -- remarks -------------------------------------------------------------------------------

    def remarks(self) -> None:
        """Leaders' instructions (批示) on tasks that lag, and the office's note on sent-back closings."""
        for code, story in self.stories.items():
            task = self.tasks[code]
            if story in ("red", "overdue"):
                leader = self.overseer(task.lead_unit)
                if leader is not None:
                    self.at(self.before_today(5, 40))
                    remark = self.rng.choice(LEADER_REMARKS).format(unit=task.lead_unit.display_name)
                    actions.add_comment(leader, task, remark)
            elif story == "returned":
                self.at(self.before_today(1, 10))
                actions.add_comment(
                    self.org.supervisor, task, "已列入本月通报，请尽快补充材料后重新申请办结。"
                )

    def overseer(self, unit: Unit | None) -> Person | None:
        while unit is not None:
            if unit.supervising_leader_id:
                return unit.supervising_leader
            unit = unit.parent
        return None

    def key_of(self, unit: Unit) -> str:
        return unit.short_name or unit.name
