"""Back office for the municipal administrator: categories, routing, bodies, streets, templates, keys.

Reports themselves are handled on the staff desk (/staff/reports/), where reading a
citizen's contact details is audited; they are deliberately not in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dimos.core.admin import TenantAdmin
from dimos.core.capabilities import Capability
from dimos.reports.models import (
    Category,
    CategoryAttribute,
    CategoryGroup,
    ExternalBody,
    Open311Client,
    ResponseTemplate,
    RoutingRule,
    Street,
)


class TenantInlinePermissions:
    """Inlines follow the parent TenantAdmin: the municipal administrator edits them."""

    def _ok(self, request: HttpRequest) -> bool:
        from dimos.core.admin import _is_municipal_admin, _is_platform_admin

        return _is_platform_admin(request) or _is_municipal_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._ok(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._ok(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._ok(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._ok(request)


class CategoryAttributeInline(TenantInlinePermissions, admin.TabularInline):
    model = CategoryAttribute
    extra = 0
    exclude = ["municipality"]
    fields = [
        "order",
        "code",
        "datatype",
        "required",
        "variable",
        "description_el",
        "description_en",
        "datatype_description",
        "values",
    ]


class RoutingRuleInline(TenantInlinePermissions, admin.TabularInline):
    model = RoutingRule
    extra = 0
    exclude = ["municipality"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if not request.user.is_superuser and any(
            f.name == "municipality" for f in related._meta.get_fields()
        ):
            kwargs["queryset"] = related._default_manager.filter(municipality_id=request.user.municipality_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Category)
class CategoryAdmin(TenantAdmin):
    list_display = [
        "name_el",
        "code",
        "group",
        "department",
        "external_body",
        "deadline_days",
        "deadline_kind",
        "allow_anonymous",
        "is_active",
    ]
    list_filter = ["group", "is_active", "allow_anonymous"]
    search_fields = ["name_el", "name_en", "code"]
    inlines = [CategoryAttributeInline, RoutingRuleInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for instance in formset.save(commit=False):
            instance.municipality_id = form.instance.municipality_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(CategoryGroup)
class CategoryGroupAdmin(TenantAdmin):
    list_display = ["name_el", "code", "icon", "order"]


@admin.register(ExternalBody)
class ExternalBodyAdmin(TenantAdmin):
    list_display = ["name_el", "code", "email"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(TenantAdmin):
    list_display = ["category", "unit", "department"]
    list_filter = ["category"]


@admin.register(Street)
class StreetAdmin(TenantAdmin):
    list_display = ["name", "lat", "lon"]
    search_fields = ["name"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(TenantAdmin):
    list_display = ["title", "status"]


@admin.register(Open311Client)
class Open311ClientAdmin(TenantAdmin):
    """Keys are issued on /staff/reports/keys/ (shown once); here they can only be seen or deactivated."""

    list_display = ["name", "key_prefix", "is_active", "created_at", "last_used_at"]
    fields = ["name", "contact_email", "key_prefix", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    required_capability = Capability.OPEN311_KEYS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
