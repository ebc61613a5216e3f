"""Units and people over the API: the organisation tree and the directory, read only."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from luoshi.core.access import get_for, role_of, scope_unit_ids, visible_to
from luoshi.core.api_types import READ_ERRORS, Id, Page, PersonRef, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Person, Role, Unit, UnitKind

router = Router(tags=["orgs"])  # 单位与人员 (the name shown: luoshi.api.TAGS)


class UnitOut(Schema):
    id: int
    name: str = Field(description="名称")
    short_name: str = Field(description="简称")
    kind: UnitKind = Field(description="类型")
    parent_id: int | None = Field(description="上级单位 id；顶层为 null")
    order: int = Field(description="同级排序")


class UnitDetail(UnitOut):
    aliases: list[str] = Field(description="别名")
    head: PersonRef | None = Field(description="单位负责人")
    supervising_leader: PersonRef | None = Field(description="分管领导")
    children: list[UnitRef] = Field(description="下级单位")

    @staticmethod
    def resolve_aliases(obj: Unit) -> list[str]:
        return obj.alias_list()


class PersonOut(Schema):
    id: int
    username: str = Field(description="登录名")
    name: str = Field(description="姓名")
    unit: UnitRef | None = Field(description="所在单位")
    role: Role = Field(description="角色")
    title: str = Field(description="职务")

    @staticmethod
    def resolve_name(obj: Person) -> str:
        return obj.display_name


class MeOut(PersonOut):
    phone: str = Field(description="电话")
    email: str = Field(description="电子邮箱")
    scope_unit_ids: list[int] = Field(description="本人代表的单位（本单位及下级；分管领导为分管单位及下级）")

    @staticmethod
    def resolve_role(obj: Person) -> Role:
        role = role_of(obj)
        assert role is not None, "only a signed-in, active person reaches /me"
        return role

    @staticmethod
    def resolve_scope_unit_ids(obj: Person) -> list[int]:
        return sorted(scope_unit_ids(obj))


class PeopleFilters(Schema):
    unit: Id | None = Field(None, description="单位 id")
    include_subunits: bool = Field(False, description="同时列出下级单位的人员")
    role: Role | None = Field(None, description="角色")


# Units and the directory are reference data every signed-in person may read.


@router.get("/units", response={200: list[UnitOut], **READ_ERRORS}, summary="单位（全部，含上下级关系）")
def list_units(request: AuthedRequest):
    return visible_to(request.user, Unit.objects.all())


@router.get("/units/{unit_id}", response={200: UnitDetail, **READ_ERRORS}, summary="单位详情")
def get_unit(request: AuthedRequest, unit_id: Id):
    return get_for(
        Unit, request.user, unit_id, rows=Unit.objects.select_related("head", "supervising_leader")
    )


@router.get("/people/me", response={200: MeOut, **READ_ERRORS}, summary="当前调用者")
def get_me(request: AuthedRequest):
    return request.user


@router.get("/people", response={200: list[PersonOut], **READ_ERRORS}, summary="人员名录")
@paginate(Page)
def list_people(request: AuthedRequest, filters: Query[PeopleFilters]):
    people = (
        visible_to(request.user, Person.objects.filter(is_active=True))
        .select_related("unit")
        .order_by("unit_id", "id")
    )
    if filters.unit is not None:
        units = Unit.objects.subtree([filters.unit]) if filters.include_subunits else [filters.unit]
        people = people.filter(unit__in=units)
    if filters.role is not None:
        people = people.filter(role=filters.role)
    return people
