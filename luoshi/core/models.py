"""What every part shares: API tokens for programs."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_expiry() -> dt.datetime:
    """When a token issued now expires: LUOSHI_API_TOKEN_DAYS from now."""
    return timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token a program uses to call the API as a person; only its hash is stored."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("人员")
    )
    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, default=token_expiry)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()

    @classmethod
    def issue(cls, person, name: str, days: int | None = None) -> tuple["ApiToken", str]:
        """Create a token valid for `days` (LUOSHI_API_TOKEN_DAYS by default); the raw key is returned once."""
        raw = secrets.token_urlsafe(32)
        expires_at = timezone.now() + dt.timedelta(days=days or settings.API_TOKEN_DAYS)
        token = cls.objects.create(
            person=person, name=name, key_hash=hash_token(raw), prefix=raw[:8], expires_at=expires_at
        )
        return token, raw
