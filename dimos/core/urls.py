from django.urls import path

from dimos.core import api, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("lang/<str:code>/", views.switch_language, name="switch_language"),
]

api_urlpatterns = [
    path("municipalities/", api.MunicipalityListApi.as_view(), name="api_municipalities"),
    path("units/", api.UnitListApi.as_view(), name="api_units"),
    path("departments/", api.DepartmentListApi.as_view(), name="api_departments"),
    path("me/", api.MeApi.as_view(), name="api_me"),
]
