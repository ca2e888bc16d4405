"""Root URLs. Each domain app mounts its own urls module here."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from dimos.appointments.urls import api_urlpatterns as appointments_api
from dimos.core import views as core_views
from dimos.core.metrics import metrics_view
from dimos.core.urls import api_urlpatterns as core_api
from dimos.eservices.urls import api_urlpatterns as services_api
from dimos.eservices.urls import verify_urlpatterns
from dimos.opendata.urls import api_urlpatterns as opendata_api
from dimos.sensors import api as sensors_api

admin.site.site_header = "Dimos"
admin.site.site_title = "Dimos"

api_v1 = [
    path("", include((core_api, "core"), namespace="core-api")),
    path("appointments/", include((appointments_api, "appointments"), namespace="appointments-api")),
    path("", include((services_api, "services"), namespace="services-api")),
    path("sensors/readings/", sensors_api.readings_batch, name="sensors-readings"),
]

# Prefixed machine interfaces first: the resolver tries patterns in order, and
# each ""-mounted app below would otherwise be walked before reaching them.
urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("", include((opendata_api, "ckan"))),
    path("ngsi-ld/v1/", include("dimos.sensors.ngsild.urls")),
    path("open311/", include("dimos.reports.open311.urls")),
    path("verify/", include((verify_urlpatterns, "verify"))),
    path("staff/schools/", include("dimos.schools.urls")),
    path("", include("dimos.core.urls")),
    path("accounts/", include("dimos.accounts.urls")),
    path("", include("dimos.appointments.urls")),
    path("", include("dimos.eservices.urls")),
    path("", include("dimos.sensors.urls")),
    path("", include("dimos.reports.urls")),
    path("", include("dimos.opendata.urls")),
    path("", include("dimos.dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "dimos.core.views.error_403"
handler404 = "dimos.core.views.error_404"
handler500 = "dimos.core.views.error_500"
