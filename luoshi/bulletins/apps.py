from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "luoshi.bulletins"
    verbose_name = _("定期通报")
