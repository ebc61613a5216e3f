"""The public results page (结果公示) of a plan: off until the office publishes it, showing only what it chose."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PublicPage(models.Model):
    """What the office publishes of a plan to everyone, signed in or not. No row means not published.

    Whatever it shows, it never shows people: no names, phone numbers, progress notes, comments,
    reasons or evidence (see `luoshi.public.figures`)."""

    plan = models.OneToOneField(
        "plans.Plan",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="public_page",
        verbose_name=_("实施方案"),
    )
    published = models.BooleanField(
        _("公开"), default=False, help_text=_("勾选后，任何人无需登录即可看到本页；取消勾选即撤下。")
    )
    intro = models.TextField(
        _("公示说明"), blank=True, max_length=2000, help_text=_("显示在公示页顶部；不要写入个人信息。")
    )
    show_areas = models.BooleanField(_("显示方面"), default=True)
    show_indicators = models.BooleanField(_("显示指标（最新数值与灯色）"), default=True)
    show_completed_tasks = models.BooleanField(_("显示已办结任务"), default=True)
    show_units = models.BooleanField(_("显示牵头单位和责任单位"), default=True)
    show_bulletins = models.BooleanField(_("显示已印发通报"), default=True)
    #: Changes on every save: part of the cache key, so that a change or a take-down shows at once.
    version = models.CharField(max_length=32, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更新人"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结果公示")
        verbose_name_plural = _("结果公示")

    def __str__(self) -> str:
        return str(self.plan)

    def save(self, *args, **kwargs) -> None:
        self.version = uuid.uuid4().hex
        super().save(*args, **kwargs)
