"""When Luoshi cannot answer now: a restore in progress (maintenance) or a database busy with a long write.

Both answer 503 with a Retry-After, as JSON on the API and as a short page elsewhere, so a person or
a program knows to try again instead of seeing an error page. The page touches no database.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def flag() -> Path:
    """The file whose presence means "restore in progress" (in the data folder, beside the evidence)."""
    return Path(settings.DATA_DIR) / "maintenance"


@contextmanager
def maintenance() -> Iterator[None]:
    """Answer every request with 503 while the block runs; always lifted afterwards."""
    path = flag()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("restore in progress\n")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def unavailable(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "retry_after": retry_after}, status=503)
    else:
        html = render_to_string("503.html", {"message": message, "retry_after": retry_after})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def is_busy(error: Exception) -> bool:
    """SQLite's "database is locked": another writer held the lock longer than the busy timeout."""
    return isinstance(error, OperationalError) and "locked" in str(error)


class MaintenanceMiddleware:
    """503 for every request while a restore runs; and 503 instead of a 500 when the database is busy."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if flag().exists():
            return unavailable(request, _("系统正在恢复备份，请稍后再试。"), retry_after=60)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_busy(exception):
            return unavailable(
                request, _("系统正忙（正在保存大批数据），请稍后重试，刚才的操作没有保存。"), retry_after=10
            )
        return None
