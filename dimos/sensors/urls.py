from django.urls import path

from dimos.sensors import views

app_name = "sensors"

urlpatterns = [
    path("parking/", views.parking, name="parking"),
    path("air-quality/", views.air_quality, name="air_quality"),
    path("air-quality/<slug:code>/", views.air_quality_station, name="air_quality_station"),
    path("noise/", views.noise, name="noise"),
    path("staff/sensors/", views.dashboard, name="dashboard"),
    path("staff/sensors/devices/", views.device_list, name="device_list"),
    path("staff/sensors/devices/new/", views.device_create, name="device_create"),
    path("staff/sensors/devices/<int:pk>/", views.device_detail, name="device_detail"),
    path("staff/sensors/devices/<int:pk>/edit/", views.device_edit, name="device_edit"),
    path("staff/sensors/devices/<int:pk>/activation/", views.device_activation, name="device_activation"),
    path("staff/sensors/devices/<int:pk>/delete/", views.device_remove, name="device_delete"),
    path("staff/sensors/alarms/<int:pk>/", views.alarm_detail, name="alarm_detail"),
    path("staff/sensors/rules/", views.rules, name="rules"),
    path("staff/sensors/rules/new/", views.rule_create, name="rule_create"),
    path("staff/sensors/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("staff/sensors/credentials/", views.credentials, name="credentials"),
    path("staff/sensors/credentials/<int:pk>/revoke/", views.credential_revoke, name="credential_revoke"),
]
