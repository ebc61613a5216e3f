"""`luoshi import FILE --plan ID [--parent TASK_ID] --as USERNAME [--dry-run]`: a policy text into tasks."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from luoshi.documents.actions import accept_proposal, propose
from luoshi.documents.extract.reading import InputRejected, read_file
from luoshi.orgs.models import Person
from luoshi.plans.models import Plan, Task


class Command(BaseCommand):
    help = ("从实施方案文本（.txt/.docx）提取任务、指标和单位并导入到方案中（全部或全不）。"
            "先用 `luoshi extract FILE --format table` 查看提取结果；网页上的导入页可以逐项审核。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--plan", type=int, help="导入到哪个实施方案（编号）")
        parser.add_argument("--parent", type=int, help="导入到哪个任务之下（编号）；省略则为顶层任务")
        parser.add_argument("--as", dest="username", required=True, help="以谁的身份导入（权限按此人计算）")
        parser.add_argument("--dry-run", action="store_true", help="只演示，不保存")

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = Person.objects.filter(username=opts["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{opts['username']}”。")
        parent = Task.objects.filter(pk=opts["parent"]).first() if opts["parent"] else None
        if opts["parent"] and parent is None:
            raise CommandError(f"找不到任务 {opts['parent']}。")
        plan = parent.plan if parent else Plan.objects.filter(pk=opts["plan"]).first()
        if plan is None:
            raise CommandError("请用 --plan 指定实施方案编号（或用 --parent 指定上级任务）。")
        try:
            document = read_file(opts["file"])
        except InputRejected as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"正在提取 {document.name}（{len(document.text)} 字）…")
        try:
            with transaction.atomic():
                draft = propose(actor, document)
                result = accept_proposal(actor, draft, plan=plan, parent=parent)
                summary = (f"任务 {len(result.tasks)} 项，新单位 {len(result.units)} 个，"
                           f"指标 {len(result.indicators)} 个，目标 {len(result.targets)} 个")
                if opts["dry_run"]:
                    transaction.set_rollback(True)
        except PermissionDenied:
            raise CommandError(f"{actor} 无权在此处导入任务。") from None
        except ValidationError as error:
            raise CommandError("导入失败，未保存任何内容：" + "；".join(error.messages)) from None
        for note in result.notes:
            self.stdout.write(f"注意：{note}")
        self.stdout.write(("演示（未保存）：" if opts["dry_run"] else "已导入：") + summary)
