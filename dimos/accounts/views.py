"""Sign-in pages: citizens through identity providers, staff with password and TOTP."""

from __future__ import annotations

import dataclasses
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dimos.accounts import throttle
from dimos.accounts.enrolment import totp_enrolment_code_redeem
from dimos.accounts.forms import (
    DevIdentityForm,
    EmailForm,
    EnrolmentCodeForm,
    PhoneCodeForm,
    PhoneForm,
    StaffLoginForm,
    TOTPForm,
)
from dimos.accounts.models import TOTPDevice
from dimos.accounts.providers import FlowState, Identity, ProviderError, registry
from dimos.accounts.providers.dev import dev_code_issue
from dimos.accounts.services import (
    citizen_from_identity,
    email_verification_request,
    email_verify,
    is_staff_account,
    phone_code_check,
    phone_code_send,
    totp_device_for_enrolment,
    totp_provisioning_uri,
    totp_verify,
)
from dimos.core.exceptions import ValidationFailed
from dimos.core.middleware import client_ip
from dimos.core.qr import qr_svg
from dimos.core.services import audit_record
from dimos.core.tenancy import require_municipality

User = get_user_model()

FLOWS_KEY = "dimos_idp_flows"
PROVIDER_KEY = "dimos_idp_provider"
PENDING_KEY = "dimos_pending_staff"
PHONE_KEY = "dimos_phone_pending"
ENROL_KEY = "dimos_totp_enrol_allowed"
FLOW_MAX_AGE = 10 * 60
PENDING_MAX_AGE = 5 * 60
MAX_FLOWS = 5
BACKEND = settings.AUTHENTICATION_BACKENDS[0]

BAD_STATE = gettext_lazy(
    "Η σύνδεση δεν ολοκληρώθηκε: ο σύνδεσμος επιστροφής έληξε, χρησιμοποιήθηκε ήδη ή δεν ξεκίνησε από "
    "αυτή τη σελίδα. Για την ασφάλειά σας δεν δημιουργήθηκε λογαριασμός. Ξεκινήστε ξανά τη σύνδεση."
)
PROVIDER_REFUSED = gettext_lazy("Η σύνδεση ακυρώθηκε ή δεν εγκρίθηκε στην υπηρεσία ταυτοποίησης.")


def _safe_next(request: HttpRequest, value: str | None, default: str = "") -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _throttled_message(blocked: throttle.Throttled) -> str:
    when = time_format(timezone.localtime(datetime.fromtimestamp(blocked.retry_at, tz=UTC)))
    return _(
        "Πολλές αποτυχημένες προσπάθειες σύνδεσης. Για την ασφάλεια του λογαριασμού δοκιμάστε ξανά "
        "σε %(minutes)s λεπτά (μετά τις %(time)s)."
    ) % {"minutes": blocked.minutes_left, "time": when}


# --- The sign-in page and staff password step ----------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    # Only staff sign in with this form: they land on their own home, not the citizens'.
    next_url = _safe_next(
        request, request.POST.get("next") or request.GET.get("next"), reverse("core:staff_home")
    )
    form = StaffLoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        address = client_ip(request) or ""
        blocked = throttle.sign_in_blocked("login", account=username, address=address)
        if blocked:
            form.add_error(None, _throttled_message(blocked))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None or not is_staff_account(user):
                throttle.sign_in_failed("login", account=username, address=address)
                audit_record(
                    action="accounts.login_failed",
                    municipality=municipality,
                    new={"username": username[:150], "step": "password"},
                )
                form.add_error(None, _("Λάθος όνομα χρήστη ή κωδικός πρόσβασης."))
                status = 400
            elif settings.STAFF_TOTP_REQUIRED:
                request.session.cycle_key()
                request.session[PENDING_KEY] = {"uid": user.pk, "at": time.time(), "next": next_url}
                confirmed = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
                return redirect("accounts:totp" if confirmed else "accounts:totp_enrol")
            else:
                throttle.sign_in_succeeded("login", account=username)
                login(request, user, backend=BACKEND)
                audit_record(
                    action="accounts.login",
                    actor=user,
                    obj=user,
                    municipality=municipality,
                    new={"method": "password"},
                )
                return HttpResponseRedirect(next_url)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "providers": registry.enabled(),
            "next": next_url,
            "totp_required": settings.STAFF_TOTP_REQUIRED,
        },
        status=status,
    )


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | tuple[None, None]:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("at", 0) + PENDING_MAX_AGE < time.time():
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = User.objects.filter(pk=pending.get("uid"), is_active=True).first()
    return (user, pending) if user is not None else (None, None)


def _finish_staff_login(request: HttpRequest, user: Any, pending: dict[str, Any]) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    throttle.sign_in_succeeded("login", account=user.username)
    throttle.sign_in_succeeded("totp", account=str(user.pk))
    login(request, user, backend=BACKEND)
    audit_record(
        action="accounts.login",
        actor=user,
        obj=user,
        municipality=request.municipality,
        new={"method": "password+totp"},
    )
    return HttpResponseRedirect(_safe_next(request, pending.get("next")))


def _totp_attempt(request: HttpRequest, user: Any, form: TOTPForm) -> tuple[bool, int]:
    account, address = str(user.pk), client_ip(request) or ""
    blocked = throttle.sign_in_blocked("totp", account=account, address=address)
    if blocked:
        form.add_error("code", _throttled_message(blocked))
        return False, 429
    if totp_verify(user=user, code=form.cleaned_data["code"]):
        return True, 200
    throttle.sign_in_failed("totp", account=account, address=address)
    audit_record(
        action="accounts.login_failed",
        actor=None,
        obj=user,
        municipality=request.municipality,
        new={"step": "totp"},
    )
    form.add_error(
        "code",
        _(
            "Ο κωδικός δεν είναι σωστός ή έχει ήδη χρησιμοποιηθεί. Περιμένετε τον επόμενο κωδικό και δοκιμάστε ξανά."
        ),
    )
    return False, 400


@never_cache
@require_http_methods(["GET", "POST"])
def totp_view(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    user, pending = _pending_user(request)
    if user is None:
        messages.warning(request, _("Η σύνδεση έληξε. Συνδεθείτε ξανά με όνομα χρήστη και κωδικό."))
        return redirect("accounts:login")
    if not TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        return redirect("accounts:totp_enrol")
    form = TOTPForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ok, status = _totp_attempt(request, user, form)
            if ok:
                return _finish_staff_login(request, user, pending)
    return render(request, "accounts/totp.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def totp_enrol_view(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    user, pending = _pending_user(request)
    if user is None:
        messages.warning(request, _("Η σύνδεση έληξε. Συνδεθείτε ξανά με όνομα χρήστη και κωδικό."))
        return redirect("accounts:login")
    if TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        return redirect("accounts:totp")
    if request.session.get(ENROL_KEY) != user.pk:
        return _enrolment_code_step(request, user)
    device = totp_device_for_enrolment(user=user)
    form = TOTPForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ok, status = _totp_attempt(request, user, form)
            if ok:
                request.session.pop(ENROL_KEY, None)
                audit_record(
                    action="accounts.totp_enrolled", actor=user, obj=user, municipality=request.municipality
                )
                return _finish_staff_login(request, user, pending)
    uri = totp_provisioning_uri(device)
    secret = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "qr": qr_svg(uri, scale=5, title=_("Κωδικός QR για την εφαρμογή επαλήθευσης")),
            "secret": secret,
        },
        status=status,
    )


def _enrolment_code_step(request: HttpRequest, user: Any) -> HttpResponse:
    """First enrolment: the one-time code from an administrator before the authenticator's secret."""
    form = EnrolmentCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        account, address = str(user.pk), client_ip(request) or ""
        blocked = throttle.sign_in_blocked("totp", account=account, address=address)
        if blocked:
            form.add_error(None, _throttled_message(blocked))
            status = 429
        elif form.is_valid():
            if totp_enrolment_code_redeem(user=user, code=form.cleaned_data["enrolment_code"]):
                request.session[ENROL_KEY] = user.pk
                return redirect("accounts:totp_enrol")
            throttle.sign_in_failed("totp", account=account, address=address)
            audit_record(
                action="accounts.login_failed",
                obj=user,
                municipality=request.municipality,
                new={"username": user.username, "step": "enrolment_code"},
            )
            form.add_error(
                "enrolment_code",
                _("Ο κωδικός ενεργοποίησης δεν είναι σωστός, έχει λήξει ή έχει ήδη χρησιμοποιηθεί."),
            )
    return render(request, "accounts/totp_enrolment_code.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    municipality = getattr(request, "municipality", None)
    provider_id = request.session.get(PROVIDER_KEY, "")
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit_record(action="accounts.logout", actor=user, obj=user, municipality=municipality)
    logout(request)
    home = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    provider = registry.get_enabled(provider_id) if provider_id else None
    remote = provider.logout_url(request, return_to=home) if provider else None
    return HttpResponseRedirect(remote or home)


# --- Citizen identity providers ------------------------------------------------------


def _callback_uri(request: HttpRequest, provider_id: str) -> str:
    return request.build_absolute_uri(reverse("accounts:provider_callback", args=[provider_id]))


def _flow_start(request: HttpRequest, provider_id: str, next_url: str) -> FlowState:
    flows = request.session.get(FLOWS_KEY) or {}
    now = time.time()
    flows = {k: v for k, v in flows.items() if v.get("created", 0) + FLOW_MAX_AGE > now}
    if len(flows) >= MAX_FLOWS:  # keep the newest few: a session cannot hoard states
        for old in sorted(flows, key=lambda k: flows[k]["created"])[: len(flows) - MAX_FLOWS + 1]:
            flows.pop(old)
    flow = FlowState(
        provider=provider_id,
        state=secrets.token_urlsafe(32),
        created=now,
        next_url=next_url,
        nonce=secrets.token_urlsafe(24),
        code_verifier=secrets.token_urlsafe(48),
    )
    flows[flow.state] = dataclasses.asdict(flow)
    request.session[FLOWS_KEY] = flows
    return flow


def _flow_take(request: HttpRequest, provider_id: str, state: str) -> FlowState:
    """The flow that ``state`` names, removed from the session (single use); else ProviderError."""
    flows = request.session.get(FLOWS_KEY) or {}
    data = flows.pop(state, None) if state else None
    request.session[FLOWS_KEY] = flows
    if not data or data.get("provider") != provider_id:
        raise ProviderError(BAD_STATE, status=400, reason="state_unknown")
    if data.get("created", 0) + FLOW_MAX_AGE < time.time():
        raise ProviderError(BAD_STATE, status=400, reason="state_expired")
    return FlowState(**data)


def _error_page(request: HttpRequest, error: ProviderError, provider_id: str) -> HttpResponse:
    audit_record(
        action="accounts.login_failed",
        municipality=getattr(request, "municipality", None),
        new={"provider": provider_id[:40], "reason": error.reason[:80]},
    )
    return render(request, "accounts/login_error.html", {"message": error.message}, status=error.status)


@never_cache
@require_http_methods(["GET"])
def provider_start(request: HttpRequest, provider_id: str) -> HttpResponse:
    require_municipality(request)
    provider = registry.get_enabled(provider_id)
    if provider is None:
        raise Http404("Unknown identity provider")
    flow = _flow_start(request, provider.id, _safe_next(request, request.GET.get("next")))
    try:
        url = provider.authorization_url(request, flow=flow, redirect_uri=_callback_uri(request, provider.id))
    except ProviderError as error:
        return _error_page(request, error, provider.id)
    return HttpResponseRedirect(url)


@never_cache
@require_http_methods(["GET"])
def provider_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    municipality = require_municipality(request)
    provider = registry.get_enabled(provider_id)
    if provider is None:
        raise Http404("Unknown identity provider")
    try:
        flow = _flow_take(request, provider.id, request.GET.get("state", ""))
        if request.GET.get("error"):
            raise ProviderError(PROVIDER_REFUSED, status=400, reason="provider_refused")
        identity = provider.complete(
            request, params=request.GET, flow=flow, redirect_uri=_callback_uri(request, provider.id)
        )
        user = citizen_from_identity(identity=identity)
    except ProviderError as error:
        return _error_page(request, error, provider.id)
    login(request, user, backend=BACKEND)
    request.session[PROVIDER_KEY] = provider.id
    audit_record(
        action="accounts.login",
        actor=user,
        obj=user,
        municipality=municipality,
        new={"method": provider.id},
    )
    next_url = _safe_next(request, flow.next_url)
    if not user.email_verified:
        return HttpResponseRedirect(f"{reverse('accounts:email')}?{urlencode({'next': next_url})}")
    return HttpResponseRedirect(next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def dev_authorize(request: HttpRequest) -> HttpResponse:
    """The demo stand-in's «TaxisNet» page. 404 unless settings.DIMOS_DEV_LOGIN."""
    require_municipality(request)
    provider = registry.get_enabled("taxisnet-demo")
    if provider is None:
        raise Http404("The demo sign-in is disabled")
    state = request.POST.get("state") or request.GET.get("state", "")
    form = DevIdentityForm(request.POST if "manual" in request.POST else None)
    status = 200
    identity: Identity | None = None
    if request.method == "POST":
        if "citizen" in request.POST:
            citizen = (
                User.objects.filter(
                    pk=request.POST.get("citizen") if str(request.POST.get("citizen")).isdigit() else None,
                    role="",
                    is_superuser=False,
                    is_staff=False,
                )
                .exclude(afm="")
                .first()
            )
            if citizen is None:
                raise Http404("No such demo citizen")
            identity = Identity(
                provider=provider.id,
                subject=f"demo-{citizen.afm}",
                afm=citizen.afm,
                first_name=citizen.first_name,
                last_name=citizen.last_name,
                father_name=citizen.father_name,
                mother_name=citizen.mother_name,
                birth_year=citizen.birth_year,
            )
        elif form.is_valid():
            data = form.cleaned_data
            identity = Identity(
                provider=provider.id,
                subject=f"demo-{data['afm']}",
                afm=data["afm"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                father_name=data["father_name"],
                mother_name=data["mother_name"],
                birth_year=data["birth_year"],
            )
        else:
            status = 400
    if identity is not None:
        code = dev_code_issue(request, identity)
        query = "?" + urlencode({"code": code, "state": state})
        return HttpResponseRedirect(reverse("accounts:provider_callback", args=[provider.id]) + query)
    citizens = (
        User.objects.filter(role="", is_superuser=False, is_staff=False, is_active=True)
        .exclude(afm="")
        .order_by("last_name", "first_name")[:20]
    )
    return render(
        request,
        "accounts/dev_authorize.html",
        {"form": form, "citizens": citizens, "state": state},
        status=status,
    )


# --- After sign-in: e-mail and mobile, my account -------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_view(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = EmailForm(request.POST or None, initial={"email": request.user.email})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            keys = {"user": str(request.user.pk)}
            blocked = throttle.check("email", keys)
            if blocked:
                form.add_error("email", _throttled_message(blocked))
                status = 429
            else:
                throttle.record_failure("email", keys)  # counts sends, limits mail bombing
                email_verification_request(
                    user=request.user,
                    email=form.cleaned_data["email"],
                    municipality=municipality,
                    link_base=request.build_absolute_uri(reverse("accounts:email_verify", args=["TOKEN"])),
                    language=get_language(),
                )
                return render(
                    request,
                    "accounts/email_sent.html",
                    {"email": form.cleaned_data["email"], "next": next_url},
                )
    return render(request, "accounts/email.html", {"form": form, "next": next_url}, status=status)


@never_cache
@require_http_methods(["GET"])
def email_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    municipality = require_municipality(request)
    try:
        user = email_verify(token=token, municipality=municipality)
    except ValidationFailed as error:
        return render(
            request,
            "accounts/login_error.html",
            {"message": error.message, "title": _("Επαλήθευση e-mail")},
            status=400,
        )
    messages.success(request, _("Η διεύθυνση e-mail σας επαληθεύτηκε."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:account")
    return redirect("core:home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def phone_view(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = PhoneForm(request.POST or None, initial={"phone": request.user.phone})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            keys = {"user": str(request.user.pk)}
            blocked = throttle.check("sms", keys)
            if blocked:
                form.add_error("phone", _throttled_message(blocked))
                status = 429
            else:
                throttle.record_failure("sms", keys)  # counts sends: SMS cost money
                request.session[PHONE_KEY] = phone_code_send(
                    user=request.user, phone=form.cleaned_data["phone"], municipality=municipality
                )
                return redirect("accounts:phone_verify")
    return render(request, "accounts/phone.html", {"form": form}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def phone_verify_view(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    pending = request.session.get(PHONE_KEY)
    if not pending:
        return redirect("accounts:phone")
    form = PhoneCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                phone_code_check(
                    user=request.user,
                    pending=pending,
                    code=form.cleaned_data["code"],
                    municipality=municipality,
                )
            except ValidationFailed as error:
                request.session[PHONE_KEY] = pending  # the attempt counter moved
                form.add_error("code", error.message)
            else:
                request.session.pop(PHONE_KEY, None)
                messages.success(request, _("Το κινητό σας επαληθεύτηκε."))
                return redirect("accounts:account")
    masked = "•" * (len(pending["phone"]) - 3) + pending["phone"][-3:]
    return render(request, "accounts/phone_verify.html", {"form": form, "masked": masked}, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def account_view(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    user = request.user
    identities = list(user.external_identities.order_by("provider"))
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "identities": identities,
            "labels": {p.id: p.get_label() for p in registry},
            "has_totp": TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists(),
        },
    )
