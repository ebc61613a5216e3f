"""`luoshi import-undo ID --as USERNAME`: take back an import as a whole, by the rules of the page's undo.

`luoshi import-undo --list --as USERNAME` lists the person's recent imports, with their ids and whether
they can still be undone (only while every task they created is a draft).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from luoshi.core.access import get_for, visible_to
from luoshi.core.output import render_table
from luoshi.documents.actions import can_undo, undo_import
from luoshi.documents.models import ImportDraft
from luoshi.orgs.models import Person


def state_of(draft: ImportDraft) -> str:
    if draft.undone_at:
        return f"已撤销 {draft.undone_at:%Y-%m-%d %H:%M}"
    if draft.accepted_at:
        return f"已导入 {draft.accepted_at:%Y-%m-%d %H:%M}"
    return str(draft.get_state_display())


class Command(BaseCommand):
    help = (
        "整体撤销一次导入（与网页上“撤销这次导入”规则相同：导入的任务都还是草稿时才可撤销），"
        "或用 --list 列出最近的导入记录。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", nargs="?", type=int, help="导入记录编号（luoshi import 导入后会显示）")
        parser.add_argument(
            "--as", dest="username", required=True, help="以谁的身份撤销（只能撤销本人的导入）"
        )
        parser.add_argument("--list", action="store_true", help="列出此人最近的导入记录")
        parser.add_argument("--limit", type=int, default=20, help="--list 列出几条（默认 20）")

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = Person.objects.filter(username=opts["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{opts['username']}”。")
        if opts["list"]:
            self.list_imports(actor, opts["limit"])
            return
        if opts["id"] is None:
            raise CommandError("请给出导入记录编号，或用 --list 列出导入记录。")
        try:
            draft = get_for(ImportDraft, actor, opts["id"])
            undo_import(actor, draft)
        except (Http404, PermissionDenied):
            raise CommandError(f"找不到 {actor} 的导入记录 {opts['id']}。") from None
        except ValidationError as error:
            raise CommandError("不能撤销：" + "；".join(error.messages)) from None
        self.stdout.write(
            f"已撤销导入记录 {draft.pk}（{draft.source_name}）：它建立的任务、单位、指标和方案都已删除。"
        )

    def list_imports(self, actor: Person, limit: int) -> None:
        drafts = visible_to(actor, ImportDraft.objects.select_related("plan"))[: max(limit, 1)]
        rows = [
            [
                draft.pk,
                draft.source_name[:30],
                draft.get_kind_display(),
                state_of(draft),
                draft.plan.title[:20] if draft.plan else "",
                len(draft.created.get("tasks", [])),
                "可以" if can_undo(draft) else "",
            ]
            for draft in drafts
        ]
        if not rows:
            self.stdout.write("没有导入记录。")
            return
        self.stdout.write(
            render_table(["编号", "来源", "类型", "状态", "导入到方案", "任务", "可撤销"], rows)
        )
