from django.urls import path

from dimos.reports import views, views_desk, views_public, views_staff

app_name = "reports"

urlpatterns = [
    path("reports/", views_public.public_list, name="public_list"),
    path("reports/new/", views_public.report_new, name="new"),
    path("reports/new/nearby/", views_public.nearby, name="nearby"),
    path("reports/new/streets/", views_public.streets, name="streets"),
    path("reports/new/suggest/", views_public.suggest, name="suggest"),
    path("reports/receipt/<str:token>/", views_public.receipt, name="receipt"),
    path("reports/map-data/", views_public.map_data, name="map_data"),
    path("reports/stats/", views_public.stats, name="stats"),
    path("reports/mine/", views_public.my_reports, name="mine"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/support/", views_public.support, name="support"),
    path("reports/<int:pk>/photos/<int:photo_pk>/<str:size>/", views.public_photo, name="public_photo"),
    path("reports/track/<str:token>/", views.track, name="track"),
    path("reports/confirm/<str:token>/", views.confirm, name="confirm"),
    path("reports/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("staff/reports/", views_staff.queue, name="queue"),
    path("staff/reports/map-data/", views_staff.queue_map_data, name="queue_map_data"),
    path("staff/reports/keys/", views_staff.keys, name="keys"),
    path("staff/reports/<int:pk>/", views_desk.staff_detail, name="staff_detail"),
    path("staff/reports/<int:pk>/assign/", views_desk.assign, name="assign"),
    path("staff/reports/<int:pk>/public-text/", views_desk.public_text, name="public_text"),
    path(
        "staff/reports/<int:pk>/photos/<int:photo_pk>/<str:size>/",
        views_desk.staff_photo,
        name="staff_photo",
    ),
]
