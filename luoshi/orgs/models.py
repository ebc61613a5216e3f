"""Units (the organisation tree) and the people who work in them."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core.tree import subtree_ids


class UnitKind(models.TextChoices):
    COMMITTEE = "committee", _("管委会")
    BUREAU = "bureau", _("局/办")
    SUB_PARK = "sub_park", _("园区")
    SECTION = "section", _("科室")
    COMMAND_POST = "command_post", _("指挥部")
    TASK_FORCE = "task_force", _("工作专班")
    EXTERNAL = "external", _("外部单位")


class UnitQuerySet(models.QuerySet):
    def subtree(self, root_ids) -> "UnitQuerySet":
        """The given units and every unit below them, in one query."""
        return self.filter(pk__in=subtree_ids(Unit, root_ids))


class Unit(models.Model):
    """An organisation: the committee, a bureau, a sub-park, a section, a command post or a task force."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    aliases = models.CharField(
        _("别名"), max_length=300, blank=True, help_text=_("其他叫法，用逗号分隔，导入文件时用来匹配单位。")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices, default=UnitKind.BUREAU)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    head = models.ForeignKey(
        "orgs.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("单位负责人"),
    )
    supervising_leader = models.ForeignKey(
        "orgs.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overseen_units",
        verbose_name=_("分管领导"),
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.replace("，", ",").split(",") if a.strip()]


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    SUPERVISOR = "supervisor", _("督查室")
    LEADER = "leader", _("分管领导")
    MANAGER = "manager", _("单位管理员")
    STAFF = "staff", _("单位工作人员")
    VIEWER = "viewer", _("只读用户")


class PersonManager(UserManager):
    pass


class Person(AbstractUser):
    """A person who logs in: one home unit and one role."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("所在单位"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    wecom_userid = models.CharField(
        _("企业微信账号"),
        max_length=64,
        blank=True,
        help_text=_("企业微信通讯录里的 UserID；填了才收得到企业微信应用消息。"),
    )
    dingtalk_userid = models.CharField(
        _("钉钉账号"),
        max_length=64,
        blank=True,
        help_text=_("钉钉通讯录里的 userid；填了才收得到钉钉工作通知。"),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[PersonManager] = PersonManager()
    #: The units the person acts for, cached for the request by luoshi.core.access.roles.scope_unit_ids.
    _luoshi_scope: set[int]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        # Admin-site access follows the role; it is never set by hand.
        self.is_staff = self.is_superuser or self.role in (Role.ADMIN, Role.SUPERVISOR)
        if kwargs.get("update_fields") is not None and "role" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff"}
        super().save(*args, **kwargs)
