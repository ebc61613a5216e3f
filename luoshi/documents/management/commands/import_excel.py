"""`luoshi import-excel FILE [--new-plan [TITLE] | --under TASK | --plan ID] --as USERNAME [--valid-rows-only] [--dry-run]`."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.core.limits import IMPORT_BYTES, TASK_ROWS
from luoshi.core.text import one_line
from luoshi.documents.actions import accept_task_table, check_task_table, propose_task_table, table_years
from luoshi.documents.excel import UnreadableTable
from luoshi.documents.management.placement import add_placement_arguments, placement_of
from luoshi.orgs.models import Person


class Command(BaseCommand):
    help = (
        f"导入 Excel 任务分解表（.xlsx，最多 {TASK_ROWS.most} 行）：先逐行检查，全部无误才保存；"
        "加 --valid-rows-only 则只导入无误的行，加 --dry-run 只检查不保存。"
        "默认新建实施方案，或用 --under 导入到已有方案的一项任务之下、--plan 作为已有方案的顶层任务。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="任务分解表 .xlsx 文件")
        add_placement_arguments(parser)
        parser.add_argument("--as", dest="username", required=True, help="以哪位人员的身份导入（用户名）")
        parser.add_argument(
            "--valid-rows-only", action="store_true", help="只导入无误的行，有错误的行及其下级跳过"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args, **opts) -> None:
        actor = Person.objects.filter(username=opts["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{opts['username']}”。")
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件“{opts['file']}”。")
        IMPORT_BYTES.check(path.stat().st_size, CommandError)
        data = path.read_bytes()
        try:
            place = placement_of(opts, actor, path.stem, table_years(data))
            draft = propose_task_table(actor, data, path.name)
        except UnreadableTable as error:
            raise CommandError(str(error)) from None
        act = check_task_table if opts["dry_run"] else accept_task_table
        try:
            result = act(actor, draft, valid_rows_only=opts["valid_rows_only"], **place)
        except PermissionDenied:
            raise CommandError(f"{actor} 无权在此处导入任务。") from None
        except ValidationError as error:
            raise CommandError("导入失败，未保存任何内容：" + one_line(error)) from None
        finally:
            if opts["dry_run"]:
                draft.delete()  # a check keeps nothing
        for warning in result.warnings:
            self.stderr.write(f"提示 {warning}")
        for problem in result.errors:
            self.stderr.write(f"错误 {problem}")
        if result.errors and not result.saved:
            if not opts["dry_run"]:
                draft.delete()
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
