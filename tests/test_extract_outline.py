"""Step 1 of the extraction: numbered headings become a tree with levels and spans."""

from pathlib import Path

from luoshi.documents.extract import find_outline, normalise, prepare

SAMPLE = Path(__file__).resolve().parent.parent / "bench" / "corpus" / "sample_speech.txt"


def outline(text: str):
    return find_outline(prepare(normalise(text)))


def shape(text: str) -> list[tuple[int, str, str]]:
    return [(h.level, h.marker, h.title) for h in outline(text)]


def test_numbering_styles_nest_in_the_order_chinese_official_documents_use():
    text = "一、重点任务\n（一）提升效能\n1.深化改革\n（1）推进标准化。6月底前完成。\n（2）拓展范围\n2.压缩时限\n二、保障措施\n"
    assert shape(text) == [
        (1, "一、", "重点任务"),
        (2, "（一）", "提升效能"),
        (3, "1.", "深化改革"),
        (4, "（1）", "推进标准化"),
        (4, "（2）", "拓展范围"),
        (3, "2.", "压缩时限"),
        (1, "二、", "保障措施"),
    ]


def test_parents_follow_the_levels():
    headings = outline("一、甲\n（一）乙\n（二）丙\n二、丁\n")
    assert [h.parent for h in headings] == [None, "h1", "h1", None]


def test_items_inside_an_article_sit_one_level_below_it_with_no_gap():
    text = "第一章 总则\n第一条 为了推进工作，制定本方案。\n第二章 重点任务\n第二条 加快建设。\n（一）推进5G建设。\n"
    assert shape(text) == [
        (1, "第一章", "总则"),
        (2, "第一条", "为了推进工作，制定本方案"),
        (1, "第二章", "重点任务"),
        (2, "第二条", "加快建设"),
        (3, "（一）", "推进5G建设"),
    ]


def test_half_width_parentheses_and_full_width_digits_read_the_same():
    assert shape("(一)加强领导\n１．明确分工\n(１)建立机制\n") == [
        (1, "（一）", "加强领导"),
        (2, "1.", "明确分工"),
        (3, "（1）", "建立机制"),
    ]


def test_a_heading_run_into_its_paragraph_ends_at_the_first_full_stop():
    assert shape("（一）要聚焦“十个围绕”，创新体制机制。要紧紧围绕总体任务。\n") == [
        (1, "（一）", "要聚焦“十个围绕”，创新体制机制")
    ]


def test_a_heading_typed_straight_into_its_first_sentence_is_cut_after_上来():
    text = "一、要深刻认识重大意义，迅速把思想和行动统一到省委、省政府部署要求上来省委、省政府高度重视建设。特别是…\n"
    assert shape(text) == [(1, "一、", "要深刻认识重大意义，迅速把思想和行动统一到省委、省政府部署要求上来")]


def test_an_inline_list_of_一是_二是_becomes_headings_under_its_paragraph():
    text = (
        "（二）要增强“十大能力”。\n能力不足。一是要增强学习能力。就要学习。二是要增强执行能力。就是要落实。\n"
    )
    assert shape(text) == [
        (1, "（二）", "要增强“十大能力”"),
        (2, "一是", "要增强学习能力"),
        (2, "二是", "要增强执行能力"),
    ]


def test_a_lone_一是_is_not_a_heading():
    assert shape("（一）加强领导。\n这一是非问题。一是要加强领导。\n") == [(1, "（一）", "加强领导")]


def test_numbered_lines_inside_a_quotation_are_not_headings():
    text = "书记作出批示：“请同志阅批。\n(1)请X同志牵头研究；\n(2)认真学习领会”。\n一、正文\n"
    assert shape(text) == [(1, "一、", "正文")]


def test_decimal_numbers_and_web_bullets_at_line_start_are_not_headings():
    assert shape("1.5万人参加。\n- 前台收银员年度工作总结11篇\n2024年工作安排\n") == []


def test_heading_spans_point_at_marker_and_title():
    text = normalise("前言\n（三）强化督查考核。县委督查室要通报。\n")
    [heading] = find_outline(prepare(text))
    assert text[heading.span[0] : heading.span[1]] == "（三）强化督查考核"
    assert text[heading.title_span[0] : heading.title_span[1]] == heading.title == "强化督查考核"


def test_the_sample_speech_has_four_parts_and_two_inline_lists_of_ten():
    headings = outline(SAMPLE.read_text(encoding="utf-8"))
    assert [h.marker for h in headings if h.level == 1] == ["一、", "二、", "三、", "四、"]
    assert sum(1 for h in headings if h.style == "inline") == 20
    assert len(headings) == 41


def test_an_inline_list_of_第一_第二_becomes_headings_too():
    text = "二、突出重点\n第一，要盯紧目标任务。今年要完成投资。\n第二，要抓实招商引资。县商务局要牵头。\n"
    assert shape(text) == [
        (1, "二、", "突出重点"),
        (2, "第一", "要盯紧目标任务"),
        (2, "第二", "要抓实招商引资"),
    ]


def test_第一_inside_a_phrase_is_not_a_heading():
    assert shape("一、目标\n稳居全省第一方阵。争取第一时间完成。\n") == [(1, "一、", "目标")]


def test_a_speechs_yi_yao_er_yao_run_is_a_list_of_headings():
    from luoshi.documents.extract import extract_text

    found = extract_text(
        "（一）抓项目。一要抓开工、促建设。二要抓前期、强储备。三要抓调度、严考核。三要素齐备。\n"
    ).outline
    assert [h.title for h in found if h.style == "inline"] == [
        "抓开工、促建设",
        "抓前期、强储备",
        "抓调度、严考核",
    ]


def test_an_inline_run_may_start_after_a_comma():
    from luoshi.documents.extract import extract_text

    found = extract_text("深化安全守护行动，一是严查超速、超载等违法行为；二是整治隐患点段60处。\n").outline
    assert [h.title for h in found] == ["严查超速、超载等违法行为", "整治隐患点段60处"]


def test_ordinal_items_hold_the_yi_shi_items_inside_them():
    from luoshi.documents.extract import extract_text

    found = extract_text(
        "二、抓好二季度工作\n第一，全力以赴抓项目。一是加快在建项目建设。二是为项目强化要素保障。\n"
        "第二，千方百计稳工业。\n"
    ).outline
    assert [(h.level, h.style, h.title) for h in found] == [
        (1, "cn", "抓好二季度工作"),
        (2, "ordinal", "全力以赴抓项目"),
        (3, "inline", "加快在建项目建设"),
        (3, "inline", "为项目强化要素保障"),
        (2, "ordinal", "千方百计稳工业"),
    ]
