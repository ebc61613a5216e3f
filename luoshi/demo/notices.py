"""Two 督办单 in the demo: a red one the lead unit answered, and a yellow one still awaiting its answer."""

from luoshi.demo.timeline import moment
from luoshi.demo.workflow import Replayer
from luoshi.notices.actions import answer_notice, default_reply_by, issue_notice
from luoshi.notices.models import Severity
from luoshi.orgs.models import Person, Role
from luoshi.plans.models import Task
from luoshi.schedule.workdays import shift_working_days


def issue_demo_notices(replayer: Replayer) -> None:
    """The office chases the first overdue task whose unit has a manager, and the first one far behind."""
    today = replayer.today
    office = replayer.org.supervisor
    for story, severity, issued_ago, answered_after in (
        ("overdue", Severity.RED, 8, 2),
        ("red", Severity.YELLOW, 2, None),
    ):
        for code, told in replayer.stories.items():
            if told != story:
                continue
            task = Task.objects.select_related("lead_unit", "plan").get(pk=replayer.tasks[code].pk)
            manager = (
                Person.objects.filter(unit=task.lead_unit, role=Role.MANAGER, is_active=True)
                .order_by("id")
                .first()
            )
            if manager is None:
                continue
            issued_on = shift_working_days(today, -issued_ago, estimate=True)
            replayer.replay.at(moment(issued_on, 9, 30))
            reply_by = default_reply_by(severity, issued_on)
            notice = issue_notice(
                office,
                task,
                severity=severity,
                reply_by=reply_by,
                reason=f"该任务{('已逾期，至今未办结' if story == 'overdue' else '进度严重滞后于序时进度')}，"
                "请说明原因并明确完成时间。",
            )
            if answered_after is not None:
                replayer.replay.at(
                    moment(shift_working_days(issued_on, answered_after, estimate=True), 16, 0)
                )
                answer_notice(
                    manager,
                    notice,
                    reply="已召开专题会研究，明确倒排工期，计划本月内完成；"
                    "滞后原因为上级审批时限延长，已主动对接。",
                )
            break
