from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HooksConfig(AppConfig):
    name = "luoshi.hooks"
    verbose_name = _("对外推送")
