"""The platform's URLs plus the floor: a bare view returning a constant response."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse(b"ok")


urlpatterns = [
    path("__bench_floor__", floor),
    path("", include("dimos.urls")),
]
handler404 = "dimos.core.views.error_404"
