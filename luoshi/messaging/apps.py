from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "luoshi.messaging"
    verbose_name = _("消息发送")
