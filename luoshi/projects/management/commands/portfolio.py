"""`luoshi portfolio`: the project portfolio's rollups by unit, industry and year."""

from django.core.management.base import CommandParser

from luoshi.core.output import FigureCommand, render_table
from luoshi.projects.models import Project
from luoshi.projects.rollups import Portfolio, PortfolioRow, rollups

HEADERS = ["项目数", "总投资（万元）", "完成投资（万元）", "已开工", "按期开工", "滞后"]


class Command(FigureCommand):
    help = "项目库汇总：总投资、完成投资、按期开工和滞后项目数，按单位、产业和年度。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, help="只看这个实施方案的项目")
        super().add_arguments(parser)

    def handle(self, *args, plan: int | None, **options) -> None:
        projects = Project.objects.all()
        if plan is not None:
            projects = projects.filter(plan_id=plan)
        portfolio = rollups(projects, today=self.today(options))
        self.emit(options, portfolio, lambda: table(portfolio))


def _cells(row: PortfolioRow) -> list:
    return [
        row.projects,
        row.total_investment,
        row.completed_investment,
        row.started,
        row.started_on_time,
        row.behind_schedule,
    ]


def table(portfolio: Portfolio) -> str:
    return "\n\n".join(
        [
            f"项目库汇总（按 {portfolio.today} 计算）",
            render_table(["", *HEADERS], [["全部", *_cells(portfolio.total)]]),
            render_table(["责任单位", *HEADERS], [[r.key, *_cells(r)] for r in portfolio.by_unit]),
            render_table(["产业类别", *HEADERS], [[r.key, *_cells(r)] for r in portfolio.by_industry]),
            render_table(
                ["年度", "计划投资（万元）", "完成投资（万元）", "计划开工", "实际开工", "按期开工"],
                [
                    [
                        r.year,
                        r.planned_investment,
                        r.completed_investment,
                        r.planned_starts,
                        r.started,
                        r.started_on_time,
                    ]
                    for r in portfolio.by_year
                ],
            ),
        ]
    )
