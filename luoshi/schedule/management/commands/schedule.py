"""`luoshi schedule TASK_ID`: a task's backward schedule (倒排工期) and critical path."""

from django.core.management.base import CommandError, CommandParser

from luoshi.core.output import FigureCommand, render_table
from luoshi.plans.health import light_figures
from luoshi.plans.models import Task
from luoshi.schedule.backward import Schedule, ScheduleError, task_schedule_figures
from luoshi.schedule.workdays import CalendarNotCovered


class Command(FigureCommand):
    help = "按工作日从完成时限倒排任务的里程碑：最迟开始/完成、预计完成、机动时间和关键路径。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task_id", type=int)
        parser.add_argument(
            "--estimate", action="store_true", help="没有节假日安排的年份按周一至周五估算，而不是报错"
        )
        super().add_arguments(parser)

    def handle(self, *args, task_id: int, estimate: bool, **options) -> None:
        task = Task.objects.filter(pk=task_id).first()
        if task is None:
            raise CommandError(f"没有编号为 {task_id} 的任务。")
        today = self.today(options)
        try:
            data = task_schedule_figures(task, today=today, estimate=estimate)
        except (ScheduleError, CalendarNotCovered) as error:
            raise CommandError(str(error)) from error
        # The task's light says the same here as on its page: the one function, with its reasons.
        data["light"] = light_figures(task, today)
        self.emit(options, data, lambda: table(task, data["schedule"], data["light"]))


def table(task: Task, schedule: Schedule, light: dict) -> str:
    names = {m.key: m.name for m in schedule.milestones}
    rows = [
        [
            m.name,
            m.duration,
            m.latest_start,
            m.latest_finish,
            m.expected_start,
            m.expected_finish,
            "已完成" if m.done else m.slack,
            "★" if m.critical else "",
        ]
        for m in schedule.milestones
    ]
    lines = [
        f"{task} — 完成时限 {schedule.deadline}（最后工作日 {schedule.last_working_day}），按 {schedule.today} 计算"
        + ("，部分年份按周一至周五估算" if schedule.estimated else ""),
        render_table(
            ["里程碑", "工期", "最迟开始", "最迟完成", "预计开始", "预计完成", "机动", "关键"], rows
        ),
        "关键路径：" + (" → ".join(names[k] for k in schedule.critical_path) or "（无未完成节点）"),
        f"预计完成：{schedule.expected_finish or '—'}",
        f"判断：{schedule.verdict.label}",
        f"红黄绿灯：{light['label']}（{'；'.join(light['reasons'])}）",
    ]
    lines += [f"⚠ {problem.message}" for problem in schedule.problems]
    return "\n".join(lines)
