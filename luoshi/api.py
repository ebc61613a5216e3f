"""The REST API: one NinjaAPI, one router per domain app, one error mapping, and the few input types
every router shares (bounded ids, clean text, bounded pages)."""

import datetime as dt
import functools
from typing import Annotated, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Schema, Swagger
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as InputError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from luoshi.core import clock
from luoshi.core.concurrency import ConflictError
from luoshi.core.models import ApiToken, hash_token

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
        if found.last_used_at is None or now - found.last_used_at >= TOKEN_USE_RECORDED_EVERY:
            # Recorded at most once a minute: a write on every read would double the work of a read.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
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


api = LuoshiAPI(
    title="Luoshi API",
    version="1",
    description=(
        "落实：实施方案任务、进度、指标与项目的接口。程序使用 Bearer 令牌（`luoshi token --user 用户名 --name 用途` 签发），"
        "页面使用会话（写操作须带 CSRF 令牌）。看不到的对象与不存在的对象一样返回 404；"
        "看得到但无权操作返回 403；输入有误返回 422，`detail` 按字段列出原因；版本过期返回 409。"
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    # No validator badge: the docs page must not call out to swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
    docs_decorator=signed_in_only,  # the schema and docs map every endpoint: not for strangers
)


# --- Shared types ---------------------------------------------------------------------------

#: The largest id the database stores (a signed 64-bit integer); larger numbers are refused as input.
MAX_ID = 2**63 - 1


def _clean_text(value: str) -> str:
    """Refuse characters no database column may hold: NUL and unpaired surrogates."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "不能包含空字符（\\x00）。")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("invalid_unicode", "包含无效的 Unicode 字符。") from None
    return value


#: A database id, as a path or query parameter or a body field.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A date that is stored (a start, a deadline, a report day): within two centuries of now, so the
#: working-day calendar can count to it.
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2199, 12, 31),
                               description="日期（1900-01-01 至 2199-12-31）")]
#: Text that can be stored as given.
Text = Annotated[str, AfterValidator(_clean_text)]


class UnitRef(Schema):
    id: int
    name: str = Field(description="单位名称")


class PersonRef(Schema):
    id: int
    name: str = Field(description="姓名")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class Error(Schema):
    detail: str = Field(description="出错原因")


class FieldErrors(Schema):
    detail: dict[str, list[str]] = Field(description="按字段列出的错误；`__all__` 为不属于某个字段的错误")


#: Error responses every endpoint may give, for the OpenAPI document.
READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: FieldErrors}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: Error}


MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200


class Page(PageNumberPagination):
    """Page-number pagination with both numbers bounded, so no request asks the database for row 10¹⁹."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1–{MAX_PAGE_SIZE}，默认 50")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="符合条件的总条数")

    def __init__(self, *, prepare=None, **kwargs) -> None:
        """`prepare(items)` may attach derived values (progress, light) to one page of objects at once."""
        self.prepare = prepare
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params):
        offset = (pagination.page - 1) * pagination.page_size
        items = list(queryset[offset : offset + pagination.page_size])
        if self.prepare is not None:
            self.prepare(items)
        return {"items": items, "count": queryset.count()}


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
    """Ninja's schema errors in the same shape as the actions' errors: {field: [message, …]}."""
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_input_field(item.get("loc", ())), []).append(str(item.get("msg", "")))
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(ConflictError)
def on_conflict(request, exc: ConflictError):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(PermissionDenied)
def on_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": "permission denied"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return api.create_response(request, {"detail": "not found"}, status=404)


# --- Routers --------------------------------------------------------------------------------------
# Each app's api module adds its router to `api` when imported; they are imported last because they
# use the shared types above (this way either module may be imported first).
from luoshi.plans import api as plans_api  # noqa: E402, F401, I001
from luoshi.progress import api as progress_api  # noqa: E402, F401
from luoshi.orgs import api as orgs_api  # noqa: E402, F401
from luoshi.indicators import api as indicators_api  # noqa: E402, F401
from luoshi.projects import api as projects_api  # noqa: E402, F401
from luoshi.schedule import api as schedule_api  # noqa: E402, F401
