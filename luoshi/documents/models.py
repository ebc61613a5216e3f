"""A proposal extracted from a policy text, kept while the person who uploaded it reviews it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportDraft(models.Model):
    """The extraction proposal (JSON, see docs/extract-schema.md); accepting it creates the tasks."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("上传人"))
    source_name = models.CharField(_("来源"), max_length=200)
    proposal = models.JSONField(_("提取结果"))
    created_at = models.DateTimeField(_("提取时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    plan = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("导入到方案"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("文本导入草稿")
        verbose_name_plural = _("文本导入草稿")

    def __str__(self) -> str:
        return self.source_name
