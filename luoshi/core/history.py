"""Who made a change, for the history django-simple-history keeps of a model."""

from django.db.models import Model

from luoshi.orgs.models import Person


def set_history_user(record: Model, actor: Person | None) -> None:
    """The history row of the record's next save names `actor` as the one who made the change."""
    record._history_user = actor  # type: ignore[attr-defined]  # simple-history reads it; it has no types
