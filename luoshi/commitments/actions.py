"""Annual commitments (工作承诺): generated from a unit's open tasks, acknowledged by its head, exported.

A commitment copies each task as it stood when the list was generated, so the signed list does not
change when tasks are edited later; until it is acknowledged it may be generated again.
"""

import datetime as dt
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins

from luoshi.commitments.models import Commitment, CommitmentItem, CommitmentRole
from luoshi.core import clock, sheets
from luoshi.core.access import Action, is_office, require
from luoshi.core.cells import plain_workbook
from luoshi.core.history import set_history_user
from luoshi.orgs.models import Person, Unit
from luoshi.plans.models import Task, TaskKind


def next_year() -> int:
    return clock.today().year + 1


def commitment_tasks(unit: Unit, year: int) -> list[tuple[Task, str]]:
    """The open tasks a unit leads or supports that run into the year, with its part in each."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    tasks = (
        Task.objects.open()
        .exclude(kind=TaskKind.AREA)
        .filter(start_date__lte=last, deadline__gte=first)
        .led_or_supported_by([unit.pk])
        .select_related("plan", "owner")
        .order_by("plan__period_start", "plan_id", "deadline", "code", "id")
    )
    return [
        (task, CommitmentRole.LEAD if task.lead_unit_id == unit.pk else CommitmentRole.SUPPORT)
        for task in tasks
    ]


def generate_commitment(actor: Person, unit: Unit, year: int | None = None) -> Commitment:
    """Draw up (or draw up again) a unit's commitment list for a year, next year by default."""
    require(actor, Action.CREATE, Commitment(unit=unit))
    year = year or next_year()
    now = clock.now()
    with transaction.atomic():
        commitment, _created = Commitment.objects.select_for_update().get_or_create(
            unit=unit, year=year, defaults={"generated_at": now, "generated_by": actor}
        )
        if commitment.is_acknowledged:
            raise ValidationError(_("工作承诺已经确认，不能重新生成。"))
        commitment.generated_at, commitment.generated_by = now, actor
        set_history_user(commitment, actor)
        commitment.save()
        commitment.items.all().delete()
        CommitmentItem.objects.bulk_create(
            CommitmentItem(
                commitment=commitment,
                task=task,
                role=role,
                plan_title=task.plan.title[:200],
                code=task.code,
                title=task.title,
                owner_name=task.owner.display_name if task.owner else "",
                start_date=task.start_date,
                deadline=task.deadline,
                order=n,
            )
            for n, (task, role) in enumerate(commitment_tasks(unit, year), start=1)
        )
    return commitment


def generate_commitments(actor: Person, year: int | None = None) -> list[Commitment]:
    """The supervision office draws up every unit's list that has work in the year and is not yet signed."""
    if not is_office(actor):
        raise PermissionDenied("only the supervision office generates every unit's commitment")
    year = year or next_year()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    open_tasks = (
        Task.objects.open().exclude(kind=TaskKind.AREA).filter(start_date__lte=last, deadline__gte=first)
    )
    signed = Commitment.objects.filter(year=year, acknowledged_at__isnull=False).values("unit_id")
    units = (
        Unit.objects.filter(Q(led_tasks__in=open_tasks) | Q(supported_tasks__in=open_tasks))
        .exclude(pk__in=signed)
        .distinct()
    )
    return [generate_commitment(actor, unit, year) for unit in units]


def acknowledge_commitment(actor: Person, commitment: Commitment) -> Commitment:
    """The unit head signs the list (确认): timestamped, and the list is frozen from then on."""
    require(actor, Action.ACKNOWLEDGE, commitment)  # the unit's head, or a manager of that very unit
    with transaction.atomic():
        current = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if current.is_acknowledged:
            raise ValidationError(_("工作承诺已经确认过了。"))
        current.acknowledged_at, current.acknowledged_by = clock.now(), actor
        set_history_user(current, actor)
        current.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return current


HEADERS = ("序号", "实施方案", "任务序号", "任务名称", "承担方式", "责任人", "开始日期", "完成时限")
WIDTHS = (6, 28, 10, 44, 9, 10, 13, 13)


def commitment_xlsx(commitment: Commitment) -> bytes:
    """The commitment as an .xlsx sheet laid out for printing: title, table, signature line."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{commitment.year}年度工作承诺"
    title = f"{commitment.unit.name}{commitment.year}年度工作承诺"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(name="方正小标宋简体", size=18)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 36
    sheet.append([f"生成时间：{timezone.localtime(commitment.generated_at):%Y-%m-%d %H:%M}"])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(name="黑体", bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = sheets.FRAMED
    for item in commitment.items.all():
        sheet.append(
            [
                item.order,
                item.plan_title,
                item.code,
                item.title,
                item.get_role_display(),
                item.owner_name,
                item.start_date,
                item.deadline,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = Font(name="仿宋")
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.border = sheets.FRAMED
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.append([])
    if commitment.is_acknowledged and commitment.acknowledged_by is not None:
        by = commitment.acknowledged_by.display_name
        sheet.append(
            [f"单位负责人已确认：{by}，{timezone.localtime(commitment.acknowledged_at):%Y-%m-%d %H:%M}"]
        )
    else:
        sheet.append(["单位负责人（签字）：　　　　　　　　　日期：　　　年　　月　　日"])
    sheets.set_widths(sheet, WIDTHS)
    sheets.print_on_a4(sheet, header_row=3)
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    out = BytesIO()
    plain_workbook(book).save(out)
    return out.getvalue()
