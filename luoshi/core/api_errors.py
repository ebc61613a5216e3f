"""The API's error messages in the caller's language: the fixed words of 401, 403 and 404, and the
schema's input errors (pydantic's, which speak English only) by their error type."""

from typing import Any

from django.utils.translation import gettext_lazy

#: The one answer for a missing row and for a row the caller may not see (security.md: same 404).
NOT_FOUND = gettext_lazy("没有找到，或您无权查看。")
DENIED = gettext_lazy("您无权执行此操作。")
UNAUTHORIZED = gettext_lazy("请先登录，或提供有效的 API 令牌（Authorization: Bearer …）。")
CSRF_FAILED = gettext_lazy("页面会话的写操作须带 CSRF 令牌（X-CSRFToken）。")
UNREADABLE_BODY = gettext_lazy("无法读取请求内容：请以 JSON 发送（Content-Type: application/json）。")

#: pydantic's error type → our message; `%(name)s` is filled from the error's context.
INPUT_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("必填。"),
    "extra_forbidden": gettext_lazy("不接受这个字段。"),
    "int_parsing": gettext_lazy("须为整数。"),
    "int_type": gettext_lazy("须为整数。"),
    "int_from_float": gettext_lazy("须为整数。"),
    "float_parsing": gettext_lazy("须为数字。"),
    "float_type": gettext_lazy("须为数字。"),
    "finite_number": gettext_lazy("须为有限的数字。"),
    "decimal_parsing": gettext_lazy("须为数字。"),
    "bool_parsing": gettext_lazy("须为 true 或 false。"),
    "bool_type": gettext_lazy("须为 true 或 false。"),
    "string_type": gettext_lazy("须为文本。"),
    "string_too_short": gettext_lazy("至少 %(min_length)s 个字符。"),
    "string_too_long": gettext_lazy("最多 %(max_length)s 个字符。"),
    "too_short": gettext_lazy("至少 %(min_length)s 项。"),
    "too_long": gettext_lazy("最多 %(max_length)s 项。"),
    "greater_than": gettext_lazy("须大于 %(gt)s。"),
    "greater_than_equal": gettext_lazy("不能小于 %(ge)s。"),
    "less_than": gettext_lazy("须小于 %(lt)s。"),
    "less_than_equal": gettext_lazy("不能大于 %(le)s。"),
    "date_parsing": gettext_lazy("须为日期，如 2026-12-31。"),
    "date_from_datetime_parsing": gettext_lazy("须为日期，如 2026-12-31。"),
    "date_from_datetime_inexact": gettext_lazy("须为日期，如 2026-12-31。"),
    "date_type": gettext_lazy("须为日期，如 2026-12-31。"),
    "datetime_parsing": gettext_lazy("须为日期时间，如 2026-12-31T09:00:00+08:00。"),
    "datetime_from_date_parsing": gettext_lazy("须为日期时间，如 2026-12-31T09:00:00+08:00。"),
    "datetime_type": gettext_lazy("须为日期时间，如 2026-12-31T09:00:00+08:00。"),
    "enum": gettext_lazy("须为以下之一：%(expected)s。"),
    "literal_error": gettext_lazy("须为以下之一：%(expected)s。"),
    "list_type": gettext_lazy("须为列表。"),
    "dict_type": gettext_lazy("须为 JSON 对象。"),
    "model_attributes_type": gettext_lazy("须为 JSON 对象。"),
    "model_type": gettext_lazy("须为 JSON 对象。"),
    "json_invalid": gettext_lazy("不是有效的 JSON。"),
    "nul_character": gettext_lazy("不能包含空字符（\\x00）。"),
    "invalid_unicode": gettext_lazy("包含无效的 Unicode 字符。"),
}


def input_message(error: dict[str, Any]) -> str:
    """One schema error in the caller's language; an error type we do not know keeps pydantic's words."""
    message = INPUT_MESSAGES.get(error.get("type", ""))
    if message is None:
        return str(error.get("msg", ""))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(message) % context if "%(" in str(message) else str(message)
    except KeyError:  # a context without the value the message names
        return str(error.get("msg", ""))


def status_message(status: int, fallback: str) -> str:
    """The fixed words of an HTTP error the API raises itself (400 for a body that is not JSON, 401, 403, 404)."""
    return str({400: UNREADABLE_BODY, 401: UNAUTHORIZED, 403: DENIED, 404: NOT_FOUND}.get(status, fallback))
