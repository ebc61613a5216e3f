"""`luoshi check-rollups [--plan ID] [--fix]`: compare every stored rollup with a recomputation from scratch."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from luoshi.plans.models import Plan, Task
from luoshi.plans.rollup import rebuild_rollups, stale_rollups

#: Wrong figures listed at most; the rest are counted.
LISTED = 20


class Command(BaseCommand):
    help = "核对每项任务保存的汇总进度是否等于按报送和状态重新计算的结果；--fix 改正（批量导入数据之后用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, help="只核对这个实施方案")
        parser.add_argument("--fix", action="store_true", help="把不一致的改为重新计算的结果")

    def handle(self, *args, plan: int | None, fix: bool, **options) -> None:
        plans = Plan.objects.filter(pk=plan) if plan else Plan.objects.all()
        if plan and not plans.exists():
            raise CommandError(f"没有编号为 {plan} 的实施方案。")
        wrong_total = 0
        for each in plans.order_by("pk"):
            tasks = Task.objects.filter(plan=each)
            with transaction.atomic():
                wrong = stale_rollups(tasks)
                if wrong and fix:
                    rebuild_rollups(tasks)
            wrong_total += len(wrong)
            self.stdout.write(
                f"{each.pk} {each.title}: {tasks.count()} 项任务，{len(wrong)} 项汇总进度不一致"
                + ("，已改正" if wrong and fix else "")
            )
            for pk, (stored, scratch) in list(wrong.items())[:LISTED]:
                self.stdout.write(f"  任务 {pk}: 保存 {stored:.4f}，重新计算 {scratch:.4f}")
            if len(wrong) > LISTED:
                self.stdout.write(f"  另有 {len(wrong) - LISTED} 项")
        if wrong_total and not fix:
            raise CommandError(
                f"{wrong_total} 项任务的汇总进度与重新计算的结果不一致（luoshi check-rollups --fix 改正）。"
            )
