"""The Excel 任务分解表 upload page: a preview with every error in its cell, all rows or valid rows only,
the same placement choice as a text, nothing half-saved; an .xlsx dropped on the text page finds its way."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from luoshi.documents.actions import undo_import
from luoshi.documents.models import ImportDraft, ImportKind
from luoshi.orgs.models import Person, Role
from luoshi.plans.models import Plan, Task
from tests.test_excel_import import HEAD, xlsx

BAD = [
    HEAD,
    ["1", "港口物流", "", "财政局", "", "", "2026年12月"],
    ["", "", "编制物流园区规划", "财正局", "", "", "2026年12月"],
    ["", "", "争取专项资金", "经发局", "", "", "下个月吧"],
]


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def upload(client: Client, rows: list[list], name: str = "分解表.xlsx", url: str = "excel_upload"):
    return client.post(reverse(url), {"file": SimpleUploadedFile(name, xlsx(rows))})


def new_plan_data(title: str = "港口物流分解表", **extra) -> dict:
    return {
        "placement": "new_plan",
        "new_title": title,
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "valid_rows_only": "all",
        **extra,
    }


def test_a_bad_file_shows_each_error_in_its_cell_and_saves_nothing(cast):
    client = signed_in(cast.supervisor)
    tasks, plans = Task.objects.count(), Plan.objects.count()
    response = upload(client, BAD)
    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and draft.kind == ImportKind.EXCEL
    page = client.get(response.url).content.decode()  # checked at once, as a new plan
    assert "发现 2 处错误" in page
    assert '<td class="bad">财正局<span class="why">找不到单位“财正局”' in page
    assert '<td class="bad">下个月吧<span class="why">' in page
    data = new_plan_data(owner_unit=cast.supervision.pk, action="import")
    page = client.post(response.url, data).content.decode()
    assert "发现 2 处错误" in page and "未导入任何任务" not in page
    assert Task.objects.count() == tasks and Plan.objects.count() == plans
    assert ImportDraft.objects.get().accepted_at is None


def test_valid_rows_only_imports_the_rest_under_a_chosen_task(cast):
    client = signed_in(cast.supervisor)
    url = upload(client, BAD).url
    data = {"placement": "under_task", "parent": cast.area.pk, "valid_rows_only": "valid", "action": "import"}
    response = client.post(url, data)
    assert response.status_code == 302
    [logistics] = cast.area.children.filter(title="港口物流")
    assert [t.title for t in logistics.children.all()] == []  # both its rows had errors
    assert "撤销这次导入" in client.get(url).content.decode()


def test_a_good_file_becomes_a_new_plan_and_the_import_can_be_undone(cast):
    client = signed_in(cast.supervisor)
    url = upload(client, [HEAD, ["1", "港口物流", "", "财政局", "", "", "2027年6月"]]).url
    page = client.get(url).content.decode()
    assert (
        "共 1 项任务可以导入" in page and 'value="2027-12-31"' in page
    )  # the period reaches the last deadline
    assert client.post(url, new_plan_data(owner_unit=cast.supervision.pk, action="import")).status_code == 302
    plan = Plan.objects.get(title="港口物流分解表")
    assert list(plan.tasks.values_list("title", flat=True)) == ["港口物流"]
    undo_import(cast.supervisor, ImportDraft.objects.get())
    assert not Plan.objects.filter(title="港口物流分解表").exists()


def test_unit_staff_cannot_make_a_plan_from_a_table(cast):
    client = signed_in(cast.caizheng_staff)
    assert upload(client, [HEAD, ["1", "港口物流", "", "财政局", "", "", "2027年6月"]]).status_code == 403
    assert (
        not ImportDraft.objects.exists()
    )  # staff may not import: the upload is refused before anything is read


def test_a_manager_cannot_make_a_plan_from_a_table(cast):
    client = signed_in(cast.caizheng_manager)
    url = upload(client, [HEAD, ["1", "港口物流", "", "财政局", "", "", "2027年6月"]]).url
    page = client.post(url, new_plan_data(owner_unit=cast.caizheng.pk, action="import")).content.decode()
    assert "您无权在这里导入任务" in page and not Plan.objects.filter(title="港口物流分解表").exists()


def test_an_xlsx_dropped_on_the_text_page_goes_to_the_excel_path(cast):
    client = signed_in(cast.supervisor)
    response = upload(client, BAD, url="import_upload")
    draft = ImportDraft.objects.get()
    assert draft.kind == ImportKind.EXCEL and response.url == reverse("import_review", args=[draft.pk])
    assert "已转到任务分解表导入" in client.get(response.url).content.decode()


def test_a_workbook_that_is_no_task_table_says_so_once_on_the_text_page(cast):
    book = Workbook()
    book.active.append(["姓名", "电话"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = signed_in(cast.supervisor).post(
        reverse("import_upload"), {"file": SimpleUploadedFile("通讯录.xlsx", buffer.getvalue())}
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.count("按任务分解表读取未成功") == 1
    assert "不是有效" not in page and "not a valid" not in page
    assert not ImportDraft.objects.exists()


def test_the_excel_page_refuses_a_file_that_is_no_workbook(cast):
    response = signed_in(cast.supervisor).post(
        reverse("excel_upload"), {"file": SimpleUploadedFile("方案.xlsx", "不是表格".encode())}
    )
    assert response.status_code == 200 and "msg error" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_the_command_imports_a_table_as_a_new_plan(cast, tmp_path, capsys):
    path = tmp_path / "港口物流.xlsx"
    path.write_bytes(xlsx([HEAD, ["1", "港口物流", "", "财政局", "", "", "2027年6月"]]))
    call_command("import_excel", str(path), "--new-plan", "港口物流专项方案", "--as", "supervisor")
    plan = Plan.objects.get(title="港口物流专项方案")
    assert (plan.period_start.year, plan.period_end.year) == (2026, 2027)
    assert list(plan.tasks.values_list("title", flat=True)) == ["港口物流"]
    assert "已导入 1 项任务" in capsys.readouterr().out
    with pytest.raises(Exception, match="错误"):
        call_command(
            "import_excel", str(path), "--new-plan", "第二个", "--years", "2026", "--as", "supervisor"
        )
    assert not Plan.objects.filter(title="第二个").exists()  # a refused import leaves no empty plan


def test_the_command_says_a_new_plan_needs_a_unit_while_there_is_none(db, tmp_path):
    Person.objects.create_user("office", role=Role.SUPERVISOR)
    path = tmp_path / "港口物流.xlsx"
    path.write_bytes(xlsx([HEAD, ["1", "港口物流", "", "", "", "", "2027年6月"]]))
    with pytest.raises(CommandError, match="还没有任何单位"):
        call_command("import_excel", str(path), "--new-plan", "港口物流专项方案", "--as", "office")
    assert not Plan.objects.exists()
