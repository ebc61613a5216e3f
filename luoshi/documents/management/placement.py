"""Where `luoshi import` and `luoshi import-excel` put what they bring: the same choice as the pages."""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from luoshi.documents.actions import matching_plan, new_plan_for
from luoshi.orgs.models import Person
from luoshi.plans.models import Plan, Task


def add_placement_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--new-plan",
        metavar="TITLE",
        nargs="?",
        const="",
        help="导入为新建的实施方案（标题省略则用文件的标题）；不指定位置且标题与已有方案都不同时即如此",
    )
    parser.add_argument(
        "--under",
        "--parent",
        dest="parent",
        type=int,
        metavar="TASK",
        help="导入到已有方案中这项任务之下（任务编号）",
    )
    parser.add_argument("--plan", type=int, help="导入为这个已有方案（编号）的顶层任务，与它现有的方面并列")
    parser.add_argument(
        "--years", metavar="FIRST-LAST", help="新方案的起止年份，如 2026-2027（默认取文件中的年份或今年）"
    )


def placement_of(opts: dict[str, Any], actor: Person, title: str, years: tuple[int, int] | None) -> dict:
    """The place as the import actions take it (plan=, parent= or new_plan=), from the command's options."""
    if opts["years"]:
        first, _, last = opts["years"].partition("-")
        if not (first.isdecimal() and (last or first).isdecimal()):
            raise CommandError("--years 应写成 2026-2027 或 2026。")
        years = (int(first), int(last or first))
    if opts["parent"]:
        parent = (
            Task.objects.visible_to(actor).filter(pk=opts["parent"]).first()
        )  # not yours reads as not there
        if parent is None or (opts["plan"] and parent.plan_id != opts["plan"]):
            raise CommandError(f"找不到任务 {opts['parent']}。")
        return {"parent": parent}
    if opts["plan"] and opts["new_plan"] is None:
        plan = Plan.objects.filter(pk=opts["plan"]).first()
        if plan is None:
            raise CommandError(f"找不到实施方案 {opts['plan']}。")
        return {"plan": plan}
    if opts["new_plan"] is None and matching_plan(title):
        raise CommandError(
            f"已有同名方案“{title}”：请用 --under TASK 指定导入到它的哪项任务之下，或用 --new-plan 新建方案。"
        )
    new_plan = new_plan_for(actor, opts["new_plan"] or title, years)
    if new_plan is None:
        raise CommandError("还没有任何单位来牵头新方案：请先建立单位。")
    return {"new_plan": new_plan}
