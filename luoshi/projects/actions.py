"""Recording what happened to a project: the actual date a stage was reached."""

import datetime as dt

from luoshi.core.access import Action, require
from luoshi.core.history import set_history_user
from luoshi.orgs.models import Person
from luoshi.projects.models import ProjectStage


def record_stage_date(actor: Person, stage: ProjectStage, actual_date: dt.date | None) -> ProjectStage:
    """Set (or clear) the day a stage was reached; the project's owner unit or the supervision office."""
    require(actor, Action.RECORD, stage)  # the project's owner unit or the supervision office
    stage.actual_date = actual_date
    stage.full_clean()  # no date in the future: ProjectStage.clean
    set_history_user(stage, actor)
    stage.save(update_fields=["actual_date"])
    return stage
