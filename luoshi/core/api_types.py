"""The types every API router shares: bounded ids and dates, clean text, references to units and
people, error bodies, and bounded pages. Routers import them from here, never from `luoshi.api`,
which only assembles the API (so no app module imports the module that imports it)."""

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

#: The largest id the database stores (a signed 64-bit integer); larger numbers are refused as input.
MAX_ID = 2**63 - 1

#: The default of a body field a client may leave out but not send as null (a change's "leave as it is"):
#: None at run time, typed Any so that the field keeps its own type.
LEFT_OUT: Any = None


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
Day = Annotated[
    dt.date,
    Field(ge=dt.date(1900, 1, 1), le=dt.date(2199, 12, 31), description="日期（1900-01-01 至 2199-12-31）"),
]
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
        page_size: int = Field(
            50, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1–{MAX_PAGE_SIZE}，默认 50"
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="符合条件的总条数")

    def __init__(self, *, prepare=None, **kwargs) -> None:
        """`prepare(items)` may attach derived values (progress, light) to one page of objects at once."""
        self.prepare = prepare
        super().__init__(**kwargs)

    def paginate_queryset(  # type: ignore[override]  # ninja hands each paginator its own Input
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params
    ):
        offset = (pagination.page - 1) * pagination.page_size
        items = list(queryset[offset : offset + pagination.page_size])
        if self.prepare is not None:
            self.prepare(items)
        return {"items": items, "count": queryset.count()}
