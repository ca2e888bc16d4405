from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dimos.accounts.enrolment import totp_enrolment_code_issue
from dimos.accounts.models import ExternalIdentity, User
from dimos.core.admin import TenantAdmin
from dimos.core.exceptions import ApplicationError


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


def staff_login_redirect(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own login page is replaced by the staff sign-in (password + TOTP)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=admin.site.name)
    return redirect_to_login(next_url, login_url=reverse("accounts:login"))


admin.site.login = staff_login_redirect  # type: ignore[method-assign]


@admin.action(description=_("Κωδικός ενεργοποίησης δεύτερου παράγοντα (νέα καταχώριση TOTP)"))
def issue_totp_enrolment_code(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
) -> None:
    """Issue a one-time enrolment code per selected staff member, shown once to the administrator."""
    for user in queryset:
        try:
            code = totp_enrolment_code_issue(user=user, actor=request.user)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{user.username}: {exc.message}", messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            _(
                "Κωδικός ενεργοποίησης για %(user)s: %(code)s — δώστε τον στον υπάλληλο αυτοπροσώπως. "
                "Ισχύει μία φορά, για %(hours)s ώρες· η προηγούμενη συσκευή TOTP καταργήθηκε."
            )
            % {"user": user.username, "code": code, "hours": settings.TOTP_ENROLMENT_CODE_HOURS},
            messages.WARNING,
        )


UserAdmin.actions = [issue_totp_enrolment_code]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Platform administrators only: which provider identities map to which account."""

    list_display = ["provider", "user", "created_at", "last_login_at"]
    list_filter = ["provider"]
    readonly_fields = ["user", "provider", "subject", "created_at", "last_login_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)
