"""The REST API: one NinjaAPI, one router per domain app, one error mapping."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from luoshi.core import clock
from luoshi.core.concurrency import ConflictError
from luoshi.core.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for programs; the token acts as its person."""

    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.objects.select_related("person").filter(key_hash=hash_token(token)).first()
        if found is None or not found.person.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock.now())
        request.user = found.person  # so the audit history records who acted
        return found.person


api = NinjaAPI(
    title="Luoshi API",
    version="1",
    description="落实：实施方案任务、进度、指标与项目的接口。程序使用 Bearer 令牌，页面使用会话。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


def _field_errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


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
