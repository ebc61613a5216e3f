"""Absolute links for messages read outside the browser (e-mail, group robots)."""

from django.conf import settings


def absolute(path: str) -> str:
    """The path on the address people use to reach Luoshi (LUOSHI_SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path
