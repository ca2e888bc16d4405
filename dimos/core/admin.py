"""The Django admin as the municipal back office, scoped by tenant.

``TenantAdmin`` is the base of every ModelAdmin of a tenant-owned model: the
municipal administrator sees and edits only their municipality's rows, foreign
keys offer only their municipality's objects, and new rows get it automatically.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from dimos.core.capabilities import Capability, has_capability
from dimos.core.constants import StaffRole
from dimos.core.models import (
    AuditEvent,
    Department,
    Municipality,
    MunicipalUnit,
    Notification,
    NotificationTemplate,
    Task,
)


def _is_platform_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def _is_municipal_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and getattr(user, "role", "") == StaffRole.MUNICIPAL_ADMIN
        and user.municipality_id
    )


class TenantAdmin(admin.ModelAdmin):
    """Scoped to the administrator's municipality; ``required_capability`` says who may use it."""

    tenant_field = "municipality"
    required_capability: Capability = Capability.STRUCTURE_MANAGE

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        if _is_platform_admin(request):
            return qs
        if _is_municipal_admin(request):
            return qs.filter(**{self.tenant_field: request.user.municipality_id})
        return qs.none()

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        if not _is_platform_admin(request) and self.tenant_field == "municipality":
            excluded.append("municipality")
        return excluded

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not _is_platform_admin(request) and self.tenant_field == "municipality":
            obj.municipality_id = request.user.municipality_id
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if not _is_platform_admin(request) and related is not None:
            if related is Municipality:
                kwargs["queryset"] = Municipality.objects.filter(pk=request.user.municipality_id)
            elif any(f.name == "municipality" for f in related._meta.get_fields()):
                kwargs["queryset"] = related._default_manager.filter(
                    municipality_id=request.user.municipality_id
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if not _is_platform_admin(request) and any(
            f.name == "municipality" for f in related._meta.get_fields()
        ):
            kwargs["queryset"] = related._default_manager.filter(municipality_id=request.user.municipality_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        if _is_platform_admin(request):
            return True
        if not _is_municipal_admin(request) or not has_capability(request.user, self.required_capability):
            return False
        return obj is None or getattr(obj, f"{self.tenant_field}_id", None) == request.user.municipality_id

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)


class ReadOnlyTenantAdmin(TenantAdmin):
    """For append-only records (audit, delivery log): visible, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name_el", "slug", "code", "open311_jurisdiction", "is_active"]
    search_fields = ["name_el", "name_en", "slug"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        if _is_platform_admin(request):
            return qs
        if _is_municipal_admin(request):
            return qs.filter(pk=request.user.municipality_id)
        return qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_platform_admin(request) or _is_municipal_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_platform_admin(request) or (
            _is_municipal_admin(request) and (obj is None or obj.pk == request.user.municipality_id)
        )

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_platform_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if _is_platform_admin(request):
            return []
        return ["slug", "code", "hostnames", "open311_jurisdiction", "is_active"]


@admin.register(MunicipalUnit)
class MunicipalUnitAdmin(TenantAdmin):
    list_display = ["name_el", "name_en", "population"]


@admin.register(Department)
class DepartmentAdmin(TenantAdmin):
    list_display = ["name_el", "code", "parent", "email", "signatory_name"]
    search_fields = ["name_el", "code"]


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(TenantAdmin):
    list_display = ["key", "channel", "language", "subject"]
    list_filter = ["channel", "language"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyTenantAdmin):
    list_display = ["created_at", "key", "channel", "status", "attempts"]
    list_filter = ["status", "channel"]
    # The recipient is personal data: the delivery log shows status, not addresses.
    exclude = ["recipient", "body"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyTenantAdmin):
    list_display = ["created_at", "action", "object_type", "object_id", "actor"]
    list_filter = ["action"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["pk", "name", "status", "attempts", "run_after", "finished_at"]
    list_filter = ["status", "name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_platform_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_platform_admin(request)
