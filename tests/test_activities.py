"""Campaign activities (学习研讨、宣传推介、对接跑办): recorded by their unit with attachments, counted by unit
and kind for a period."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.activities.actions import activities_in, activity_counts, record_activity
from luoshi.activities.models import Activity, ActivityKind


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


d = dt.date
MID_NOVEMBER = d(2026, 11, 10)


def record(actor, unit, kind=ActivityKind.STUDY, held_on=MID_NOVEMBER, **kwargs) -> Activity:
    fields = {
        "title": "专题学习《实施方案》",
        "outcome": "统一了思想",
        "participants": "全体干部",
        "participant_count": 25,
    }
    return record_activity(actor, unit=unit, kind=kind, held_on=held_on, **{**fields, **kwargs})


def test_a_unit_records_a_liaison_visit_with_its_outcome_and_attachments(cast):
    sheet = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in", content_type="application/pdf")
    visit = record(
        cast.caizheng_staff,
        cast.caizheng,
        ActivityKind.LIAISON_VISIT,
        title="赴省财政厅汇报集装箱支持政策",
        counterpart="省财政厅",
        outcome="省财政厅同意研究专项支持",
        task=cast.key,
        files=[sheet],
    )
    assert (visit.unit, visit.kind, visit.counterpart, visit.recorded_by) == (
        cast.caizheng,
        ActivityKind.LIAISON_VISIT,
        "省财政厅",
        cast.caizheng_staff,
    )
    attachment = visit.attachments.get()
    assert attachment.original_name == "签到表.pdf" and attachment.file.read() == b"%PDF-1.4 sign-in"


def test_a_liaison_visit_must_name_its_counterpart(cast):
    with pytest.raises(ValidationError):
        record(cast.caizheng_staff, cast.caizheng, ActivityKind.LIAISON_VISIT)


def test_an_activity_cannot_be_dated_in_the_future(cast):
    with pytest.raises(ValidationError):
        record(cast.caizheng_staff, cast.caizheng, held_on=d(2026, 12, 1))


def test_only_the_unit_its_parents_people_and_the_office_record_its_activities(cast):
    for someone in (cast.outsider, cast.caizheng_manager, cast.leader, cast.viewer):
        with pytest.raises(PermissionDenied):
            record(someone, cast.jingfa)
    record(cast.jingfa_manager, cast.jingfa_section)  # a section below the manager's bureau
    record(cast.supervisor, cast.xuanchuan, ActivityKind.PROMOTION)
    assert Activity.objects.count() == 2


def test_an_activity_cannot_be_tied_to_a_task_the_recorder_cannot_see(cast):
    with pytest.raises(PermissionDenied):
        record(cast.outsider, cast.xuanchuan, task=cast.measure)


def test_activities_are_counted_by_unit_and_kind_for_a_period(cast):
    record(cast.caizheng_staff, cast.caizheng, held_on=d(2026, 10, 31))  # before the period
    record(cast.caizheng_staff, cast.caizheng)
    record(cast.caizheng_staff, cast.caizheng, held_on=d(2026, 11, 20))
    record(cast.caizheng_manager, cast.caizheng, ActivityKind.LIAISON_VISIT, counterpart="省发改委")
    record(
        cast.jingfa_staff, cast.jingfa, ActivityKind.PROMOTION, held_on=d(2026, 11, 25)
    )  # after the period
    record(cast.jingfa_staff, cast.jingfa, ActivityKind.PROMOTION)

    november = (d(2026, 11, 1), d(2026, 11, 24))
    assert activity_counts(*november) == {
        cast.caizheng.pk: {ActivityKind.STUDY: 2, ActivityKind.LIAISON_VISIT: 1},
        cast.jingfa.pk: {ActivityKind.PROMOTION: 1},
    }
    assert activity_counts(*november, unit_ids=[cast.jingfa.pk]) == {
        cast.jingfa.pk: {ActivityKind.PROMOTION: 1}
    }
    visits = activities_in(*november, kind=ActivityKind.LIAISON_VISIT)
    assert [a.counterpart for a in visits] == ["省发改委"]


def test_activities_are_seen_by_their_unit_its_leader_and_the_office(cast):
    study = record(cast.caizheng_staff, cast.caizheng)
    for someone in (cast.caizheng_staff, cast.leader, cast.supervisor, cast.viewer):
        assert list(Activity.objects.visible_to(someone)) == [study]
    for someone in (cast.jingfa_staff, cast.outsider):
        assert not Activity.objects.visible_to(someone).exists()
