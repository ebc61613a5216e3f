from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "luoshi.inbox"
    verbose_name = _("站内通知")
