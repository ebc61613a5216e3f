"""Reading the documents offices really get: web copies, their date and year, reviews of the past, 繁體.

The texts here are short phrases written for the tests, shaped like a 政府工作报告 copied from a web page.
"""

import opencc
import pytest

from luoshi.documents.extract import extract_text

CHROME = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n"


def summary(text: str) -> list[tuple]:
    return [(t.indicator, t.comparator, t.value, t.unit, t.year, t.kind) for t in extract_text(text).targets]


REPORT = (
    CHROME
    + "2026年临江市政府工作报告\n——2026年1月20日在临江市第九届人民代表大会第三次会议上\n来源：临江日报\n时间：2026-01-28\n"
    "各位代表：\n"
    "一、2025年工作回顾\n"
    "过去一年，全市地区生产总值增长5.4%，新建5G基站1200个，进出口总值增长13.1%。\n"
    "“十四五”时期，累计建成高标准农田80万亩，城镇新增就业达到30万人。\n"
    "二、2026年工作安排\n"
    "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业6万人以上。\n"
    "（一）扩大有效投资。年底前建成充电桩3000个，明年建成综合物流园2个。\n"
)


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (CHROME + "2026年临江市政府工作报告\n", "2026年临江市政府工作报告"),
        (
            "https://www.example.gov.cn/art/2026/2/1/art_1.html\n关于加快临江港建设的实施意见\n",
            "关于加快临江港建设的实施意见",
        ),
        ("来源：临江日报\n临江港三年行动方案\n", "临江港三年行动方案"),
        ("source: linjiang daily\n临江港三年行动方案\n", "临江港三年行动方案"),
        ("当前位置：\n首页\n>\n要闻\n要闻\n2026年政府工作报告\n来源：临江日报\n", "2026年政府工作报告"),
        (
            "政府工作报告。 临江日报记者 摄\n政府工作报告\n（2026年1月20日在临江市第九届人民代表大会上）\n",
            "政府工作报告",
        ),
    ],
)
def test_web_page_chrome_is_never_the_title(head, title):
    assert extract_text(head + "各位代表：\n现在，我代表市人民政府报告工作。\n").title == title


def test_a_plain_first_line_is_still_the_title():
    assert extract_text("临江港三年行动方案\n一、总体要求\n").title == "临江港三年行动方案"


def test_the_date_a_report_was_given_and_its_year_are_in_the_proposal():
    extraction = extract_text(REPORT)
    dated = extraction.document_date
    assert (dated.year, dated.date, dated.source) == (2026, "2026-01-20", "delivered")
    assert extraction.text[dated.span[0] : dated.span[1]] == dated.text
    assert extraction.to_dict()["document_date"]["date"] == "2026-01-20"


@pytest.mark.parametrize(
    ("text", "year", "date", "source"),
    [
        ("政府工作报告\n——2025年1月15日在临江市人民代表大会上\n", 2025, "2025-01-15", "delivered"),
        ("政府工作报告\n（2025年1月15日在临江市人民代表大会上）\n", 2025, "2025-01-15", "delivered"),
        ("政府工作报告\n\u2015\u20152025年1月15日在临江市人民代表大会上\n", 2025, "2025-01-15", "delivered"),
        ("政府工作报告\n\u2013\u20132025年1月15日在临江市人民代表大会上\n", 2025, "2025-01-15", "delivered"),
        ("临江市人民政府关于印发临江港建设方案的通知\n（2024年3月5日印发）\n", 2024, "2024-03-05", "issued"),
        (
            "临江市人民政府关于印发临江港建设方案的通知\n各区人民政府：\n现印发给你们。\n临江市人民政府\n2024年3月5日\n",
            2024,
            "2024-03-05",
            "signed",
        ),
        ("临江港建设情况\n时间：2026-02-02\n", 2026, "2026-02-02", "dated"),
        ("临江港建设情况\n日期：2025年12月30日\n", 2025, "2025-12-30", "dated"),
        ("在全市经济工作会议上的讲话\n今年是“十五五”开局之年，要开好局。\n", 2026, None, "this_year"),
        ("在全市经济工作会议上的讲话\n今年是“十四五”规划收官之年。\n", 2025, None, "this_year"),
    ],
)
def test_the_document_date_is_read_from_the_lines_that_carry_one(text, year, date, source):
    dated = extract_text(text).document_date
    assert (dated.year, dated.date, dated.source) == (year, date, source)


def test_a_title_year_wins_over_a_date_in_another_year():
    dated = extract_text("临江市2026年工作要点\n（2025年12月28日印发）\n").document_date
    assert (dated.year, dated.date) == (2026, "2025-12-28")


def test_a_text_without_any_date_has_none():
    assert extract_text("关于加快临江港建设的实施意见\n一、总体要求\n").document_date is None


def test_this_year_and_next_year_are_read_against_the_document_date():
    text = "在全市经济工作会议上的讲话\n（2026年1月5日）\n今年要新增市场主体5000户。年底前建成充电桩300个，明年建成物流园2个。\n"
    assert [(t.indicator, t.year) for t in extract_text(text).targets] == [
        ("新增市场主体", 2026),
        ("建成充电桩", 2026),
        ("建成物流园", 2027),
    ]


def test_a_report_with_no_year_in_its_title_plans_the_year_of_its_date():
    extraction = extract_text(
        "政府工作报告\n——2026年1月20日在临江市人民代表大会上\n城镇新增就业6万人以上。\n"
    )
    assert extraction.plan_year == 2026
    assert [t.year for t in extraction.targets] == [2026]


def test_only_the_plan_part_of_a_work_report_gives_targets():
    assert summary(REPORT) == [
        ("地区生产总值", "approx", 1.05, "倍", 2026, "multiple"),
        ("城镇新增就业", "gte", 60000, "人", 2026, "absolute"),
        ("建成充电桩", "eq", 3000, "个", 2026, "absolute"),
        ("建成综合物流园", "eq", 2, "个", 2027, "absolute"),
    ]


def test_no_tasks_are_proposed_from_the_review():
    extraction = extract_text(REPORT)
    review_end = extraction.text.index("二、2026年工作安排")
    assert extraction.tasks and all(task.span[0] > review_end for task in extraction.tasks)


@pytest.mark.parametrize(
    "review",
    [
        "五年来，全市累计建成高标准农田80万亩。\n",
        "“十四五”时期，全市累计建成高标准农田80万亩。\n",
        "一、过去五年工作成效\n全市累计建成高标准农田80万亩。\n",
        "一、“十四五”时期发展成就\n全市累计建成高标准农田80万亩。\n",
    ],
)
def test_a_past_stretch_gives_no_targets_until_the_text_turns_ahead(review):
    text = "2026年临江市政府工作报告\n" + review + "今年要建成高标准农田10万亩。\n"
    assert summary(text) == [("建成高标准农田", "eq", 100000, "亩", 2026, "absolute")]


def test_a_heading_that_names_what_is_ahead_first_is_a_plan_section():
    text = "2026年临江市政府工作报告\n二、“十五五”时期主要目标和“十四五”经验\n常住人口城镇化率达到70%。\n"
    assert summary(text) == [("常住人口城镇化率", "gte", 70, "%", 2030, "absolute")]


def test_a_paragraph_opening_on_a_past_year_reports_in_its_first_sentence_only():
    text = "临江县2024年优化营商环境工作方案\n2023年，全县新增市场主体4326户。2024年，全县新增市场主体5000户以上。\n"
    assert summary(text) == [("新增市场主体", "gte", 5000, "户", 2024, "absolute")]


def test_a_plan_that_never_looks_back_keeps_all_its_targets():
    text = (
        "临江港三年行动方案\n一、总体要求\n坚持系统推进。\n二、主要目标\n到2027年，港口吞吐量超3亿吨。\n"
        "三、重点任务\n每年新增企业20家。\n四、保障措施\n各有关部门要加强协调。\n"
    )
    assert len(extract_text(text).targets) == 2


def test_a_short_heading_naming_a_five_year_plan_dates_its_targets():
    text = "2026年临江市政府工作报告\n二、“十五五”时期主要目标任务\n——扩大有效需求。经济年均增长5%左右。\n三、2026年重点工作\n新建充电桩3000个。\n"
    assert summary(text) == [
        ("经济", "approx", 5, "%", 2030, "increment"),
        ("新建充电桩", "eq", 3000, "个", 2026, "absolute"),
    ]


def test_traditional_text_reads_as_well_as_simplified_with_spans_on_the_pasted_text():
    simplified = REPORT + "各有关部门要按照职责分工，确保完成。市发展改革委牵头，会同市财政局做好资金保障。\n"
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    plain, read = extract_text(simplified), extract_text(traditional)
    assert read.source.script == "traditional" and plain.source.script == "simplified"
    assert read.text != plain.text and len(read.text) == len(plain.text)
    assert [(t.indicator, t.value, t.year) for t in read.targets] == [
        (t.indicator, t.value, t.year) for t in plain.targets
    ]
    assert [(u.name, u.roles) for u in read.units] == [(u.name, u.roles) for u in plain.units]
    assert read.title == plain.title and read.document_date.date == plain.document_date.date
    for target in read.targets:
        assert read.text[target.span[0] : target.span[1]] == target.text  # the passage as pasted
    assert "設" in read.targets[-1].text or "個" in read.targets[-1].text
    assert read.tasks and all(read.text[t.span[0] : t.span[1]] == t.text for t in read.tasks)


def test_simplified_text_is_not_converted():
    extraction = extract_text("临江港三年行动方案\n到2027年，港口吞吐量超3亿吨，乾坤湾码头建成投用。\n")
    assert extraction.source.script == "simplified"
    assert "乾坤湾" in extraction.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地区生产总值年均增速4.5%-5%。", [("地区生产总值", "gte", 4.5, "%", None, "increment")]),
        ("地区生产总值增长4.5%—5%。", [("地区生产总值", "gte", 1.045, "倍", None, "multiple")]),
        (
            "全员劳动生产率达58万元/人左右。",
            [("全员劳动生产率", "approx", 580000, "元/人", None, "absolute")],
        ),
        ("事故死亡率控制在0.6人/百亿元以下。", [("事故死亡率", "lte", 0.6, "人/百亿元", None, "absolute")]),
        (
            "粮食综合生产能力迈上1000亿斤新台阶。",
            [("粮食综合生产能力", "gte", 100_000_000_000, "斤", None, "absolute")],
        ),
        ("开行中欧班列4000班次。", [("开行中欧班列", "eq", 4000, "班次", None, "absolute")]),
        (
            "农村低保标准占城镇低保标准的最低比例从77%提高到80%以上。",
            [("最低比例", "gte", 80, "%", None, "absolute")],
        ),
        ("重点抓好以下14个方面的工作。", []),
        (
            "为1000家左右社区卫生服务中心配备设备。",
            [("社区卫生服务中心配备设备", "approx", 1000, "家", None, "absolute")],
        ),
        (
            "提升改造210公里农村公路和120万平方米村内道路。",
            [
                ("农村公路", "eq", 210, "公里", None, "absolute"),
                ("村内道路", "eq", 1_200_000, "平方米", None, "absolute"),
            ],
        ),
    ],
)
def test_figures_as_work_reports_write_them(text, expected):
    assert summary(text) == expected


def test_a_share_under_a_yearly_figure_is_not_yearly():
    text = "到2030年，地区生产总值年均增长5%以上，其中制造业增加值占比25%左右。"
    assert summary(text)[1] == ("制造业增加值占比", "approx", 25, "%", 2030, "absolute")


def units_of(text: str) -> list[str]:
    return [unit.name for unit in extract_text(text).units]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("2026年临江市政府工作报告\n自觉接受市人大及其常委会的监督。\n", ["市人大"]),
        ("支持人大、政协依法履职，发挥工会、共青团、妇联作用。", ["人大", "政协", "工会", "共青团", "妇联"]),
        # the congress and the conference named in their members' titles, as the real-report annotators count them
        ("感谢全体人大代表、政协委员。", ["人大", "政协"]),
        ("向中央和国家机关各部门各单位表示感谢。", ["中央和国家机关各部门各单位"]),
        ("驻临各中直单位、各级政府要支持。", ["驻临各中直单位", "各级政府"]),
        ("各区、各部门要抓好落实。", ["各区", "各部门"]),
        ("要开好局、起好步，建成市第三中心医院。", ["市第三中心医院"]),
        ("市场科技金融路演中心和市属国企迁入副中心，区域医疗中心加快建设。", []),
        ("建设国家血液病医学中心，推动国家统计局临江调查队开展调查。", ["国家统计局临江调查队"]),
        ("自觉接受县人大常委会的法律监督。", ["县人大常委会"]),
        ("全面贯彻十二届市委历次全会精神，锚定省委部署，制定省政府规章。", ["市委", "省委", "省政府"]),
        ("要开创新局，做强省纺织集团，支持上市公司发展。", []),
        ("省纺织集团配合，做好纺织服装产业链招商。", ["省纺织集团"]),
    ],
)
def test_bodies_a_work_report_names(text, names):
    assert units_of(text) == names


def test_a_heading_level_is_its_style_rank_among_the_styles_the_document_uses():
    text = (
        "一、工作回顾\n一是稳住增长。内容。二是推动转型。内容。\n二、今年工作安排\n（一）扩大内需。\n"
        "一是促进消费，二是扩大投资，三是稳定外贸。\n"
    )
    outline = [(h.level, h.title) for h in extract_text(text).outline]
    assert outline == [
        (1, "工作回顾"),
        (3, "稳住增长"),
        (3, "推动转型"),
        (1, "今年工作安排"),
        (2, "扩大内需"),
        (3, "促进消费"),
        (3, "扩大投资"),
        (3, "稳定外贸"),
    ]
    parents = {h.title: h.parent for h in extract_text(text).outline}
    assert parents["稳住增长"] == "h1"


def test_a_traditional_article_marker_reads_like_a_simplified_one():
    simplified = "临江市安全生产考核办法\n第八条县交通运输局负责道路运输安全监管。\n"
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert "條" in traditional
    assert [(u.name, u.roles) for u in extract_text(traditional).units] == [("县交通运输局", ["lead"])]
    assert [h.title for h in extract_text(traditional).outline] == [
        h.title for h in extract_text(simplified).outline
    ]


def test_the_end_of_the_fifteenth_five_year_plan_is_2030():
    assert summary("2026年临江市政府工作报告\n到“十五五”末，森林覆盖率达到70%。\n") == [
        ("森林覆盖率", "gte", 70, "%", 2030, "absolute")
    ]


def test_a_heading_naming_the_five_year_plan_goals_dates_the_goals_under_it():
    text = (
        "2026年临江市政府工作报告\n二、“十五五”主要目标任务\n（一）推进城乡融合。\n常住人口城镇化率提升至72%左右。\n"
        "三、2026年重点工作\n新建社区食堂20个。\n"
    )
    assert summary(text) == [
        ("常住人口城镇化率", "approx", 72, "%", 2030, "absolute"),
        ("新建社区食堂", "eq", 20, "个", 2026, "absolute"),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("在中共临江省委坚强领导下，全省经济稳中有进。", ["中共临江省委"]),
        ("中共临江市委办公室牵头，市政府办公室配合。", ["中共临江市委办公室", "市政府办公室"]),
        ("衷心感谢中央驻临单位的大力支持。", ["中央驻临单位"]),
        ("各盟市要严格落实财政责任，各市发挥自身优势，各区主动作为。", ["各盟市", "各市", "各区"]),
        ("争取20个国家部委出台支持政策。", ["国家部委"]),
        ("各市场主体活力增强，各区域协调发展。", []),
    ],
)
def test_party_committees_in_full_and_the_collectives_of_a_province(text, names):
    assert units_of(text) == names


def test_a_body_named_in_a_list_of_fields_of_work_is_a_field():
    assert units_of("老龄、工会、青少年、残疾人、红十字会等事业取得新进展。") == []
    assert units_of("支持工会、共青团、妇女儿童、残疾人组织更好发挥作用。") == ["工会", "共青团"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("各项工作紧紧围绕自治区党委部署展开，认真吸纳自治区人大意见。", ["自治区党委", "自治区人大"]),
        ("实施居委会能力提升行动，优化海关查验模式。", ["居委会"]),
    ],
)
def test_a_level_or_a_verb_before_a_name(text, names):
    assert units_of(text) == names


def test_a_paragraph_setting_out_the_five_year_plan_goals_dates_them_at_its_end():
    text = (
        "2026年临江市政府工作报告\n二、“十五五”时期目标任务和2026年工作安排\n"
        "《纲要（草案）》明确了主要指标：一是围绕经济发展，提出6项指标，其中地区生产总值年均增长5%左右。"
        "以上共计28项指标，其中约束性指标9项。\n页岩气产量2030年达到30亿立方米。\n"
    )
    assert summary(text) == [
        ("地区生产总值", "approx", 5, "%", 2030, "increment"),
        ("页岩气产量", "gte", 3_000_000_000, "立方米", 2030, "absolute"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "建设临江人才科创走廊。",
        "拓展应急处突等应用场景。",
        "服务中远海运、招商局、国能航运等央企。",
        "纪录片获金鸡评委会奖。",
    ],
)
def test_words_that_only_start_like_a_body_are_not_units(text):
    assert units_of(text) == []
