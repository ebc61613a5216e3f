"""`luoshi import FILE [--new-plan [TITLE] | --under TASK | --plan ID] --as USERNAME [--dry-run]`: a policy text into tasks."""

import contextlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from luoshi.core.text import one_line
from luoshi.documents.actions import accept_proposal, proposal_years, propose
from luoshi.documents.extract.reading import InputRejected, read_file
from luoshi.documents.management.placement import add_placement_arguments, placement_of
from luoshi.orgs.models import Person


class Command(BaseCommand):
    help = (
        "从实施方案文本（.txt/.docx）提取任务、指标和单位并导入（全部或全不）：默认新建一个实施方案，"
        "或用 --under 导入到已有方案的一项任务之下。先用 `luoshi extract FILE --format table` 查看提取结果；"
        "网页上的导入页可以逐项审核。导入的任务为草稿，可在网页的导入记录中整体撤销。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        add_placement_arguments(parser)
        parser.add_argument("--as", dest="username", required=True, help="以谁的身份导入（权限按此人计算）")
        parser.add_argument("--dry-run", action="store_true", help="只演示，不保存")

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = Person.objects.filter(username=opts["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{opts['username']}”。")
        try:
            document = read_file(opts["file"])
        except InputRejected as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"正在提取 {document.name}（{len(document.text)} 字）…")
        try:
            # A dry run is one transaction rolled back; a real import commits in batches, so that others' writes
            # get in between (and takes back what it made if it fails).
            with transaction.atomic() if opts["dry_run"] else contextlib.nullcontext():
                draft = propose(actor, document)
                proposal = draft.read_proposal()
                place = placement_of(
                    opts, actor, proposal.title or document.name.rsplit(".", 1)[0], proposal_years(proposal)
                )
                result = accept_proposal(actor, draft, **place)
                draft.refresh_from_db()
                summary = (
                    f"方案“{draft.plan}”：任务 {len(result.tasks)} 项，新单位 {len(result.units)} 个，"
                    f"指标 {len(result.indicators)} 个，目标 {len(result.targets)} 个"
                )
                if opts["dry_run"]:
                    transaction.set_rollback(True)
        except PermissionDenied:
            raise CommandError(f"{actor} 无权在此处导入任务。") from None
        except ValidationError as error:
            raise CommandError("导入失败，未保存任何内容：" + one_line(error)) from None
        for note in result.notes:
            self.stdout.write(f"注意：{note}")
        self.stdout.write(
            ("演示（未保存）：" if opts["dry_run"] else f"已导入（导入记录 {draft.pk}）：") + summary
        )
