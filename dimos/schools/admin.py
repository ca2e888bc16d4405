from django.contrib import admin

from dimos.core.admin import TenantAdmin
from dimos.core.capabilities import Capability
from dimos.schools import models


class SchoolsAdmin(TenantAdmin):
    """The schools' records belong to the education office, not to the municipality's structure."""

    required_capability = Capability.SCHOOLS_MANAGE


@admin.register(models.School)
class SchoolAdmin(SchoolsAdmin):
    list_display = ["name", "school_type", "unit", "classrooms", "director"]
    list_filter = ["school_type"]
    search_fields = ["name"]


@admin.register(models.EquipmentCategory)
class EquipmentCategoryAdmin(SchoolsAdmin):
    list_display = ["name", "code"]


@admin.register(models.EquipmentModel)
class EquipmentModelAdmin(SchoolsAdmin):
    list_display = ["code", "manufacturer", "name", "category", "unit_price", "expected_life_years"]
    list_filter = ["category"]


@admin.register(models.Standard)
class StandardAdmin(SchoolsAdmin):
    list_display = ["school_type", "category", "basis", "quantity", "per", "model"]


@admin.register(models.Licence)
class LicenceAdmin(SchoolsAdmin):
    list_display = ["product", "vendor", "seats", "valid_until"]
