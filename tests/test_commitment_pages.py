"""The annual commitment pages: my unit's lists (every unit's for the office), generating, acknowledging
with a timestamp, printing and the .xlsx download — and who is turned away from each."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.commitments.actions import generate_commitment
from luoshi.commitments.models import Commitment
from luoshi.core import clock
from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


#: The project's pages plus these, until the project's urls.py includes them itself.


@pytest.fixture
def lists(cast):
    """财政局's and 经发局's 2027 lists, drawn up by the office."""
    return (
        generate_commitment(cast.supervisor, cast.caizheng, 2027),
        generate_commitment(cast.supervisor, cast.jingfa, 2027),
    )


def test_a_unit_manager_sees_only_their_units_list_and_the_office_sees_every_units(cast, lists):
    page = client_for(cast.caizheng_manager).get(reverse("commitment_list"))
    assert page.status_code == 200
    assert "2027 年度工作承诺" in page.text and "财政局" in page.text and "经发局" not in page.text
    office = client_for(cast.supervisor).get(reverse("commitment_list"), {"year": 2027}).text
    assert "财政局" in office and "经发局" in office and "全部单位" in office
    assert "该年度还没有工作承诺" in client_for(cast.outsider).get(reverse("commitment_list")).text


def test_a_manager_generates_their_units_list_from_its_open_tasks(cast):
    response = client_for(cast.caizheng_manager).post(
        reverse("commitment_generate"), {"unit": cast.caizheng.pk, "year": 2027}
    )
    commitment = Commitment.objects.get(unit=cast.caizheng, year=2027)
    assert response.status_code == 302 and response["Location"] == reverse(
        "commitment_detail", args=[commitment.pk]
    )
    page = client_for(cast.caizheng_manager).get(response["Location"]).text
    assert "争取集装箱运输支持政策" in page and "形成专门请示报省财政厅" in page and "牵头" in page
    assert "确认工作承诺" in page and "按当前任务重新生成" in page


def test_the_office_generates_every_units_list_at_once(cast):
    response = client_for(cast.supervisor).post(
        reverse("commitment_generate"), {"unit": "", "year": 2027}, follow=True
    )
    assert (
        "已生成 2 个单位的工作承诺" in response.text
    )  # 党政办 leads only the area, which is not a commitment
    assert set(Commitment.objects.values_list("unit__name", flat=True)) == {"财政局", "经发局"}


def test_the_unit_head_acknowledges_with_a_timestamp_and_the_list_is_then_frozen(cast, lists):
    caizheng, _jingfa = lists
    manager = client_for(cast.caizheng_manager)
    response = manager.post(reverse("commitment_acknowledge", args=[caizheng.pk]), follow=True)
    caizheng.refresh_from_db()
    assert caizheng.acknowledged_by == cast.caizheng_manager and caizheng.acknowledged_at == clock.now()
    assert "已确认：财政局张局长，2026-11-27 10:00" in response.text
    assert "确认工作承诺" not in response.text and "按当前任务重新生成" not in response.text

    again = manager.post(
        reverse("commitment_generate"), {"unit": cast.caizheng.pk, "year": 2027}, follow=True
    )
    assert "工作承诺已经确认，不能重新生成。" in again.text
    twice = manager.post(reverse("commitment_acknowledge", args=[caizheng.pk]), follow=True)
    assert "工作承诺已经确认过了。" in twice.text


def test_the_print_view_lists_the_items_with_a_signature_line(cast, lists):
    caizheng, _jingfa = lists
    page = client_for(cast.caizheng_staff).get(reverse("commitment_print", args=[caizheng.pk]))
    assert page.status_code == 200
    assert "财政局2027年度工作承诺" in page.text and "形成专门请示报省财政厅" in page.text
    assert "单位负责人（签字）" in page.text and "@media print" in page.text


def test_the_xlsx_download_carries_every_item(cast, lists):
    caizheng, _jingfa = lists
    response = client_for(cast.caizheng_staff).get(reverse("commitment_download", args=[caizheng.pk]))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "财政局2027年度工作承诺" and sheet["A3"].value == "序号"
    titles = {sheet.cell(row=r, column=4).value for r in range(4, sheet.max_row + 1)}
    assert {"争取集装箱运输支持政策", "形成专门请示报省财政厅"} <= titles


def test_staff_leaders_and_viewers_cannot_generate_and_a_manager_not_for_another_unit(cast):
    for person in (cast.caizheng_staff, cast.leader, cast.viewer):
        client = client_for(person)
        assert "生成工作承诺" not in client.get(reverse("commitment_list")).text
        assert (
            client.post(reverse("commitment_generate"), {"unit": cast.caizheng.pk, "year": 2027}).status_code
            == 403
        )
    response = client_for(cast.jingfa_manager).post(
        reverse("commitment_generate"), {"unit": cast.caizheng.pk, "year": 2027}, follow=True
    )
    assert "选择一个有效的选项" in response.text or "Select a valid choice" in response.text
    assert not Commitment.objects.exists()


def test_only_the_units_head_or_manager_acknowledges(cast, lists):
    caizheng, _jingfa = lists
    for person in (cast.supervisor, cast.caizheng_staff, cast.leader):
        assert (
            client_for(person).post(reverse("commitment_acknowledge", args=[caizheng.pk])).status_code == 403
        )
    assert (
        "确认工作承诺"
        not in client_for(cast.supervisor).get(reverse("commitment_detail", args=[caizheng.pk])).text
    )
    caizheng.refresh_from_db()
    assert not caizheng.is_acknowledged


def test_another_units_list_is_not_there_for_an_outsider(cast, lists):
    caizheng, _jingfa = lists
    outsider = client_for(cast.outsider)
    for name in ("commitment_detail", "commitment_print", "commitment_download"):
        assert outsider.get(reverse(name, args=[caizheng.pk])).status_code == 404
    assert outsider.post(reverse("commitment_acknowledge", args=[caizheng.pk])).status_code == 404
    assert (
        client_for(cast.jingfa_staff).get(reverse("commitment_detail", args=[caizheng.pk])).status_code == 404
    )
    assert client_for(cast.caizheng_staff).get(reverse("commitment_detail", args=[999999])).status_code == 404


def test_strangers_are_sent_to_log_in_and_the_wrong_method_is_refused(cast, lists):
    caizheng, _jingfa = lists
    stranger = Client()
    for url in (
        reverse("commitment_list"),
        reverse("commitment_detail", args=[caizheng.pk]),
        reverse("commitment_print", args=[caizheng.pk]),
        reverse("commitment_download", args=[caizheng.pk]),
    ):
        assert stranger.get(url).status_code == 302
    for url in (reverse("commitment_generate"), reverse("commitment_acknowledge", args=[caizheng.pk])):
        assert stranger.post(url).status_code == 302
        assert client_for(cast.caizheng_manager).get(url).status_code == 405
