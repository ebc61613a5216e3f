"""The sample plan's project portfolio (项目库): the named projects, with stages and yearly investment.

Dates are planned dates in the speech's years; `slip` is how many days late each stage actually
happens, and `stalled_at` the stage a stalled project has not reached, whatever its date. A stage's
actual date is entered only once it lies in the past.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from luoshi.demo.org import Org
from luoshi.demo.timeline import Calendar, Replay, moment
from luoshi.plans.models import Plan, Task
from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage

Date = tuple[int, int, int]


@dataclass(frozen=True)
class ProjectSpec:
    name: str
    owner: str
    industry: str
    total: float  # 亿元
    location: str
    start: Date
    completion: Date
    production: Date | None = None
    slip: int = 0
    stalled_at: str | None = None
    task: str | None = None


P = ProjectSpec
SPUR_TASK = "确保8个铁路专用线项目2020年如期开工"

PROJECTS: tuple[ProjectSpec, ...] = (
    P(
        "综合港区北区铁路专用线",
        "铁路专班",
        "交通物流",
        9.6,
        "综合港区",
        (2020, 6, 18),
        (2022, 6, 30),
        task=SPUR_TASK,
    ),
    P(
        "综合港区南区铁路专用线",
        "铁路专班",
        "交通物流",
        8.2,
        "综合港区",
        (2020, 7, 15),
        (2022, 9, 30),
        slip=12,
        task=SPUR_TASK,
    ),
    P(
        "散货港区铁路专用线",
        "铁路专班",
        "交通物流",
        6.5,
        "散货港区",
        (2020, 8, 10),
        (2022, 8, 31),
        task=SPUR_TASK,
    ),
    P(
        "河口港区铁路专用线",
        "铁路专班",
        "交通物流",
        5.1,
        "河口港区",
        (2020, 9, 1),
        (2022, 12, 31),
        slip=20,
        task=SPUR_TASK,
    ),
    P(
        "临港化工园区铁路专用线",
        "铁路专班",
        "交通物流",
        7.4,
        "临港经济技术开发区",
        (2020, 9, 20),
        (2022, 11, 30),
        task=SPUR_TASK,
    ),
    P(
        "中捷产业园区铁路专用线",
        "铁路专班",
        "交通物流",
        4.3,
        "中捷产业园区",
        (2020, 10, 15),
        (2022, 12, 31),
        slip=8,
        task=SPUR_TASK,
    ),
    P(
        "南大港物流园铁路专用线",
        "铁路专班",
        "交通物流",
        3.8,
        "南大港产业园区",
        (2020, 11, 10),
        (2023, 3, 31),
        slip=140,
        task=SPUR_TASK,
    ),
    P(
        "矿石码头铁路专用线",
        "铁路专班",
        "交通物流",
        11.7,
        "综合港区",
        (2020, 12, 1),
        (2023, 6, 30),
        slip=155,
        task=SPUR_TASK,
    ),
    P(
        "中海油300万吨油砂加工项目",
        "临港开发区",
        "绿色石化",
        126,
        "临港经济技术开发区",
        (2021, 3, 1),
        (2024, 6, 30),
        production=(2023, 12, 31),
        slip=45,
        task="中海油300万吨油砂加工项目建设",
    ),
    P(
        "乙烯项目",
        "临港指挥部",
        "绿色石化",
        420,
        "临港经济技术开发区",
        (2023, 9, 30),
        (2026, 12, 31),
        production=(2026, 6, 30),
        task="乙烯项目前期工作",
    ),
    P(
        "北矿装备制造园",
        "中捷指挥部",
        "装备制造",
        50,
        "中捷产业园区",
        (2020, 9, 15),
        (2024, 12, 31),
        production=(2022, 6, 30),
        slip=60,
        task="北矿装备制造园建设",
    ),
    P(
        "美国嘉吉二期",
        "南大港园区",
        "粮油加工",
        18,
        "南大港产业园区",
        (2021, 5, 20),
        (2023, 6, 30),
        production=(2022, 10, 31),
        stalled_at=Stage.PRODUCTION,
        task="推动美国嘉吉二期、中俄粮食数字经济走廊—极地粮仓等外资项目落地",
    ),
    P(
        "中俄粮食数字经济走廊—极地粮仓",
        "南大港园区",
        "粮食物流",
        30,
        "南大港产业园区",
        (2022, 6, 30),
        (2025, 6, 30),
        stalled_at=Stage.START,
        task="推动美国嘉吉二期、中俄粮食数字经济走廊—极地粮仓等外资项目落地",
    ),
    P(
        "综合港区集装箱码头二期",
        "港航局",
        "港口",
        65,
        "综合港区",
        (2022, 3, 31),
        (2025, 6, 30),
        slip=120,
        task="首批专业码头开工建设",
    ),
    P(
        "综合港区LNG码头",
        "港航局",
        "清洁能源",
        48,
        "综合港区",
        (2022, 9, 30),
        (2025, 12, 31),
        stalled_at=Stage.START,
        task="原油、液体化工、LNG码头完成核准",
    ),
    P(
        "综合港区20万吨级航道改造提升",
        "港航局",
        "港口",
        32,
        "综合港区",
        (2021, 4, 15),
        (2024, 6, 30),
        slip=30,
        task="综合港区20万吨级航道改造提升",
    ),
    P(
        "煤炭港区7万吨级双向航道工程",
        "港航局",
        "港口",
        16,
        "煤炭港区",
        (2020, 5, 10),
        (2022, 3, 31),
        slip=35,
        task="煤炭港区7万吨级双向航道工程",
    ),
    P(
        "综合保税区围网及监管设施",
        "综保区专班",
        "开放平台",
        12,
        "综合港区",
        (2021, 3, 15),
        (2022, 9, 30),
        slip=25,
        task="综合保税区申报、验收和封关运营",
    ),
    P(
        "“九路三互通”工程",
        "交通局",
        "城市基础设施",
        88,
        "港城新区",
        (2020, 7, 1),
        (2024, 10, 31),
        task="“九路三互通”交通工程",
    ),
    P(
        "“七河一堤”工程",
        "住建局",
        "水利",
        45,
        "港城新区",
        (2020, 8, 15),
        (2024, 12, 31),
        slip=30,
        task="“七河一堤”水利工程",
    ),
    P(
        "“四馆一中心”",
        "住建局",
        "公共服务",
        28,
        "港城新区",
        (2021, 4, 20),
        (2024, 6, 30),
        slip=15,
        task="统筹建设“四馆一中心”和三级医院",
    ),
    P(
        "三级综合医院",
        "住建局",
        "公共服务",
        22,
        "港城新区",
        (2021, 3, 18),
        (2023, 12, 31),
        slip=10,
        task="统筹建设“四馆一中心”和三级医院",
    ),
    P(
        "中东欧商务中心",
        "港城指挥部",
        "现代服务",
        15,
        "港城新区",
        (2021, 9, 10),
        (2024, 6, 30),
        task="谋划推进城市CBD、中东欧商务中心、奥特莱斯国际购物小镇",
    ),
    P(
        "奥特莱斯国际购物小镇",
        "港城指挥部",
        "商贸旅游",
        25,
        "港城新区",
        (2022, 5, 15),
        (2025, 5, 31),
        slip=40,
        task="谋划推进城市CBD、中东欧商务中心、奥特莱斯国际购物小镇",
    ),
    P(
        "中国运载火箭技术研究院系列项目（一期）",
        "招商局",
        "航天装备",
        36,
        "临港经济技术开发区",
        (2021, 6, 8),
        (2023, 12, 31),
        production=(2023, 3, 31),
        task="中国运载火箭技术研究院系列项目落地",
    ),
    P(
        "滨海湾信息港",
        "科技局",
        "数字经济",
        20,
        "港城新区",
        (2023, 3, 31),
        (2025, 12, 31),
        task="建设滨海湾信息港",
    ),
    P(
        "北交大轨道交通综合研发实验基地",
        "科技局",
        "科研平台",
        8,
        "中捷产业园区",
        (2020, 10, 12),
        (2022, 6, 30),
        slip=45,
    ),
    P(
        "南开大学绿色化工研究院中试平台",
        "临港开发区",
        "科研平台",
        5,
        "临港经济技术开发区",
        (2021, 1, 15),
        (2022, 4, 30),
    ),
    P(
        "国家级中试基地（一期）",
        "科技局",
        "科研平台",
        18,
        "中捷产业园区",
        (2022, 4, 30),
        (2024, 12, 31),
        stalled_at=Stage.START,
        task="打造国家级中试基地",
    ),
    P(
        "中科院微电子产业园",
        "临港开发区",
        "电子信息",
        40,
        "临港经济技术开发区",
        (2021, 8, 1),
        (2024, 8, 31),
        production=(2023, 6, 30),
        slip=20,
    ),
    P(
        "北京生物医药产业园扩区",
        "临港开发区",
        "生物医药",
        60,
        "临港经济技术开发区",
        (2020, 6, 10),
        (2023, 12, 31),
        production=(2022, 6, 30),
        task="生物医药：打造国家新型特色原料药基地",
    ),
    P(
        "新能源汽车基地扩能",
        "港城市",
        "汽车及零部件",
        55,
        "港城市",
        (2020, 8, 20),
        (2023, 6, 30),
        production=(2022, 3, 31),
        slip=25,
        task="汽车及零部件：打造北方重要汽车制造基地",
    ),
    P(
        "协同发展合作示范产业园（一期）",
        "招商局",
        "园区开发",
        30,
        "临港经济技术开发区",
        (2022, 3, 31),
        (2024, 12, 31),
        stalled_at=Stage.START,
        task="建设天津滨海—滨海工业园区协同发展合作示范产业园",
    ),
    P(
        "海挡工程",
        "港航局",
        "水利",
        26,
        "综合港区",
        (2023, 4, 30),
        (2025, 10, 31),
        task="港区专用铁路、海挡工程跑办",
    ),
)


def build_projects(
    plan: Plan, tasks_by_title: dict[str, Task], org: Org, cal: Calendar, rng: random.Random, replay: Replay
) -> list[Project]:
    """Create the projects; stages get an actual date once it has passed, years a completed investment."""
    made = []
    for spec in PROJECTS:
        replay.at(moment(cal.on(2020, 5, 8)))
        project = Project.objects.create(
            plan=plan,
            name=spec.name,
            owner_unit=org.unit(spec.owner),
            industry=spec.industry,
            total_investment=Decimal(str(spec.total)) * 10_000,
            location=spec.location,
        )
        if spec.task:
            project.tasks.add(tasks_by_title[spec.task])
        start = cal.on(*spec.start)
        stages = [(Stage.PREPARATION, start - dt.timedelta(days=90)), (Stage.START, start)]
        if spec.production:
            stages.append((Stage.PRODUCTION, cal.on(*spec.production)))
        stages.append((Stage.COMPLETION, cal.on(*spec.completion)))
        started = None
        stalled = False
        for stage, planned in stages:
            stalled = stalled or stage == spec.stalled_at
            actual = None if stalled else _actual_date(spec, stage, planned, cal.today)
            if stage == Stage.START:
                started = actual
            ProjectStage.objects.create(
                project=project, stage=stage, planned_date=planned, actual_date=actual
            )
        _years(project, spec, start, cal, rng, started)
        made.append(project)
    return made


def _actual_date(spec: ProjectSpec, stage: str, planned: dt.date, today: dt.date) -> dt.date | None:
    """Preparation finishes a little early; later stages happen `slip` days late; nothing in the future."""
    if stage == Stage.PREPARATION:
        actual = planned - dt.timedelta(days=10)
    else:
        actual = planned + dt.timedelta(days=spec.slip)
    return actual if actual <= today else None


def _years(
    project: Project,
    spec: ProjectSpec,
    start: dt.date,
    cal: Calendar,
    rng: random.Random,
    started: dt.date | None,
) -> None:
    """Spread the investment over the building years; what was completed follows how late the project runs."""
    end = cal.on(*spec.completion)
    years = list(range(start.year, end.year + 1))
    weights = [1.0 + 0.6 * (0 < i < len(years) - 1) for i in range(len(years))]
    total = Decimal(str(spec.total)) * 10_000
    pace = (
        0.0 if started is None else (rng.uniform(0.92, 1.06) if spec.slip <= 30 else rng.uniform(0.55, 0.8))
    )
    for year, weight in zip(years, weights, strict=True):
        planned = (total * Decimal(weight / sum(weights))).quantize(Decimal("0.01"))
        if year < cal.today.year:
            done = pace
        elif year == cal.today.year:
            done = pace * (cal.today.timetuple().tm_yday / 366)
        else:
            done = 0.0
        ProjectYear.objects.create(
            project=project,
            year=year,
            planned_investment=planned,
            completed_investment=(planned * Decimal(str(round(done, 3)))).quantize(Decimal("0.01")),
        )
