from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import User
from dimos.core.admin import TenantAdmin


@admin.register(User)
class UserAdmin(TenantAdmin, DjangoUserAdmin):
    """Municipal administrators manage their municipality's staff accounts only.

    Citizens are not listed here: their records are personal data reachable only
    through the case they belong to.
    """

    list_display = ["username", "first_name", "last_name", "role", "department", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Στοιχεία"), {"fields": ("first_name", "last_name", "email", "phone", "language")}),
        (_("Ρόλος"), {"fields": ("role", "municipality", "department", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "role", "department"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.exclude(role="")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        sets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return sets
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "municipality")})
            for name, opts in sets
        ]
