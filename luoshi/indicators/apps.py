from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "luoshi.indicators"
    verbose_name = _("指标")

    def ready(self) -> None:
        from luoshi.indicators import stored

        stored.connect()  # the stored lights follow every change to their facts (see indicators.stored)
