from django.urls import path

from dimos.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/photos/<int:photo_pk>/<str:size>/", views.public_photo, name="public_photo"),
    path("reports/track/<str:token>/", views.track, name="track"),
    path("reports/confirm/<str:token>/", views.confirm, name="confirm"),
    path("reports/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
