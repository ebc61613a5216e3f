"""Bad Excel input gets a clear message and leaves nothing behind."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from luoshi.core.limits import IMPORT_BYTES, TASK_ROWS
from luoshi.documents.excel import import_task_table
from luoshi.plans.models import Task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def xlsx(rows: list[list], *, sheets: int = 1) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    for index in range(1, sheets):
        book.create_sheet(f"Sheet{index + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def refusal(cast, data) -> str:
    """Import as the supervisor; check nothing was saved; return the one message given."""
    before = Task.objects.count()
    result = import_task_table(cast.supervisor, data, plan=cast.plan)
    assert not result.saved and result.created == []
    assert Task.objects.count() == before
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return str(result.errors[0])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"   \n", "文件是空的"),
        ("序号,具体措施,牵头单位\n1,形成请示,财政局\n".encode(), "这不是 Excel（.xlsx）文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "旧版 Excel（.xls）"),
        (b"\x00\x01\x02\xff" * 100, "这不是 Excel（.xlsx）文件"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused_with_the_reason(cast, data, message):
    assert message in refusal(cast, data)


def test_a_word_document_is_refused_as_not_excel(cast):
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert "不是 Excel（.xlsx）文件" in refusal(cast, docx)


def test_a_damaged_xlsx_is_refused(cast):
    damaged = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not really a workbook"})
    assert "文件已损坏" in refusal(cast, damaged)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(cast):
    bomb = zipped({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert "解压后的内容超过上限：有 30 MB，最多 20 MB" in refusal(cast, bomb)


def test_a_file_over_the_size_limit_is_refused_without_being_read(cast):
    assert "文件大小超过上限" in refusal(cast, b"PK" + bytes(IMPORT_BYTES.most))


def test_a_workbook_with_nothing_in_it_is_called_empty(cast):
    assert refusal(cast, xlsx([], sheets=2)) == "表格是空的，没有任何内容。"


def test_a_sheet_without_a_recognisable_header_says_which_columns_it_needs(cast):
    message = refusal(cast, xlsx([["姓名", "电话", "地址"], ["张三", "13800000000", "港口路1号"]]))
    assert message.startswith("找不到表头")
    assert "“重点任务”或“具体措施”" in message and "“牵头单位”" in message


def test_a_header_with_nothing_below_it_has_no_tasks(cast):
    assert (
        refusal(cast, xlsx([["序号", "具体措施", "牵头单位"]])) == "表格中没有找到任何任务：表头下面是空的。"
    )


def test_a_sheet_beyond_the_row_limit_is_refused_and_says_the_limit(cast):
    rows = [
        ["序号", "具体措施", "牵头单位"],
        *([str(i), f"任务{i}", "财政局"] for i in range(TASK_ROWS.most + 1)),
    ]
    message = refusal(cast, xlsx(rows))
    assert f"任务行数超过上限：有 2,001，最多 {TASK_ROWS.most:,}" in message


def test_the_table_may_be_on_a_later_sheet(cast):
    book = Workbook()
    book.active.append(["说明：请在第二个工作表填写"])
    book.create_sheet("任务").append(["具体措施", "牵头单位"])
    book["任务"].append(["形成专门请示", "财政局"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_task_table(cast.supervisor, buffer.getvalue(), plan=cast.plan)
    assert result.saved and [t.title for t in result.created] == ["形成专门请示"]


def test_footnotes_under_the_table_are_not_tasks(cast):
    result = import_task_table(
        cast.supervisor,
        xlsx(
            [
                ["具体措施", "牵头单位"],
                ["形成专门请示", "财政局"],
                ["注：完成时限以省里通知为准", None],
                ["填表人：王明", None],
            ]
        ),
        plan=cast.plan,
    )
    assert result.ok and len(result.created) == 1


def test_a_header_printed_again_inside_the_table_is_skipped(cast):
    result = import_task_table(
        cast.supervisor,
        xlsx(
            [
                ["序号", "具体措施", "牵头单位"],
                ["1", "形成专门请示", "财政局"],
                ["序号", "具体措施", "牵头单位"],
                ["2", "对接省发改委", "经发局"],
            ]
        ),
        plan=cast.plan,
    )
    assert result.ok and [t.title for t in result.created] == ["形成专门请示", "对接省发改委"]


def test_an_overlong_title_is_cut_at_a_sentence_and_kept_whole_as_source(cast):
    long = "加快港口集疏运体系建设。" + "推进铁路专用线进港" * 40
    result = import_task_table(
        cast.supervisor, xlsx([["具体措施", "牵头单位"], [long, "财政局"]]), plan=cast.plan
    )
    assert result.ok
    (task,) = result.created
    assert (task.title, task.source_text) == ("加快港口集疏运体系建设。", long)
    assert "已截短" in str(result.warnings[0])


def test_a_name_shared_by_two_people_with_no_unit_to_tell_them_apart_is_an_error(cast):
    from tests.cast import make_person

    make_person("wang1", "staff", cast.jingfa, "王明")
    make_person("wang2", "staff", cast.xuanchuan, "王明")
    result = import_task_table(
        cast.supervisor,
        xlsx(
            [
                ["具体措施", "牵头单位", "责任人"],
                ["形成专门请示", "财政局", "王明"],
            ]
        ),
        plan=cast.plan,
    )
    assert [str(e) for e in result.errors] == ["第2行 责任人：有2位人员都叫“王明”，无法确定是哪一位"]
    assert not result.saved


def test_a_short_name_shared_by_two_units_asks_for_the_full_name(cast):
    cast.jingfa.short_name = "发展局"
    cast.jingfa.save()
    cast.xuanchuan.aliases = "发展局"
    cast.xuanchuan.save()
    result = import_task_table(
        cast.supervisor, xlsx([["具体措施", "牵头单位"], ["形成专门请示", "发展局"]]), plan=cast.plan
    )
    assert [str(e) for e in result.errors] == [
        "第2行 牵头单位：“发展局”可能是经发局、宣传办中的任何一个，请写单位全称"
    ]


def test_two_columns_that_both_look_like_the_lead_unit_use_the_left_one_and_say_so(cast):
    result = import_task_table(
        cast.supervisor,
        xlsx(
            [
                ["具体措施", "牵头单位", "责任单位"],
                ["形成专门请示", "财政局", "经发局"],
            ]
        ),
        plan=cast.plan,
    )
    assert result.created[0].lead_unit == cast.caizheng
    assert [str(w) for w in result.warnings] == [
        "第1行：“责任单位”列与“牵头单位”列都像是“牵头单位”，已使用左边一列。"
    ]
