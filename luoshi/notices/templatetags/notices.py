"""`{% task_notices task %}`: a task's 督办单 and, for the office, the 催办 button that issues one."""

from django import template

from luoshi.core import clock
from luoshi.core.access import Action, can
from luoshi.notices.models import SupervisionNotice
from luoshi.plans.models import Task, TaskStatus

register = template.Library()


@register.inclusion_tag("notices/task_notices.html", takes_context=True)
def task_notices(context: template.Context, task: Task) -> dict:
    person = context["request"].user
    today = clock.today()
    notices = SupervisionNotice.objects.visible_to(person).filter(task=task)
    return {
        "task": task,
        "notices": [(notice, notice.answer_state(today)) for notice in notices],
        "can_issue": task.status not in (TaskStatus.DRAFT, TaskStatus.CLOSED)
        and can(person, Action.CREATE, SupervisionNotice(task=task)),
    }
