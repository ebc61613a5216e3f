"""`luoshi indicator [ID]`: trajectory, status and forecast of one indicator, or of all of them."""

from django.core.management.base import CommandError, CommandParser

from luoshi.core.output import FigureCommand, cell, render_table
from luoshi.indicators.forecast import IndicatorFigures, figures_for
from luoshi.indicators.models import Indicator


class Command(FigureCommand):
    help = "指标的序时轨迹、红黄绿灯状态和目标预测；不给编号则列出全部（可用 --plan 限定实施方案）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("indicator_id", type=int, nargs="?")
        parser.add_argument("--plan", type=int, help="只看这个实施方案的指标")
        super().add_arguments(parser)

    def handle(self, *args, indicator_id: int | None, plan: int | None, **options) -> None:
        indicators = Indicator.objects.order_by("plan_id", "id")
        if indicator_id is not None:
            indicators = indicators.filter(pk=indicator_id)
        if plan is not None:
            indicators = indicators.filter(plan_id=plan)
        figures = figures_for(indicators, today=self.today(options))
        if indicator_id is not None and not figures:
            raise CommandError(f"没有编号为 {indicator_id} 的指标。")
        data = figures[0] if indicator_id is not None else figures
        self.emit(options, data, lambda: "\n\n".join(table(f) for f in figures) or "（没有指标）")


def table(figures: IndicatorFigures) -> str:
    status = figures.status
    lines = [
        f"[{figures.id}] {figures.name}（{figures.unit}）",
        "当前状态："
        + (
            "暂无实际值"
            if status is None
            else f"{status.light.label}（{status.period_end} 实际 {cell(status.actual)}，"
            f"序时 {cell(status.expected)}）"
        ),
        render_table(
            ["目标日期", "类型", "目标值", "说明"],
            [[t.due_date, t.kind, t.absolute, t.explanation] for t in figures.targets],
        ),
        render_table(["统计期末", "序时值", "实际值", "灯"], _path_rows(figures)),
        render_table(
            ["目标日期", "目标值", "预测值", "区间下限", "区间上限", "模型", "判断"],
            [
                [f.due_date, f.target_value, f.value, f.low, f.high, f.model, f.verdict]
                for f in figures.forecasts
            ],
        ),
    ]
    return "\n".join(lines)


def _path_rows(figures: IndicatorFigures) -> list[list]:
    actual = {p.period_end: p for p in figures.periods}
    days = sorted({p.period_end for p in figures.trajectory} | set(actual))
    expected = {p.period_end: p.expected for p in figures.trajectory}
    return [
        [
            day,
            expected.get(day, actual[day].expected if day in actual else None),
            actual[day].actual if day in actual else None,
            actual[day].light if day in actual else None,
        ]
        for day in days
    ]
