"""`Model.objects.visible_to(person)` without an import cycle: the policy in `luoshi.core.access`
imports the models, so the models reach it through the app registry, filled in when the app is ready."""

from django.apps import apps
from django.db import models


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, person) -> "ScopedQuerySet":
        """The rows the person may see, by the one access policy."""
        return apps.get_app_config("core").visible_to(person, self)
