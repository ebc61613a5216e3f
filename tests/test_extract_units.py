"""Step 3 of the extraction: the units a text names, their roles, and matching to known units."""

from luoshi.documents.extract import KnownUnit, extract_text


def roles(text: str, known=()) -> dict[str, list[str]]:
    return {unit.name: unit.roles for unit in extract_text(text, known).units}


def test_the_parks_own_prefix_is_dropped_and_an_administrative_level_is_kept():
    found = roles("比如，工业园区财政局要尽快形成专门请示，抓紧与省财政厅沟通对接。")
    assert found == {"财政局": ["lead"], "省财政厅": ["counterpart"]}


def test_a_unit_told_to_act_leads_and_the_units_it_works_with_support():
    found = roles("工业园区党政办督查室要会同工业园区纪工委、监察局，对各责任单位进行跟踪督导。")
    assert found == {
        "党政办督查室": ["lead"],
        "纪工委": ["support"],
        "监察局": ["support"],
        "各责任单位": ["all"],
    }


def test_a_unit_that_acts_in_the_next_clause_still_leads():
    assert roles("工业园区金融办在积极主动做好相关工作的同时，要抓紧下达任务指标。") == {"金融办": ["lead"]}


def test_liaison_with_outside_bodies_makes_them_counterparts():
    found = roles("工业园区经发局要牵头拿出方案，主动到省发改委、省工信厅等相关部门对接跑办。")
    assert found == {"经发局": ["lead"], "省发改委": ["counterpart"], "省工信厅": ["counterpart"]}


def test_collectives_stand_for_all_units():
    found = roles(
        "各相关部门都要逐条研究。各部门各单位要采取各种方式。各乡镇（街道）、县直各部门要落实主体责任。"
    )
    assert found == {name: ["all"] for name in ("各相关部门", "各部门各单位", "各乡镇（街道）", "县直各部门")}


def test_responsibility_notes_name_lead_and_support_units():
    found = roles(
        "（牵头单位：县住建局；配合单位：县自然资源局、县发改局）\n"
        "（责任单位：县行政审批局、县公安局）\n"
        "（责任单位：市生态环境局、市水利局（牵头）、市财政局）"
    )
    assert found == {
        "县住建局": ["lead"],
        "县自然资源局": ["support"],
        "县发改局": ["support"],
        "县行政审批局": ["lead"],
        "县公安局": ["support"],
        "市生态环境局": ["lead"],
        "市水利局": ["lead"],
        "市财政局": ["support"],
    }


def test_units_sharing_the_work_by_their_duties_support():
    found = roles("（省发展改革委牵头，省财政厅、省自然资源厅等按职责分工负责）")
    assert found == {"省发展改革委": ["lead"], "省财政厅": ["support"], "省自然资源厅": ["support"]}


def test_names_built_from_a_level_a_parent_body_and_a_section_are_read_whole():
    found = roles(
        "市委督查室、市政府督查室要会同市统计局建立制度。由县优化营商环境工作领导小组办公室负责调度。"
    )
    assert found == {
        "市委督查室": ["lead"],
        "市政府督查室": ["lead"],
        "市统计局": ["support"],
        "县优化营商环境工作领导小组办公室": ["lead"],
    }


def test_a_unit_in_a_persons_title_is_only_mentioned():
    assert roles("市委书记X同志作出批示。党工委、管委会各位班子成员要加强督导。") == {
        "市委": ["mentioned"],
        "党工委": ["mentioned"],
        "管委会": ["mentioned"],
    }


def test_two_bodies_written_together_are_two_units():
    assert roles("按照市委市政府要求。") == {"市委": ["mentioned"], "市政府": ["mentioned"]}


def test_words_that_only_end_like_unit_names_are_not_units():
    text = (
        "构建新发展格局，统筹部署，全力对接盯办，主动跑办，怎么看、怎么办、怎么干。建设数字政府，"
        "引进省部级以上实验室，推动科技创新，站位京津冀，送到所有企业手中，打造中东欧商务中心。"
    )
    assert roles(text) == {}


def test_names_inside_quotes_and_document_titles_are_not_units():
    assert roles("印发《XX市人民政府办公室关于加快发展的意见》，打造“四馆一中心”。") == {}


def test_known_units_are_matched_by_name_or_alias_and_the_rest_proposed_as_new():
    known = [KnownUnit(id=7, name="经发局", aliases=("经济发展局",)), KnownUnit(id=9, name="财政局")]
    units = {
        u.name: u for u in extract_text("工业园区经济发展局要牵头，会同财政局、宣传办推进。", known).units
    }
    assert (units["经济发展局"].known_unit, units["经济发展局"].known_name, units["经济发展局"].is_new) == (
        7,
        "经发局",
        False,
    )
    assert (units["财政局"].known_unit, units["财政局"].is_new) == (9, False)
    assert (units["宣传办"].known_unit, units["宣传办"].is_new) == (None, True)


def test_a_known_units_alias_is_found_even_where_the_rules_would_miss_it():
    known = [KnownUnit(id=3, name="港航中心", aliases=("港航服务中心",))]
    units = extract_text("港航服务中心要加快推进。", known).units
    assert [(u.name, u.known_unit, u.roles) for u in units] == [("港航服务中心", 3, ["lead"])]


def test_every_mention_keeps_its_span_and_the_text_as_written():
    extraction = extract_text("比如，工业园区组人部也要尽快到省市编办跑办。")
    mentions = [m for unit in extraction.units for m in unit.mentions]
    assert [(m.name, m.text, m.role) for m in mentions] == [
        ("组人部", "工业园区组人部", "lead"),
        ("省市编办", "省市编办", "counterpart"),
    ]
    for mention in mentions:
        assert extraction.text[mention.span[0] : mention.span[1]] == mention.text


def test_tasks_carry_the_units_of_their_sentence_and_of_their_responsibility_note():
    extraction = extract_text(
        "1.降低企业成本。县税务局要会同县财政局落实减税政策。\n"
        "（1）推进标准化。6月底前，完成事项梳理。（牵头单位：县行政审批局；配合单位：县直各有关部门）\n"
    )
    tasks = [(t.title, [(u.name, u.role) for u in t.units]) for t in extraction.tasks]
    assert tasks == [
        ("县税务局要会同县财政局落实减税政策", [("县税务局", "lead"), ("县财政局", "support")]),
        ("完成事项梳理", [("县行政审批局", "lead"), ("县直各有关部门", "all")]),
    ]


def test_a_task_tables_columns_give_lead_and_support():
    found = roles(
        "序号\t工作任务\t牵头单位\t配合单位\n1\t排查整治排污口\t区生态环境分局\t区水务局、各街道办事处\n"
    )
    assert found == {"区生态环境分局": ["lead"], "区水务局": ["support"], "各街道办事处": ["all"]}


def test_a_bureaus_own_offices_are_units_of_it():
    found = roles(
        "局就业服务中心牵头，各乡镇（街道）人社所配合。局机关党委要加强党员教育。局办公室、局属各单位要抓好落实。"
    )
    assert found == {
        "局就业服务中心": ["lead"],
        "各乡镇（街道）人社所": ["all"],
        "局机关党委": ["lead"],
        "局办公室": ["lead"],
        "局属各单位": ["all"],
    }


def test_local_branches_of_central_bodies_keep_the_place_in_their_name():
    found = roles(
        "（人民银行XX省分行、国家金融监督管理总局XX监管局牵头，省地方金融管理局配合）"
        "（省地方金融管理局、XX证监局负责）（省商务厅牵头，海关总署XX分署配合）（配合单位：XX海关、人行XX市分行）"
    )
    assert found == {
        "人民银行XX省分行": ["lead"],
        "国家金融监督管理总局XX监管局": ["lead"],
        "省地方金融管理局": ["support", "lead"],
        "XX证监局": ["lead"],
        "省商务厅": ["lead"],
        "海关总署XX分署": ["support"],
        "XX海关": ["support"],
        "人行XX市分行": ["support"],
    }


def test_collectives_named_after_a_level_a_role_or_a_body_stand_for_all():
    found = roles(
        "各市人民政府负责落实。各牵头单位要细化措施。（配合单位：市直各执法部门）本方案适用于县安委会各成员单位。"
    )
    assert found == {
        name: ["all"] for name in ("各市人民政府", "各牵头单位", "市直各执法部门", "县安委会各成员单位")
    }


def test_a_parks_management_committee_keeps_the_parks_name():
    assert roles("（配合单位：高新区管委会、临港经济开发区管委会）") == {
        "高新区管委会": ["support"],
        "临港经济开发区管委会": ["support"],
    }


def test_a_trade_promotion_council_is_a_unit():
    assert roles("（省商务厅牵头，省贸促会配合）") == {"省商务厅": ["lead"], "省贸促会": ["support"]}


def test_a_kind_of_body_inside_an_indicator_is_not_a_unit():
    assert roles("乡镇专职消防队建队率达到100%。") == {}


def test_the_unit_that_works_with_others_leads_them():
    found = roles("县交通运输局会同县公安局交警大队开展道路运输安全整治。")
    assert found == {"县交通运输局": ["lead"], "县公安局交警大队": ["support"]}


def test_units_that_each_take_a_field_lead_and_units_sharing_by_their_duties_support():
    found = roles(
        "县工业和信息化局、县商务局分别负责工贸企业安全。县农业农村局、县水利局按照职责分工负责水利安全监管。"
    )
    assert found == {
        "县工业和信息化局": ["lead"],
        "县商务局": ["lead"],
        "县农业农村局": ["support"],
        "县水利局": ["support"],
    }


def test_a_unit_opening_its_clause_with_dui_acts_on_what_follows():
    assert roles("（3）市纪委监委对工作不力的单位严肃问责。") == {"市纪委监委": ["lead"]}


def test_a_city_bureaus_branch_in_a_county_is_one_unit_and_leads_a_responsibility_note():
    found = roles("（责任单位：市生态环境局XX分局、县水利局、各乡镇人民政府）")
    assert found == {"市生态环境局XX分局": ["lead"], "县水利局": ["support"], "各乡镇人民政府": ["all"]}


def test_a_unit_named_in_the_title_of_its_deputy_head_is_only_mentioned():
    assert roles("成立领导小组，由县政府分管副县长任组长。") == {"县政府": ["mentioned"]}


def test_a_real_place_name_before_a_customs_office_or_securities_bureau_belongs_to_the_name():
    found = roles("郑州海关负责优化查验流程；河南证监局负责支持企业上市融资，会同三门峡海关做好服务。")
    assert found == {"郑州海关": ["lead"], "河南证监局": ["lead"], "三门峡海关": ["support"]}


def test_a_real_place_name_before_a_city_level_body_belongs_to_the_name():
    found = roles("洛阳市发展改革委牵头谋划项目；郑州市人民政府、洛阳市人民政府负责督促落实。")
    assert found == {"洛阳市发展改革委": ["lead"], "郑州市人民政府": ["lead"], "洛阳市人民政府": ["lead"]}


def test_words_that_only_look_like_place_names_are_not_taken_into_a_unit():
    found = roles("对照省委部署，近日省政府召开会议，联系市场监管局落实，三个市财政局负责。")
    assert {"省委", "省政府"} <= set(found) and not {
        "对照省委",
        "近日省政府",
        "联系市场监管局",
        "三个市财政局",
    } & set(found)


def test_every_prefecture_city_government_is_a_collective():
    assert roles("各省辖市人民政府负责落实属地责任。") == {"各省辖市人民政府": ["all"]}


def test_a_unit_that_organises_or_guides_the_work_leads_it():
    found = roles(
        "人民银行河南省分行组织金融机构开展专项行动。国家金融监督管理总局河南监管局指导保险机构扩大覆盖面。"
    )
    assert found == {"人民银行河南省分行": ["lead"], "国家金融监督管理总局河南监管局": ["lead"]}


def test_a_group_set_up_under_a_named_leader_is_found_after_the_leaders_title():
    found = roles("成立由区政府分管副区长任组长的老旧小区改造工作领导小组，统筹协调重大问题。")
    assert "老旧小区改造工作领导小组" in found


def test_a_unit_that_sees_to_or_handles_a_task_leads_it():
    found = roles("区应急管理局具体承办。区税务局做好税费优惠政策落实。")
    assert found == {"区应急管理局": ["lead"], "区税务局": ["lead"]}


def test_every_district_county_or_prefecture_government_and_every_department_of_a_level_is_a_collective():
    found = roles(
        "（责任单位：市经济信息化委、各区政府）各县人民政府、各市（州）人民政府负责落实。"
        "（市政府办公室牵头，市级各有关部门按职责分工负责）"
    )
    assert found == {
        "市经济信息化委": ["lead"],
        "各区政府": ["all"],
        "各县人民政府": ["all"],
        "各市（州）人民政府": ["all"],
        "市政府办公室": ["lead"],
        "市级各有关部门": ["all"],
    }
    assert roles("统筹各区域发展。") == {}


def test_names_with_he_inside_and_more_bodies_and_labels():
    found = roles(
        "（市农业农村局牵头，市粮食和物资储备局、市供销社配合）（省政务服务和数据管理局牵头，省有关部门按职责分工负责）"
        "（责任股室：职业能力建设股、县就业服务中心；配合单位：各片区、各局办）"
        "（市财政局按职责分工负责，中国农业发展银行宁川市分行等金融机构配合）（牵头单位：科技创新局）"
    )
    assert found == {
        "市农业农村局": ["lead"],
        "市粮食和物资储备局": ["support"],
        "市供销社": ["support"],
        "省政务服务和数据管理局": ["lead"],
        "省有关部门": ["all"],
        "职业能力建设股": ["lead"],
        "县就业服务中心": ["support"],
        "各片区": ["all"],
        "各局办": ["all"],
        "市财政局": ["support"],
        "中国农业发展银行宁川市分行": ["support"],
        "科技创新局": ["lead"],
    }


def test_two_bodies_joined_by_he_stay_two_and_counted_kinds_of_body_are_not_units():
    assert roles("市财政局和市税务局要加强协作。") == {"市财政局": ["lead"], "市税务局": ["lead"]}
    assert roles("建成3家社区医院，奋力开新局，在市县两级政务服务大厅实现网上可办。") == {}


def test_names_holding_he_or_a_level_after_a_verb_and_companies_given_a_part_in_a_note():
    found = roles(
        "领导小组办公室设在县教育和体育局。完善县教研室建设。已经市委全面深化改革委员会审议通过。"
        "成立县学前教育普及普惠提升行动领导小组。（省能源局牵头，省数据局、国网南川省电力有限公司配合）"
        "（责任单位：市委各部委、各县（市、区）委、各站所、各驻镇单位）"
    )
    assert {name for name in found} >= {
        "县教育和体育局",
        "县教研室",
        "市委全面深化改革委员会",
        "县学前教育普及普惠提升行动领导小组",
        "国网南川省电力有限公司",
    }
    assert found["国网南川省电力有限公司"] == ["support"] and found["省数据局"] == ["support"]
    assert all(found[name] == ["all"] for name in ("市委各部委", "各县（市、区）委", "各站所", "各驻镇单位"))


def test_companies_in_running_text_and_words_ending_like_bodies_are_not_units():
    assert roles(
        "支持上市公司并购重组，培育科技公司50家，新建“两新”组织党组织150个，老旧小区改造工作领导小组要抓落实。"
    ) == {"老旧小区改造工作领导小组": ["lead"]}


def test_bodies_a_label_names_new_bodies_holding_he_and_more_collectives():
    found = roles(
        "（牵头单位：企业服务中心；配合单位：龙湖街道办事处、县安委会有关成员单位、各数据提供部门）。"
        "成立经济工作和项目建设领导小组，负责统筹推进。问题线索，移交县纪委监委。县安委会要统筹协调。"
    )
    assert found == {
        "企业服务中心": ["lead"],
        "龙湖街道办事处": ["support"],
        "县安委会有关成员单位": ["all"],
        "各数据提供部门": ["all"],
        "经济工作和项目建设领导小组": ["lead"],
        "县纪委监委": ["mentioned"],
        "县安委会": ["lead"],
    }
    assert roles("建设公共检验检测中心、制造业创新中心，认定国家级企业技术中心5家。") == {}
    assert roles("各乡镇、各有关部门要落实属地责任。") == {"各乡镇": ["all"], "各有关部门": ["all"]}


def test_more_collectives_groups_and_a_body_after_an_adverb_and_a_verb():
    found = roles(
        "充分发挥县老龄工作委员会统筹协调作用。（责任单位：区国资局、江北产投集团，省人民政府各部门、沿线乡镇人民政府）。"
        "中共中央办公厅、国务院办公厅印发通知。"
    )
    assert found == {
        "县老龄工作委员会": ["mentioned"],
        "区国资局": ["lead"],
        "江北产投集团": ["support"],
        "省人民政府各部门": ["all"],
        "沿线乡镇人民政府": ["all"],
        "中共中央办公厅": ["mentioned"],
        "国务院办公厅": ["mentioned"],
    }
    assert "国网南川省电力有限公司" in roles("（省能源局牵头，国网南川省电力有限公司配合）")


def test_libraries_sections_named_under_a_label_and_standing_committees_of_congress():
    found = roles(
        "（市图书馆、市文化馆牵头）\n牵头部门：企业服务中心\n配合部门：各片区管理处、各市（州）医保部门\n"
        "县人大常委会要加强监督。领导小组办公室设在镇农业农村办，承担日常工作。"
    )
    assert found == {
        "市图书馆": ["lead"],
        "市文化馆": ["lead"],
        "企业服务中心": ["lead"],
        "各片区管理处": ["all"],
        "各市（州）医保部门": ["all"],
        "县人大常委会": ["lead"],
        "领导小组办公室": ["mentioned"],
        "镇农业农村办": ["mentioned"],
    }


def test_the_centre_is_a_unit_where_it_acts_but_not_inside_the_name_of_a_fund_or_an_inspection():
    assert roles("要贯彻好中央精神，落实中央决策部署。") == {"中央": ["mentioned"]}
    assert "中央" not in roles("争取中央预算内投资，抓好中央巡视反馈问题整改，落实中央八项规定精神。")


def test_the_congress_and_the_conference_are_named_in_their_members_titles():
    assert roles("向各位人大代表、政协委员，致以崇高敬意！") == {"人大": ["mentioned"], "政协": ["mentioned"]}


def test_supply_cooperatives_and_other_bodies_named_bare_are_units_and_keep_their_level_after_one():
    assert set(roles("深化供销合作社综合改革。支持贸促会、计生协、关工委更好发挥作用。")) == {
        "供销合作社",
        "贸促会",
        "计生协",
        "关工委",
    }
    assert "县供销社" in roles("县供销社牵头，整合农资供应。")


def test_each_county_and_the_congresses_at_every_level_are_collectives():
    found = roles("支持各县集中资源发展主导产业。各级人大、政协和监察、司法机关监督支持。")
    assert found["各县"] == ["all"] and found["各级人大"] == ["all"]
    assert "各县域" not in roles("推动各县域经济发展。")


def test_a_body_whose_document_says_what_is_to_be_done_is_only_mentioned():
    found = roles("省委《关于制定国民经济和社会发展第十五个五年规划的建议》提出，要锚定高质量发展。")
    assert found == {"省委": ["mentioned"]}


def test_units_stationed_in_the_province_are_a_collective_with_or_without_the_centre_named():
    found = roles("向驻晋部队、公安干警和驻晋单位，向驻辽中央单位和人民解放军，向中央驻陕单位表示感谢！")
    assert found == {"驻晋单位": ["all"], "驻辽中央单位": ["all"], "中央驻陕单位": ["all"]}


def test_the_congress_and_its_standing_committee_without_a_level_are_both_units():
    found = roles("依法接受人大及其常委会监督，自觉接受政协民主监督。")
    assert found == {"人大": ["mentioned"], "人大常委会": ["mentioned"], "政协": ["mentioned"]}
    assert roles("自觉接受市人大及其常委会法律监督。") == {"市人大": ["mentioned"]}  # the conventions


def test_central_offices_named_by_their_short_names_are_units():
    found = roles("整改通过国务院安委会评估，入选国务院减负办案例和中央财办新消费案例。")
    assert set(found) == {"国务院安委会", "国务院减负办", "中央财办"}


def test_a_body_named_in_an_institutes_name_is_no_unit_and_a_legislative_verb_is_no_place():
    assert roles("推进教育部广西高等研究院实质化运行。") == {}
    assert roles("提请省人大常委会审议地方性法规10件，立改废省政府规章12件。") == {
        "省人大常委会": ["mentioned"],
        "省政府": ["mentioned"],
    }


def test_a_grade_of_body_or_a_clause_ending_like_a_body_is_no_unit_but_a_court_of_a_grade_is():
    assert roles("积极推动市州级医院创建三甲医院。新建国家一级图书馆。") == {}
    assert roles("市中级人民法院牵头，市乡村振兴推进办、市创建办配合。") == {
        "市中级人民法院": ["lead"],
        "市乡村振兴推进办": ["support"],
        "市创建办": ["support"],
    }
