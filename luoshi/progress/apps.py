from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "luoshi.progress"
    verbose_name = _("进度报送")
