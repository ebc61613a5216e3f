"""An import kept while the person who made it reviews it, and afterwards the record of what it created."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.documents.proposal import Extraction, from_dict


class ImportKind(models.TextChoices):
    TEXT = "text", _("方案文本")
    EXCEL = "excel", _("任务分解表")


class ImportState(models.TextChoices):
    """Where an import is: in review, waiting for or running in the background worker, failed (nothing kept), done."""

    REVIEW = "review", _("待审核")
    QUEUED = "queued", _("等待导入")
    RUNNING = "running", _("正在导入")
    FAILED = "failed", _("导入失败")
    DONE = "done", _("已导入")


class ImportDraft(models.Model):
    """A text's extraction proposal (JSON, see docs/extract-schema.md) or an uploaded 任务分解表.

    Accepting it creates tasks; `created` then names every object it made, so that the import can
    be undone as a whole while its tasks are still drafts.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("上传人")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ImportKind.choices, default=ImportKind.TEXT)
    source_name = models.CharField(_("来源"), max_length=200)
    proposal = models.JSONField(_("提取结果"), default=dict, blank=True)
    workbook = models.BinaryField(_("任务分解表文件"), null=True, blank=True)
    created_at = models.DateTimeField(_("提取时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入到方案"),
    )
    #: {"plan": id or None, "tasks": [...], "units": [...], "indicators": [...], "targets": [...]}, in creation order.
    created = models.JSONField(_("导入建立的内容"), default=dict, blank=True)
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=ImportState.choices, default=ImportState.REVIEW
    )
    #: The reviewed choices a background import applies (see `documents.jobs`).
    request = models.JSONField(_("导入选项"), default=dict, blank=True)
    #: When the worker running the import last said it is alive (at its start and with each batch); a running
    #: import not heard from for `documents.jobs.LEASE` has lost its worker (see `release_stalled`).
    heartbeat_at = models.DateTimeField(_("导入进程最近活动"), null=True, blank=True)
    steps_done = models.PositiveIntegerField(_("已完成"), default=0)
    steps_total = models.PositiveIntegerField(_("共计"), default=0)
    failure = models.TextField(_("失败原因"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self) -> str:
        return self.source_name

    def read_proposal(self) -> Extraction:
        """A text import's proposal as typed dataclasses (an Excel draft has none)."""
        return from_dict(self.proposal)

    def workbook_bytes(self) -> bytes:
        """An Excel import's uploaded workbook (a text import has none)."""
        if self.workbook is None:
            raise ValueError(f"import {self.pk} is not of a workbook")
        return bytes(self.workbook)
