from django.urls import path

from dimos.appointments import api, views

app_name = "appointments"

urlpatterns = [
    path("appointments/", views.index, name="index"),
    path("appointments/mine/", views.mine, name="mine"),
    path("appointments/mine/<str:reference>/", views.detail, name="detail"),
    path("appointments/point/<int:point_pk>/type/<int:type_pk>/", views.slots, name="slots"),
    path("appointments/point/<int:point_pk>/type/<int:type_pk>/confirm/", views.confirm, name="confirm"),
    path("appointments/manage/<str:token>/", views.manage, name="manage"),
    path("appointments/manage/<str:token>/cancel/", views.cancel, name="cancel"),
    path("appointments/manage/<str:token>/reschedule/", views.reschedule, name="reschedule"),
    path("staff/appointments/", views.day_list, name="day_list"),
    path("staff/appointments/print/", views.day_print, name="day_print"),
    path("staff/appointments/<int:pk>/mark/", views.mark, name="mark"),
    path("staff/appointments/<int:pk>/cancel/", views.staff_cancel, name="staff_cancel"),
]

api_urlpatterns = [
    path("points/", api.PointListApi.as_view(), name="api_points"),
    path("slots/", api.FreeSlotsApi.as_view(), name="api_slots"),
    path("", api.AppointmentBookApi.as_view(), name="api_book"),
    path("mine/", api.MyAppointmentsApi.as_view(), name="api_mine"),
    path("<str:reference>/cancel/", api.AppointmentCancelApi.as_view(), name="api_cancel"),
    path("staff/day/", api.DayListApi.as_view(), name="api_day_list"),
    path("staff/<int:pk>/mark/", api.AppointmentMarkApi.as_view(), name="api_mark"),
]
