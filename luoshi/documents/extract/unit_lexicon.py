"""Word lists for finding organisations: the closed set of Chinese government department names.

jieba does not tag abbreviations such as 经发局, 组人部 or 金融办 as organisations, so units are found
by a name's ending (局, 办, 委员会 …) with these lists deciding where a name starts.
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Department stems, full and abbreviated, that come before a unit suffix (财政 + 局, 发改 + 委).
DEPARTMENT_STEMS = _words("""
财政 发改 发展改革 发展和改革 经发 经济发展 工信 工业和信息化 经信 经济和信息化 科技 科学技术 商务 教育 教体 公安
民政 司法 人社 人力资源和社会保障 人力资源社会保障 自然资源 自然资源和规划 规划和自然资源 生态环境 环保 住建
住房和城乡建设 住房城乡建设 交通 交通运输 水利 水务 农业农村 农业 农村 林业 林草 文旅 文化和旅游 文化广电和旅游
文广旅 卫健 卫生健康 卫计 退役军人事务 应急 应急管理 审计 国资 市场监管 市场监督管理 统计 医保 医疗保障 体育
信访 行政审批 审批 政务服务 政务服务管理 数据 大数据 数据资源 城管 城市管理 综合执法 综合行政执法 金融 地方金融监管
金融工作 税务 人防 粮食 能源 气象 地震 档案 机关事务 外事 侨务 民族宗教 宗教 编 编委 机构编制 组织 宣传 统战
政法 纪 纪检 监察 督查 督察 党政 党 招商 投促 投资促进 规划 国土 不动产登记 公积金 供销 工商 质监 安监 人才
网信 保密 巡察 政研 党建 社会事务 乡村振兴 扶贫 商务和招商 港航 口岸 海洋 海洋渔业 交通港航 建设 财金 经济
""")

#: Whole names that need no stem or level: top-level bodies.
FIXED_NAMES = _words("""
党中央 中共中央 中共中央办公厅 国务院 全国人大 全国政协 国务院办公厅 团中央 团省委 团市委 团县委 团区委 全国工商联
国务院安委会 国务院减负办 中央财办 中央财经委员会办公室
""")
#: Bodies named without a level in a government's own report (支持人大、政协…, 发挥工会、共青团、妇联作用,
#: 深化供销合作社综合改革); after a level (市人大, 省总工会, 县供销社) the level's name is read instead.
BARE_BODIES = _words("""
人大 政协 工会 共青团 妇联 工商联 残联 科协 红十字会 侨联 文联 供销合作社 供销社 贸促会 计生协 关工委
""")

#: Administrative levels that may open a unit name (省财政厅, 省市编办, 县委督查室).
#: 局 stands for the bureau a work plan belongs to: 局办公室, 局就业服务中心, 局机关党委.
LEVEL_PREFIXES = (
    "国家",
    "省市",
    "市县",
    "县区",
    "省",
    "市",
    "县",
    "区",
    "乡",
    "镇",
    "街道",
    "州",
    "旗",
    "局",
)
#: Prefixes naming the plan's own park; they are dropped from a unit's name (工业园区财政局 → 财政局).
OWN_PARK_PREFIXES = ("工业园区", "产业园区", "园区", "开发区", "高新区", "经开区", "新区", "管委会")
#: The park's own governing bodies: with these the park's name is the unit's name (高新区管委会).
PARK_BODIES = frozenset({"管委会"})

#: Unit endings, longest first. The short ones (局, 办 …) are also common word endings and need checks.
LONG_SUFFIXES = (
    "人民政府",
    "委员会",
    "办公室",
    "办公厅",
    "办事处",
    "领导小组",
    "指挥部",
    "工作专班",
    "管委会",
    "工委",
    "党委",
    "党组",
    "政府",
    "中心",
    "人大",
    "政协",
    "纪委",
    "总局",
    "总工会",
    "妇联",
    "残联",
    "科协",
    "工商联",
    "文联",
    "侨联",
    "卫生院",
    "医院",
    "人民法院",
    "法院",
    "检察院",
    "纪检监察组",
    "纪检组",
    "贸促会",
    "仲裁院",
    "供销社",
    "纪委监委",
    "委会",
    "图书馆",
    "文化馆",
    "博物馆",
    "美术馆",
    "供销合作社",
)
SHORT_SUFFIXES = ("局", "厅", "委", "办", "部", "室", "处", "科", "站", "所", "队", "股", "公司", "集团")
#: Suffixes that only count after an administrative level (县不动产登记中心, 市政府; not 商务中心, 数字政府).
LEVEL_ONLY_SUFFIXES = frozenset(
    {
        "中心",
        "站",
        "所",
        "队",
        "政府",
        "人民政府",
        "人大",
        "政协",
        "纪委",
        "党委",
        "办事处",
        "总工会",
        "妇联",
        "残联",
        "科协",
        "工商联",
        "文联",
        "侨联",
        "卫生院",
        "医院",
        "人民法院",
        "法院",
        "检察院",
        "贸促会",
        "仲裁院",
        "供销社",
        "供销合作社",
        "纪委监委",
        "图书馆",
        "文化馆",
        "博物馆",
        "美术馆",
    }
)
#: Level-only names: a level and one of these is a unit by itself (省委, 市政府, 县人大): the level-only
#: suffixes that name one body (not 中心, 站, 所, 队 or 仲裁院, which need a name before them), and 委, 办公室.
LEVEL_BODIES = (LEVEL_ONLY_SUFFIXES - {"中心", "站", "所", "队", "仲裁院"}) | {"委", "办公室"}

#: Two levels written together open the name of a kind of body, not of one body (乡镇专职消防队).
GENERIC_LEVELS = ("乡镇", "县乡")
#: A level word right before another level ("乡镇卫生院") makes the name a kind of body, not one body.
GENERIC_LEVEL_BEFORE = frozenset("乡县区")
#: Bodies a plan sets up by name: "成立公共服务补短板工作领导小组".
NEW_BODY_SUFFIXES = frozenset({"领导小组", "指挥部", "工作专班", "委员会", "办公室"})
#: Two-character words that end in a unit suffix but are not units (格局, 部署 …).
NOT_UNIT_ENDINGS = _words("""
格局 布局 大局 全局 开局 结局 当局 时局 变局 新局 破局 棋局 赌局 饭局 骗局 残局 僵局 定局
干部 内部 外部 全部 局部 东部 西部 南部 北部 中部 总部 底部 顶部 头部 腹部 本部 细部 基部 一部 前部 后部
跑办 督办 盯办 承办 主办 协办 筹办 举办 创办 兴办 开办 代办 包办 查办 交办 转办 领办 帮办 首办 好办 难办 怎办
实验室 会议室 工作室 教室 居室 科室 处室 之处 好处 到处 深处 处处 难处 身处 相处 用处 益处 住处 出处 各处
学科 本科 专科 外科 内科 牙科 理科 文科 工科 百科 车站 网站 驿站 加油站 场所 住所 处所 诊所 研究所 事务所
团队 梯队 军队 车队 球队 排头兵队 主委 常委 编委会 居委 村委
常委会 大办 股室 大厅 展厅 餐厅 客厅 可办 通办 即办 快办 网办 秒办 联办 集成办 一次办 马上办
股份 入股 控股 参股 持股 炒股 新股 配股 港股 美股 个股 屁股 龙头股 一股 这股
""")
#: Three-character unit endings that a two-character word in NOT_UNIT_ENDINGS would otherwise hide.
UNIT_ENDINGS = _words("创新局")
#: Words that a short suffix starts, so the suffix is not a name's end (部署, 局面, 办法 …).
NOT_UNIT_FOLLOWERS = {
    "局": "面势限",
    "部": "署分门件位队落委长",
    "委": "员托派屈婉",
    "办": "法理事好学案结成公到完",
    "处": "理于置罚在境",
    "科": "技学研普长",
    "室": "内外",
    "厅": "长级堂",
    "站": "位点长到在起出稳",
    "所": "有在属以得需谓能",
    "队": "伍员长率",
    "股": "份权东票市民本金息利价",
    "党组": "织",
}
#: Words that can stand between a unit and the verb it is subject of; anything else ends the name.
STOP_WORDS = (
    "会同",
    "配合",
    "协助",
    "协同",
    "牵头",
    "联合",
    "负责",
    "根据",
    "按照",
    "组织",
    "指导",
    "督促",
    "支持",
    "推动",
    "加强",
    "落实",
    "对接",
    "设在",
    "交由",
    "成立",
    "建立",
    "设立",
    "组建",
    "召开",
    "开展",
    "列入",
    "承担",
    "接受",
    "代表",
    "要",
    "由",
    "与",
    "和",
    "及",
    "到",
    "向",
    "在",
    "将",
    "把",
    "为",
    "是",
    "请",
    "以",
    "等",
    "的",
    "报",
    "前",
    "了",
    "并",
    "或",
    "按",
    "给",
    "各",
    "也",
    "都",
    "从",
    "被",
    "让",
    "使",
    "于",
    "其",
    "该",
    "本",
)
#: A short suffix with an unfamiliar stem is kept only when the name is followed by one of these.
SUBJECT_FOLLOWERS = (
    "要",
    "也要",
    "都要",
    "牵头",
    "负责",
    "会同",
    "配合",
    "协助",
    "和",
    "与",
    "及",
    "等",
    "在",
    "对",
    "将",
    "按照",
    "抓紧",
    "尽快",
    "主动",
    "积极",
    "认真",
    "联合",
    "共同",
    "组织",
    "统筹",
    "做好",
    "加强",
    "落实",
)
#: Characters never found inside a unit name.
NOT_IN_NAMES = frozenset("么什这那哪谁们着吗呢吧啊很已曾")
#: Two-character words that end a place-like stem but are not place names (辖区, 城区 … before 市/区).
NOT_PLACE_ENDINGS = _words("""
辖区 城区 郊区 地区 社区 景区 园区 片区 小区 校区 矿区 港区 新区 老区 山区 街区 厂区 城市 都市 超市 夜市 集市 城乡 直辖 省辖 地级 县级 市级 省级 区级 上级 下级 各地 当地 本地
对照 近日 上来 下来 起来 目前 今年 当前 同时 此外 其中 要求 按照 根据 通过 依托 围绕 结合 经过 全面 主要
做好 推进 推动 加快 深化 督促 指导 协调 统筹 组织 支持 鼓励 引导 建立 完善 健全 加大 提升 强化 开展 实施 落实
移交 移送 报送 提交 报请 上报 抄送 抄报 呈报
""")
