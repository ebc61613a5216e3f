from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from luoshi.core.admin import ReferenceAdmin
from luoshi.orgs.models import Person, Unit


@admin.register(Unit)
class UnitAdmin(ReferenceAdmin):
    list_display = ["name", "short_name", "kind", "parent", "head", "supervising_leader", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "aliases"]
    autocomplete_fields = ["parent", "head", "supervising_leader"]


@admin.register(Person)
class PersonAdmin(ReferenceAdmin, UserAdmin):
    list_display = ["username", "full_name", "unit", "role", "title", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "人员信息",
            {
                "fields": [
                    "full_name",
                    "unit",
                    "role",
                    "title",
                    "phone",
                    "email",
                    "wecom_userid",
                    "dingtalk_userid",
                ]
            },
        ),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2", "full_name", "unit", "role"]})]
    readonly_fields = ["last_login", "date_joined"]
