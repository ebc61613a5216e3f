"""`Model.objects.visible_to(person)` without an import cycle: the policy in `luoshi.core.access`
imports the models, so the models reach it through the app registry, filled in when the app is ready."""

from typing import Self, cast

from django.apps import apps
from django.db import models

from luoshi.core.apps import CoreConfig


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, person) -> Self:
        """The rows the person may see, by the one access policy (a filter of these rows, so of their class)."""
        return cast(Self, cast(CoreConfig, apps.get_app_config("core")).visible_to(person, self))
