from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dimos.accounts.enrolment import totp_enrolment_code_issue
from dimos.accounts.models import ExternalIdentity, User
from dimos.core.admin import TenantAdmin
from dimos.core.capabilities import Capability, grantable_roles, may_grant
from dimos.core.constants import StaffRole
from dimos.core.exceptions import ApplicationError
from dimos.core.services import audit_record


@admin.register(User)
class UserAdmin(TenantAdmin, DjangoUserAdmin):
    """Municipal administrators manage their municipality's staff accounts only.

    Citizens are not listed here: their records are personal data reachable only
    through the case they belong to.
    """

    required_capability = Capability.USERS_MANAGE
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
        # Access to this back office (is_staff) comes with the municipal administrator's role,
        # which only platform administrators grant.
        hidden = {"municipality", "is_staff"}
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
            for name, opts in sets
        ]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not request.user.is_superuser:
            allowed = grantable_roles(request.user)
            kwargs["choices"] = [(value, label) for value, label in StaffRole.choices if value in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        # A municipal administrator manages only the accounts whose role they may grant: not
        # another administrator, not a Region viewer, never a platform administrator.
        if (
            obj is not None
            and not request.user.is_superuser
            and (
                obj.is_superuser or not may_grant(request.user, obj.role, municipality_id=obj.municipality_id)
            )
        ):
            return False
        return super()._allowed(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        municipality_id = obj.municipality_id if request.user.is_superuser else request.user.municipality_id
        if not may_grant(request.user, obj.role, municipality_id=municipality_id):
            raise PermissionDenied(_("Δεν μπορείτε να δώσετε αυτόν τον ρόλο."))
        before = (
            User.objects.filter(pk=obj.pk).values("role", "is_active", "department_id", "is_staff").first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        after = {
            "role": obj.role,
            "is_active": obj.is_active,
            "department_id": obj.department_id,
            "is_staff": obj.is_staff,
        }
        if before is None:
            audit_record(action="accounts.user_created", actor=request.user, obj=obj, new=after)
        elif before != after:
            changed = [key for key in after if before[key] != after[key]]
            action = (
                "accounts.role_changed"
                if "role" in changed or "is_staff" in changed
                else "accounts.activation_changed"
                if "is_active" in changed
                else "accounts.user_changed"
            )
            audit_record(
                action=action,
                actor=request.user,
                obj=obj,
                old={key: before[key] for key in changed},
                new={key: after[key] for key in changed},
            )


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
