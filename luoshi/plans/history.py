"""A task's audit history as before/after rows, read from django-simple-history."""

from dataclasses import dataclass
from typing import Any

from luoshi.orgs.models import Unit
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


def _unit_names(rows: list[dict]) -> str:

    ids = [row["unit"] for row in rows]
    return "、".join(Unit.objects.filter(pk__in=ids).values_list("name", flat=True)) or "—"


def _display(record, field_name: str) -> Any:
    field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, field.attname, None)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else value
    return value


#: Bookkeeping fields that change with every save and say nothing to a reader.
_QUIET_FIELDS = {"id", "version", "closed_at", "updated_at", "created_at"}


def _changed_fields(older, newer) -> list[str]:
    """Names of the tracked fields whose stored value differs between two history records.

    simple-history's own diff skips non-editable fields such as `status`, so we compare here.
    """
    names = [f.name for f in older.tracked_fields if f.name not in _QUIET_FIELDS]
    return [
        n
        for n in names
        if getattr(older, older._meta.get_field(n).attname)
        != getattr(newer, newer._meta.get_field(n).attname)
    ]


def task_history(task: Task, limit: int = 100) -> list[HistoryEntry]:
    """Newest first: who changed what on the task, with each field's before and after."""
    records = list(
        task.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries: list[HistoryEntry] = []
    for record, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            changes = [
                Change(_label(Task, name), _display(older, name), _display(record, name))
                for name in _changed_fields(older, record)
            ]
            m2m = record.diff_against(older, included_fields=["support_units"])
            changes += [
                Change(_label(Task, c.field), _unit_names(c.old), _unit_names(c.new)) for c in m2m.changes
            ]
        who = record.history_user.display_name if record.history_user else "—"
        entry = HistoryEntry(record.history_date, who, record.history_type, changes)
        if entries and _same_edit(entries[-1], entry):
            # One save writes the fields and then the support units: show them as one change.
            entries[-1].changes = entry.changes + entries[-1].changes
        else:
            entries.append(entry)
    return entries


def _same_edit(newer: HistoryEntry, older: HistoryEntry) -> bool:
    return (
        newer.kind == older.kind == "~"
        and newer.who == older.who
        and abs((newer.at - older.at).total_seconds()) < 2
    )
