"""Annual commitments (工作承诺): each unit's list for next year from its open and planned tasks, signed by
its head, frozen once signed, exported as a printable .xlsx."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from openpyxl import load_workbook

from luoshi.commitments.actions import (
    acknowledge_commitment,
    commitment_xlsx,
    generate_commitment,
    generate_commitments,
)
from luoshi.commitments.models import Commitment, CommitmentRole
from luoshi.core import clock
from luoshi.core.access import get_for
from luoshi.orgs.models import Role
from luoshi.plans.models import Task, TaskStatus
from tests.cast import make_person, make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


@pytest.fixture
def caizheng_head(cast):
    """财政局's head: a reader in the system, but the one who signs the unit's commitment."""
    head = make_person("caizheng_head", Role.VIEWER, cast.caizheng, "财政局王局长")
    cast.caizheng.head = head
    cast.caizheng.save()
    return head


def items(commitment: Commitment) -> list[tuple[str, str]]:
    return [(item.title, item.role) for item in commitment.items.all()]


def test_a_units_commitment_lists_its_open_and_planned_tasks_that_run_into_next_year(cast):
    make_task(
        cast.plan,
        "已办结的任务",
        cast.caizheng,
        cast.key,
        status=TaskStatus.CLOSED,
        deadline=dt.date(2027, 5, 1),
    )
    make_task(cast.plan, "今年就到期的任务", cast.caizheng, cast.key, deadline=dt.date(2026, 12, 31))
    make_task(
        cast.plan,
        "明年开工的项目",
        cast.caizheng,
        cast.key,
        status=TaskStatus.DRAFT,
        start=dt.date(2027, 3, 1),
        deadline=dt.date(2027, 5, 31),
    )

    commitment = generate_commitment(cast.caizheng_manager, cast.caizheng)
    assert commitment.year == 2027  # the cast lives in November 2026
    assert items(commitment) == [
        ("形成专门请示报省财政厅", CommitmentRole.LEAD),
        ("明年开工的项目", CommitmentRole.LEAD),
        ("争取集装箱运输支持政策", CommitmentRole.LEAD),
    ]
    jingfa = generate_commitment(cast.supervisor, cast.jingfa)
    assert items(jingfa) == [
        ("争取集装箱运输支持政策", CommitmentRole.SUPPORT),
        ("拿出绿色化工承接方案", CommitmentRole.LEAD),
    ]


def test_only_the_unit_head_or_its_own_manager_acknowledges_and_the_moment_is_kept(cast, caizheng_head):
    commitment = generate_commitment(cast.supervisor, cast.caizheng)
    for someone in (cast.caizheng_staff, cast.jingfa_manager, cast.leader, cast.supervisor, cast.outsider):
        with pytest.raises(PermissionDenied):
            acknowledge_commitment(someone, commitment)
    signed = acknowledge_commitment(caizheng_head, commitment)
    assert (signed.acknowledged_by, signed.acknowledged_at) == (caizheng_head, clock.now())
    with pytest.raises(ValidationError):
        acknowledge_commitment(cast.caizheng_manager, commitment)


def test_a_manager_of_the_unit_may_acknowledge_when_it_has_no_head(cast):
    commitment = generate_commitment(cast.caizheng_manager, cast.caizheng)
    assert acknowledge_commitment(cast.caizheng_manager, commitment).is_acknowledged


def test_a_signed_commitment_is_frozen_against_regeneration_and_later_task_edits(cast, caizheng_head):
    commitment = generate_commitment(cast.caizheng_manager, cast.caizheng)
    acknowledge_commitment(caizheng_head, commitment)
    Task.objects.filter(pk=cast.measure.pk).update(title="改过的标题", deadline=dt.date(2027, 12, 31))
    with pytest.raises(ValidationError):
        generate_commitment(cast.supervisor, cast.caizheng)
    assert ("形成专门请示报省财政厅", CommitmentRole.LEAD) in items(commitment)


def test_a_draft_commitment_can_be_generated_again_and_picks_up_changes(cast):
    commitment = generate_commitment(cast.caizheng_manager, cast.caizheng)
    Task.objects.filter(pk=cast.measure.pk).update(status=TaskStatus.CLOSED)
    again = generate_commitment(cast.caizheng_manager, cast.caizheng)
    assert again.pk == commitment.pk
    assert items(again) == [("争取集装箱运输支持政策", CommitmentRole.LEAD)]


def test_the_office_generates_every_unsigned_list_and_units_only_their_own(cast):
    for someone in (cast.caizheng_staff, cast.leader, cast.viewer):
        with pytest.raises(PermissionDenied):
            generate_commitment(someone, cast.caizheng)
    with pytest.raises(PermissionDenied):
        generate_commitment(cast.caizheng_manager, cast.jingfa)
    with pytest.raises(PermissionDenied):
        generate_commitments(cast.caizheng_manager)
    made = generate_commitments(cast.supervisor, 2027)
    assert sorted(c.unit.name for c in made) == ["经发局", "财政局"]
    acknowledge_commitment(cast.caizheng_manager, Commitment.objects.get(unit=cast.caizheng))
    assert [c.unit.name for c in generate_commitments(cast.supervisor, 2027)] == [
        "经发局"
    ]  # signed lists stay


def test_the_commitment_exports_to_a_printable_xlsx_with_the_signature(cast, caizheng_head):
    commitment = generate_commitment(cast.caizheng_manager, cast.caizheng)
    sheet = load_workbook(BytesIO(commitment_xlsx(commitment))).active
    assert sheet["A1"].value == "财政局2027年度工作承诺"
    assert [c.value for c in sheet[3]] == [
        "序号",
        "实施方案",
        "任务序号",
        "任务名称",
        "承担方式",
        "责任人",
        "开始日期",
        "完成时限",
    ]
    first = [c.value for c in sheet[4]]
    assert first[0] == 1 and first[3] == "形成专门请示报省财政厅" and first[4] == "牵头"
    assert first[7].date() == dt.date(2027, 3, 31)
    assert sheet.cell(sheet.max_row, 1).value.startswith("单位负责人（签字）")
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"

    acknowledge_commitment(caizheng_head, commitment)
    signed = load_workbook(BytesIO(commitment_xlsx(Commitment.objects.get(pk=commitment.pk)))).active
    assert signed.cell(signed.max_row, 1).value == "单位负责人已确认：财政局王局长，2026-11-27 10:00"


def test_a_commitment_is_seen_by_its_unit_its_leader_and_the_office_only(cast):
    commitment = generate_commitment(cast.caizheng_manager, cast.caizheng)
    for someone in (cast.caizheng_staff, cast.leader, cast.supervisor, cast.viewer):
        assert get_for(Commitment, someone, commitment.pk) == commitment
    for someone in (cast.jingfa_manager, cast.outsider):
        with pytest.raises(Http404):
            get_for(Commitment, someone, commitment.pk)
