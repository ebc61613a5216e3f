"""Exporting a plan or a subtree as a printable 任务分解表, and importing it back to the same tree."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from luoshi.documents.excel import export_task_table, import_task_table
from luoshi.plans import actions
from luoshi.plans.models import Plan, Task
from luoshi.progress.actions import report_progress


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


HEAD = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "责任人", "完成时限", "进度/完成情况", "备注"]


def as_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reopened(book):
    return load_workbook(io.BytesIO(as_bytes(book))).active


def signature(tasks) -> list:
    """Everything a round trip must keep: titles, hierarchy, units, owners, deadlines, remarks."""
    return [
        (
            t.title,
            t.lead_unit.name,
            sorted(u.name for u in t.support_units.all()),
            t.owner.username if t.owner else None,
            t.deadline,
            t.description,
            signature(t.children.order_by("order", "id")),
        )
        for t in tasks
    ]


@pytest.fixture
def richer_plan(cast):
    """The cast's plan with a deeper, busier tree: owners, several support units, twin titles, numbers in titles."""
    s = cast.supervisor
    stage = actions.create_task(
        s,
        plan=cast.plan,
        parent=cast.measure,
        title="起草请示初稿",
        lead_unit=cast.caizheng,
        owner=cast.caizheng_staff,
        deadline=dt.date(2026, 12, 31),
    )
    actions.create_task(
        s,
        plan=cast.plan,
        parent=stage,
        title="收集港口吞吐量数据",
        lead_unit=cast.caizheng,
        support_units=[cast.jingfa, cast.jingfa_section],
        deadline=dt.date(2026, 10, 31),
    )
    actions.create_task(s, plan=cast.plan, parent=stage, title="收集港口吞吐量数据", lead_unit=cast.caizheng)
    actions.create_task(
        s,
        plan=cast.plan,
        parent=cast.jingfa_task,
        title="1.5万吨级泊位改造方案",
        lead_unit=cast.jingfa,
        owner=cast.jingfa_manager,
        description="含投资估算",
    )
    actions.create_task(
        s,
        plan=cast.plan,
        title="一、城市功能提升",
        lead_unit=cast.office,
        support_units=[cast.xuanchuan, cast.caizheng],
        owner=cast.supervisor,
        deadline=dt.date(2028, 6, 30),
    )
    actions.create_task(s, plan=cast.plan, title="一、城市功能提升", lead_unit=cast.xuanchuan)
    return cast.plan


def test_the_export_has_a_merged_title_and_a_bold_bordered_header(cast):
    sheet = reopened(export_task_table(cast.plan))
    assert sheet["A1"].value == "《加快工业园区高质量发展实施方案》任务分解表"
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].font.b and sheet["A1"].alignment.horizontal == "center"
    assert [c.value for c in sheet[3]] == HEAD
    assert all(c.font.b and c.border.top.style == "thin" and c.alignment.wrap_text for c in sheet[3])


def test_the_export_is_set_up_to_print_on_landscape_a4_one_page_wide_with_the_header_repeated(cast):
    sheet = reopened(export_task_table(cast.plan))
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
    assert all(c.border.left.style == "thin" and c.alignment.wrap_text for c in sheet[4])


def test_each_task_has_its_row_numbered_by_the_outline_with_top_tasks_in_the_key_task_column(cast):
    sheet = reopened(export_task_table(cast.plan))
    rows = [[c.value for c in row[:7]] for row in sheet.iter_rows(min_row=4)]
    assert rows == [
        ["1", "港口转型升级", None, "党政办", None, None, dt.datetime(2029, 12, 31)],
        ["1.1", None, "争取集装箱运输支持政策", "财政局", "经发局", None, dt.datetime(2027, 6, 30)],
        ["1.1.1", None, "形成专门请示报省财政厅", "财政局", None, None, dt.datetime(2027, 3, 31)],
        ["1.2", None, "拿出绿色化工承接方案", "经发局", None, None, dt.datetime(2027, 6, 30)],
    ]
    assert sheet["G4"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet["B4"].font.b and not sheet["C5"].font.b
    assert sheet["C6"].alignment.indent == 1  # one level deeper than 1.1


def test_the_progress_column_shows_rolled_up_progress_status_and_latest_report(cast):
    report_progress(cast.caizheng_staff, cast.measure, percent=60, narrative="请示已起草", files=[])
    sheet = reopened(export_task_table(cast.plan))
    measure_row = next(r for r in sheet.iter_rows(min_row=4) if r[2].value == "形成专门请示报省财政厅")
    assert measure_row[7].value.startswith("60%（承办中）")
    assert "请示已起草" in measure_row[7].value


def test_a_subtree_exports_its_root_and_everything_below_it(cast):
    sheet = reopened(export_task_table(cast.plan, cast.key))
    assert sheet["A1"].value.endswith("（争取集装箱运输支持政策）")
    assert [(r[0].value, r[1].value, r[2].value) for r in sheet.iter_rows(min_row=4)] == [
        ("1", "争取集装箱运输支持政策", None),
        ("1.1", None, "形成专门请示报省财政厅"),
    ]


def test_export_then_import_gives_the_same_tree(cast, richer_plan):
    copy = Plan.objects.create(
        title="副本",
        period_start=richer_plan.period_start,
        period_end=richer_plan.period_end,
        owner_unit=cast.committee,
    )
    result = import_task_table(cast.supervisor, as_bytes(export_task_table(richer_plan)), plan=copy)
    assert result.ok, [str(e) for e in result.errors]
    assert [str(w) for w in result.warnings] == ["“进度/完成情况”列不导入：进度请在任务中通过进度报送填写。"]
    original = signature(Task.objects.filter(plan=richer_plan, parent=None))
    assert signature(Task.objects.filter(plan=copy, parent=None)) == original
    assert len(result.created) == Task.objects.filter(plan=richer_plan).count() == 10


def test_a_subtree_exported_and_imported_under_another_task_is_the_same_subtree(cast, richer_plan):
    data = as_bytes(export_task_table(richer_plan, cast.measure))
    result = import_task_table(cast.supervisor, data, plan=richer_plan, parent=cast.jingfa_task)
    assert result.ok, [str(e) for e in result.errors]
    copy = cast.jingfa_task.children.get(title=cast.measure.title)
    assert signature([copy]) == signature([cast.measure])


def test_the_export_command_writes_a_workbook(cast, tmp_path, capsys):
    path = tmp_path / "任务分解表.xlsx"
    call_command(
        "export_excel", "--plan", str(cast.plan.pk), "--task", str(cast.key.pk), "--output", str(path)
    )
    assert "已导出 2 项任务" in capsys.readouterr().out
    assert load_workbook(path).active["B4"].value == "争取集装箱运输支持政策"
