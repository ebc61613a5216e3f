"""The demo's organisation: the committee, its bureaus and sub-parks, their people and leaders."""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from luoshi.orgs.models import Person, Role, Unit, UnitKind

#: The one password of every demo person; printed by `luoshi demo`.
DEMO_PASSWORD = "luoshi-demo"

K = UnitKind


@dataclass(frozen=True)
class UnitSpec:
    key: str  # how the rest of the demo refers to the unit
    name: str
    kind: str
    parent: str | None
    code: str  # ASCII stem of its people's usernames
    aliases: str = ""
    leader: str | None = None  # key of the supervising leader


@dataclass(frozen=True)
class LeaderSpec:
    key: str
    username: str
    title: str


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("管委会", "滨海工业园区管委会", K.COMMITTEE, None, "gwh", "党工委管委会,园区管委会"),
    UnitSpec("党政办", "党政办公室", K.BUREAU, "管委会", "dzb", "党政办,工业园区党政办", "主任"),
    UnitSpec("督查室", "党政办督查室", K.SECTION, "党政办", "dcs", "督查室,园区督查室"),
    UnitSpec("组人部", "组织人事部", K.BUREAU, "管委会", "zrb", "组人部,组织部,人事局", "主任"),
    UnitSpec("财政局", "财政局", K.BUREAU, "管委会", "czj", "园区财政局,工业园区财政局", "常务"),
    UnitSpec("预算科", "财政局预算科", K.SECTION, "财政局", "czys", "预算科"),
    UnitSpec("经发局", "经济发展局", K.BUREAU, "管委会", "jfj", "经发局,工业园区经发局,发改局", "常务"),
    UnitSpec("产业科", "经发局产业科", K.SECTION, "经发局", "jfcy", "产业科"),
    UnitSpec("项目科", "经发局项目科", K.SECTION, "经发局", "jfxm", "项目科,项目办"),
    UnitSpec("金融办", "金融工作办公室", K.BUREAU, "管委会", "jrb", "金融办,金融局", "常务"),
    UnitSpec("招商局", "投资促进局", K.BUREAU, "管委会", "zsj", "招商局,投促局", "常务"),
    UnitSpec("审批局", "行政审批局", K.BUREAU, "管委会", "spj", "审批局,审批服务局", "常务"),
    UnitSpec("宣传办", "宣传办公室", K.BUREAU, "管委会", "xcb", "宣传办,宣传部", "宣传"),
    UnitSpec("纪工委", "纪律检查工作委员会", K.BUREAU, "管委会", "jgw", "纪工委,纪检监察工委", "纪检"),
    UnitSpec("监察局", "监察局", K.BUREAU, "管委会", "jcj", "监察分局", "纪检"),
    UnitSpec("港航局", "港口和航运管理局", K.BUREAU, "管委会", "ghj", "港航局,港口办,港口管理局", "港城"),
    UnitSpec("规建科", "港航局规划建设科", K.SECTION, "港航局", "ghgj", "规划建设科"),
    UnitSpec("交通局", "交通运输局", K.BUREAU, "管委会", "jtj", "交通局", "港城"),
    UnitSpec("住建局", "住房和城乡建设局", K.BUREAU, "管委会", "zjj", "住建局,建设局", "港城"),
    UnitSpec("自然资源局", "自然资源和规划局", K.BUREAU, "管委会", "zyj", "自然资源局,国土局,规划局", "港城"),
    UnitSpec("生态环境局", "生态环境分局", K.BUREAU, "管委会", "stj", "生态环境局,环保局", "科技"),
    UnitSpec("科技局", "科学技术局", K.BUREAU, "管委会", "kjj", "科技局", "科技"),
    UnitSpec("文旅局", "文化和旅游局", K.BUREAU, "管委会", "wlj", "文旅局,旅游局", "科技"),
    UnitSpec("港城市", "港城市人民政府", K.SUB_PARK, "管委会", "gcs", "港城市,港城市政府", "港城"),
    UnitSpec(
        "临港开发区", "临港经济技术开发区", K.SUB_PARK, "管委会", "lgq", "临港开发区,临港经开区", "常务"
    ),
    UnitSpec(
        "临港指挥部", "临港经济技术开发区落实指挥部", K.COMMAND_POST, "临港开发区", "lgzh", "临港指挥部"
    ),
    UnitSpec("中捷园区", "中捷产业园区", K.SUB_PARK, "管委会", "zjyq", "中捷园区,中捷", "科技"),
    UnitSpec("中捷指挥部", "中捷产业园区推进指挥部", K.COMMAND_POST, "中捷园区", "zjzh", "中捷指挥部"),
    UnitSpec("南大港园区", "南大港产业园区", K.SUB_PARK, "管委会", "ndg", "南大港园区,南大港", "科技"),
    UnitSpec(
        "港城指挥部", "港城融合建设指挥部", K.COMMAND_POST, "管委会", "gczh", "港城指挥部,城建指挥部", "港城"
    ),
    UnitSpec("铁路专班", "铁路专用线建设工作专班", K.TASK_FORCE, "港航局", "tlzb", "铁路专班,专用线专班"),
    UnitSpec("综保区专班", "综合保税区申报工作专班", K.TASK_FORCE, "招商局", "zbzb", "综保区专班,综保专班"),
    # Outside bodies that liaison tasks (对接跑办) deal with; nobody here logs in for them.
    UnitSpec("省财政厅", "省财政厅", K.EXTERNAL, None, "", "财政厅"),
    UnitSpec("省发改委", "省发展和改革委员会", K.EXTERNAL, None, "", "省发改委,发改委"),
    UnitSpec("省工信厅", "省工业和信息化厅", K.EXTERNAL, None, "", "省工信厅,工信厅"),
    UnitSpec("省委编办", "省委机构编制委员会办公室", K.EXTERNAL, None, "", "省委编办"),
    UnitSpec("市委编办", "市委机构编制委员会办公室", K.EXTERNAL, None, "", "市委编办"),
    UnitSpec("省交通厅", "省交通运输厅", K.EXTERNAL, None, "", "省交通厅"),
)

#: The committee's leaders (班子成员); each oversees the units whose spec names them.
LEADERS: tuple[LeaderSpec, ...] = (
    LeaderSpec("主任", "gwh.zhuren", "管委会主任"),
    LeaderSpec("常务", "leader", "管委会常务副主任"),
    LeaderSpec("港城", "gwh.fuzhuren1", "管委会副主任（港口、城建）"),
    LeaderSpec("科技", "gwh.fuzhuren2", "管委会副主任（科技、生态）"),
    LeaderSpec("宣传", "gwh.weiyuan", "党工委委员、宣传委员"),
    LeaderSpec("纪检", "gwh.jigong", "党工委委员、纪工委书记"),
)

#: The logins `luoshi demo` prints, one per role: (username, role, unit key or None, title).
LOGINS: tuple[tuple[str, str, str | None, str], ...] = (
    ("admin", Role.ADMIN, "党政办", "系统管理员"),
    ("supervisor", Role.SUPERVISOR, "督查室", "督查室主任"),
    ("leader", Role.LEADER, "管委会", "管委会常务副主任"),
    ("manager", Role.MANAGER, "财政局", "财政局局长"),
    ("staff", Role.STAFF, "经发局", "经发局科员"),
    ("viewer", Role.VIEWER, "管委会", "调研员"),
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程苏魏吕丁沈姚卢姜崔谭陆范金石廖夏付方白孟熊秦邱江尹薛段雷侯史陶贺顾毛郝邵万钱严武戴孔汤"
GIVEN = (
    "建华",
    "志刚",
    "海燕",
    "立新",
    "晓东",
    "春梅",
    "永强",
    "丽娟",
    "国庆",
    "文静",
    "振宇",
    "秀兰",
    "明远",
    "红霞",
    "宏伟",
    "玉洁",
    "俊峰",
    "雪梅",
    "德胜",
    "凤英",
    "思源",
    "佳慧",
    "学军",
    "淑华",
    "长青",
    "卫东",
    "晓光",
    "桂芳",
    "海涛",
    "新民",
    "婷婷",
    "建军",
    "鹏飞",
    "艳玲",
    "宝山",
    "慧敏",
    "云飞",
    "金凤",
    "博文",
    "月华",
    "少华",
    "静怡",
    "永胜",
    "晨曦",
    "亚楠",
    "庆丰",
    "兴旺",
    "若琳",
    "子健",
    "凯",
)


def _head_title(spec: UnitSpec) -> str:
    if spec.kind == K.SECTION:
        return "科长"
    if spec.kind == K.COMMAND_POST:
        return "常务副指挥长"
    if spec.kind == K.TASK_FORCE:
        return "专班负责人"
    if spec.kind == K.SUB_PARK:
        return "管委会主任" if spec.key != "港城市" else "副市长"
    if spec.name.endswith("局") or spec.name.endswith("分局"):
        return "局长"
    return "主任"


@dataclass
class Org:
    """The demo's units and people, looked up by the demo's keys."""

    units: dict[str, Unit] = field(default_factory=dict)
    heads: dict[str, Person] = field(default_factory=dict)
    staff: dict[str, Person] = field(default_factory=dict)
    leaders: dict[str, Person] = field(default_factory=dict)
    logins: dict[str, Person] = field(default_factory=dict)

    def unit(self, key: str) -> Unit:
        return self.units[key]

    @property
    def supervisor(self) -> Person:
        return self.logins["supervisor"]


def build_org(rng: random.Random) -> Org:
    """Create the units, a head and one staff member for each unit, the leaders and the demo logins."""
    # Every demo person shares one password; hashing it once keeps the load fast.
    password = make_password(DEMO_PASSWORD)
    names = _name_source(rng)
    org = Org()

    def person(
        username: str, role: str, unit: Unit | None, title: str, full_name: str | None = None
    ) -> Person:
        someone = Person(
            username=username,
            role=role,
            unit=unit,
            title=title,
            full_name=full_name or next(names),
            password=password,
            is_superuser=role == Role.ADMIN,
        )
        someone.save()
        return someone

    for order, spec in enumerate(UNITS, start=1):
        org.units[spec.key] = Unit.objects.create(
            name=spec.name,
            short_name=spec.key if spec.key != spec.name else "",
            aliases=spec.aliases,
            kind=spec.kind,
            parent=org.units[spec.parent] if spec.parent else None,
            order=order,
        )
    committee = org.units["管委会"]
    for leader in LEADERS:
        org.leaders[leader.key] = person(leader.username, Role.LEADER, committee, leader.title)
    for username, role, unit_key, title in LOGINS:
        if role != Role.LEADER:
            org.logins[username] = person(username, role, org.units[unit_key] if unit_key else None, title)
    org.logins["leader"] = org.leaders["常务"]

    for spec in UNITS:
        if spec.kind == K.EXTERNAL:
            continue
        unit = org.units[spec.key]
        if spec.key == "财政局":
            head = org.logins["manager"]
        elif spec.key == "督查室":
            head = org.logins["supervisor"]
        elif spec.key == "管委会":
            head = org.leaders["主任"]
        else:
            head = person(f"{spec.code}.head", Role.MANAGER, unit, _head_title(spec))
        org.heads[spec.key] = head
        if spec.key == "经发局":
            org.staff[spec.key] = org.logins["staff"]
        elif spec.key == "督查室":
            org.staff[spec.key] = person("dcs.staff", Role.SUPERVISOR, unit, "督查专员")
        elif spec.key != "管委会":
            org.staff[spec.key] = person(f"{spec.code}.staff", Role.STAFF, unit, "科员")
        unit.head = head
        unit.supervising_leader = org.leaders[spec.leader] if spec.leader else None
        unit.save(update_fields=["head", "supervising_leader"])
    return org


def _name_source(rng: random.Random) -> Iterator[str]:
    """An endless, repeatable supply of plausible (fictional) names."""
    used: set[str] = set()
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            yield name
