from typing import Any

from django.contrib import admin

from dimos.core.admin import TenantAdmin
from dimos.core.geo import unit_at
from dimos.sensors.models import Device, DeviceType, VendorMapping


@admin.register(DeviceType)
class DeviceTypeAdmin(admin.ModelAdmin):
    """The Smart Data Model types (synchronised from code; read-only here)."""

    list_display = ["code", "name_el", "is_public", "offline_after_minutes"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Device)
class DeviceAdmin(TenantAdmin):
    list_display = ["ngsi_id", "name", "type", "group", "department", "unit"]
    list_filter = ["type"]
    search_fields = ["ngsi_id", "code", "name", "dev_eui", "ttn_device_id"]
    readonly_fields = ["unit", "created_at", "modified_at"]

    def save_model(self, request: Any, obj: Device, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        unit = (
            unit_at(obj.municipality, obj.lat, obj.lon)
            if obj.lat is not None and obj.lon is not None
            else None
        )
        if unit != obj.unit:
            Device.objects.filter(pk=obj.pk).update(unit=unit)


@admin.register(VendorMapping)
class VendorMappingAdmin(TenantAdmin):
    list_display = ["application_id", "vendor", "type"]
