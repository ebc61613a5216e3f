"""Writes that never fail for a reason the person cannot see: busy databases, racing first reports, long
reviews, impossible dates, and inputs that used to end in an error page."""

import io
import sqlite3
import sys
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from luoshi.core.models import ApiToken
from luoshi.documents.excel.dates import DeadlineError, parse_deadline
from luoshi.documents.models import ImportDraft
from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.actions import report_progress
from luoshi.progress.models import ProgressReport
from tests.cast import make_task

# --- a busy database --------------------------------------------------------------------------------


def test_a_busy_database_answers_503_with_a_retry_hint_as_json_on_the_api(cast, monkeypatch):
    import luoshi.progress.api as progress_api

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")  # what SQLite says when the busy timeout runs out

    monkeypatch.setattr(progress_api, "report_progress", locked)
    token = ApiToken.issue(cast.caizheng_staff, "t")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)
    response = client.post(f"/api/tasks/{cast.measure.pk}/reports", {"percent": 40, "narrative": "已起草"})
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json()["retry_after"] == 10 and "稍后重试" in response.json()["detail"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
def test_a_page_write_while_another_writer_holds_the_lock_gets_503_not_500(cast, settings, transactional_db):
    client = Client(raise_request_exception=False)
    client.force_login(cast.caizheng_staff)
    holder = sqlite3.connect(connection.settings_dict["NAME"], uri=True, timeout=0.1)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE orgs_unit SET name = name WHERE id = ?", (cast.caizheng.pk,))
    try:
        response = client.post(
            reverse("task_report", args=[cast.measure.pk]), {"percent": 40, "narrative": "已起草请示"}
        )
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503 and "请稍后再试" in response.content.decode()


# --- two first reports at once ----------------------------------------------------------------------


def test_two_first_reports_on_an_acknowledged_task_both_land(cast):
    Task.objects.filter(pk=cast.measure.pk).update(status=TaskStatus.ACKNOWLEDGED)
    first, second = (
        Task.objects.get(pk=cast.measure.pk),
        Task.objects.get(pk=cast.measure.pk),
    )  # both read 签收
    report_progress(cast.caizheng_staff, first, percent=10, narrative="已开始起草")
    report_progress(cast.caizheng_manager, second, percent=15, narrative="已安排专人")
    assert ProgressReport.objects.filter(task=cast.measure).count() == 2
    task = Task.objects.get(pk=cast.measure.pk)
    assert (
        task.status == TaskStatus.IN_PROGRESS
        and task.transitions.filter(to_status=TaskStatus.IN_PROGRESS).count() == 1
    )


# --- the review of a long plan ----------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields a browser would post from the review form: inputs, checked boxes, textareas, selects."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if (
            tag == "input"
            and a.get("name")
            and (a.get("type") not in ("checkbox", "radio") or "checked" in a)
        ):
            self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))

    def handle_data(self, data) -> None:
        if self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def test_the_review_of_a_long_plan_posts_thousands_of_fields_and_is_accepted(cast, transactional_db):
    items = "\n".join(f"{i}. 财政局要抓好第{i}项重点工作，经发局配合，年底前完成。" for i in range(1, 501))
    text = f"关于推进港口发展的实施方案\n一、重点任务\n{items}\n"
    client = Client()
    client.force_login(cast.supervisor)
    client.post(reverse("import_upload"), {"text": text})
    draft = ImportDraft.objects.get()
    parser = FormFields()
    parser.feed(client.get(reverse("import_review", args=[draft.pk])).content.decode())
    assert len(parser.fields) > 1000  # Django's default limit
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:  # as the browser posts the page, where the page says it goes
        data.setdefault(name, []).append(value)
    before = Task.objects.count()
    response = client.post(reverse("import_review", args=[draft.pk]), data)
    assert response.status_code == 302  # queued for the worker: a long import
    call_command("worker", "--batch", "--interval", "0", "--scan-every", "0", stdout=io.StringIO())
    assert Task.objects.count() - before >= 500


# --- impossible dates in a 任务分解表 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026年99月", "没有 99 月"),
        ("2026年13月底", "没有 13 月"),
        ("9999年12月", "年份 9999"),
        ("3000年1月1日", "年份 3000"),
    ],
)
def test_impossible_dates_are_refused_with_a_message(text, says):
    with pytest.raises(DeadlineError, match=says):
        parse_deadline(text)


# --- what used to be an error page --------------------------------------------------------------------


def test_a_gantt_root_of_a_superscript_digit_is_not_found_not_an_error(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.supervisor)
    response = client.get(reverse("gantt"), {"plan": cast.plan.pk, "root": "²"})
    assert response.status_code in (200, 404)


def test_a_task_tree_a_thousand_levels_deep_exports_to_excel(cast, tmp_path):
    limit = sys.getrecursionlimit()
    parent = cast.jingfa_task
    for level in range(1000):  # built directly: the API now refuses trees this deep, old data may have them
        parent = make_task(cast.plan, f"第{level}层", cast.jingfa, parent)
    output = tmp_path / "deep.xlsx"
    call_command("export_excel", plan=cast.plan.pk, output=str(output))
    assert output.stat().st_size > 0 and sys.getrecursionlimit() == limit


def test_extracting_an_xlsx_says_it_is_a_spreadsheet(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "任务分解表.xlsx"
    Workbook().save(path)
    with pytest.raises(CommandError, match="Excel 表格"):
        call_command("extract", str(path), stdout=io.StringIO())
