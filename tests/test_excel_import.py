"""Importing an Excel 任务分解表: headers, merged cells, numbering, errors, all-or-nothing, permissions."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from luoshi.documents.excel import import_task_table
from luoshi.documents.excel.dates import DeadlineError, parse_deadline
from luoshi.plans.models import Task, TaskKind
from tests.cast import make_person

HEAD = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "责任人", "完成时限", "进度/完成情况", "备注"]


def xlsx(rows: list[list], *, merges: tuple[str, ...] = ()) -> bytes:
    """A workbook whose first sheet holds the rows from A1, with the given ranges merged."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    for cells in merges:
        book.active.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def shape(tasks) -> list:
    """Tasks as nested (title, [children]) pairs, to compare trees at a glance."""
    return [(t.title, shape(t.children.order_by("order", "id"))) for t in tasks]


def imported(cast, rows, *, merges=(), **options):
    return import_task_table(cast.supervisor, xlsx(rows, merges=merges), plan=cast.plan, **options)


def new_top_tasks(cast):
    return Task.objects.filter(plan=cast.plan, parent=None).exclude(pk=cast.area.pk)


def test_a_table_with_the_usual_headers_becomes_a_task_tree(cast):
    result = imported(
        cast,
        [
            HEAD,
            [
                "1",
                "争取港口建设资金",
                None,
                "财政局",
                "经发局",
                "财政局张局长",
                "2027年6月底",
                "",
                "省级资金",
            ],
            ["1.1", None, "形成专门请示报省财政厅", "财政局", None, "财政局刘科员", "2026-12-31", "", ""],
            ["1.2", None, "对接省发改委争取专项债", "经发局", "财政局、宣传办", None, "2027.3", "", ""],
            ["2", "集装箱航线翻番", None, "经发局", None, None, "长期坚持", "", ""],
        ],
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.saved and len(result.created) == 4
    assert shape(new_top_tasks(cast)) == [
        ("争取港口建设资金", [("形成专门请示报省财政厅", []), ("对接省发改委争取专项债", [])]),
        ("集装箱航线翻番", []),
    ]
    key, request, bond, routes = result.created
    assert (key.lead_unit, list(key.support_units.all()), key.owner) == (
        cast.caizheng,
        [cast.jingfa],
        cast.caizheng_manager,
    )
    assert key.deadline == dt.date(2027, 6, 30) and key.description == "省级资金" and key.code == "1"
    assert (request.owner, request.deadline, request.kind) == (
        cast.caizheng_staff,
        dt.date(2026, 12, 31),
        TaskKind.MEASURE,
    )
    assert set(bond.support_units.all()) == {cast.caizheng, cast.xuanchuan}
    assert bond.deadline == dt.date(2027, 3, 31)
    assert routes.deadline == cast.plan.period_end  # 长期坚持: no date of its own, so the plan's end


@pytest.mark.parametrize(
    "header",
    [
        ["编号", "主要任务", "工作措施", "责任单位", "配合部门", "负责人", "时限", "进展情况", "说明"],
        [
            "序 号",
            "重点工作",
            "任务内容",
            "牵头部门",
            "协办单位",
            "具体责任人",
            "完成时间",
            "完成情况",
            "备注",
        ],
        [
            "序号",
            "工作任务",
            "具体工作措施",
            "牵头单位（部门）",
            "协同单位",
            "责任人\n（联系电话）",
            "完成时限要求",
            "推进情况",
            "备注",
        ],
    ],
)
def test_common_header_variants_are_recognised(cast, header):
    result = imported(
        cast,
        [
            header,
            ["1", "争取港口建设资金", None, "财政局", "经发局", "财政局张局长", "2027年6月底", "", ""],
            ["1.1", None, "形成专门请示", "财政局", None, None, "2026年底", "", ""],
        ],
    )
    assert result.ok, [str(e) for e in result.errors]
    key, measure = result.created
    assert (key.title, key.lead_unit, list(key.support_units.all())) == (
        "争取港口建设资金",
        cast.caizheng,
        [cast.jingfa],
    )
    assert (measure.parent, measure.deadline) == (key, dt.date(2026, 12, 31))


def test_columns_are_found_by_their_names_in_any_order(cast):
    result = imported(
        cast,
        [
            ["完成时限", "牵头单位", "具体措施", "序号"],
            ["2026年6月", "经发局", "编制绿色化工承接方案", "1"],
        ],
    )
    assert result.ok
    (task,) = result.created
    assert (task.title, task.lead_unit, task.deadline) == (
        "编制绿色化工承接方案",
        cast.jingfa,
        dt.date(2026, 6, 30),
    )


def test_the_header_may_sit_below_a_merged_title_row(cast):
    result = imported(
        cast,
        [
            ["关于加快港口转型升级的任务分解表", None, None, None],
            ["填报单位：党政办", None, None, None],
            [],
            ["序号", "具体措施", "牵头单位", "完成时限"],
            ["1", "形成专门请示", "财政局", "2026年底"],
        ],
        merges=("A1:D1", "A2:D2"),
    )
    assert result.ok, [str(e) for e in result.errors]
    assert [t.title for t in result.created] == ["形成专门请示"]


def test_a_two_line_header_is_read_as_one(cast):
    result = imported(
        cast,
        [
            ["序号", "具体措施", "责任单位", None, "完成时限"],
            [None, None, "牵头单位", "配合单位", None],
            ["1", "形成专门请示", "财政局", "经发局", "2026年底"],
        ],
        merges=("A1:A2", "B1:B2", "C1:D1", "E1:E2"),
    )
    assert result.ok, [str(e) for e in result.errors]
    (task,) = result.created
    assert (task.lead_unit, list(task.support_units.all())) == (cast.caizheng, [cast.jingfa])


def test_a_second_header_line_refines_the_first_even_without_merged_cells(cast):
    result = imported(
        cast,
        [
            ["序号", "具体措施", "责任单位", None, "完成时限"],
            [None, None, "牵头", "配合", None],
            ["1", "形成专门请示", "财政局", "经发局", "2026年底"],
        ],
    )
    assert result.ok, [str(e) for e in result.errors]
    (task,) = result.created
    assert (task.lead_unit, list(task.support_units.all())) == (cast.caizheng, [cast.jingfa])


def test_a_data_row_full_of_header_words_is_not_taken_for_a_second_header_line(cast):
    result = imported(
        cast,
        [
            ["具体措施", "牵头单位", "完成时限"],
            ["落实减税降费措施", "财政局", "2026年底"],
        ],
    )
    assert result.ok and [t.title for t in result.created] == ["落实减税降费措施"]


def test_a_realistic_table_with_banners_merged_cells_and_footnote_imports_as_read(cast):
    result = imported(
        cast,
        [
            ["园区2025年重点工作任务分解表", *[None] * 8],
            HEAD,
            ["一、港口转型升级", *[None] * 8],
            [
                "1",
                "争取集装箱运输支持政策",
                "形成专门请示",
                "财政局",
                "经发局",
                "财政局张局长",
                "2025年6月底",
                None,
                None,
            ],
            ["2", None, "对接省财政厅", None, None, None, "2025年9月", None, None],
            ["3", None, "争取资金落地", None, "经发局、各相关部门", None, "2025年底前", None, None],
            ["4", "拿出绿色化工承接方案", None, "经发局", None, "经发局赵局长", "长期坚持", None, None],
            ["二、城市功能提升", *[None] * 8],
            ["5", "提升城市品质", "完善配套设施", "党政办", "宣传办", None, "2026.6", None, None],
            ["注：完成时限为最迟时限。", *[None] * 8],
        ],
        merges=("A1:I1", "A3:I3", "B4:B6", "D4:D6", "A8:I8", "A10:I10"),
    )
    assert result.ok, [str(e) for e in result.errors]
    assert shape(new_top_tasks(cast)) == [
        (
            "港口转型升级",
            [
                (
                    "争取集装箱运输支持政策",
                    [("形成专门请示", []), ("对接省财政厅", []), ("争取资金落地", [])],
                ),
                ("拿出绿色化工承接方案", []),
            ],
        ),
        ("城市功能提升", [("提升城市品质", [("完善配套设施", [])])]),
    ]
    port, city = new_top_tasks(cast)
    # A banner takes the lead unit most of its key tasks have (a tie goes to the first) and its
    # latest dated deadline; a standing task below it takes that deadline too.
    assert (port.code, port.kind, port.lead_unit, port.deadline) == (
        "一",
        TaskKind.AREA,
        cast.caizheng,
        dt.date(2025, 12, 31),
    )
    policy, chemistry = port.children.all()
    assert [(m.lead_unit, m.deadline) for m in policy.children.all()] == [
        (cast.caizheng, dt.date(2025, 6, 30)),
        (cast.caizheng, dt.date(2025, 9, 30)),
        (cast.caizheng, dt.date(2025, 12, 31)),
    ]
    assert (chemistry.owner, chemistry.deadline) == (cast.jingfa_manager, dt.date(2025, 12, 31))
    assert city.children.get().lead_unit == cast.office


def test_a_merged_key_task_cell_is_the_parent_of_every_measure_it_spans(cast):
    result = imported(
        cast,
        [
            HEAD,
            ["1", "争取港口建设资金", "形成专门请示", "财政局", None, None, "2026年6月底", None, None],
            ["2", None, "对接省发改委", None, "经发局", None, "2026年12月", None, None],
            ["3", "培育高新技术企业", "每年新增20家", "经发局", None, None, "2027年底", None, None],
        ],
        merges=("B2:B3", "D2:D3"),
    )
    assert result.ok, [str(e) for e in result.errors]
    assert shape(new_top_tasks(cast)) == [
        ("争取港口建设资金", [("形成专门请示", []), ("对接省发改委", [])]),
        ("培育高新技术企业", [("每年新增20家", [])]),
    ]
    funds = new_top_tasks(cast).get(title="争取港口建设资金")
    # The lead unit merged over the key task's rows is the key task's, and every measure's.
    assert funds.lead_unit == cast.caizheng
    assert [c.lead_unit for c in funds.children.all()] == [cast.caizheng, cast.caizheng]
    # A key task without a row of its own ends when its last measure ends; the flat 1, 2, 3 number measures.
    assert funds.deadline == dt.date(2026, 12, 31)
    assert [c.code for c in funds.children.all()] == ["1", "2"]


def test_a_key_task_typed_again_on_each_row_is_still_one_parent(cast):
    result = imported(
        cast,
        [
            HEAD,
            [None, "争取港口建设资金", "形成专门请示", "财政局", None, None, "2026年6月底", None, None],
            [None, "争取港口建设资金", "对接省发改委", "经发局", None, None, "2026年12月", None, None],
            [None, None, "对接省交通厅", "经发局", None, None, "2026年12月", None, None],
        ],
    )
    assert result.ok
    assert shape(new_top_tasks(cast)) == [
        ("争取港口建设资金", [("形成专门请示", []), ("对接省发改委", []), ("对接省交通厅", [])]),
    ]
    # Its lead unit is the one most of its measures have.
    assert new_top_tasks(cast).get().lead_unit == cast.jingfa


def test_a_merged_number_belongs_to_the_key_task_it_spans(cast):
    result = imported(
        cast,
        [
            HEAD,
            ["一", "争取港口建设资金", "（1）形成专门请示", "财政局", None, None, "2026年6月底", None, None],
            [None, None, "（2）对接省发改委", "财政局", None, None, "2026年12月", None, None],
        ],
        merges=("A2:A3", "B2:B3"),
    )
    assert result.ok
    key = new_top_tasks(cast).get()
    assert key.code == "一"
    assert [(c.code, c.title) for c in key.children.all()] == [("1", "形成专门请示"), ("2", "对接省发改委")]


def test_outline_numbers_in_one_column_make_the_hierarchy(cast):
    result = imported(
        cast,
        [
            ["序号", "工作内容", "牵头单位", "完成时限"],
            ["一", "港口转型升级", "党政办", None],
            ["（一）", "争取政策支持", "财政局", "2027年底"],
            ["1", "形成专门请示", "财政局", "2026年底"],
            ["（1）", "起草请示", "财政局", "2026年6月"],
            ["（2）", "报送省财政厅", "财政局", "2026年9月"],
            ["2", "对接省发改委", "经发局", "2026年底"],
            ["（二）", "培育企业", "经发局", None],
            ["二", "城市建设", "党政办", None],
        ],
    )
    assert result.ok, [str(e) for e in result.errors]
    assert shape(new_top_tasks(cast)) == [
        (
            "港口转型升级",
            [
                (
                    "争取政策支持",
                    [
                        ("形成专门请示", [("起草请示", []), ("报送省财政厅", [])]),
                        ("对接省发改委", []),
                    ],
                ),
                ("培育企业", []),
            ],
        ),
        ("城市建设", []),
    ]


def test_dotted_numbers_nest_by_their_depth(cast):
    result = imported(
        cast,
        [
            ["序号", "具体措施", "牵头单位"],
            ["1", "争取政策支持", "财政局"],
            ["1.1", "形成专门请示", "财政局"],
            ["1.1.1", "起草请示", "财政局"],
            ["1.2", "对接省发改委", "财政局"],
            ["2", "培育企业", "经发局"],
            ["2.1", "认定高新技术企业", "经发局"],
        ],
    )
    assert result.ok
    assert shape(new_top_tasks(cast)) == [
        ("争取政策支持", [("形成专门请示", [("起草请示", [])]), ("对接省发改委", [])]),
        ("培育企业", [("认定高新技术企业", [])]),
    ]


def test_numbers_leading_the_title_are_cut_off_and_kept_as_the_code(cast):
    result = imported(
        cast,
        [
            ["具体措施", "牵头单位"],
            ["一、港口转型升级", "党政办"],
            ["（一）争取政策支持", "财政局"],
            ["1.形成专门请示", "财政局"],
            ["（二）培育企业", "经发局"],
            ["一带一路合作", "经发局"],
        ],
    )
    assert result.ok
    top = new_top_tasks(cast).get()
    assert (top.code, top.title) == ("一", "港口转型升级")
    assert [(c.code, c.title) for c in top.children.all()] == [("一", "争取政策支持"), ("二", "培育企业")]
    # 一带一路 is a name, not a number; unnumbered, it belongs to the heading above it.
    assert [(c.code, c.title) for c in top.children.get(code="二").children.all()] == [("", "一带一路合作")]


def test_dotted_numbers_that_contradict_their_parent_are_reported(cast):
    result = imported(
        cast,
        [
            ["序号", "具体措施", "牵头单位"],
            ["1", "争取政策支持", "财政局"],
            ["2.1", "形成专门请示", "财政局"],
        ],
    )
    assert [str(e) for e in result.errors] == ["第3行 序号：序号“2.1”与上级序号“1”对不上，请检查编号"]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        (dt.datetime(2025, 6, 30), dt.date(2025, 6, 30)),
        ("2025年6月底", dt.date(2025, 6, 30)),
        ("2025年6月底前完成", dt.date(2025, 6, 30)),
        ("2025-06-30", dt.date(2025, 6, 30)),
        ("2025/6/30", dt.date(2025, 6, 30)),
        ("2025.6", dt.date(2025, 6, 30)),
        ("2025年2月", dt.date(2025, 2, 28)),
        ("2025年上半年", dt.date(2025, 6, 30)),
        ("2025年三季度", dt.date(2025, 9, 30)),
        ("2025年底", dt.date(2025, 12, 31)),
        ("2025", dt.date(2025, 12, 31)),
        (2025, dt.date(2025, 12, 31)),
        (45838, dt.date(2025, 6, 30)),
        ("二〇二五年六月底", dt.date(2025, 6, 30)),
        ("2025年6月中旬", dt.date(2025, 6, 20)),
        ("2024年底前完成初稿，2025年6月底前全面完成", dt.date(2025, 6, 30)),
        ("2024—2025年", dt.date(2025, 12, 31)),
    ],
)
def test_deadlines_are_read_in_the_forms_tables_use(written, meant):
    assert parse_deadline(written).date == meant


@pytest.mark.parametrize("written", ["长期坚持", "持续推进", "常态化开展"])
def test_standing_deadlines_have_no_date_of_their_own(written):
    assert parse_deadline(written).is_standing


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("尽快", "无法识别“尽快”"),
        ("6月底", "缺少年份"),
        ("2025年6月31日", "不是有效的日期"),
    ],
)
def test_words_that_are_no_date_are_refused_with_a_reason(written, says):
    with pytest.raises(DeadlineError, match=says):
        parse_deadline(written)


def test_a_standing_measure_takes_its_parents_deadline(cast):
    result = import_task_table(
        cast.supervisor,
        xlsx(
            [
                ["具体措施", "牵头单位", "完成时限"],
                ["定期向省财政厅汇报", "财政局", "长期坚持"],
            ]
        ),
        plan=cast.plan,
        parent=cast.key,
    )
    assert result.ok
    assert result.created[0].deadline == cast.key.deadline


def test_units_are_matched_by_name_short_name_or_alias_and_split_on_common_separators(cast):
    result = imported(
        cast,
        [
            ["具体措施", "牵头单位", "配合单位"],
            ["统筹调度", "督查室", "经济发展局，财政局/宣传办；管委会"],
        ],
    )
    assert result.ok
    (task,) = result.created
    assert task.lead_unit == cast.supervision
    assert set(task.support_units.all()) == {cast.jingfa, cast.caizheng, cast.xuanchuan, cast.committee}


def test_a_second_lead_unit_becomes_a_support_unit_with_a_warning(cast):
    result = imported(cast, [["具体措施", "牵头单位"], ["形成专门请示", "财政局、经发局"]])
    assert result.ok
    (task,) = result.created
    assert (task.lead_unit, list(task.support_units.all())) == (cast.caizheng, [cast.jingfa])
    assert [str(w) for w in result.warnings] == [
        "第2行 牵头单位：牵头单位只能有一个，已以“财政局”牵头，“经发局”作为配合单位",
    ]


def test_all_concerned_units_are_no_unit_and_are_skipped_in_support(cast):
    result = imported(
        cast, [["具体措施", "牵头单位", "配合单位"], ["形成专门请示", "财政局", "经发局、各相关部门"]]
    )
    assert result.ok
    assert list(result.created[0].support_units.all()) == [cast.jingfa]
    assert "“各相关部门”不是具体单位，已略过" in str(result.warnings[0])


def test_the_owner_is_looked_for_in_the_lead_unit_first(cast):
    namesake = make_person("wang_jingfa", "staff", cast.jingfa, "王明")
    make_person("wang_caizheng", "staff", cast.caizheng, "王明")
    result = imported(
        cast, [["具体措施", "牵头单位", "责任人"], ["对接省发改委", "经发局", "王  明 13800000000"]]
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.created[0].owner == namesake


def test_an_owner_who_is_a_post_not_a_person_is_left_empty_with_a_warning(cast):
    result = imported(cast, [["具体措施", "牵头单位", "责任人"], ["对接省发改委", "经发局", "主要负责人"]])
    assert result.ok
    assert result.created[0].owner is None
    assert "“主要负责人”不是具体人员" in str(result.warnings[0])


def test_errors_name_the_row_and_the_column_as_the_file_writes_it(cast):
    result = imported(
        cast,
        [
            ["重点工作推进表", None, None, None, None],
            ["序号", "工作措施", "责任单位", "责任人", "时限"],
            ["1", "形成专门请示", "财正局", "张三", "尽快"],
            ["2", "", "财政局", None, "2026年底"],
            ["3", "对接省发改委", "各相关部门", None, "2031年底"],
        ],
        merges=("A1:E1",),
    )
    assert [str(e) for e in result.errors] == [
        "第3行 责任单位：找不到单位“财正局”（是不是“财政局”？）",
        "第3行 责任人：找不到人员“张三”",
        "第3行 时限：无法识别“尽快”，请写成 2025年6月30日、2025年6月底、2025-06-30 或“长期坚持”",
        "第4行 工作措施：本行填了单位或时限，但没有任务名称",
        "第5行 责任单位：“各相关部门”不是具体单位，牵头单位要写明一个单位",
        "第5行 时限：2031年12月31日晚于实施方案的截止日期（2029年12月31日）",
    ]
    assert not result.saved


def test_a_deadline_after_the_parents_is_an_error(cast):
    result = import_task_table(
        cast.supervisor,
        xlsx(
            [
                ["具体措施", "牵头单位", "完成时限"],
                ["形成请示", "财政局", "2027年12月"],
            ]
        ),
        plan=cast.plan,
        parent=cast.key,
    )
    assert [str(e) for e in result.errors] == [
        "第2行 完成时限：2027年12月31日晚于上级任务的完成时限（2027年6月30日）",
    ]


def test_nothing_is_saved_when_any_row_is_wrong(cast):
    before = Task.objects.count()
    result = imported(
        cast,
        [
            ["序号", "具体措施", "牵头单位"],
            ["1", "形成专门请示", "财政局"],
            ["2", "对接省发改委", "发改委"],
        ],
    )
    assert not result.saved and result.created == []
    assert Task.objects.count() == before
    assert "未导入任何任务" in result.summary()


def test_valid_rows_only_saves_the_good_rows_and_leaves_out_a_wrong_row_with_its_children(cast):
    result = imported(
        cast,
        [
            ["序号", "具体措施", "牵头单位"],
            ["1", "形成专门请示", "财政局"],
            ["2", "对接省发改委", "发改委"],
            ["2.1", "报送项目清单", "经发局"],
            ["3", "培育企业", "经发局"],
        ],
        valid_rows_only=True,
    )
    assert result.saved
    assert shape(new_top_tasks(cast)) == [("形成专门请示", []), ("培育企业", [])]
    assert [str(e) for e in result.errors] == [
        "第3行 牵头单位：找不到单位“发改委”",
        "第4行：上级任务（第3行）有错误，本行随之未导入",
    ]
    assert result.summary() == "已导入 2 项任务；有 2 处错误的行未导入。"


def test_a_dry_run_checks_everything_and_saves_nothing(cast):
    before = Task.objects.count()
    result = imported(cast, [["具体措施", "牵头单位"], ["形成专门请示", "财政局"]], dry_run=True)
    assert result.ok and not result.saved and result.tasks_found == 1
    assert Task.objects.count() == before
    assert "检查通过" in result.summary()


def test_an_outsider_cannot_import_at_the_top_of_a_plan(cast):
    result = import_task_table(
        cast.outsider, xlsx([["具体措施", "牵头单位"], ["宣传报道", "宣传办"]]), plan=cast.plan
    )
    assert not result.saved
    assert "只有督查室可以在实施方案下直接导入顶层任务" in str(result.errors[0])


def test_an_outsider_cannot_import_under_a_task_they_cannot_split(cast):
    before = Task.objects.count()
    result = import_task_table(
        cast.outsider,
        xlsx([["具体措施", "牵头单位"], ["宣传报道", "宣传办"]]),
        plan=cast.plan,
        parent=cast.key,
    )
    assert [str(e) for e in result.errors] == [
        "你没有在任务“争取集装箱运输支持政策”下分解任务的权限，不能导入。"
    ]
    assert Task.objects.count() == before


def test_a_unit_manager_imports_under_their_task_but_cannot_split_another_units_part(cast):
    rows = [
        ["序号", "具体措施", "牵头单位"],
        ["1", "形成专门请示", "财政局"],
        ["2", "对接省发改委", "经发局"],
        ["2.1", "报送项目清单", "经发局"],
    ]
    result = import_task_table(cast.caizheng_manager, xlsx(rows), plan=cast.plan, parent=cast.key)
    assert [str(e) for e in result.errors] == ["第4行：你没有权限在任务“对接省发改委”下分解任务"]
    assert not result.saved and cast.key.children.count() == 1  # only the cast's own measure

    result = import_task_table(cast.caizheng_manager, xlsx(rows[:3]), plan=cast.plan, parent=cast.key)
    assert result.saved and len(result.created) == 2


def test_the_import_command_imports_and_reports(cast, tmp_path, capsys):
    path = tmp_path / "分解表.xlsx"
    path.write_bytes(xlsx([["具体措施", "牵头单位"], ["形成专门请示", "财政局"]]))
    call_command(
        "import_excel",
        str(path),
        "--plan",
        str(cast.plan.pk),
        "--parent",
        str(cast.key.pk),
        "--as",
        "caizheng_manager",
    )
    assert "已导入 1 项任务" in capsys.readouterr().out
    assert cast.key.children.filter(title="形成专门请示", lead_unit=cast.caizheng).exists()


def test_the_import_command_fails_and_lists_the_errors(cast, tmp_path, capsys):
    path = tmp_path / "分解表.xlsx"
    path.write_bytes(xlsx([["具体措施", "牵头单位"], ["形成专门请示", "财正局"]]))
    with pytest.raises(CommandError, match="发现 1 处错误"):
        call_command("import_excel", str(path), "--plan", str(cast.plan.pk), "--as", "supervisor")
    assert "错误 第2行 牵头单位：找不到单位“财正局”" in capsys.readouterr().err


def test_the_import_command_treats_a_task_you_cannot_see_as_missing(cast, tmp_path):
    path = tmp_path / "分解表.xlsx"
    path.write_bytes(xlsx([["具体措施", "牵头单位"], ["宣传报道", "宣传办"]]))
    with pytest.raises(CommandError, match=f"找不到任务 {cast.key.pk}"):
        call_command(
            "import_excel",
            str(path),
            "--plan",
            str(cast.plan.pk),
            "--parent",
            str(cast.key.pk),
            "--as",
            "outsider",
        )


def test_the_import_command_dry_run_checks_and_saves_nothing(cast, tmp_path, capsys):
    path = tmp_path / "分解表.xlsx"
    path.write_bytes(xlsx([["具体措施", "牵头单位"], ["形成专门请示", "财政局"]]))
    before = Task.objects.count()
    call_command("import_excel", str(path), "--plan", str(cast.plan.pk), "--as", "supervisor", "--dry-run")
    assert "检查通过，共 1 项任务可以导入" in capsys.readouterr().out
    assert Task.objects.count() == before


def test_a_lead_unit_cell_of_punctuation_alone_is_reported_as_empty(cast):
    result = imported(cast, [["具体措施", "牵头单位"], ["形成专门请示", "、"]])
    assert not result.created
    assert [str(e) for e in result.errors] == ["第2行 牵头单位：不能为空，请填写一个牵头单位"]
