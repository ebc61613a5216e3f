"""Bulletin pages: the supervision office drafts, reviews and publishes; everyone reads what is published."""

import pytest
from django.urls import reverse

from luoshi.bulletins.models import Bulletin, BulletinStatus
from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def test_the_supervision_office_drafts_edits_reviews_publishes_and_downloads(cast):
    office = client_for(cast.supervisor)
    response = office.post(reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "2026-11"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    office.post(
        reverse("bulletin_detail", args=[bulletin.pk]),
        {
            "title": bulletin.title,
            "commendations": "经发局工作扎实。",
            "criticisms": "",
            "remarks": "抓紧推进。",
        },
    )
    office.post(reverse("bulletin_step", args=[bulletin.pk, "review"]))
    office.post(reverse("bulletin_step", args=[bulletin.pk, "publish"]))
    bulletin.refresh_from_db()
    assert (
        bulletin.status == BulletinStatus.PUBLISHED
        and bulletin.content["commendations"] == "经发局工作扎实。"
    )
    page = office.get(reverse("bulletin_detail", args=[bulletin.pk])).content.decode()
    assert "督查通报〔2026〕1号" in page and "经发局工作扎实。" in page and 'name="commendations"' not in page
    download = office.get(reverse("bulletin_download", args=[bulletin.pk, "docx"]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")


def test_a_bad_period_is_a_form_error(cast):
    response = client_for(cast.supervisor).post(
        reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "11月"}
    )
    assert response.status_code == 200 and "无法识别的通报周期" in response.content.decode()
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize("role", ["leader", "caizheng_manager", "caizheng_staff", "viewer", "outsider"])
def test_no_one_but_the_supervision_office_can_draft_or_publish(cast, role):
    person = getattr(cast, role)
    client = client_for(person)
    assert (
        client.post(reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "2026-11"}).status_code == 403
    )
    assert not Bulletin.objects.exists()
    client_for(cast.supervisor).post(reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "2026-11"})
    draft = Bulletin.objects.get()
    assert client.get(reverse("bulletin_detail", args=[draft.pk])).status_code == 404  # drafts stay inside
    assert client.post(reverse("bulletin_step", args=[draft.pk, "review"])).status_code == 404
    client_for(cast.supervisor).post(reverse("bulletin_step", args=[draft.pk, "review"]))
    client_for(cast.supervisor).post(reverse("bulletin_step", args=[draft.pk, "publish"]))
    assert client.get(reverse("bulletin_detail", args=[draft.pk])).status_code == 200
    assert client.post(reverse("bulletin_step", args=[draft.pk, "publish"])).status_code == 403
    assert client.post(reverse("bulletin_detail", args=[draft.pk]), {"title": "x"}).status_code == 403


def test_the_admin_shows_bulletins_and_deliveries_but_never_edits_them(cast):
    office = client_for(cast.supervisor)
    office.post(reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "2026-11"})
    bulletin = Bulletin.objects.get()
    assert office.get("/admin/bulletins/bulletin/").status_code == 200
    assert office.get("/admin/bulletins/bulletindelivery/").status_code == 200
    assert office.get("/admin/bulletins/bulletin/add/").status_code == 403
    assert office.post(f"/admin/bulletins/bulletin/{bulletin.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Bulletin.objects.filter(pk=bulletin.pk).exists()


def test_a_draft_shows_the_figures_it_was_drafted_with_until_the_office_refreshes_them(cast, frozen_today):
    from luoshi.progress.actions import report_progress

    office = client_for(cast.supervisor)
    office.post(reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "2026-11"})
    bulletin = Bulletin.objects.get()
    page = office.get(reverse("bulletin_detail", args=[bulletin.pk])).content.decode()
    assert "数据生成于 2026-11-27 10:00" in page
    progress = bulletin.content["overall"]["plan_progress"]

    report_progress(cast.caizheng_staff, cast.measure, percent=90, narrative="已报省财政厅")
    office.post(
        reverse("bulletin_detail", args=[bulletin.pk]),
        {"title": bulletin.title, "commendations": "经发局工作扎实。", "criticisms": "", "remarks": ""},
    )
    bulletin.refresh_from_db()
    assert bulletin.content["overall"]["plan_progress"] == progress  # an edit of the words keeps the figures
    summary = f"整体进度{progress:g}%"
    assert summary in office.get(reverse("bulletin_detail", args=[bulletin.pk])).content.decode()

    office.post(reverse("bulletin_step", args=[bulletin.pk, "refresh"]))
    bulletin.refresh_from_db()
    assert (
        bulletin.content["overall"]["plan_progress"] > progress
        and bulletin.commendations == "经发局工作扎实。"
    )
    page = office.get(reverse("bulletin_detail", args=[bulletin.pk])).content.decode()
    assert summary not in page and f"整体进度{bulletin.content['overall']['plan_progress']:g}%" in page
    assert (
        client_for(cast.caizheng_manager)
        .post(reverse("bulletin_step", args=[bulletin.pk, "refresh"]))
        .status_code
        == 404
    )


def test_the_page_lists_the_first_rows_of_a_long_list_and_says_the_excel_has_them_all(cast, monkeypatch):
    from io import BytesIO

    from openpyxl import load_workbook

    from luoshi.bulletins import views
    from luoshi.plans.models import Task

    Task.objects.filter(plan=cast.plan).exclude(kind="area").update(deadline="2026-11-10")
    monkeypatch.setattr(views, "PAGE_ROWS", 1)
    office = client_for(cast.supervisor)
    office.post(reverse("bulletin_list"), {"plan": cast.plan.pk, "period": "2026-11"})
    bulletin = Bulletin.objects.get()
    overdue = bulletin.content["overdue_tasks"]
    assert len(overdue) >= 2
    page = office.get(reverse("bulletin_detail", args=[bulletin.pk])).content.decode()
    assert overdue[0]["title"] in page and overdue[1]["title"] not in page
    assert f"另有{len(overdue) - 1}项未列出" in page
    book = load_workbook(
        BytesIO(office.get(reverse("bulletin_download", args=[bulletin.pk, "xlsx"])).content)
    )
    titles = {row[1] for row in book["逾期未办结任务"].iter_rows(min_row=4, values_only=True)}
    assert {t["title"] for t in overdue} <= titles
