from django.urls import path

from dimos.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("staff/dashboard/", views.mayor, name="mayor"),
    path("staff/region/", views.region, name="region"),
    path("numbers/", views.figures, name="figures"),
]
