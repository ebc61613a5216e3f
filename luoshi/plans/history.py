"""A task's audit history as before/after rows, read from django-simple-history."""

from dataclasses import dataclass
from typing import Any

from luoshi.plans.models import Task


@dataclass
class Change:
    field: str
    before: Any
    after: Any


@dataclass
class HistoryEntry:
    at: Any
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[Change]


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def _display(record, field_name: str) -> Any:
    field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, field.attname, None)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else value
    return value


def task_history(task: Task, limit: int = 100) -> list[HistoryEntry]:
    """Newest first: who changed what on the task, with each field's before and after."""
    records = list(task.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for record, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            delta = record.diff_against(older, excluded_fields=["version", "closed_at"])
            changes = [
                Change(_label(Task, c.field), _display(older, c.field), _display(record, c.field))
                for c in delta.changes
            ]
        who = record.history_user.display_name if record.history_user else "—"
        entries.append(HistoryEntry(record.history_date, who, record.history_type, changes))
    return entries
