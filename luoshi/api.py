"""The REST API: one NinjaAPI, its authentication, one error mapping in the caller's language, and the
routers of the domain apps. The types routers share live in `luoshi.core.api_types`."""

import datetime as dt
import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import URLPattern
from django.urls import path as django_path
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.security import HttpBearer, django_auth

from luoshi.activities.api import router as activities_router
from luoshi.bulletins.api import router as bulletins_router
from luoshi.commitments.api import router as commitments_router
from luoshi.core import clock
from luoshi.core.api_errors import CSRF_FAILED, input_message, status_message
from luoshi.core.api_json import Renderer
from luoshi.core.concurrency import ConflictError
from luoshi.core.models import ApiToken, hash_token
from luoshi.hooks.api import router as hooks_router
from luoshi.inbox.api import router as inbox_router
from luoshi.indicators.api import router as indicators_router
from luoshi.notices.api import router as notices_router
from luoshi.orgs.api import router as orgs_router
from luoshi.plans.api import router as plans_router
from luoshi.progress.api import router as progress_router
from luoshi.projects.api import router as projects_router
from luoshi.reminders.api import router as reminders_router
from luoshi.schedule.api import router as schedule_router
from luoshi.scoring.api import router as scoring_router

#: How often a token's last use is written down (the admin shows it to the minute).
TOKEN_USE_RECORDED_EVERY = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for programs; the token acts as its person."""

    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.objects.select_related("person").filter(key_hash=hash_token(token)).first()
        if found is None or found.is_expired or not found.person.is_active:
            # A presented but wrong token is refused outright, never retried as a session.
            raise AuthenticationError()
        now = clock.now()
        # Recorded at most once a minute (a write on every read would double the work of a read), by a
        # statement sent on every request that changes nothing within the minute: a read then costs
        # the same queries whenever it comes.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOKEN_USE_RECORDED_EVERY), pk=found.pk
        ).update(last_used_at=now)
        request.user = found.person  # so the audit history records who acted
        return found.person


def signed_in_only(view):
    """The docs and schema for a signed-in person or a program with a valid token; others go to log in."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            person = request.user if request.user.is_authenticated else TokenAuth()(request)
        except AuthenticationError:
            person = None
        if not person:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


class LuoshiAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Operation ids are the view names (`list_tasks`, `take_step`), so generated clients read well."""
        return operation.view_func.__name__

    def _get_urls(self) -> list:
        """Every path answers with and without a trailing slash (`/api/tasks` and `/api/tasks/`), for
        every method: a redirect would lose a POST's body. The schema lists the form without."""
        urls = []
        for pattern in super()._get_urls():
            urls.append(pattern)
            route = str(pattern.pattern)
            if isinstance(pattern, URLPattern) and route:
                other = route[:-1] if route.endswith("/") else f"{route}/"
                urls.append(django_path(other, pattern.callback, pattern.default_args))
        return urls


#: The routers' tags are ASCII, so that a client generated from the schema has modules named
#: `api/plans/list_tasks.py`; the docs page shows each with its Chinese name.
TAGS = {
    "plans": "实施方案与任务",
    "progress": "进度报送",
    "orgs": "单位与人员",
    "indicators": "指标",
    "projects": "项目库",
    "schedule": "倒排工期",
    "bulletins": "通报",
    "notices": "督办单",
    "supervision": "督查督办：催办、站内通知、计分、工作承诺、活动",
    "webhooks": "对外推送（督查室）",
}

api = LuoshiAPI(
    title="Luoshi API",
    version="1",
    description=(
        "落实：实施方案、任务、进度、指标、项目、通报、督办单、催办、计分、工作承诺与活动的接口，"
        "另有对外推送（webhook）。程序使用 Bearer 令牌（`luoshi token --user 用户名 --name 用途` 签发），"
        "页面使用会话（写操作须带 CSRF 令牌）。看不到的对象与不存在的对象一样返回 404；"
        "看得到但无权操作返回 403；输入有误返回 422，`detail` 按字段列出原因；版本过期返回 409。"
        "路径末尾带不带斜杠均可；出错信息默认中文，请求头 `Accept-Language: en` 时为英文。"
    ),
    auth=[TokenAuth(), django_auth],
    renderer=Renderer(),
    urls_namespace="api",
    # No validator badge: the docs page must not call out to swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
    docs_decorator=signed_in_only,  # the schema and docs map every endpoint: not for strangers
    openapi_extra={"tags": [{"name": tag, "description": name} for tag, name in TAGS.items()]},
)


# --- Errors ---------------------------------------------------------------------------------------


def _field_errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


#: Where ninja says an input came from; not part of the field's name.
_SOURCES = {"path", "query", "body", "form", "file", "header", "cookie"}


def _input_field(loc: list | tuple) -> str:
    """("body", "payload", "deadline") → "deadline"; ("query", "page") → "page".

    Every endpoint names its JSON body parameter `payload`, so that name is dropped too.
    """
    parts = [str(p) for p in loc]
    if parts[:2] == ["body", "payload"]:
        parts = parts[2:]
    elif parts and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(InputError)
def on_input_error(request, exc: InputError):
    """Ninja's schema errors in the same shape as the actions' errors: {field: [message, …]}, in the caller's language."""
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_input_field(item.get("loc", ())), []).append(input_message(item))
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(ConflictError)
def on_conflict(request, exc: ConflictError):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(PermissionDenied)
def on_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": status_message(403, "")}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    # One message for "not there" and "not yours": the words must not tell them apart either.
    return api.create_response(request, {"detail": status_message(404, "")}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Ninja's own refusals (no or a wrong token, a session write without CSRF) in the caller's language."""
    if exc.status_code == 403 and "CSRF" in exc.message:
        message = str(CSRF_FAILED)
    else:
        message = status_message(exc.status_code, exc.message)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


# --- Routers --------------------------------------------------------------------------------------

for router in (
    plans_router,
    progress_router,
    orgs_router,
    indicators_router,
    projects_router,
    schedule_router,
    bulletins_router,
    notices_router,
    reminders_router,
    inbox_router,
    scoring_router,
    commitments_router,
    activities_router,
    hooks_router,
):
    api.add_router("", router)
