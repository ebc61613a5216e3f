"""`luoshi export-excel --plan PLAN_ID [--task TASK_ID] --output FILE`: a 任务分解表 ready to print."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.documents.excel import write_task_table
from luoshi.plans.models import Plan, Task


class Command(BaseCommand):
    help = "把实施方案（或其中一项任务及其下级任务）导出为 Excel 任务分解表，横向 A4 排版，可直接打印，也可再导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="实施方案编号")
        parser.add_argument("--task", type=int, help="只导出这项任务及其下级任务")
        parser.add_argument("--output", required=True, help="输出的 .xlsx 文件路径")

    def handle(self, *args, plan: int, task: int | None, output: str, **options) -> None:
        found_plan = Plan.objects.filter(pk=plan).first()
        if found_plan is None:
            raise CommandError(f"找不到实施方案 {plan}。")
        root = None
        if task is not None:
            root = Task.objects.filter(pk=task, plan=found_plan).first()
            if root is None:
                raise CommandError(f"实施方案 {plan} 中找不到任务 {task}。")
        try:
            write_task_table(found_plan, output, root)
        except OSError as error:
            raise CommandError(f"无法写入“{output}”：{error.strerror}") from None
        count = Task.objects.subtree([root.pk]).count() if root else found_plan.tasks.count()
        self.stdout.write(f"已导出 {count} 项任务 → {output}")
