"""Back office for the municipal administrator: points, counters, types, hours, closures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dimos.appointments.models import (
    Appointment,
    AppointmentType,
    Closure,
    Counter,
    OpeningHours,
    ServicePoint,
)
from dimos.core.admin import ReadOnlyTenantAdmin, TenantAdmin, _is_municipal_admin, _is_platform_admin


class _ScopedInline(admin.TabularInline):
    """Inline rows inherit the parent's municipality and offer only its objects."""

    extra = 0
    exclude = ["municipality"]

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        # Same rule as TenantAdmin: the platform admin, or the municipal admin on
        # their own municipality's point (inlines otherwise ask for Django perms).
        if _is_platform_admin(request):
            return True
        return _is_municipal_admin(request) and (
            obj is None or obj.municipality_id == request.user.municipality_id
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                municipality_id=request.user.municipality_id
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OpeningHoursInline(_ScopedInline):
    model = OpeningHours


class CounterInline(_ScopedInline):
    model = Counter
    filter_horizontal = ["types"]


@admin.register(ServicePoint)
class ServicePointAdmin(TenantAdmin):
    list_display = ["name_el", "address", "slot_minutes", "horizon_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_el", "name_en", "address"]
    inlines = [OpeningHoursInline, CounterInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            obj.municipality_id = form.instance.municipality_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(AppointmentType)
class AppointmentTypeAdmin(TenantAdmin):
    list_display = ["name_el", "code", "duration_minutes", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_el", "name_en", "code"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(Counter)
class CounterAdmin(TenantAdmin):
    list_display = ["name", "point", "capacity", "is_active"]
    list_filter = ["point", "is_active"]
    filter_horizontal = ["types"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(TenantAdmin):
    list_display = ["point", "weekday", "opens", "closes"]
    list_filter = ["point", "weekday"]


@admin.register(Closure)
class ClosureAdmin(TenantAdmin):
    list_display = ["date_from", "date_to", "point", "reason"]
    list_filter = ["point"]
    date_hierarchy = "date_from"


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyTenantAdmin):
    """Read-only: bookings change only through the services (locks, history, notices)."""

    list_display = ["reference", "starts_at", "point", "counter", "type", "status"]
    list_filter = ["status", "point"]
    search_fields = ["reference"]
    date_hierarchy = "starts_at"
    exclude = ["citizen"]
