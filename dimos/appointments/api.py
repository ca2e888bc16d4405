"""REST API: free slots (public), booking and cancelling (citizen), the day list (staff).

Free-slot answers carry times and counts only: nothing about who booked.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dimos.appointments import selectors, services
from dimos.appointments.constants import STAFF_MARKS, AppointmentStatus
from dimos.appointments.models import Appointment, ServicePoint
from dimos.core.api import PublicThrottle
from dimos.core.capabilities import Capability
from dimos.core.services import audit_record
from dimos.core.tenancy import IsMunicipalStaff, require_municipality, tenant_get_or_404

MAX_DAYS = 31


# The enum sits inside ``allOf`` so drf-spectacular inlines it instead of making a
# project-wide "StatusEnum" component that would collide with other apps' statuses.
@extend_schema_field({"type": "string", "allOf": [{"enum": [s.value for s in AppointmentStatus]}]})
class AppointmentStatusField(serializers.ChoiceField):
    """Appointment status. Inlined in the schema (not an enum component), so it
    never collides with other apps' ``status`` enums."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=AppointmentStatus.choices, **kwargs)


@extend_schema_field({"type": "string", "allOf": [{"enum": [s.value for s in STAFF_MARKS]}]})
class StaffMarkField(serializers.ChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=[(s.value, s.label) for s in STAFF_MARKS], **kwargs)


class AppointmentOutSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = AppointmentStatusField()
    point_id = serializers.IntegerField()
    point = serializers.CharField(source="point.name")
    counter = serializers.CharField(source="counter.name")
    type_id = serializers.IntegerField()
    type = serializers.CharField(source="type.name")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class AppointmentTypeOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_el = serializers.CharField()
    name_en = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    info_url = serializers.CharField()


class ServicePointOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_el = serializers.CharField()
    name_en = serializers.CharField()
    address = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    slot_minutes = serializers.IntegerField()
    types = AppointmentTypeOutSerializer(many=True, source="served_types")


class FreeSlotOutSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    free = serializers.IntegerField()


class FreeDayOutSerializer(serializers.Serializer):
    day = serializers.DateField()
    closed_reason = serializers.CharField()
    closed = serializers.BooleanField(help_text="Closed all day: a holiday, a closure or no opening hours.")
    slots = FreeSlotOutSerializer(many=True)


class PointListApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema(
        responses=ServicePointOutSerializer(many=True),
        summary="Service points of this municipality and the appointment types each serves",
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        points = list(selectors.point_list(municipality=municipality))
        for point in points:
            point.served_types = list(selectors.types_for_point(municipality=municipality, point=point))
        return Response(ServicePointOutSerializer(points, many=True).data)


class FreeSlotsApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    class FreeSlotsQuerySerializer(serializers.Serializer):
        point = serializers.IntegerField()
        type = serializers.IntegerField()
        start = serializers.DateField(required=False)
        days = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DAYS, default=7)

    @extend_schema(
        parameters=[
            OpenApiParameter("point", OpenApiTypes.INT, required=True),
            OpenApiParameter("type", OpenApiTypes.INT, required=True),
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: today)"),
            OpenApiParameter(
                "days", OpenApiTypes.INT, description=f"How many days (1–{MAX_DAYS}, default 7)"
            ),
        ],
        responses=FreeDayOutSerializer(many=True),
        summary="Free appointment slots per day (public; times and counts only)",
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        query = self.FreeSlotsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        point = tenant_get_or_404(
            ServicePoint, municipality, pk=query.validated_data["point"], is_active=True
        )
        appointment_type = tenant_get_or_404(
            selectors.types_for_point(municipality=municipality, point=point),
            municipality,
            pk=query.validated_data["type"],
        )
        days = selectors.free_slots(
            municipality=municipality,
            point=point,
            appointment_type=appointment_type,
            start=query.validated_data.get("start") or timezone.localdate(),
            days=query.validated_data["days"],
        )
        # Built directly (same shape as FreeDayOutSerializer): a busy month has
        # thousands of slots and field-by-field serialisation dominated the time.
        tz = selectors.local_tz()
        return Response(
            [
                {
                    "day": d.day.isoformat(),
                    "closed_reason": d.closed_reason,
                    "closed": d.closed,
                    "slots": [
                        {
                            "starts_at": s.starts_at.astimezone(tz).isoformat(),
                            "ends_at": s.ends_at.astimezone(tz).isoformat(),
                            "free": s.free,
                        }
                        for s in d.slots
                    ],
                }
                for d in days
            ]
        )


class AppointmentBookApi(APIView):
    permission_classes = [IsAuthenticated]

    class AppointmentBookInSerializer(serializers.Serializer):
        point = serializers.IntegerField()
        type = serializers.IntegerField()
        starts_at = serializers.DateTimeField(help_text="ISO 8601 with offset, as given by /slots/")

    @extend_schema(
        request=AppointmentBookInSerializer,
        responses={201: AppointmentOutSerializer},
        summary="Book a slot (signed-in citizen). Repeating the same request returns the same booking.",
        tags=["appointments"],
    )
    def post(self, request: Request) -> Response:
        municipality = require_municipality(request)
        data = self.AppointmentBookInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        point = tenant_get_or_404(ServicePoint, municipality, pk=data.validated_data["point"])
        appointment_type = tenant_get_or_404(
            selectors.types_for_point(municipality=municipality, point=point),
            municipality,
            pk=data.validated_data["type"],
        )
        appointment = services.appointment_book(
            municipality=municipality,
            citizen=request.user,
            point=point,
            appointment_type=appointment_type,
            starts_at=data.validated_data["starts_at"],
        )
        return Response(AppointmentOutSerializer(appointment).data, status=201)


class MyAppointmentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=AppointmentOutSerializer(many=True),
        summary="The signed-in citizen's appointments",
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        rows = selectors.appointments_of_citizen(municipality=municipality, citizen=request.user)[:200]
        return Response(AppointmentOutSerializer(rows, many=True).data)


class AppointmentCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=AppointmentOutSerializer,
        summary="Cancel one of the signed-in citizen's appointments",
        tags=["appointments"],
    )
    def post(self, request: Request, reference: str) -> Response:
        municipality = require_municipality(request)
        appointment = tenant_get_or_404(
            Appointment, municipality, reference=reference.upper(), citizen=request.user
        )
        appointment = services.appointment_cancel(appointment=appointment, actor=request.user)
        return Response(AppointmentOutSerializer(appointment).data)


class DayListApi(APIView):
    permission_classes = [IsAuthenticated, IsMunicipalStaff]
    required_capability = Capability.APPOINTMENTS_DESK

    class DayListRowOutSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        reference = serializers.CharField()
        status = AppointmentStatusField()
        counter = serializers.CharField(source="counter.name")
        type = serializers.CharField(source="type.name")
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        citizen_name = serializers.CharField(source="citizen.get_full_name")

    class DayListQuerySerializer(serializers.Serializer):
        point = serializers.IntegerField()
        date = serializers.DateField()

    @extend_schema(
        parameters=[
            OpenApiParameter("point", OpenApiTypes.INT, required=True),
            OpenApiParameter("date", OpenApiTypes.DATE, required=True),
        ],
        responses=DayListRowOutSerializer(many=True),
        summary="The clerk's day list of a service point (staff)",
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        query = self.DayListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        point = tenant_get_or_404(ServicePoint, municipality, pk=query.validated_data["point"])
        rows = list(
            selectors.day_list(municipality=municipality, point=point, day=query.validated_data["date"])
        )
        if rows:  # a staff read of citizens' names is an audit event (architecture rule 8)
            audit_record(
                action="appointments.day_list_viewed",
                actor=request.user,
                municipality=municipality,
                new={"point": point.pk, "date": query.validated_data["date"].isoformat(), "via": "api"},
            )
        return Response(self.DayListRowOutSerializer(rows, many=True).data)


class AppointmentMarkApi(APIView):
    permission_classes = [IsAuthenticated, IsMunicipalStaff]
    required_capability = Capability.APPOINTMENTS_DESK

    class AppointmentMarkInSerializer(serializers.Serializer):
        status = StaffMarkField()
        comment = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    @extend_schema(
        request=AppointmentMarkInSerializer,
        responses=AppointmentOutSerializer,
        summary="Mark an appointment served or no-show (staff; per the transition table)",
        tags=["appointments"],
    )
    def post(self, request: Request, pk: int) -> Response:
        municipality = require_municipality(request)
        appointment = tenant_get_or_404(Appointment, municipality, pk=pk)
        data = self.AppointmentMarkInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = services.appointment_mark(
            appointment=appointment,
            actor=request.user,
            status=data.validated_data["status"],
            comment=data.validated_data["comment"],
        )
        return Response(AppointmentOutSerializer(appointment).data)
