from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "luoshi.core"
    verbose_name = _("核心")
    #: luoshi.core.access.visible_to, once every app's models are loaded
    visible_to: Callable[[Any, QuerySet], QuerySet]

    def ready(self) -> None:
        # The policy imports every app's models, so it is loaded once they all are (see core.scoping).
        from luoshi.core import lookups
        from luoshi.core.access import visible_to

        self.visible_to = visible_to
        lookups.register()  # field__any_of=ids
