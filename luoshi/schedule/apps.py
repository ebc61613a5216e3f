from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "luoshi.schedule"
    verbose_name = _("工作日与倒排工期")
