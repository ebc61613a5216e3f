"""No lost update: a save that names the version it was read at fails if someone saved since."""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Somebody else saved this record after you opened it."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("此记录已被他人修改，您看到的是旧版本。请刷新后重新编辑。")))


class VersionedModel(models.Model):
    """A model carrying a version number that each save through `save_versioned` bumps."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(obj: VersionedModel, expected_version: int, fields: Iterable[str]) -> None:
    """Save `fields` of obj only if the stored version is still `expected_version`.

    The version bump is one conditional UPDATE, atomic on SQLite and PostgreSQL alike; the
    ordinary save that follows in the same transaction records the audit history.
    """
    with transaction.atomic():
        bumped = (
            type(obj)
            ._default_manager.filter(pk=obj.pk, version=expected_version)
            .update(version=F("version") + 1)
        )
        if not bumped:
            raise ConflictError()
        obj.version = expected_version + 1
        obj.save(update_fields=[*fields, "version"])
