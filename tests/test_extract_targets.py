"""Step 2 of the extraction: quantitative targets with comparator, value in base units, year and kind."""

from pathlib import Path

import pytest

from luoshi.documents.extract import extract_text

SAMPLE = Path(__file__).resolve().parent.parent / "bench" / "corpus" / "sample_speech.txt"


def targets(text: str):
    return extract_text(text).targets


def summary(text: str) -> list[tuple]:
    return [(t.indicator, t.comparator, t.value, t.unit, t.year, t.kind) for t in targets(text)]


def test_an_absolute_target_has_indicator_comparator_value_unit_and_year():
    assert summary("确保到2022年，港口吞吐量超3亿吨，集装箱达到100万标箱。") == [
        ("港口吞吐量", "gt", 300_000_000, "吨", 2022, "absolute"),
        ("集装箱", "gte", 1_000_000, "标箱", 2022, "absolute"),
    ]


@pytest.mark.parametrize(
    ("written", "value", "unit"),
    [
        ("3亿吨", 300_000_000, "吨"),
        ("100万标箱", 1_000_000, "标箱"),
        ("2447亿元", 244_700_000_000, "元"),
        ("70万人", 700_000, "人"),
        ("七十万人", 700_000, "人"),
        ("75%", 75, "%"),
        ("百分之七十五", 75, "%"),
        ("17万元", 170_000, "元"),
        ("0.62万个", 6_200, "个"),
        ("1,200万元", 12_000_000, "元"),
        ("30个工作日", 30, "工作日"),
        ("20万平方米", 200_000, "平方米"),
    ],
)
def test_values_are_converted_to_base_units(written, value, unit):
    [target] = targets(f"到2025年，该指标达到{written}。")
    assert (target.value, target.unit) == (value, unit)


def test_doubling_is_a_multiple_of_the_baseline_and_doubling_again_builds_on_the_previous_target():
    found = targets(
        "到2022年，内外贸航线数量在现有基础上翻一番；\n到2025年，内外贸航线数量在2022年基础上再翻一番。"
    )
    first, second = found
    assert (first.kind, first.value, first.unit, first.year, first.relative_to) == (
        "multiple",
        2,
        "倍",
        2022,
        "现有基础",
    )
    assert (second.kind, second.value, second.year) == ("multiple", 2, 2025)
    assert (second.relative_to, second.previous_target) == ("previous_target", first.id)


def test_higher_than_the_province_is_relative_to_that_series():
    [target] = targets("要求我们必须保持高于全省2.5个百分点的发展增速。")
    assert (
        target.indicator,
        target.kind,
        target.comparator,
        target.value,
        target.unit,
        target.relative_to,
    ) == ("发展增速", "relative", "gte", 2.5, "百分点", "全省")


def test_lower_than_another_series_is_a_negative_difference():
    [target] = targets("PM2.5浓度增幅低于全省平均水平2个百分点。")
    assert (target.kind, target.comparator, target.value) == ("relative", "lte", -2)


def test_a_yearly_increment_counts_per_year():
    assert summary("要围绕高新技术企业年均新增20家以上、科技型中小企业年均新增100家以上的目标。") == [
        ("高新技术企业", "gte", 20, "家", None, "increment"),
        ("科技型中小企业", "gte", 100, "家", None, "increment"),
    ]


def test_a_fall_against_a_base_year_is_a_multiple_below_one():
    [target] = extract_text("XX县2024年工作方案\n涉企行政检查次数较2023年下降30%以上。").targets
    assert (target.kind, target.comparator, target.value, target.unit, target.year, target.relative_to) == (
        "multiple",
        "lte",
        0.7,
        "倍",
        2024,
        "2023年",
    )


def test_a_duration_is_kept_when_there_is_no_year():
    [target] = targets("争取用五年左右的时间，蓝绿空间占比达到50%左右。")
    assert (target.comparator, target.value, target.year, target.within_years) == ("approx", 50, None, 5)


def test_a_project_list_is_a_count_with_its_start_date():
    [target] = targets("确保列入三年行动计划的8个铁路专用线项目2020年如期开工。")
    assert (target.indicator, target.value, target.unit, target.year, target.stage) == (
        "铁路专用线项目",
        8,
        "个",
        2020,
        "开工",
    )


def test_an_annual_plan_gives_its_year_to_targets_without_one():
    extraction = extract_text("XX县2024年优化营商环境工作方案\n全年新增市场主体5000户以上。")
    assert extraction.plan_year == 2024
    assert summary_of(extraction) == [("新增市场主体", "gte", 5000, "户", 2024, "absolute")]


def summary_of(extraction) -> list[tuple]:
    return [(t.indicator, t.comparator, t.value, t.unit, t.year, t.kind) for t in extraction.targets]


def test_a_target_table_gives_one_target_per_row():
    text = "XX市方案（2023—2025年）\n序号\t指标名称\t单位\t2022年基数\t2025年目标\n1\t增加值\t亿元\t262\t450\n2\t5G基站\t万个\t0.62\t≥1.5\n"
    assert summary(text) == [
        ("增加值", "eq", 45_000_000_000, "元", 2025, "absolute"),
        ("5G基站", "gte", 15_000, "个", 2025, "absolute"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "加快“九路三互通”、“七河一堤”等城市先导工程建设。",
        "“一市三园”要据此成立专门的指挥部。",
        "进一步落实建筑施工土地“368”规范。",
        "以增强“四个意识”、坚定“四个自信”、做到“两个维护”的高度政治自觉。",
        "要增强“十大能力”，打造“一带一路”重要枢纽。",
        "加快推进综合港区20万吨级航道改造提升。",
        "一个覆盖全域2400平方公里的绿色智慧新城将崛起于X湾。",
        "集中一个月左右的时间开展大讨论活动。",
        "提出了“四大目标”和五个方面、25项重点任务。",
        "X市等七个单位作了很好的表态发言。",
        "深入实施“六个一”工程，打造七大主导产业。",
        "前台收银员年度工作总结11篇(范例推荐)2024-02-01",
    ],
)
def test_numerals_in_names_and_slogans_are_not_targets(text):
    assert targets(text) == []


def test_figures_already_reached_are_not_targets():
    assert targets("2023年，全县新增市场主体4326户，同比增长12.3%。") == []


def test_an_equivalent_in_brackets_is_not_a_second_target():
    assert summary("到2025年，人均GDP将达到17万元（约2.4万美元）。") == [
        ("人均GDP", "gte", 170_000, "元", 2025, "absolute")
    ]


def test_spans_point_at_the_clause_and_the_number_in_the_normalised_text():
    extraction = extract_text("确保到2022年,港口吞吐量超3亿吨,集装箱达到100万标箱。")
    first = extraction.targets[0]
    assert extraction.text[first.span[0] : first.span[1]] == first.text == "港口吞吐量超3亿吨"
    assert extraction.text[first.value_span[0] : first.value_span[1]] == "3亿吨"
    assert first.deadline_text == "到2022年"


def test_every_target_of_the_sample_speech_is_found_and_nothing_else():
    found = summary(SAMPLE.read_text(encoding="utf-8"))
    assert len(found) == 15
    assert ("港口吞吐量", "gt", 300_000_000, "吨", 2022, "absolute") in found
    assert ("城市聚集人口", "eq", 700_000, "人", 2025, "absolute") in found
    assert ("总投资", "eq", 244_700_000_000, "元", None, "absolute") in found


def test_a_comparator_before_the_verb_still_counts_and_the_counted_thing_names_the_indicator():
    [target] = targets("到2024年底，每个乡镇卫生院至少配备1名全科医生。")
    assert (target.indicator, target.comparator, target.value, target.unit, target.year) == (
        "全科医生",
        "gte",
        1,
        "名",
        2024,
    )


def test_a_clause_without_an_indicator_takes_the_one_before_it():
    assert summary("今年全县要完成固定资产投资300亿元，力争突破320亿元。") == [
        ("固定资产投资", "eq", 30_000_000_000, "元", None, "absolute"),
        ("固定资产投资", "gt", 32_000_000_000, "元", None, "absolute"),
    ]


def test_how_often_a_duty_recurs_is_not_a_target():
    assert targets("区级河湖长每季度巡河不少于1次，街道级河湖长每月巡河不少于1次。") == []


def test_grant_rules_and_assessment_weights_are_not_targets():
    assert (
        targets("给予不超过合同金额20%的奖励，单个项目最高不超过500万元。纳入年度综合考核，权重不低于10%。")
        == []
    )


def test_a_number_in_a_task_table_cell_is_read_like_running_text():
    text = "XX区2024年任务清单\n序号\t工作任务\t牵头单位\n2\t推进管网建设，新建改造污水管网25公里\t区住房和城乡建设局\n"
    assert summary(text) == [("新建改造污水管网", "eq", 25, "公里", 2024, "absolute")]


def test_under_a_targets_heading_a_named_figure_is_a_target_as_it_stands():
    assert summary("一、主要目标\n高新技术企业一百五十家。\n二、重点任务\n高新技术企业一百五十家。\n") == [
        ("高新技术企业", "eq", 150, "家", None, "absolute")
    ]


def test_elsewhere_a_figure_in_digits_is_a_target_unless_it_only_counts_names_rules_or_rhythms():
    assert summary("二、重点任务\n盘活闲置土地6000亩，整顿软弱涣散村党组织42个。") == [
        ("盘活闲置土地", "eq", 6000, "亩", None, "absolute"),
        ("整顿软弱涣散村党组织", "eq", 42, "个", None, "absolute"),
    ]
    assert (
        summary(
            "二、重点任务\n开展白沙河等9条支流排查，每条产业链明确1名市级领导，提出了25项重点任务，"
            "专题调度2次，推进中海油300万吨油砂加工、北矿装备园等大项目。"
        )
        == []
    )


def test_a_change_on_the_same_period_last_year_in_a_plan_is_a_multiple_of_last_year():
    found = targets(
        "XX县2025年工作方案\n生产安全事故死亡人数控制在12人以内，同比下降10%以上。涉企检查频次同比下降30%。"
    )
    assert [(t.indicator, t.comparator, t.value, t.unit, t.kind) for t in found] == [
        ("生产安全事故死亡人数", "lte", 12, "人", "absolute"),
        ("生产安全事故死亡人数", "lte", 0.9, "倍", "multiple"),
        ("涉企检查频次", "eq", 0.7, "倍", "multiple"),
    ]
    assert (found[1].relative_to, found[1].year) == ("上年", 2025)


def test_points_gained_on_the_same_period_last_year_are_relative_to_last_year():
    [target] = targets("XX县2025年工作方案\n企业安全生产标准化达标率同比提高5个百分点。")
    assert (target.indicator, target.kind, target.value, target.unit, target.relative_to) == (
        "企业安全生产标准化达标率",
        "relative",
        5,
        "百分点",
        "上年",
    )


def test_a_same_period_change_reported_for_a_past_period_is_not_a_target():
    assert targets("XX县2025年工作方案\n去年，全县完成固定资产投资268亿元，同比增长9.2%。") == []
    assert targets("XX县2025年工作方案\n2024年，全县新增市场主体4326户，同比增长12.3%。") == []


def test_visits_to_firms_are_counted_in_firm_visits():
    [target] = targets("全年执法检查企业不少于600家次。")
    assert (target.value, target.unit, target.comparator) == (600, "家次", "gte")


def test_a_number_of_years_before_a_target_verb_is_a_duration():
    found = targets("三年新增民营上市公司30家、新三板挂牌企业60家。")
    assert [(t.value, t.within_years, t.year) for t in found] == [(30, 3, None), (60, 3, None)]


def test_a_list_item_shares_the_yearly_increment_of_its_list():
    found = summary("每年向民间资本推介重大项目不少于300个、总投资3000亿元以上。")
    assert found == [
        ("向民间资本推介重大项目", "gte", 300, "个", None, "increment"),
        ("总投资", "gte", 300_000_000_000, "元", None, "increment"),
    ]


def test_a_part_of_the_target_before_it_is_a_target_too():
    assert summary("XX市2025年工作要点\n全年引进各类人才2.5万人，其中高层次人才500人。") == [
        ("引进各类人才", "eq", 25_000, "人", 2025, "absolute"),
        ("高层次人才", "eq", 500, "人", 2025, "absolute"),
    ]


def test_a_quota_of_assessment_grades_is_not_a_target():
    assert targets("考核结果分为优秀、良好、合格、不合格四个等次，优秀等次比例不超过30%。") == []


def test_laying_clearing_and_demolishing_are_target_verbs():
    assert summary(
        "XX县2025年实施方案\n新铺设污水管网60公里，全年清理农村生活垃圾1.2万吨，拆除危旧房500处。"
    ) == [
        ("新铺设污水管网", "eq", 60, "公里", 2025, "absolute"),
        ("清理农村生活垃圾", "eq", 12_000, "吨", 2025, "absolute"),
        ("拆除危旧房", "eq", 500, "处", 2025, "absolute"),
    ]


def test_at_least_before_a_verb_and_its_object_still_sets_the_comparator():
    [target] = targets("每个行政村至少配备保洁员2名。")
    assert (target.comparator, target.value, target.unit) == ("gte", 2, "名")
    assert "保洁员" in target.indicator


def test_a_year_opening_the_paragraph_governs_its_later_sentences():
    assert summary(
        "到2025年，外贸进出口总额稳定在8000亿元以上。国际货运航线累计达到50条，年开行量突破2000列。"
    ) == [
        ("外贸进出口总额", "gte", 800_000_000_000, "元", 2025, "absolute"),
        ("国际货运航线", "gte", 50, "条", 2025, "absolute"),
        ("年开行量", "gt", 2000, "列", 2025, "absolute"),
    ]


def test_a_cumulative_completion_aimed_at_a_year_is_a_target_not_a_result():
    found = summary("到2025年，全省跨境电商主体累计完成备案1.2万家以上。")
    assert [(f[2], f[3], f[4], f[1]) for f in found] == [(12000, "家", 2025, "gte")]
    assert summary("截至2023年底，全省累计完成备案8000家。") == []


def test_a_figure_for_what_a_target_covers_is_not_a_target_itself():
    found = summary("2024年，计划改造城镇老旧小区46个、涉及居民5800户，同步加装电梯30部以上。")
    assert [(f[2], f[3]) for f in found] == [(46, "个"), (30, "部")]


def test_building_rebuilding_and_certifying_so_many_things_are_targets():
    found = summary(
        "到2025年，新改建农村公路300公里，建设充电桩5000个，新认定省级龙头企业15家，开通国际货运航线5条。"
    )
    assert [(f[2], f[3]) for f in found] == [(300, "公里"), (5000, "个"), (15, "家"), (5, "条")]


def test_a_count_described_as_built_by_someone_is_not_a_target():
    assert summary("筹办冬奥会是全省建设的三件大事之一。") == []


def test_a_yearly_fall_is_a_negative_yearly_increment():
    assert summary("到2027年，单位工业增加值能耗年均下降5%，每年减少散煤用量2万吨以上。") == [
        ("单位工业增加值能耗", "eq", -5, "%", 2027, "increment"),
        ("散煤用量", "lte", -20_000, "吨", 2027, "increment"),
    ]


def test_counted_things_in_a_list_and_things_reaching_a_stage_are_named_without_joiners_or_verbs():
    assert summary(
        "到2025年，培育形成2个千亿级产业集群和6个五百亿级产业集群，首批100个示范社区全面建成，"
        "推动30条生产线投产。"
    ) == [
        ("千亿级产业集群", "eq", 2, "个", 2025, "absolute"),
        ("五百亿级产业集群", "eq", 6, "个", 2025, "absolute"),
        ("示范社区", "eq", 100, "个", 2025, "absolute"),
        ("生产线", "eq", 30, "条", 2025, "absolute"),
    ]


def test_a_range_is_read_as_at_least_its_lower_bound():
    assert summary("到2025年，力争培育8—10个百亿企业，新增就业1-1.5万人。") == [
        ("百亿企业", "gte", 8, "个", 2025, "absolute"),
        ("新增就业", "gte", 10_000, "人", 2025, "absolute"),
    ]


def test_a_numbered_item_opening_with_its_figure_keeps_the_number_out_of_the_indicator():
    assert summary("2025年工作任务清单\n1.投资3000万元建设循环水养殖基地。\n2.建设3个劳动密集型产业园。") == [
        ("投资", "eq", 30_000_000, "元", 2025, "absolute"),
        ("劳动密集型产业园", "eq", 3, "个", 2025, "absolute"),
    ]


def test_a_year_opening_a_section_governs_its_later_paragraphs():
    text = (
        "XX市制造强市行动计划\n（二）发展目标。到2025年，初步建成先进制造业强市。\n"
        "产业能级更高。制造业增加值占全市生产总值的比重稳定在30%以上，规模以上工业企业力争突破2200家。\n"
        "（三）基本原则。坚持创新引领，培育企业50家。"
    )
    assert summary(text)[:2] == [
        ("制造业增加值占全市生产总值的比重", "gte", 30, "%", 2025, "absolute"),
        ("规模以上工业企业", "gt", 2200, "家", 2025, "absolute"),
    ]
    assert summary(text)[2][4] is None  # the next section does not inherit the year


def test_respectively_gives_each_item_its_own_value():
    assert summary("到2028年，电子信息、生物医药产业产值分别突破300亿元、150亿元。") == [
        ("电子信息产业产值", "gt", 30_000_000_000, "元", 2028, "absolute"),
        ("生物医药产业产值", "gt", 15_000_000_000, "元", 2028, "absolute"),
    ]
    assert summary("到2027年，乡镇卫生院和村卫生室远程医疗服务覆盖率分别达到100%和90%以上。") == [
        ("乡镇卫生院远程医疗服务覆盖率", "gte", 100, "%", 2027, "absolute"),
        ("村卫生室远程医疗服务覆盖率", "gte", 90, "%", 2027, "absolute"),
    ]
    assert summary("2026年，工业和服务业增加值分别增长6%、7.5%左右。") == [
        ("工业增加值", "approx", 1.06, "倍", 2026, "multiple"),
        ("服务业增加值", "approx", 1.075, "倍", 2026, "multiple"),
    ]


@pytest.mark.parametrize(
    ("written", "value", "unit"),
    [
        ("粮食总产量达到52.5亿斤", 5_250_000_000, "斤"),
        ("平均亩产提高到386公斤", 386, "公斤"),
        ("托管服务面积达到420万亩次", 4_200_000, "亩次"),
        ("平均排队等候时间压缩至20分钟", 20, "分钟"),
        ("互认高频电子证照100类以上", 100, "类"),
        ("较大事故控制在2起以内", 2, "起"),
    ],
)
def test_more_measure_units(written, value, unit):
    [target] = targets(f"到2030年，{written}。")
    assert (target.value, target.unit) == (value, unit)


def test_what_exists_now_and_a_level_stated_with_wei_are_not_targets():
    assert summary("全县现有县级公立医院2家、乡镇卫生院14家。2024年县域内就诊率为84.6%。") == []
    assert [t[2] for t in summary("在现有基础上，到2027年县域内就诊率达到90%。")] == [90]


def test_a_duty_done_once_a_year_is_not_a_target():
    assert summary("每年开展1次待遇领取资格认证，每年组织质量抽查不少于2次。") == []


def test_a_yearly_list_item_with_its_own_verb_still_shares_the_year():
    found = summary("每年新建高标准农田16.8万亩以上、改造提升高标准农田22万亩以上。")
    assert [(f[2], f[5]) for f in found] == [(168_000, "increment"), (220_000, "increment")]


def test_a_total_or_a_bare_verb_names_the_target_before_it():
    assert [f[0] for f in summary("2026年一般公共预算收入增长5%，总量达到218亿元。")] == [
        "一般公共预算收入",
        "一般公共预算收入总量",
    ]
    assert [f[0] for f in summary("2026年开工建设标准厂房80万平方米、建成60万平方米。")] == [
        "开工建设标准厂房"
    ] * 2
    assert [f[0] for f in summary("2026年规上工业总产值达到900亿元，2027年突破1050亿元。")] == [
        "规上工业总产值"
    ] * 2


def test_a_duration_holds_in_its_own_clause():
    found = targets("三年累计签约亿元以上项目150个、总投资800亿元以上，项目履约率达到90%以上。")
    assert [(t.value, t.within_years) for t in found] == [(150, 3), (80_000_000_000, 3), (90, None)]


def test_scope_figures_in_brackets_and_amounts_describing_a_counted_thing_are_not_targets():
    found = summary(
        "社会投资小型低风险项目（总投资3000万元以下、建筑面积不超过5000平方米）全流程审批时间压缩至15个工作日以内。"
        "培育年产值超10亿元企业15家。"
    )
    assert [(f[2], f[3]) for f in found] == [(15, "工作日"), (15, "家")]
    assert found[0][0] == "全流程审批时间"


def test_fund_names_with_subsidy_words_are_still_targets_and_simplification_is_a_fall():
    assert summary("2026年全年发放各类就业补助资金不少于1200万元，开展补贴性职业技能培训6000人次以上。") == [
        ("发放各类就业补助资金", "gte", 12_000_000, "元", 2026, "absolute"),
        ("开展补贴性职业技能培训", "gte", 6000, "人次", 2026, "absolute"),
    ]
    [target] = targets("实现申请材料平均精简30%以上。")
    assert (target.indicator, target.comparator, target.value, target.kind) == (
        "申请材料",
        "lte",
        0.7,
        "multiple",
    )


def test_the_head_noun_after_a_description_names_counted_things():
    [target] = targets("2025年底前新增推出20个具有湘岭特色的“高效办成一件事”重点事项。")
    assert target.indicator == "“高效办成一件事”重点事项"


def test_a_sentence_opening_on_a_past_stretch_reports_results():
    assert summary("一年来，新签约项目16个，协议引资28.7亿元。“十四五”以来，全县累计投入资金2.3亿元。") == []
    assert [f[2] for f in summary("今年，全镇新签约项目20个。")] == [20]


def test_a_share_of_a_base_keeps_the_indicator_before_the_comparator():
    assert summary(
        "到2030年，电力系统调节能力达到最高用电负荷的18%，需求侧响应能力达到最高用电负荷的5%以上。"
    ) == [
        ("电力系统调节能力", "gte", 18, "%", 2030, "absolute"),
        ("需求侧响应能力", "gte", 5, "%", 2030, "absolute"),
    ]


def test_compound_units_and_names_with_brackets():
    assert summary("2025年全市城镇污水处理能力达到96万吨/日，新培育研学旅行基地（营地）20个。") == [
        ("城镇污水处理能力", "gte", 960_000, "吨/日", 2025, "absolute"),
        ("新培育研学旅行基地（营地）", "eq", 20, "个", 2025, "absolute"),
    ]


def test_figures_describing_a_thing_or_sizing_by_a_rule_or_counting_who_acts_are_not_targets():
    assert (
        summary(
            "2026年设立规模10亿元的产业引导基金，对进水浓度低于100毫克/升的污水处理厂开展整治，"
            "新建光伏项目按照装机容量的15%、时长2小时配置储能。"
        )
        == []
    )
    assert [(f[0], f[2]) for f in summary("到2030年两个基地新增风电装机600万千瓦以上。")] == [
        ("两个基地新增风电装机", 6_000_000)
    ]
    assert [f[0] for f in summary("2026年加快推进总投资120亿元的新型显示产业园项目。")] == ["总投资"]


def test_respectively_splits_items_that_end_alike():
    assert [
        (f[0], f[2]) for f in summary("到2027年，小班、中班、大班班额分别控制在25人、30人、35人以内。")
    ] == [("小班班额", 25), ("中班班额", 30), ("大班班额", 35)]


def test_a_three_year_recruitment_is_a_total_over_three_years():
    [target] = targets("三年新招聘公办园专任教师300名以上。")
    assert (target.value, target.within_years, target.comparator) == (300, 3, "gte")


def test_a_verb_inside_an_attribute_does_not_make_its_count_a_target_but_one_after_it_does():
    assert summary("筹办冬奥会是全省办好的三件大事之一。") == []
    assert [f[2] for f in summary("2024年对涉挥发性有机物排放的200家重点企业实施治理。")] == [200]


def test_a_time_limit_names_the_action_it_limits():
    assert summary("数据提供部门应在5个工作日内完成审核。发生数据安全事件的，应在1小时内上报。") == [
        ("审核", "lte", 5, "工作日", None, "absolute"),
        ("上报", "lte", 1, "小时", None, "absolute"),
    ]


def test_a_count_with_yishang_before_the_thing_counted_is_at_least_that_many():
    [target] = targets("到2028年，带动3000家以上中小企业进入链主企业供应链。")
    assert (target.comparator, target.value, target.unit, target.year) == ("gte", 3000, "家", 2028)
    assert summary("支持年产值10亿元以上企业扩产。") == []


def test_respectively_with_one_value_gives_it_to_each_item():
    assert summary("2026年全年生产安全事故起数和死亡人数较上年分别下降10%以上。") == [
        ("生产安全事故起数", "lte", 0.9, "倍", 2026, "multiple"),
        ("死亡人数", "lte", 0.9, "倍", 2026, "multiple"),
    ]


def test_a_date_describing_a_thing_does_not_date_the_targets_after_it():
    found = summary("到2030年，基本完成2000年底前建成的城镇老旧小区改造任务；既有住宅加装电梯1200部以上。")
    assert found == [("既有住宅加装电梯", "gte", 1200, "部", 2030, "absolute")]


def test_a_duration_opening_its_own_clause_holds_for_the_sentence():
    assert [
        t.within_years for t in targets("力争三年内，数据交易场所挂牌数据产品达到500个、入驻数据商100家。")
    ] == [3, 3]


def test_an_item_of_a_list_without_a_name_takes_the_one_before_and_units_of_housing_count():
    assert summary("到2030年，改造城镇老旧小区420个、4.6万户，新筹集保障性租赁住房3万套（间）以上。") == [
        ("改造城镇老旧小区", "eq", 420, "个", 2030, "absolute"),
        ("改造城镇老旧小区", "eq", 46_000, "户", 2030, "absolute"),
        ("新筹集保障性租赁住房", "gte", 30_000, "套（间）", 2030, "absolute"),
    ]


def test_per_person_rhythms_capacities_and_scope_are_not_targets():
    assert (
        summary(
            "2026年每名班子成员全年外出招商不少于6次，每年组织2批次集中评价，推进年产5万台电驱系统项目，"
            "全市纳入改造范围的城中村共32个，单个口袋公园面积原则上不小于400平方米。"
        )
        == []
    )


def test_a_quarters_report_in_a_speech_is_not_a_target_but_the_years_aims_are():
    text = (
        "在江北区2026年一季度经济运行调度会上的讲话\n一季度，全区实现地区生产总值168.7亿元，同比增长5.6%；"
        "规模以上工业增加值增长7.2%。全区136家规上工业企业中有37家产值同比下降，一季度固定资产投资增速比全年预期"
        "目标低近5个百分点。\n今年全区主要预期目标是：地区生产总值增长6%左右，全年新增规上工业企业25家以上，其中二季度新增10家。"
    )
    assert summary(text) == [
        ("地区生产总值", "approx", 1.06, "倍", 2026, "multiple"),
        ("新增规上工业企业", "gte", 25, "家", 2026, "absolute"),
        ("新增规上工业企业", "eq", 10, "家", 2026, "absolute"),
    ]


def test_a_part_of_a_yearly_figure_is_yearly_and_a_red_line_is_a_target():
    assert summary(
        "每年完成造林100万亩，其中人工造林40万亩、退化林修复60万亩。严守林地保有量不低于1.38亿亩的红线。"
    ) == [
        ("造林", "eq", 1_000_000, "亩", None, "increment"),
        ("人工造林", "eq", 400_000, "亩", None, "increment"),
        ("退化林修复", "eq", 600_000, "亩", None, "increment"),
        ("严守林地保有量", "gte", 138_000_000, "亩", None, "absolute"),
    ]


def test_jun_gives_each_item_the_value_and_items_split_where_they_end_alike():
    assert [(f[0], f[2]) for f in summary("到2027年，县级公共图书馆、文化馆总分馆制覆盖率均达到100%。")] == [
        ("县级公共图书馆总分馆制覆盖率", 100),
        ("文化馆总分馆制覆盖率", 100),
    ]
    assert [f[0] for f in summary("2026年城镇和农村居民人均可支配收入分别增长5.5%、6.5%。")] == [
        "城镇居民人均可支配收入",
        "农村居民人均可支配收入",
    ]
    assert [f[0] for f in summary("到2028年，果蔬、肉类、水产品冷链流通率分别达到40%、85%、90%。")] == [
        "果蔬冷链流通率",
        "肉类冷链流通率",
        "水产品冷链流通率",
    ]


def test_a_clause_opened_by_its_own_year_continues_the_target_before_it():
    assert summary("分年度看，2026年，规上工业企业数字化改造覆盖率达到75%；2027年，达到85%。") == [
        ("规上工业企业数字化改造覆盖率", "gte", 75, "%", 2026, "absolute"),
        ("规上工业企业数字化改造覆盖率", "gte", 85, "%", 2027, "absolute"),
    ]


def test_a_rate_is_no_grant_rule_and_more_measures():
    assert [
        f[2]
        for f in summary(
            "到2027年，医疗救助对象资助参保率稳定在99%以上，新增变电容量36万千伏安，"
            "新增馆藏图书30万册，安装太阳能路灯480盏。"
        )
    ] == [99, 360_000, 300_000, 480]
    assert [f[3] for f in summary("到2027年，公共数字文化资源总量达到300TB。")] == ["TB"]


@pytest.mark.parametrize(
    ("written", "value", "unit"),
    [
        ("劳动年龄人口平均受教育年限达到12.5年", 12.5, "年"),
        ("人均预期寿命达到80岁", 80, "岁"),
        ("全县智能算力规模突破2万P", 20_000, "P"),
        ("页岩气产量达到30亿方", 3_000_000_000, "方"),
        ("全社会绿电消费量达到500亿度", 50_000_000_000, "度"),
        ("完成先天性心脏病免费手术300例", 300, "例"),
    ],
)
def test_measures_that_are_also_words(written, value, unit):
    [target] = targets(f"到2030年，{written}。")
    assert (target.value, target.unit) == (value, unit)


@pytest.mark.parametrize(
    "sentence",
    [
        "到2030年，引进第三方机构参与评估。",
        "到2030年，用3年时间建成物流体系。",
        "物价一度上涨，到2030年，落实各方责任。",
    ],
)
def test_a_measure_word_in_its_plain_sense_is_no_figure(sentence):
    assert summary(sentence) == []


def test_the_count_of_what_a_list_names_is_no_target():
    assert summary(
        "2026年临江市政府工作报告\n今年新开工临江至河口等3个项目，建成通车东环路等2条道路，新建养老床位500张。\n"
    ) == [("新建养老床位", "eq", 500, "张", 2026, "absolute")]


def test_the_things_counted_are_named_past_their_size():
    assert summary(
        "2026年临江市政府工作报告\n今年风电发电量达到300亿千瓦时，建成12个220千伏输变电工程。\n"
    ) == [
        ("风电发电量", "gte", 30_000_000_000, "千瓦时", 2026, "absolute"),
        ("输变电工程", "eq", 12, "个", 2026, "absolute"),
    ]


def test_a_plant_named_by_its_size_is_no_target_but_building_one_is():
    text = (
        "2026年临江市政府工作报告\n推动临江化工60万吨钾肥装置技术升级、河口储能30万吨熔盐装置改造。"
        "在沿海地区布局建设200万千瓦新型储能项目，推进东港电厂二期等132万千瓦机组建成投运。\n"
    )
    assert summary(text) == [
        ("新型储能项目", "eq", 2_000_000, "千瓦", 2026, "absolute"),
        ("机组", "eq", 1_320_000, "千瓦", 2026, "absolute"),
    ]


def test_a_rise_in_years_of_life_or_schooling_is_relative_to_now():
    assert [
        (t.indicator, t.comparator, t.value, t.unit, t.kind, t.relative_to)
        for t in targets("到2030年，人均预期寿命再提高1岁，劳动年龄人口平均受教育年限提高0.5年。")
    ] == [
        ("人均预期寿命", "eq", 1, "岁", "relative", "现有基础"),
        ("劳动年龄人口平均受教育年限", "eq", 0.5, "年", "relative", "现有基础"),
    ]


def test_a_reach_in_time_that_names_a_circle_is_no_target():
    assert summary(
        "2026年临江市政府工作报告\n构建1小时通勤圈，提升15分钟健身圈服务功能，粮食产量继续保持50亿斤以上。\n"
    ) == [("粮食产量", "gte", 5_000_000_000, "斤", 2026, "absolute")]


def test_respective_values_each_with_its_own_comparator():
    assert summary("2026年临江市政府工作报告\n城镇和农村居民人均可支配收入分别增长4%左右和6.5%左右。\n") == [
        ("城镇居民人均可支配收入", "approx", 1.04, "倍", 2026, "multiple"),
        ("农村居民人均可支配收入", "approx", 1.065, "倍", 2026, "multiple"),
    ]


def test_funds_raised_for_a_named_programme_are_a_target_named_by_the_programme():
    assert summary(
        "2026年临江市政府工作报告\n筹措890.59亿元实施十大为民办实事工程项目。筹措7亿元实施就业惠民工程，开展稳岗扩容提质行动。\n"
    ) == [
        ("十大为民办实事工程项目资金", "eq", 89_059_000_000, "元", 2026, "absolute"),
        ("就业惠民工程资金", "eq", 700_000_000, "元", 2026, "absolute"),
    ]


def test_respective_values_written_without_their_measure_take_the_last_ones():
    assert summary(
        "2026年临江市政府工作报告\n力争电子信息、有色金属、装备制造业产业规模分别达1.28万亿、1.18万亿、8200亿元。\n"
    ) == [
        ("电子信息产业规模", "eq", 1_280_000_000_000, "元", 2026, "absolute"),
        ("有色金属产业规模", "eq", 1_180_000_000_000, "元", 2026, "absolute"),
        ("装备制造业产业规模", "eq", 820_000_000_000, "元", 2026, "absolute"),
    ]


def test_a_list_item_with_its_own_stage_takes_it_into_the_name():
    assert summary("2026年临江市政府工作报告\n新能源开工1600万千瓦、投产1000万千瓦以上。\n") == [
        ("新能源开工", "eq", 16_000_000, "千瓦", 2026, "absolute"),
        ("新能源投产", "gte", 10_000_000, "千瓦", 2026, "absolute"),
    ]


def test_how_many_indicators_of_each_kind_a_plan_has_is_no_target_and_proposing_is_no_name():
    assert (
        summary("2026年临江市政府工作报告\n规划纲要设置了主要指标，其中20个预期性指标、8个约束性指标。\n")
        == []
    )
    assert summary("2026年临江市政府工作报告\n今年提出地区生产总值增长5%左右。\n") == [
        ("地区生产总值", "approx", 1.05, "倍", 2026, "multiple")
    ]


def test_the_three_sectors_written_as_one_run_of_ordinals_are_three_respective_targets():
    assert summary("2026年临江市政府工作报告\n一二三产增加值分别增长3.5%左右、6%左右和5%左右。\n") == [
        ("一产增加值", "approx", 1.035, "倍", 2026, "multiple"),
        ("二产增加值", "approx", 1.06, "倍", 2026, "multiple"),
        ("三产增加值", "approx", 1.05, "倍", 2026, "multiple"),
    ]


def test_respective_counts_keep_each_its_own_measure():
    assert summary("2026年临江市政府工作报告\n生猪、家禽年出栏量分别稳定在3900万头、13.5亿只以上。\n") == [
        ("生猪年出栏量", "gte", 39_000_000, "头", 2026, "absolute"),
        ("家禽年出栏量", "gte", 1_350_000_000, "只", 2026, "absolute"),
    ]


def test_the_count_of_the_names_just_listed_is_no_target_but_a_count_to_build_is():
    assert summary("2026年临江市政府工作报告\n推动呼和浩特、鄂尔多斯、满洲里3个综保区高质量发展。\n") == []
    assert summary("2026年临江市政府工作报告\n建成医学影像、心电诊断、消毒供应3个资源共享中心。\n") == [
        ("资源共享中心", "eq", 3, "个", 2026, "absolute")
    ]


def test_a_time_that_describes_a_service_is_no_target_but_a_time_limit_is():
    assert summary(
        "2026年临江市政府工作报告\n有序推动公园24小时开放。用好240小时过境免签政策。审批时间压缩至3个工作日。\n"
    ) == [("审批时间", "lte", 3, "工作日", 2026, "absolute")]


def test_at_least_after_a_count_of_projects_is_no_part_of_their_name():
    assert summary("2026年临江市政府工作报告\n加快推动600个以上亿元级工业项目建设。\n") == [
        ("亿元级工业项目", "gte", 600, "个", 2026, "absolute")
    ]


def test_the_long_range_vision_a_five_year_plan_looks_to_is_not_its_deadline():
    assert summary(
        "2026年临江市政府工作报告\n《临江市国民经济和社会发展第十五个五年规划纲要（草案）》提出主要指标。"
        "综合考虑实现2035年远景目标以及现实支撑条件，提出地区生产总值年均增长5%左右。\n"
    ) == [("地区生产总值", "approx", 5, "%", 2030, "increment")]
