from django.contrib import admin

from dimos.core.admin import TenantAdmin
from dimos.schools import models


@admin.register(models.School)
class SchoolAdmin(TenantAdmin):
    list_display = ["name", "school_type", "unit", "classrooms", "director"]
    list_filter = ["school_type"]
    search_fields = ["name"]


@admin.register(models.EquipmentCategory)
class EquipmentCategoryAdmin(TenantAdmin):
    list_display = ["name", "code"]


@admin.register(models.EquipmentModel)
class EquipmentModelAdmin(TenantAdmin):
    list_display = ["code", "manufacturer", "name", "category", "unit_price", "expected_life_years"]
    list_filter = ["category"]


@admin.register(models.Standard)
class StandardAdmin(TenantAdmin):
    list_display = ["school_type", "category", "basis", "quantity", "per", "model"]


@admin.register(models.Licence)
class LicenceAdmin(TenantAdmin):
    list_display = ["product", "vendor", "seats", "valid_until"]
