"""REST API of the e-services (documented in the OpenAPI schema; problem-details errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dimos.core.api import PublicThrottle
from dimos.core.capabilities import Capability, has_capability, may_handle_application
from dimos.core.exceptions import NotFound, PermissionDenied, RateLimited, ValidationFailed
from dimos.core.tenancy import IsMunicipalStaff, require_municipality
from dimos.eservices import selectors, services
from dimos.eservices.codes import code_display, code_is_valid, code_normalize
from dimos.eservices.constants import QUEUE_VIEWS_LABELS, Status
from dimos.eservices.forms import ApplicationForm, data_schema, initial_from_data
from dimos.eservices.models import Application
from dimos.eservices.verification import rate_limited, verification_result


class ServiceCatalogueOutSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title_el = serializers.CharField()
    title_en = serializers.CharField()
    description_el = serializers.CharField()
    description_en = serializers.CharField()
    eligibility_el = serializers.CharField()
    required_documents = serializers.JSONField()
    fee = serializers.DecimalField(max_digits=8, decimal_places=2)
    legal_basis = serializers.CharField()
    deadline_days = serializers.IntegerField()
    deadline_kind = serializers.CharField()
    outcome = serializers.CharField()
    external_url = serializers.URLField()
    department = serializers.CharField(source="department.name_el", default="", read_only=True)
    form = serializers.JSONField()
    data_schema = serializers.SerializerMethodField(help_text="JSON Schema of the answers (`data`).")

    def get_data_schema(self, service: Any) -> dict[str, Any]:
        return data_schema(service)


class CatalogueApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema(
        responses=ServiceCatalogueOutSerializer(many=True), summary="The service catalogue", tags=["services"]
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        return Response(
            ServiceCatalogueOutSerializer(selectors.service_list(municipality=municipality), many=True).data
        )


class ServicesEventOutSerializer(serializers.Serializer):
    kind = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class ServicesDocumentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    code = serializers.CharField()
    protocol = serializers.CharField(source="protocol.label")
    issued_at = serializers.DateTimeField()
    status = serializers.CharField()
    sha256 = serializers.CharField()


class CitizenApplicationOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = serializers.CharField(source="service.slug")
    status = serializers.CharField()
    protocol = serializers.CharField(source="protocol_label")
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    data = serializers.JSONField()
    rejection_reason = serializers.CharField()


class CitizenApplicationDetailOutSerializer(CitizenApplicationOutSerializer):
    timeline = ServicesEventOutSerializer(many=True)
    documents = ServicesDocumentOutSerializer(many=True)


class CitizenApplicationInSerializer(serializers.Serializer):
    service = serializers.SlugField()
    data = serializers.DictField(required=False, default=dict)


def _form_values(service: Any, user: Any, data: dict[str, Any], *, draft: bool) -> dict[str, Any]:
    """Validate JSON values with the same form as the pages (files are pages-only)."""
    qd = QueryDict(mutable=True)
    for key, value in initial_from_data(service, data).items():
        if isinstance(value, list):
            qd.setlist(key, [str(v) for v in value])
        elif value is not None:
            qd[key] = str(value)
    form = ApplicationForm(qd, {}, service=service, user=user, draft=draft)
    if not form.is_valid():
        errors = {k: [str(e) for e in v] for k, v in form.errors.items()}
        raise ValidationFailed(_("Τα στοιχεία της αίτησης δεν είναι έγκυρα."), errors=errors)
    return form.values()


class MyApplicationsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=CitizenApplicationOutSerializer(many=True), summary="My applications", tags=["services"]
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        qs = selectors.application_list_for_citizen(municipality=municipality, citizen=request.user)[:200]
        return Response(CitizenApplicationOutSerializer(qs, many=True).data)

    @extend_schema(
        request=CitizenApplicationInSerializer,
        responses={201: CitizenApplicationOutSerializer},
        summary="Start (or resume) a draft application with form values",
        description="Values are validated like the web form (ΑΦΜ/ΑΜΚΑ checks, choices, limits). "
        "Attachments are uploaded through the web pages. Submit with .../submit/.",
        tags=["services"],
    )
    def post(self, request: Request) -> Response:
        municipality = require_municipality(request)
        incoming = CitizenApplicationInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        service = selectors.service_get(municipality=municipality, slug=incoming.validated_data["service"])
        if service is None:
            raise NotFound(_("Η υπηρεσία δεν βρέθηκε."))
        values = _form_values(service, request.user, incoming.validated_data["data"], draft=True)
        application = services.application_start(
            municipality=municipality, service=service, citizen=request.user
        )
        application = services.application_save_draft(
            application_id=application.pk, municipality=municipality, citizen=request.user, values=values
        )
        return Response(CitizenApplicationOutSerializer(application).data, status=201)


def _citizen_detail(application: Application) -> dict[str, Any]:
    application.timeline = list(selectors.citizen_timeline(application))  # type: ignore[attr-defined]
    application.documents_list = list(selectors.documents_for_application(application))  # type: ignore[attr-defined]
    data = CitizenApplicationOutSerializer(application).data
    data["timeline"] = ServicesEventOutSerializer(application.timeline, many=True).data  # type: ignore[attr-defined]
    data["documents"] = ServicesDocumentOutSerializer(application.documents_list, many=True).data  # type: ignore[attr-defined]
    return data


class MyApplicationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=CitizenApplicationDetailOutSerializer, summary="One of my applications", tags=["services"]
    )
    def get(self, request: Request, pk: int) -> Response:
        municipality = require_municipality(request)
        application = selectors.application_get_for_citizen(
            municipality=municipality, citizen=request.user, pk=pk
        )
        if application is None:
            raise NotFound(_("Η αίτηση δεν βρέθηκε."))
        return Response(_citizen_detail(application))


class MyApplicationSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=CitizenApplicationDetailOutSerializer,
        summary="Submit a draft: protocol number at once (idempotent)",
        tags=["services"],
    )
    def post(self, request: Request, pk: int) -> Response:
        municipality = require_municipality(request)
        application = selectors.application_get_for_citizen(
            municipality=municipality, citizen=request.user, pk=pk
        )
        if application is None:
            raise NotFound(_("Η αίτηση δεν βρέθηκε."))
        application = services.application_submit(
            application_id=pk, municipality=municipality, citizen=request.user
        )
        return Response(_citizen_detail(application))


class StaffApplicationOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = serializers.CharField(source="service.slug")
    status = serializers.CharField()
    protocol = serializers.CharField(source="protocol_label")
    submitted_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    department_id = serializers.IntegerField(allow_null=True)
    assignee = serializers.CharField(source="assignee.username", default="", read_only=True)


class StaffEventOutSerializer(ServicesEventOutSerializer):
    actor = serializers.CharField(source="actor.username", default="", read_only=True)
    visible_to_citizen = serializers.BooleanField()


class StaffApplicationDetailOutSerializer(StaffApplicationOutSerializer):
    citizen_name = serializers.CharField(source="citizen.get_full_name")
    data = serializers.JSONField()
    rejection_reason = serializers.CharField()
    allowed_transitions = serializers.ListField(child=serializers.CharField())
    timeline = StaffEventOutSerializer(many=True)


class StaffApplicationListApi(APIView):
    permission_classes = [IsAuthenticated, IsMunicipalStaff]
    required_capability = Capability.ESERVICES_HANDLE

    @extend_schema(
        parameters=[
            OpenApiParameter("view", str, enum=list(QUEUE_VIEWS_LABELS)),
            OpenApiParameter("department", int),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=StaffApplicationOutSerializer(many=True),
        summary="The queue of applications (staff of this municipality)",
        tags=["services-staff"],
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        view = request.query_params.get("view", "open")
        if view not in QUEUE_VIEWS_LABELS:
            raise ValidationFailed(_("Άγνωστη προβολή."), field="view")
        department = request.query_params.get("department")
        try:
            department_id = int(department) if department else None
        except ValueError as exc:
            raise ValidationFailed(
                _("Ο κωδικός υπηρεσίας πρέπει να είναι αριθμός."), field="department"
            ) from exc
        handled = set(
            selectors.departments_handled(municipality=municipality, user=request.user).values_list(
                "pk", flat=True
            )
        )
        if department_id is not None and department_id not in handled:
            raise PermissionDenied(_("Η υπηρεσία δεν είναι δική σας."))
        qs = selectors.application_queue(
            municipality=municipality,
            department_id=department_id,
            department_ids=None
            if has_capability(request.user, Capability.ESERVICES_ALL_DEPARTMENTS)
            else handled,
            view=view,
            assignee=request.user,
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(StaffApplicationOutSerializer(page, many=True).data)


def _staff_detail(application: Application) -> dict[str, Any]:
    application.allowed_transitions = services.allowed_transitions(application)  # type: ignore[attr-defined]
    application.timeline = list(selectors.staff_timeline(application))  # type: ignore[attr-defined]
    return StaffApplicationDetailOutSerializer(application).data


def _staff_get(request: Request, pk: int) -> Application:
    municipality = require_municipality(request)
    application = selectors.application_get_for_staff(municipality=municipality, pk=pk)
    if application is None or application.status == Status.DRAFT:
        raise NotFound(_("Η αίτηση δεν βρέθηκε."))
    if not may_handle_application(request.user, application.department_id):
        raise PermissionDenied(_("Η αίτηση ανήκει σε άλλο τμήμα."))
    return application


class StaffApplicationApi(APIView):
    permission_classes = [IsAuthenticated, IsMunicipalStaff]
    required_capability = Capability.ESERVICES_HANDLE

    @extend_schema(
        responses=StaffApplicationDetailOutSerializer,
        summary="One application (staff)",
        tags=["services-staff"],
    )
    def get(self, request: Request, pk: int) -> Response:
        application = _staff_get(request, pk)
        services.citizen_contact_read(application=application, actor=request.user)
        return Response(_staff_detail(application))


class StaffTransitionInSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class StaffTransitionApi(APIView):
    permission_classes = [IsAuthenticated, IsMunicipalStaff]
    required_capability = Capability.ESERVICES_HANDLE

    @extend_schema(
        request=StaffTransitionInSerializer,
        responses=StaffApplicationDetailOutSerializer,
        summary="Change an application's status (checked against the transition table)",
        description="409 transition_not_allowed when the table does not allow it; rejection and "
        "requests for documents need a comment.",
        tags=["services-staff"],
    )
    def post(self, request: Request, pk: int) -> Response:
        application = _staff_get(request, pk)
        incoming = StaffTransitionInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.application_transition(
            application_id=application.pk,
            municipality=application.municipality,
            actor=request.user,
            to_status=incoming.validated_data["to_status"],
            comment=incoming.validated_data["comment"],
            base_url=f"{request.scheme}://{request.get_host()}",
        )
        return Response(_staff_detail(_staff_get(request, pk)))


class RegisterEntryOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    registered_at = serializers.DateTimeField()
    direction = serializers.CharField()
    subject = serializers.CharField()
    correspondent = serializers.CharField()
    external_ref = serializers.CharField()
    voided = serializers.BooleanField()
    void_reason = serializers.CharField()


class RegisterEntriesApi(APIView):
    permission_classes = [IsAuthenticated, IsMunicipalStaff]
    required_capability = Capability.REGISTER_READ

    @extend_schema(
        parameters=[
            OpenApiParameter("start", dt.date, required=True),
            OpenApiParameter("end", dt.date, required=True),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=RegisterEntryOutSerializer(many=True),
        summary="Protocol register entries for a date range (inclusive)",
        tags=["services-staff"],
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        try:
            start = dt.date.fromisoformat(request.query_params.get("start", ""))
            end = dt.date.fromisoformat(request.query_params.get("end", ""))
        except ValueError as exc:
            raise ValidationFailed(_("Δώστε start και end ως ΕΕΕΕ-ΜΜ-ΗΗ."), field="start") from exc
        if end < start or (end - start).days > 366:
            raise ValidationFailed(
                _("Το διάστημα πρέπει να είναι έως ένα έτος, με end ≥ start."), field="end"
            )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(
            selectors.register_entries(municipality=municipality, start=start, end=end), request, view=self
        )
        return paginator.get_paginated_response(RegisterEntryOutSerializer(page, many=True).data)


class VerificationOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    type = serializers.CharField()
    protocol = serializers.CharField()
    issued_at = serializers.DateTimeField()
    status = serializers.CharField()
    status_changed_at = serializers.DateTimeField(allow_null=True)
    superseded_by = serializers.CharField(allow_null=True)
    sha256 = serializers.CharField()
    municipality = serializers.CharField()


class VerifyApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses=VerificationOutSerializer,
        summary="Verify an issued document by its code (public, rate-limited, no personal data)",
        tags=["verification"],
    )
    def get(self, request: Request, code: str) -> Response:
        municipality = require_municipality(request)
        if rate_limited(request):
            services.verification_log(
                municipality=municipality, document=None, how="limited", result="rate_limited"
            )
            raise RateLimited(_("Πάρα πολλοί έλεγχοι από αυτή τη διεύθυνση· δοκιμάστε ξανά σε ένα λεπτό."))
        normal = code_normalize(code)
        if not code_is_valid(normal):
            services.verification_log(municipality=municipality, document=None, how="api", result="bad_check")
            raise ValidationFailed(_("Ο κωδικός δεν είναι σωστός (λάθος χαρακτήρας ελέγχου)."), field="code")
        document = verification_result(municipality=municipality, code=normal)
        if document is None:
            services.verification_log(municipality=municipality, document=None, how="api", result="not_found")
            raise NotFound(_("Δεν βρέθηκε έγγραφο με αυτόν τον κωδικό."))
        services.verification_log(
            municipality=municipality,
            document=None,
            document_id=document.pk,
            how="api",
            result=document.status,
        )
        return Response(
            VerificationOutSerializer(
                {
                    "code": code_display(document.code),
                    "type": document.title,
                    "protocol": document.protocol_label,
                    "issued_at": timezone.localtime(document.issued_at),
                    "status": document.status,
                    "status_changed_at": document.status_changed_at,
                    "superseded_by": code_display(document.superseded_by_code)
                    if document.superseded_by_code
                    else None,
                    "sha256": document.sha256,
                    "municipality": municipality.name_el,
                }
            ).data
        )
