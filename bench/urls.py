"""The platform's URLs plus the floor: a bare view returning a constant response."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse(b"ok")


def floor_signed_in(request):
    # Reference, not the floor: the fixed cost of reading the signed-in user
    # (session + one query), which every staff page pays.
    return HttpResponse(str(request.user.pk).encode())


urlpatterns = [
    path("__bench_floor__", floor),
    path("__bench_floor_signed_in__", floor_signed_in),
    path("", include("dimos.urls")),
]
handler404 = "dimos.core.views.error_404"
