"""`luoshi bulletin --period 2026-11 [--scope UNIT] --format docx|pdf|xlsx --output FILE`."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luoshi.bulletins import actions
from luoshi.bulletins.compose import parse_period
from luoshi.bulletins.export import FORMATS
from luoshi.bulletins.models import Bulletin
from luoshi.core.text import one_line
from luoshi.orgs.models import Person, Role, Unit
from luoshi.plans.models import Plan


class Command(BaseCommand):
    help = (
        "生成督查通报并导出为 docx、pdf 或 xlsx。已印发的同期通报直接导出其快照；否则按当前数据生成草稿"
        "（加 --publish 则审核并印发，编号入册）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-11（月）、2026-Q4（季）或 2026-W47（周）")
        parser.add_argument("--scope", help="单位名称：只通报该单位及其下级单位")
        parser.add_argument("--plan", type=int, help="实施方案编号（只有一个方案时可省略）")
        parser.add_argument("--format", choices=sorted(FORMATS), default="docx")
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument(
            "--as", dest="username", help="以哪位督查室人员的身份起草（默认第一位督查室人员）"
        )
        parser.add_argument("--publish", action="store_true", help="审核并印发（分配文号，内容从此固定）")

    def handle(self, *args, **opts):
        try:
            period = parse_period(opts["period"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        plan = self._plan(opts["plan"])
        scope = None
        if opts["scope"]:
            scope = (
                Unit.objects.filter(name=opts["scope"]).first()
                or Unit.objects.filter(short_name=opts["scope"]).first()
            )
            if scope is None:
                raise CommandError(f"找不到单位“{opts['scope']}”。")
        bulletin = Bulletin.objects.filter(
            plan=plan, scope_unit=scope, period_start=period.start, period_end=period.end, status="published"
        ).first()
        if bulletin is None:
            actor = self._actor(opts["username"])
            try:
                bulletin = actions.draft_bulletin(actor, plan=plan, period=period, scope_unit=scope)
                if opts["publish"]:
                    bulletin = actions.publish_bulletin(actor, actions.review_bulletin(actor, bulletin))
            except ValidationError as error:
                raise CommandError(one_line(error)) from None
        render, _mime = FORMATS[opts["format"]]
        output = Path(opts["output"])
        output.write_bytes(render(actions.bulletin_content(bulletin)))
        label = bulletin.document_number or "草稿"
        self.stdout.write(f"{label}《{bulletin.title}》→ {output}")

    def _plan(self, plan_id: int | None) -> Plan:
        plans = Plan.objects.all()
        if plan_id is not None:
            plans = plans.filter(pk=plan_id)
        found = list(plans[:2])
        if not found:
            raise CommandError("找不到实施方案。")
        if len(found) > 1:
            raise CommandError("有多个实施方案，请用 --plan 指定编号。")
        return found[0]

    def _actor(self, username: str | None) -> Person:
        people = Person.objects.filter(role=Role.SUPERVISOR, is_active=True)
        if username:
            people = Person.objects.filter(username=username)
        actor = people.order_by("id").first()
        if actor is None:
            raise CommandError("没有可以起草通报的督查室人员，请用 --as 指定。")
        return actor
