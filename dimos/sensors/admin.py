from typing import Any

from django.contrib import admin

from dimos.core.admin import TenantAdmin
from dimos.core.capabilities import Capability
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
    """Read-only here: devices are written through the registry (/staff/sensors/devices/) or
    NGSI-LD, which check the boundary, refuse to delete a device with readings and audit
    every change; a second door without those rules is how the API once bypassed them."""

    required_capability = Capability.SENSORS_OPERATE
    list_display = ["ngsi_id", "name", "type", "group", "department", "unit", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["ngsi_id", "code", "name", "dev_eui", "ttn_device_id"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(VendorMapping)
class VendorMappingAdmin(TenantAdmin):
    required_capability = Capability.SENSORS_OPERATE
    list_display = ["application_id", "vendor", "type"]
