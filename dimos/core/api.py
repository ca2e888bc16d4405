"""Core REST endpoints: public municipality directory and the signed-in user."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from dimos.core.capabilities import Capability
from dimos.core.selectors import department_list, municipality_list_public, unit_list
from dimos.core.tenancy import IsMunicipalStaff, require_municipality


class PublicThrottle(AnonRateThrottle):
    scope = "public"


class MunicipalityListApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    class MunicipalityOutSerializer(serializers.Serializer):
        slug = serializers.CharField()
        name_el = serializers.CharField()
        name_en = serializers.CharField()
        open311_jurisdiction = serializers.CharField()
        centre_lat = serializers.FloatField()
        centre_lon = serializers.FloatField()
        website = serializers.URLField()

    @extend_schema(
        responses=MunicipalityOutSerializer(many=True),
        summary="Municipalities served by this platform",
    )
    def get(self, request: Request) -> Response:
        return Response(self.MunicipalityOutSerializer(municipality_list_public(), many=True).data)


class UnitListApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    class UnitOutSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name_el = serializers.CharField()
        name_en = serializers.CharField()
        population = serializers.IntegerField(allow_null=True)
        boundary = serializers.JSONField()

    @extend_schema(responses=UnitOutSerializer(many=True), summary="Municipal units of this municipality")
    def get(self, request: Request) -> Response:
        municipality = require_municipality(request)
        return Response(self.UnitOutSerializer(unit_list(municipality=municipality), many=True).data)


class DepartmentListApi(APIView):
    permission_classes = [IsAuthenticated, IsMunicipalStaff]
    required_capability = Capability.STAFF_AREA

    class DepartmentOutSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        code = serializers.CharField()
        name_el = serializers.CharField()
        name_en = serializers.CharField()
        parent_id = serializers.IntegerField(allow_null=True)
        email = serializers.EmailField()

    @extend_schema(responses=DepartmentOutSerializer(many=True), summary="Departments (staff only)")
    def get(self, request: Request) -> HttpResponse:
        municipality = require_municipality(request)

        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(department_list(municipality=municipality), request, view=self)
        return paginator.get_paginated_response(self.DepartmentOutSerializer(page, many=True).data)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class MeOutSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        display_name = serializers.CharField()
        role = serializers.CharField()
        municipality = serializers.CharField(source="municipality.slug", default=None, read_only=True)

    @extend_schema(responses=MeOutSerializer, summary="The signed-in user")
    def get(self, request: Request) -> Response:
        return Response(self.MeOutSerializer(request.user).data)
