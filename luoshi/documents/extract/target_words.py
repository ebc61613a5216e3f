"""Words that decide whether a number is a target and of which kind; read with targets.py."""

import re

#: Comparator words written before the number, longest first, and what they mean.
COMPARATOR_BEFORE: dict[str, str] = {
    "不低于": "gte",
    "不少于": "gte",
    "不超过": "lte",
    "不高于": "lte",
    "不多于": "lte",
    "不到": "lt",
    "控制在": "lte",
    "压缩至": "lte",
    "压缩到": "lte",
    "压减至": "lte",
    "压减到": "lte",
    "缩短至": "lte",
    "缩短到": "lte",
    "降低到": "lte",
    "降低至": "lte",
    "下降到": "lte",
    "下降至": "lte",
    "减少到": "lte",
    "减少至": "lte",
    "降至": "lte",
    "提高到": "gte",
    "提高至": "gte",
    "提升到": "gte",
    "提升至": "gte",
    "增加到": "gte",
    "增加至": "gte",
    "增长到": "gte",
    "增长至": "gte",
    "扩大到": "gte",
    "扩大至": "gte",
    "增至": "gte",
    "达到": "gte",
    "至少": "gte",
    "超过": "gt",
    "突破": "gt",
    "大于": "gt",
    "多于": "gt",
    "高于": "gt",
    "低于": "lt",
    "小于": "lt",
    "保持在": "eq",
    "稳定在": "eq",
    "≥": "gte",
    "≤": "lte",
    ">": "gt",
    "<": "lt",
    "达": "gte",
    "超": "gt",
    "逾": "gt",
    "约": "approx",
    "近": "approx",
    "迈上": "gte",
    "迈过": "gte",
}
_BEFORE_ALTERNATION = "|".join(sorted(map(re.escape, COMPARATOR_BEFORE), key=len, reverse=True))
#: "至少配备1名", "最少引进1个": the comparator may stand before the verb.
COMPARATOR_BEFORE_RE = re.compile(f"(?:(?:至少|最少)[\u4e00-\u9fff]{{1,2}}|{_BEFORE_ALTERNATION})$")
#: Comparator words written after the number; they override most words before it.
COMPARATOR_AFTER = {
    "以上": "gte",
    "以内": "lte",
    "以下": "lte",
    "左右": "approx",
    "上下": "approx",
    "多": "gt",
    "余": "gt",
}
COMPARATOR_AFTER_RE = re.compile("以上|以内|以下|左右|上下|多(?![元])|余")

#: "高于全省2.5个百分点": a target set against another series.
RELATIVE_RE = re.compile(
    r"(?P<word>高于|快于|高出|领先|超过|超出|低于|慢于)(?P<series>[^，。；：、\d]{1,14}?)$"
)
RELATIVE_LOWER = {"低于", "慢于"}
#: "比2020年增长10%", "较2023年下降30%": a change against the indicator's own baseline.
CHANGE_RE = re.compile(
    r"(?:同比|(?:比|较|相比)(?P<base>(?:19|20)\d{2}年(?:底|末)?|上年|上一年|去年|基期|现有水平)?(?:末|底)?)?"
    r"(?P<word>增长|提高|增加|提升|上升|下降|降低|减少|压减|压缩|精简|缩减|削减)(?:了)?$"
)
CHANGE_DOWN = {"下降", "降低", "减少", "压减", "压缩", "精简", "缩减", "削减"}
#: "年均新增20家以上", "每年安排不少于5000万元": a yearly increment.
INCREMENT_RE = re.compile(
    r"(?:年均|年平均)(?P<verb>新增|增加|增长|增速|增幅|提高|提升|培育|引进|新建|安排|新开工|实施|投入|招引|下降|降低|减少)"
    r"|(?:每年|平均每年|逐年)(?P<every_verb>新增|增加|增长|提高|提升|培育|引进|新建|安排|新开工|实施|投入|招引|下降|降低|减少)?"
)  # 年均 alone qualifies a measure ("年均浓度"), not a yearly increment; "年均下降5%" is an increment of -5%
#: "翻一番" ×2, "翻两番" ×4; "再翻一番" counts from the previous target.
DOUBLING_RE = re.compile(r"(?P<again>再)?翻(?P<times>一|两|二|三|[1-3])番(?P<more>以上)?")
BASELINE_RE = re.compile(
    r"在(?P<base>[^，。；]{1,14}?)(?:的)?基础上|(?:比|较)(?P<year>(?:19|20)\d{2}年|上年|去年)"
)
#: "每季度巡河不少于1次": how often a duty recurs, not a target.
FREQUENCY_RE = re.compile(r"每(?:季度|月|周|半年|天|日|旬|年|名|人|位|家)")

#: A sentence with one of these reports what has happened; its numbers are not targets.
#: A sentence opening on a past stretch of time reports what was done: "一年来，", "“十四五”以来，".
PAST_OPENING = re.compile(
    r"^(?:[^，。；\n]{0,12}以来|[一二两三四五六七八九十\d]+年来|近年来|近几年来|过去(?:的)?[^，。；\n]{0,6}年|去年|上年)，"
)
ACTUAL_MARKERS = re.compile(
    r"已经|已达|已累计|已建成|已完成|完成了|实现了|达到了|累计完成|位居|位列"
    r"|(?<!在|托|用|活|合|于|对|持)现有(?=[\u4e00-\u9fff]{1,12}\d)"  # 全县现有乡镇卫生院14家: what there is now
    r"|中有(?=\d|[一二三四五六七八九十])|比[^，。；]{0,10}目标[低高慢快]"  # 136家企业中有37家…, 比全年目标低5个百分点
)
#: "同比增长9.6%" reports the past when the sentence opens with the period it reports on ("2022年，",
#: "去年，", "今年以来"); in a plan's measure ("检查频次同比下降30%") it is a change to reach.
SAME_PERIOD = re.compile(r"同比")
PERIOD_OPENING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇]+[章节条]|\d{1,2}[.、]|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）)?\s*"
    r"(?:(?P<year>(?:19|20)\d{2})年(?:上半年|前三季度|\d{1,2}[—-]\d{1,2}月)?|去年|上年|今年以来|年初以来|上半年|前三季度"
    r"|(?:第)?[一二三]季度|1[—-]\d{1,2}月|前[两三四五六七八九十]个月)，"
)
#: A sentence opening on a period that has passed and saying what was 实现 or 同比 reports results.
REPORTED = re.compile(r"同比|实现")
#: These report the past too, unless the sentence also says it is aiming (力争, 预期, 左右 …).
PAST_COMPARISONS = re.compile(r"比上年|较上年|上年同期")
AIMING_WORDS = re.compile(r"力争|预期|确保|目标|左右|以上|以内|争取|要|将|计划")
#: Endings of indicator names that make a bare number a target ("城市聚集人口70万人").
METRIC_ENDINGS = (
    "量",
    "率",
    "额",
    "数",
    "比重",
    "占比",
    "比例",
    "人口",
    "收入",
    "产值",
    "增加值",
    "规模",
    "面积",
    "投资",
    "GDP",
    "总值",
    "指数",
    "增速",
    "速度",
    "时间",
    "时限",
    "里程",
    "容量",
    "产能",
    "产量",
    "销量",
    "税收",
    "利润",
    "营收",
    "贷款",
    "资金",
    "数量",
    "用地",
    "供应",
    "水平",
    "密度",
    "浓度",
    "强度",
    "能耗",
    "外资",
    "内资",
    "金额",
)
#: Verbs that make a number a target even without a comparator ("新增普惠小微贷款8亿元").
TARGET_VERBS = re.compile(
    r"新增|新建|建成|累计|培育|引进|完成|减负|新开工|招引|培训|发放|储备|淘汰|带动|净增|再就业|举办|创建|吸纳|安置|"
    r"改造|治理|整治|铺设|敷设|清理|拆除|配备|改建|扩建|认定|打造|开通|开行|新开|扶持|帮扶|推出|签约|培养|新设|办好|办成"
)
#: 建设 marks a target only right before its object and number ("建设充电桩5000个"), not anywhere in
#: the clause ("…建设的三件大事").
BUILD_BEFORE_NUMBER = re.compile(r"建设(?:(?!的)[\u4e00-\u9fff“”]){0,12}$")
#: The object a counted clause refers back to: "设立X专项资金", "安排X资金".
OBJECT_AFTER_VERB = re.compile(
    r"(?:设立|设置|建立|筹集|统筹|整合|安排|投入)([\u4e00-\u9fff]{2,16}(?:资金|基金|经费|预算))$"
)
#: A rule, not a target: grants ("给予不超过合同金额20%的奖励，单个项目最高不超过500万元") and
#: assessment weights and grade quotas ("权重不低于10%", "优秀等次比例不超过30%").
NOT_A_TARGET = re.compile(
    r"涉及|惠及|给予|每人|单个|纳入[^，。；]{0,8}范围|等次|(?:奖励|奖补|补助|补贴|资助|贴息)(?!资金|基金|经费|性)|单个项目|每个项目|每家|每户|最高不超过|最高(?=\d|可|给予|[一二三四五六七八九十])|权重|分值|加分|扣分"
)
#: Project stages that date a project list ("8个铁路专用线项目2020年如期开工").
STAGES = re.compile(r"开工|竣工|投产|建成|完工|投运|开业|签约|落地|达产")
#: "推动30条生产线投产", "100个示范社区全面建成": a count of things that reach a stage is a target.
COUNT_REACHES_STAGE = re.compile(
    r"(?P<thing>[\u4e00-\u9fff“”]{1,16}?)(?:全面|基本|如期|全部|按期|相继|陆续)?(?:建成|投产|开工|竣工|完工|投运|开业|达产|投用)"
)
PROJECT_NOUN = re.compile(r"[\u4e00-\u9fff]{0,14}?(?:项目|工程)")

#: Indicator names that only say "the total": "一般公共预算收入增长5%，总量达到218亿元" names the one before.
GENERIC_INDICATORS = ("总量", "总额", "规模", "总规模", "总数")
#: An indicator that is only a verb ("建成60万平方米") names the thing of the target before it.
VERB_ONLY = re.compile(
    r"(?:累计|新|开工|全面|基本)?(?:建成|完成|新建|建设|改造|提升|开工|竣工|投产|实施|培育|引进|筹集|启动|签约|新签约|推出|新增)+"
)
#: Words of a 、-list that carries its own verb but still shares the list's 每年, unless it sums up.
CUMULATIVE_WORDS = re.compile(r"累计|总计|合计|共计|达到")

#: Words trimmed from the front and back of an indicator name.
_LEADING = [
    "确保",
    "力争",
    "争取",
    "努力",
    "全力",
    "使",
    "将",
    "要",
    "实现",
    "推动",
    "促进",
    "其中",
    "同时",
    "并",
    "且",
    "预计",
    "初步预测",
    "围绕",
    "重点抓好",
    "抓好",
    "加快推进",
    "加快",
    "推进",
    "全年",
    "全市",
    "全县",
    "全区",
    "全省",
    "累计",
    "总计",
    "合计",
    "共计",
    "共",
    "到(?!位)",
    "在",
    "保持",
    "必须",
    "我们",
    "要求",
    "今年",
    "明年",
    "本年",
    "全镇",
    "全乡",
    "完成",
    "提出",
]
_TRAILING = [
    "将",
    "要",
    "力争",
    "争取",
    "基本",
    "稳定",
    "持续",
    "继续",
    "保持",
    "全部",
    "累计",
    "实现",
    "总共",
    "必须",
    "逐步",
    "均",
    "也",
    "分别",
    "平均",
]
LEADING_FILLERS = re.compile("^(?:" + "|".join(sorted(_LEADING, key=len, reverse=True)) + ")+")
TRAILING_FILLERS = re.compile("(?:" + "|".join(sorted(_TRAILING, key=len, reverse=True)) + ")+$")
