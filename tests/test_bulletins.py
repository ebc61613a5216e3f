"""Periodic bulletins: composed from the data, published as a numbered, immutable snapshot, exported."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from luoshi.bulletins import actions
from luoshi.bulletins.compose import compose, parse_period
from luoshi.bulletins.export import to_docx, to_pdf, to_xlsx
from luoshi.bulletins.models import Bulletin
from luoshi.core.access import visible_to
from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.models import ProgressReport
from luoshi.scoring.actions import post_scores

NOV = parse_period("2026-11")
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


def close(task: Task, on: dt.date) -> None:
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.CLOSED, closed_at=timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    )


@pytest.fixture
def november(cast):
    """财政局's measure is overdue since 2026-11-10; 经发局 closed its task early; 财政局 reported in November."""
    Task.objects.filter(pk=cast.measure.pk).update(deadline=dt.date(2026, 11, 10))
    Task.objects.filter(pk=cast.jingfa_task.pk).update(deadline=dt.date(2026, 11, 30))
    close(cast.jingfa_task, dt.date(2026, 11, 20))
    ProgressReport.objects.create(
        task=cast.key,
        unit=cast.caizheng,
        author=cast.caizheng_staff,
        reported_on=dt.date(2026, 11, 5),
        percent=30,
        narrative="已对接省财政厅",
    )
    return cast


def test_periods_are_read_as_month_quarter_or_week():
    assert (NOV.start, NOV.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    q4 = parse_period("2026-Q4")
    assert (q4.start, q4.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    week = parse_period("2026-w48")
    assert (week.start, week.end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    with pytest.raises(ValueError, match="2026-13"):
        parse_period("2026-13")


def test_the_ranking_counts_on_time_closures_overdue_days_and_reports_per_unit(november):
    post_scores(november.plan, until=dt.date(2026, 11, 27))
    content = compose(november.plan, NOV)
    rows = {r["unit"]: r for r in content["ranking"]}
    assert rows["经发局"]["closed_on_time"] == 1 and rows["经发局"]["on_time_rate"] == 100.0
    assert rows["经发局"]["rank"] == 1
    assert rows["经发局"]["score"] > 0 > rows["财政局"]["score"]  # early closing earns, overdue days cost
    caizheng = rows["财政局"]
    assert (caizheng["due"], caizheng["overdue"], caizheng["overdue_days"]) == (1, 1, 17)  # 11-10 → 11-27
    assert (caizheng["active"], caizheng["reported"]) == (2, 1)
    assert [t["title"] for t in content["overdue_tasks"]] == ["形成专门请示报省财政厅"]
    assert content["closed_early"][0]["days_early"] == 10
    assert "经发局" in content["draft_commendations"] and "财政局有1项任务逾期" in content["draft_criticisms"]


def test_a_published_bulletin_is_numbered_and_does_not_change_when_tasks_do(november):
    draft = actions.draft_bulletin(november.supervisor, plan=november.plan, period=NOV)
    with pytest.raises(ValidationError):
        actions.publish_bulletin(november.supervisor, draft)  # not reviewed yet
    actions.edit_bulletin(november.supervisor, draft, criticisms="财政局请示迟迟未报，予以通报批评。")
    published = actions.publish_bulletin(
        november.supervisor, actions.review_bulletin(november.supervisor, draft)
    )
    assert published.document_number == "督查通报〔2026〕1号"
    before = actions.bulletin_content(published)
    docx_before = _docx_text(to_docx(before))

    close(november.measure, dt.date(2026, 11, 27))  # the overdue task is closed after publication
    Task.objects.filter(pk=november.key.pk).update(title="改名后的任务")
    again = Bulletin.objects.get(pk=published.pk)
    assert actions.bulletin_content(again) == before
    assert again.content["overdue_tasks"][0]["title"] == "形成专门请示报省财政厅"
    assert _docx_text(to_docx(actions.bulletin_content(again))) == docx_before
    with pytest.raises(ValidationError):
        actions.edit_bulletin(november.supervisor, again, criticisms="改写")
    second = actions.draft_bulletin(november.supervisor, plan=november.plan, period=parse_period("2026-W48"))
    second = actions.publish_bulletin(
        november.supervisor, actions.review_bulletin(november.supervisor, second)
    )
    assert second.document_number == "督查通报〔2026〕2号"


def test_only_the_supervision_office_writes_bulletins_and_drafts_stay_with_it(november):
    with pytest.raises(PermissionDenied):
        actions.draft_bulletin(november.caizheng_manager, plan=november.plan, period=NOV)
    draft = actions.draft_bulletin(november.supervisor, plan=november.plan, period=NOV)
    assert not visible_to(november.leader, Bulletin.objects.all()).exists()
    actions.publish_bulletin(november.supervisor, actions.review_bulletin(november.supervisor, draft))
    assert visible_to(november.caizheng_staff, Bulletin.objects.all()).count() == 1
    with pytest.raises(PermissionDenied):
        actions.review_bulletin(november.leader, draft)


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def _published(cast) -> dict:
    draft = actions.draft_bulletin(cast.supervisor, plan=cast.plan, period=NOV)
    return actions.bulletin_content(
        actions.publish_bulletin(cast.supervisor, actions.review_bulletin(cast.supervisor, draft))
    )


def test_the_word_document_has_the_red_masthead_the_number_and_the_ranking_table(november):
    from docx import Document

    data = to_docx(_published(november))
    doc = Document(io.BytesIO(data))
    masthead = doc.paragraphs[0].runs[0]
    assert masthead.text == "督查通报" and str(masthead.font.color.rgb) == "C00000"
    text = _docx_text(data)
    assert "督查通报〔2026〕1号" in text
    assert "排名 | 单位 | 得分 | 到期任务" in text
    assert "| 经发局 |" in text.split("排名 | 单位")[1].splitlines()[1]
    assert "党政办督查室" in text and "2026年11月27日" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
def test_the_pdf_reads_back_with_the_number_and_the_ranking(november, tmp_path):
    pdf = OUTPUT / "bulletin.pdf"  # kept, so a person can look at the pages
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(to_pdf(_published(november)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "督查通报〔2026〕1号" in text
    assert "按时办结率" in text and "经发局" in text and "形成专门请示报省财政厅" in text


def test_the_excel_tables_carry_every_row(november):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(_published(november))))
    assert book.sheetnames[:2] == ["各单位落实情况排名", "逾期未办结任务"]
    ranking = book["各单位落实情况排名"]
    assert ranking["B4"].value == "经发局" and ranking["A3"].value == "排名"


def test_the_excel_cells_are_numbers_percents_and_dates_and_each_sheet_prints_one_page_wide(november):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(_published(november))))
    ranking = book["各单位落实情况排名"]
    header = [c.value for c in ranking[3]]
    first = {name: cell for name, cell in zip(header, ranking[4], strict=True)}
    assert first["排名"].value == 1 and first["得分"].data_type == "n" and first["得分"].value > 0
    assert first["按时办结率"].value == 1.0 and first["按时办结率"].number_format == "0.0%"
    overdue = book["逾期未办结任务"]
    row = {name: cell for name, cell in zip([c.value for c in overdue[3]], overdue[4], strict=True)}
    assert row["完成时限"].value.date() == dt.date(2026, 11, 10) and row["逾期天数"].value == 17
    assert row["任务"].value == "形成专门请示报省财政厅"
    for sheet in book.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0


def test_the_command_writes_the_bulletin_in_each_format(november, tmp_path):
    out = io.StringIO()
    for fmt in ("docx", "xlsx"):
        target = tmp_path / f"b.{fmt}"
        call_command("bulletin", "--period", "2026-11", "--format", fmt, "--output", str(target), stdout=out)
        assert target.stat().st_size > 1000
    call_command(
        "bulletin",
        "--period",
        "2026-11",
        "--format",
        "docx",
        "--publish",
        "--output",
        str(tmp_path / "p.docx"),
        stdout=out,
    )
    assert "督查通报〔2026〕1号" in out.getvalue()
