"""No small file exhausts the server: every upload and import path keeps to luoshi/core/limits.py."""

import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from luoshi.core import limits
from luoshi.core.limits import Limit, Measure
from luoshi.documents.excel.errors import UnreadableTable
from luoshi.documents.excel.reader import read_task_table
from luoshi.documents.extract.reading import InputRejected, read_bytes, read_pasted
from luoshi.indicators.actions import import_actuals, record_actual
from luoshi.indicators.models import Indicator, IndicatorActual


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def task_table(rows: int = 3) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "具体措施", "牵头单位"])
    for i in range(1, rows + 1):
        sheet.append([str(i), f"任务{i}", "财政局"])
    return book


@pytest.fixture
def throughput(cast):
    return Indicator.objects.create(
        plan=cast.plan, name="港口货物吞吐量", unit="吨", owner_unit=cast.caizheng
    )


# --- 任务分解表 (.xlsx) -----------------------------------------------------------------------------

READ_IN_A_SMALL_PROCESS = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
import django
django.setup()
from luoshi.documents.excel.reader import read_task_table
table = read_task_table(sys.argv[1])
print(len(table.rows))
"""


def test_a_styled_empty_cell_at_the_last_excel_row_is_read_only_to_the_last_value(tmp_path):
    book = task_table(3)
    book.active.cell(row=1_048_576, column=30).fill = PatternFill("solid", fgColor="FFFF00")
    path = tmp_path / "styled.xlsx"
    path.write_bytes(workbook_bytes(book))
    assert path.stat().st_size < 10_000
    # In a process held to 1.5 GB of address space: reading to the styled row took 8.5 GB.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "luoshi.settings"}
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_A_SMALL_PROCESS, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "3"


def test_a_value_far_below_the_table_is_refused_with_the_sheet_rows_limit():
    book = task_table(3)
    book.active.cell(row=limits.SHEET_ROWS.most + 1, column=2, value="迷路的一格")
    with pytest.raises(UnreadableTable) as refused:
        read_task_table(workbook_bytes(book))
    assert str(refused.value) == limits.SHEET_ROWS.message(limits.SHEET_ROWS.most + 1)


def test_a_sheet_of_too_many_cells_is_refused_before_it_is_parsed():
    cells = b"<c/>" * (limits.SHEET_CELLS.most + 1)
    package = zipped({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<sheetData>" + cells})
    with pytest.raises(UnreadableTable, match="单元格数超过上限"):
        read_task_table(package)


# --- indicator actuals ------------------------------------------------------------------------------


def test_an_actuals_workbook_that_unpacks_past_the_limit_is_refused(cast, throughput):
    book = Workbook()
    book.active.append(["统计期末", "实际值"])
    data = workbook_bytes(book)
    padded = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<sheetData>", b"<sheetData>" + b" " * (21 * limits.MB))
            out.writestr(item.filename, body)
    upload = SimpleUploadedFile("actuals.xlsx", padded.getvalue())
    with pytest.raises(ValidationError) as refused:
        import_actuals(cast.caizheng_staff, throughput, upload)
    assert "解压后的内容超过上限" in refused.value.messages[0]


def test_an_actuals_workbook_with_a_nul_character_reference_gets_a_message_not_an_error_page(
    cast, throughput
):
    book = Workbook()
    book.active.append(["统计期末", "实际值"])
    book.active.append(["2026-09-30", "PLACEHOLDER"])
    data = workbook_bytes(book)
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(damaged, "w") as out:
        for item in source.infolist():
            out.writestr(item.filename, source.read(item).replace(b"PLACEHOLDER", b"&#0;"))
    client = Client()
    client.force_login(cast.caizheng_staff)
    upload = SimpleUploadedFile("actuals.xlsx", damaged.getvalue())
    response = client.post(reverse("indicator_import", args=[throughput.pk]), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "无法读取这个 Excel 文件" in response.content.decode()
    assert not IndicatorActual.objects.exists()


def test_indicator_evidence_over_the_limit_is_refused(cast, throughput, monkeypatch):
    monkeypatch.setattr(limits, "EVIDENCE_BYTES", Limit(limits.EVIDENCE_BYTES.what, 1000, Measure.BYTES))
    evidence = SimpleUploadedFile("统计快报.pdf", b"%PDF-1.4" + bytes(2000))
    with pytest.raises(ValidationError) as refused:
        record_actual(
            cast.caizheng_staff, throughput, period_end=cast.plan.period_start, value=1.0, evidence=evidence
        )
    assert "佐证材料文件大小超过上限" in refused.value.message_dict["evidence"][0]
    assert not IndicatorActual.objects.exists()


def test_indicator_evidence_is_downloaded_by_signed_in_people_and_by_no_stranger(cast, throughput):
    import datetime as dt

    actual = record_actual(
        cast.caizheng_staff,
        throughput,
        period_end=dt.date(2026, 9, 30),
        value=2.6e8,
        evidence=SimpleUploadedFile("统计快报.pdf", b"%PDF-1.4 quick report"),
    )
    url = reverse("actual_evidence", args=[actual.pk])
    client = Client()
    client.force_login(cast.jingfa_staff)
    page = client.get(reverse("indicator_detail", args=[throughput.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 quick report"
    assert Client().get(url).status_code == 302  # to the login page
    assert client.get(reverse("actual_evidence", args=[actual.pk + 1000])).status_code == 404


# --- plan texts (.txt, .docx, pasted) ---------------------------------------------------------------


def test_a_plan_text_longer_than_the_limit_is_refused_in_every_form():
    text = "推进港口转型升级。" * (limits.TEXT_CHARS.most // 9 + 1)
    expected = limits.TEXT_CHARS.message(len(text))
    with pytest.raises(InputRejected, match="文本长度"):
        read_pasted(text)
    with pytest.raises(InputRejected) as refused:
        read_bytes(text.encode("utf-8"), "plan.txt")
    assert str(refused.value) == expected


def test_a_docx_whose_xml_unpacks_past_the_limit_is_refused_before_python_docx_reads_it():
    body = b'<w:document xmlns:w="x"><w:body>' + b"<w:p/>" * (21 * limits.MB // 6) + b"</w:body></w:document>"
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})
    assert len(docx) < limits.MB
    with pytest.raises(InputRejected, match="解压后的内容超过上限"):
        read_bytes(docx, "plan.docx")


def test_the_limit_message_is_in_the_persons_language():
    from django.utils import translation

    with translation.override("en"):
        assert limits.TASK_ROWS.message(2001) == ("Task rows over the limit: 2,001 found, at most 2,000.")


def test_a_task_tree_deeper_than_the_limit_is_refused_where_tasks_are_split(cast):
    from luoshi.plans.actions import create_task

    parent = cast.measure  # the third level
    for _level in range(limits.TREE_DEPTH.most - 3):
        parent = create_task(
            cast.supervisor, plan=cast.plan, title="下一层", lead_unit=cast.caizheng, parent=parent
        )
    with pytest.raises(ValidationError) as refused:
        create_task(cast.supervisor, plan=cast.plan, title="太深了", lead_unit=cast.caizheng, parent=parent)
    assert refused.value.message_dict["parent"] == [limits.TREE_DEPTH.message(limits.TREE_DEPTH.most + 1)]


def test_a_table_of_actuals_over_the_rows_limit_is_refused(cast, throughput):
    rows = "\n".join(f"2020-01-{1 + i % 28:02d},{i}" for i in range(limits.ACTUAL_ROWS.most + 1))
    upload = SimpleUploadedFile("actuals.csv", f"统计期末,实际值\n{rows}\n".encode())
    with pytest.raises(ValidationError) as refused:
        import_actuals(cast.caizheng_staff, throughput, upload)
    assert refused.value.messages == [limits.ACTUAL_ROWS.message(limits.ACTUAL_ROWS.most + 1)]
