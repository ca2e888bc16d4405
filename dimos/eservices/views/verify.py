"""The public verification pages: look up a code, see what the municipality issued, compare a PDF."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dimos.core.tenancy import require_municipality
from dimos.eservices import services
from dimos.eservices.codes import code_display, code_is_valid, code_normalize
from dimos.eservices.constants import VERIFY_MAX_PDF_BYTES
from dimos.eservices.forms import VerifyLookupForm, VerifyUploadForm
from dimos.eservices.verification import rate_limited, verification_result

__all__ = ["rate_limited", "verify_document", "verify_lookup"]


def _limited_response(request: HttpRequest) -> HttpResponse:
    response = render(request, "services/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    form = VerifyLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = code_normalize(form.cleaned_data["code"])
        if code_is_valid(code):
            return redirect("verify:document", code=code)
        form.add_error(
            "code",
            _(
                "Ο κωδικός δεν είναι σωστός: ελέγξτε ότι τον πληκτρολογήσατε όπως είναι τυπωμένος (10 χαρακτήρες)."
            ),
        )
    return render(request, "services/verify_lookup.html", {"form": form})


def _compare(upload_form: VerifyUploadForm, sha256: str) -> bool | None:
    """Whether the uploaded PDF is byte for byte the issued one (None when no file could be read)."""
    if not upload_form.is_valid():
        return None
    upload = upload_form.cleaned_data["pdf"]
    if upload.size > VERIFY_MAX_PDF_BYTES:
        upload_form.add_error("pdf", _("Το αρχείο είναι πολύ μεγάλο."))
        return None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest() == sha256


# No CSRF token: the page is public and anonymous, and its only POST compares an
# uploaded file with a stored hash; it changes nothing a forged request could
# abuse (the lookup log and the per-address limit apply to every request anyway).
# So the page sets no cookie, and a visitor's page holds nothing of theirs.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify_document(request: HttpRequest, code: str) -> HttpResponse:
    municipality = require_municipality(request)
    if rate_limited(request):
        services.verification_log(
            municipality=municipality, document=None, how="limited", result="rate_limited"
        )
        return _limited_response(request)
    normal = code_normalize(code)
    if normal != code and code_is_valid(normal):
        return redirect("verify:document", code=normal)
    if not code_is_valid(normal):
        services.verification_log(municipality=municipality, document=None, how="lookup", result="bad_check")
        form = VerifyLookupForm({"code": code})
        form.is_valid()
        form.add_error(
            "code",
            _("Ο κωδικός δεν είναι σωστός (λάθος χαρακτήρας ελέγχου). Ελέγξτε τον και δοκιμάστε ξανά."),
        )
        return render(request, "services/verify_lookup.html", {"form": form}, status=400)
    document = verification_result(municipality=municipality, code=normal)
    context: dict[str, Any] = {"document": document, "code_display": code_display(normal)}
    if document is None:
        services.verification_log(municipality=municipality, document=None, how="lookup", result="not_found")
        return render(request, "services/verify_document.html", context, status=404)
    if request.method == "POST":
        upload_form = VerifyUploadForm(request.POST, request.FILES)
        comparison = _compare(upload_form, document.sha256)
        if comparison is not None:
            services.verification_log(
                municipality=municipality,
                document=None,
                document_id=document.pk,
                how="upload",
                result="match" if comparison else "mismatch",
            )
    else:
        upload_form, comparison = VerifyUploadForm(), None
        services.verification_log(
            municipality=municipality,
            document=None,
            document_id=document.pk,
            how="lookup",
            result=document.status,
        )
    context.update(upload_form=upload_form, comparison=comparison)
    return render(request, "services/verify_document.html", context)
