"""The activity pages: the list with its filters, the record form with attachments, an attachment's
download — and who is turned away from each."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.activities.actions import record_activity
from luoshi.activities.models import Activity, ActivityAttachment, ActivityKind
from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


#: The project's pages plus these, until the project's urls.py includes them itself.


def upload(name: str, data: bytes = b"%PDF-1.4 sign-in sheet") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def held(cast):
    """A study session at 财政局 in October, a visit by 经发局 in November with its sign-in sheet."""
    study = record_activity(
        cast.caizheng_staff,
        unit=cast.caizheng,
        kind=ActivityKind.STUDY,
        held_on=dt.date(2026, 10, 15),
        title="学习实施方案专题会",
        outcome="统一了认识",
        participant_count=12,
    )
    visit = record_activity(
        cast.jingfa_manager,
        unit=cast.jingfa,
        kind=ActivityKind.LIAISON_VISIT,
        held_on=dt.date(2026, 11, 20),
        title="赴省发改委对接",
        outcome="争取到专项资金",
        counterpart="省发改委",
        files=[upload("签到表.pdf")],
    )
    return study, visit


def test_the_office_sees_every_units_activities_and_filters_them_by_unit_kind_and_date(cast, held):
    office = client_for(cast.supervisor)
    page = office.get(reverse("activity_list")).text
    assert "学习实施方案专题会" in page and "赴省发改委对接" in page and "对接：省发改委" in page
    by_unit = office.get(reverse("activity_list"), {"unit": cast.jingfa.pk}).text
    assert "赴省发改委对接" in by_unit and "学习实施方案专题会" not in by_unit
    by_kind = office.get(reverse("activity_list"), {"kind": ActivityKind.STUDY}).text
    assert "学习实施方案专题会" in by_kind and "赴省发改委对接" not in by_kind
    november = office.get(reverse("activity_list"), {"since": "2026-11-01", "until": "2026-11-30"}).text
    assert "赴省发改委对接" in november and "学习实施方案专题会" not in november
    by_parent = office.get(
        reverse("activity_list"), {"unit": cast.committee.pk}
    ).text  # units below count too
    assert "赴省发改委对接" in by_parent and "学习实施方案专题会" in by_parent


def test_a_unit_sees_only_its_own_activities(cast, held):
    page = client_for(cast.caizheng_staff).get(reverse("activity_list")).text
    assert "学习实施方案专题会" in page and "赴省发改委对接" not in page
    assert "没有符合条件的活动" in client_for(cast.outsider).get(reverse("activity_list")).text


def test_staff_record_an_activity_with_attachments_and_can_download_them(cast):
    staff = client_for(cast.caizheng_staff)
    form = staff.get(reverse("activity_new"))
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    response = staff.post(
        reverse("activity_new"),
        {
            "unit": cast.caizheng.pk,
            "kind": ActivityKind.PROMOTION,
            "held_on": "2026-11-26",
            "title": "政策宣讲进园区",
            "participants": "财政局刘科员等",
            "participant_count": 30,
            "counterpart": "",
            "outcome": "发放资料200份",
            "task": cast.key.pk,
            "files": [upload("照片.pdf"), upload("纪要.pdf", b"%PDF-1.4 minutes")],
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("activity_list")
    activity = Activity.objects.get()
    assert (activity.unit, activity.recorded_by, activity.task) == (
        cast.caizheng,
        cast.caizheng_staff,
        cast.key,
    )
    names = sorted(activity.attachments.values_list("original_name", flat=True))
    assert names == ["照片.pdf", "纪要.pdf"]
    page = staff.get(reverse("activity_list")).text
    assert "政策宣讲进园区" in page and "纪要.pdf" in page
    minutes = activity.attachments.get(original_name="纪要.pdf")
    download = staff.get(reverse("activity_attachment", args=[minutes.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    # A file gone from storage (a restore without its media, a disk cleaned by hand) is a 404, not a 500,
    # on the page and over the API alike.
    api = f"/api/activities/attachments/{minutes.pk}"
    assert staff.get(api).status_code == 200
    minutes.file.storage.delete(minutes.file.name)
    assert staff.get(reverse("activity_attachment", args=[minutes.pk])).status_code == 404
    assert staff.get(api).status_code == 404


def test_a_visit_without_its_counterpart_or_a_future_date_is_refused_with_the_reason(cast):
    manager = client_for(cast.jingfa_manager)
    base = {"unit": cast.jingfa.pk, "title": "对接", "participant_count": 2, "outcome": "已对接"}
    no_counterpart = manager.post(
        reverse("activity_new"),
        {**base, "kind": ActivityKind.LIAISON_VISIT, "held_on": "2026-11-20", "counterpart": ""},
    )
    assert no_counterpart.status_code == 200 and "对接跑办要写明对接单位。" in no_counterpart.text
    future = manager.post(
        reverse("activity_new"), {**base, "kind": ActivityKind.STUDY, "held_on": "2026-12-20"}
    )
    assert future.status_code == 200 and "活动日期不能晚于今天。" in future.text
    assert not Activity.objects.exists()


def test_leaders_and_viewers_cannot_record_and_staff_not_for_another_unit(cast):
    for person in (cast.leader, cast.viewer):
        client = client_for(person)
        assert "记录活动" not in client.get(reverse("activity_list")).text
        assert client.get(reverse("activity_new")).status_code == 403
        assert client.post(reverse("activity_new"), {}).status_code == 403
    response = client_for(cast.caizheng_staff).post(
        reverse("activity_new"),
        {
            "unit": cast.jingfa.pk,
            "kind": ActivityKind.STUDY,
            "held_on": "2026-11-20",
            "title": "冒名记录",
            "participant_count": 1,
            "outcome": "无",
        },
    )
    assert response.status_code == 200 and not Activity.objects.exists()
    assert 'name="unit"' in response.text and f'value="{cast.jingfa.pk}"' not in response.text


def test_another_units_attachment_is_not_there_for_an_outsider_and_strangers_are_sent_to_log_in(cast, held):
    _study, visit = held
    attachment = ActivityAttachment.objects.get(activity=visit)
    assert (
        client_for(cast.caizheng_staff).get(reverse("activity_attachment", args=[attachment.pk])).status_code
        == 404
    )
    assert client_for(cast.outsider).get(reverse("activity_attachment", args=[999999])).status_code == 404
    assert (
        client_for(cast.leader).get(reverse("activity_attachment", args=[attachment.pk])).status_code == 404
    )
    assert (
        client_for(cast.viewer).get(reverse("activity_attachment", args=[attachment.pk])).status_code == 200
    )
    stranger = Client()
    for url in (
        reverse("activity_list"),
        reverse("activity_new"),
        reverse("activity_attachment", args=[attachment.pk]),
    ):
        assert stranger.get(url).status_code == 302
