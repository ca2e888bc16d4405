from __future__ import annotations

from django.contrib import admin

from dimos.core.admin import ReadOnlyTenantAdmin, TenantAdmin
from dimos.eservices.models import Application, IssuedDocument, ProtocolEntry, Service, VerificationLookup


@admin.register(Service)
class ServiceAdmin(TenantAdmin):
    list_display = (
        "title_el",
        "slug",
        "outcome",
        "department",
        "deadline_days",
        "deadline_kind",
        "is_active",
    )
    list_filter = ("outcome", "is_active")
    search_fields = ("title_el", "title_en", "slug")


@admin.register(ProtocolEntry)
class ProtocolEntryAdmin(ReadOnlyTenantAdmin):
    list_display = ("label", "registered_at", "direction", "subject", "voided")
    list_filter = ("direction", "voided", "year")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyTenantAdmin):
    list_display = ("pk", "service", "status", "protocol", "deadline", "department")
    list_filter = ("status",)
    exclude = ("data",)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyTenantAdmin):
    list_display = ("code", "title", "protocol", "issued_at", "status")
    list_filter = ("status",)


@admin.register(VerificationLookup)
class VerificationLookupAdmin(ReadOnlyTenantAdmin):
    list_display = ("created_at", "how", "result", "document")
    list_filter = ("how", "result")
    list_select_related = ("document",)
