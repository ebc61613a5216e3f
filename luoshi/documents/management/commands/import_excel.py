"""`luoshi import-excel FILE --plan PLAN_ID [--parent TASK_ID] --as USERNAME [--valid-rows-only] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.documents.excel import import_task_table
from luoshi.documents.excel.layout import MAX_ROWS
from luoshi.orgs.models import Person
from luoshi.plans.models import Plan, Task


class Command(BaseCommand):
    help = (f"导入 Excel 任务分解表（.xlsx，最多 {MAX_ROWS} 行）：先逐行检查，全部无误才保存；"
            "加 --valid-rows-only 则只导入无误的行，加 --dry-run 只检查不保存。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="任务分解表 .xlsx 文件")
        parser.add_argument("--plan", type=int, required=True, help="实施方案编号")
        parser.add_argument("--parent", type=int, help="上级任务编号（不填则导入为方案的顶层任务）")
        parser.add_argument("--as", dest="username", required=True, help="以哪位人员的身份导入（用户名）")
        parser.add_argument("--valid-rows-only", action="store_true", help="只导入无误的行，有错误的行及其下级跳过")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args, file: str, plan: int, parent: int | None, username: str,
               valid_rows_only: bool, dry_run: bool, **options) -> None:
        actor = Person.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{username}”。")
        found_plan = Plan.objects.filter(pk=plan).first()
        if found_plan is None:
            raise CommandError(f"找不到实施方案 {plan}。")
        parent_task = None
        if parent is not None:
            # "Not yours" and "not there" read the same.
            parent_task = Task.objects.visible_to(actor).filter(pk=parent, plan=found_plan).first()
            if parent_task is None:
                raise CommandError(f"实施方案 {plan} 中找不到任务 {parent}。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件“{file}”。")
        result = import_task_table(actor, path, plan=found_plan, parent=parent_task,
                                   valid_rows_only=valid_rows_only, dry_run=dry_run)
        for warning in result.warnings:
            self.stderr.write(f"提示 {warning}")
        for error in result.errors:
            self.stderr.write(f"错误 {error}")
        if result.errors and not result.saved:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
