"""Red/yellow/green (红黄绿灯): derived from the deadline and from expected against reported progress.

Expected progress (序时进度) is the share of the task's working days already elapsed. This module
is the only place that turns those facts into a light.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import TaskStatus
from luoshi.schedule.workdays import working_days_between

#: How far (in percentage points) reported progress may trail expected progress and still be yellow.
YELLOW_GAP = 15.0


class Light(models.TextChoices):
    DONE = "done", _("已办结")
    GREEN = "green", _("正常推进")
    YELLOW = "yellow", _("进度滞后")
    RED = "red", _("严重滞后")
    OVERDUE = "overdue", _("已逾期")


@dataclass(frozen=True)
class Health:
    light: Light
    expected: float
    progress: float

    @property
    def gap(self) -> float:
        return max(0.0, self.expected - self.progress)


def expected_progress(start: dt.date, deadline: dt.date, today: dt.date) -> float:
    """序时进度: the percentage of the task's working days elapsed by the end of `today`."""
    if today < start:
        return 0.0
    if today >= deadline:
        return 100.0
    total = working_days_between(start, deadline, estimate=True)
    if total == 0:
        return 100.0
    elapsed = working_days_between(start, today, estimate=True)
    return round(100.0 * elapsed / total, 1)


def task_health(*, status: str, start: dt.date, deadline: dt.date, progress: float, today: dt.date) -> Health:
    """The light of one task, from its status, dates and rolled-up progress."""
    expected = expected_progress(start, deadline, today)
    if status == TaskStatus.CLOSED:
        return Health(Light.DONE, expected, 100.0)
    if deadline < today:
        return Health(Light.OVERDUE, expected, progress)
    gap = expected - progress
    if gap <= 0:
        light = Light.GREEN
    elif gap <= YELLOW_GAP:
        light = Light.YELLOW
    else:
        light = Light.RED
    if status == TaskStatus.RETURNED and light == Light.GREEN:
        light = Light.YELLOW  # a returned closing means the work is not yet accepted
    return Health(light, expected, progress)
