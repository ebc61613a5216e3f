"""The sample plan's indicators: baselines, targets and the actuals measured so far.

Values are in base units (吨, 标箱, 条, 元, 人, %, 家, 个). Series are written in the speech's years:
quarterly series start with 2020 Q1, yearly ones with 2020; only periods whose figures would
already be published by today are entered.
"""

import datetime as dt
from dataclasses import dataclass

from luoshi.core.history import set_history_user
from luoshi.demo.org import Org
from luoshi.demo.timeline import SPEECH_FIRST_YEAR, Calendar, Replay, moment
from luoshi.indicators.models import (
    Comparator,
    ComputedFrom,
    Direction,
    Frequency,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    TargetKind,
    TrajectoryShape,
)
from luoshi.plans.models import Goal, Plan, Task

YI = 100_000_000  # 亿
WAN = 10_000  # 万

#: Days after a period ends before its figure is out: quarterly statistics, then yearly ones.
PUBLICATION_LAG: dict[str, int] = {Frequency.QUARTER: 20, Frequency.YEAR: 45}


@dataclass(frozen=True)
class TargetSpec:
    due: tuple[int, int, int]
    value: float
    kind: str = TargetKind.ABSOLUTE
    comparator: str = Comparator.AT_LEAST
    relative_to: int | None = None  # index of an earlier target of the same indicator
    reference: str | None = None  # key of another indicator
    note: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    unit: str
    owner: str
    frequency: str
    baseline: float
    values: tuple[float, ...]
    targets: tuple[TargetSpec, ...] = ()
    goal: int | None = None
    task: str | None = None  # title of the task the indicator measures
    source: str = ""
    direction: str = Direction.HIGHER
    shape: str = TrajectoryShape.LINEAR
    note: str = ""
    computed_from: str = ComputedFrom.NOTHING  # PROJECT_STARTS: counted from the task's projects, not entered


Q, Y = Frequency.QUARTER, Frequency.YEAR
G = TargetSpec

INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        "port",
        "港口货物吞吐量",
        "吨",
        "港航局",
        Q,
        2.61 * YI,
        tuple(
            v * YI
            for v in (2.58, 2.63, 2.69, 2.74, 2.77, 2.81, 2.85, 2.88, 2.92, 2.96, 3.01, 3.05, 3.08, 3.12)
        ),
        (G((2022, 12, 31), 3 * YI, note="2022年超过3亿吨"),),
        goal=2,
        task="港口转型升级",
        source="港航局港口统计",
        note="近四个季度合计",
    ),
    IndicatorSpec(
        "containers",
        "集装箱吞吐量",
        "标箱",
        "港航局",
        Q,
        52 * WAN,
        tuple(v * WAN for v in (52, 55, 58, 61, 64, 68, 71, 74, 77, 80, 83, 88, 92, 97)),
        (
            G((2022, 12, 31), 100 * WAN, note="2022年达到100万标箱"),
            G((2025, 12, 31), 200 * WAN, note="2025年达到200万标箱"),
        ),
        goal=2,
        task="深化与天津港、宁波舟山港合作，做大外贸集装箱",
        source="港航局港口统计",
        shape=TrajectoryShape.GROWTH,
        note="近四个季度合计",
    ),
    IndicatorSpec(
        "routes",
        "内外贸航线数量",
        "条",
        "港航局",
        Q,
        23,
        (24, 25, 26, 27, 29, 30, 32, 33, 35, 37, 39, 41, 43, 45),
        (
            G((2022, 12, 31), 2, TargetKind.MULTIPLE, note="在现有基础上翻一番"),
            G((2025, 12, 31), 2, TargetKind.MULTIPLE, relative_to=0, note="在2022年基础上再翻一番"),
        ),
        goal=2,
        task="深化与天津港、宁波舟山港合作，做大外贸集装箱",
        source="港航局航线台账",
        shape=TrajectoryShape.GROWTH,
    ),
    IndicatorSpec(
        "province_growth",
        "全省GDP增速",
        "%",
        "经发局",
        Q,
        6.8,
        (-4.8, 0.2, 2.1, 3.9, 11.6, 9.6, 7.8, 6.5, 4.5, 4.4, 4.3, 4.2, 5.3, 5.5),
        source="省统计局",
        note="累计同比",
    ),
    IndicatorSpec(
        "growth",
        "地区生产总值增速",
        "%",
        "经发局",
        Q,
        9.1,
        (-1.2, 2.8, 4.6, 5.6, 14.2, 11.5, 10.3, 9.8, 6.1, 6.8, 7.2, 7.4, 7.9, 8.1),
        tuple(
            G(
                (year, 12, 31),
                2.5,
                TargetKind.RELATIVE,
                reference="province_growth",
                note="高于全省2.5个百分点以上",
            )
            for year in range(2020, 2026)
        ),
        goal=1,
        source="园区统计局",
        note="累计同比",
    ),
    IndicatorSpec(
        "gdp_per_capita",
        "人均地区生产总值",
        "元",
        "经发局",
        Y,
        118_600,
        (121_900, 133_400, 142_800, 152_500),
        (G((2025, 12, 31), 170_000, note="2025年达到17万元"),),
        goal=1,
        source="园区统计局",
        shape=TrajectoryShape.GROWTH,
    ),
    IndicatorSpec(
        "population",
        "城市聚集人口",
        "人",
        "住建局",
        Y,
        528_000,
        (549_000, 571_000, 590_000, 612_000),
        (G((2025, 12, 31), 700_000, note="2025年达到70万人"),),
        goal=4,
        task="城市规划建设",
        source="公安户籍和流动人口统计",
    ),
    IndicatorSpec(
        "urbanisation",
        "城镇化率",
        "%",
        "住建局",
        Y,
        61.8,
        (63.4, 65.2, 66.9, 68.5),
        (G((2025, 12, 31), 75, note="2025年达到75%"),),
        goal=4,
        task="城市规划建设",
        source="园区统计局",
    ),
    IndicatorSpec(
        "blue_green",
        "蓝绿空间占比",
        "%",
        "自然资源局",
        Y,
        32.0,
        (34.5, 37.8, 40.6, 43.0),
        (G((2025, 12, 31), 50, comparator=Comparator.ABOUT, note="用五年左右时间达到50%左右"),),
        goal=4,
        task="建设海绵城市和“七横八纵九湖”生态水系，蓝绿空间占比达到50%左右",
        source="国土变更调查",
    ),
    IndicatorSpec(
        "high_tech",
        "高新技术企业数量",
        "家",
        "科技局",
        Y,
        86,
        (109, 125, 148, 170),
        (G((2025, 12, 31), 20, TargetKind.INCREMENT, note="年均新增20家以上"),),
        goal=3,
        task="高新技术企业年均新增20家以上",
        source="省科技厅认定名单",
    ),
    IndicatorSpec(
        "tech_smes",
        "科技型中小企业数量",
        "家",
        "科技局",
        Y,
        412,
        (538, 631, 749, 860),
        (G((2025, 12, 31), 100, TargetKind.INCREMENT, note="年均新增100家以上"),),
        goal=3,
        task="科技型中小企业年均新增100家以上",
        source="省科技厅评价入库名单",
    ),
    IndicatorSpec(
        "projects_started",
        "亿元以上产业项目累计开工数",
        "个",
        "经发局",
        Q,
        0,
        (28, 61, 96, 132, 150, 188, 229, 262, 281, 318, 352, 380, 398, 430),
        (G((2025, 12, 31), 581, note="先期谋划的581个亿元以上产业项目全部开工"),),
        goal=3,
        task="推进总投资2447亿元的581个亿元以上产业项目",
        source="项目库月调度",
    ),
    IndicatorSpec(
        "projects_investment",
        "亿元以上产业项目累计完成投资",
        "元",
        "经发局",
        Q,
        0,
        tuple(v * YI for v in (45, 118, 205, 310, 372, 468, 561, 655, 712, 805, 892, 990, 1050, 1150)),
        (G((2025, 12, 31), 2447 * YI, note="总投资2447亿元"),),
        goal=3,
        task="推进总投资2447亿元的581个亿元以上产业项目",
        source="项目库月调度",
    ),
    IndicatorSpec(
        "rail_spurs",
        "铁路专用线当年开工数",
        "条",
        "铁路专班",
        Y,
        0,
        (),
        (G((2020, 12, 31), 8, note="8个铁路专用线项目2020年开工"),),
        goal=2,
        task="确保8个铁路专用线项目2020年如期开工",
        source="项目库开工日期（自动计算）",
        computed_from=ComputedFrom.PROJECT_STARTS,
    ),
    IndicatorSpec(
        "polluted_rivers",
        "入海河流劣五类断面数",
        "个",
        "生态环境局",
        Q,
        3,
        (3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0),
        (G((2022, 6, 30), 0, comparator=Comparator.AT_MOST, note="坚决消除劣五类"),),
        goal=4,
        task="入海河流消除劣五类水质",
        source="生态环境监测站",
        direction=Direction.LOWER,
    ),
)


def _period_ends(cal: Calendar, frequency: str, count: int) -> list[dt.date]:
    if frequency == Frequency.YEAR:
        return [cal.on(SPEECH_FIRST_YEAR + i, 12, 31) for i in range(count)]
    ends = ((3, 31), (6, 30), (9, 30), (12, 31))
    return [cal.on(SPEECH_FIRST_YEAR + i // 4, *ends[i % 4]) for i in range(count)]


def build_indicators(
    plan: Plan, goals: list[Goal], tasks_by_title: dict[str, Task], org: Org, cal: Calendar, replay: Replay
) -> dict[str, Indicator]:
    """Create the indicators and their targets, and enter each actual on the day it came out."""
    made: dict[str, Indicator] = {}
    for spec in INDICATORS:
        owner = org.unit(spec.owner)
        replay.at(moment(cal.on(2020, 4, 28)))
        indicator = Indicator.objects.create(
            plan=plan,
            goal=goals[spec.goal - 1] if spec.goal else None,
            task=tasks_by_title[spec.task] if spec.task else None,
            name=spec.name,
            unit=spec.unit,
            direction=spec.direction,
            frequency=spec.frequency,
            owner_unit=owner,
            source=spec.source,
            baseline_value=spec.baseline,
            baseline_date=cal.on(SPEECH_FIRST_YEAR - 1, 12, 31),
            trajectory_shape=spec.shape,
            computed_from=spec.computed_from,
        )
        made[spec.key] = indicator
        targets: list[IndicatorTarget] = []
        for target in spec.targets:
            targets.append(
                IndicatorTarget.objects.create(
                    indicator=indicator,
                    due_date=cal.on(*target.due),
                    kind=target.kind,
                    comparator=target.comparator,
                    value=target.value,
                    note=target.note,
                    relative_to_target=targets[target.relative_to]
                    if target.relative_to is not None
                    else None,
                    reference_indicator=made[target.reference] if target.reference else None,
                )
            )
        clerk = org.staff.get(spec.owner) or org.heads[spec.owner]
        lag = dt.timedelta(days=PUBLICATION_LAG[spec.frequency])
        for period_end, value in zip(
            _period_ends(cal, spec.frequency, len(spec.values)), spec.values, strict=True
        ):
            entered = period_end + lag
            if entered > cal.today:
                break
            replay.at(moment(entered, 9, 30))
            actual = IndicatorActual(
                indicator=indicator, period_end=period_end, value=value, entered_by=clerk, note=spec.note
            )
            set_history_user(actual, clerk)
            actual.save()
    return made
