from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "luoshi.cockpit"
    verbose_name = _("领导驾驶舱")
