"""Recording what happened to a project: the actual date a stage was reached."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from luoshi.core import clock
from luoshi.core.access import can_enter_actuals
from luoshi.orgs.models import Person
from luoshi.projects.models import ProjectStage


def record_stage_date(actor: Person, stage: ProjectStage, actual_date: dt.date | None) -> ProjectStage:
    """Set (or clear) the day a stage was reached; the project's owner unit or the supervision office."""
    if not can_enter_actuals(actor, stage.project.owner_unit_id):
        raise PermissionDenied("only the owner unit records this project's stages")
    if actual_date is not None and actual_date > clock.today():
        raise ValidationError({"actual_date": _("实际日期不能晚于今天。")})
    stage.actual_date = actual_date
    stage._history_user = actor
    stage.save(update_fields=["actual_date"])
    return stage
