"""The platform's URLs plus the two benchmark floors (this URLconf is used only by bench/settings.py).

* ``/bench/layout-floor/``: the floor of every page target, our own ``base.html``
  with an empty content block, rendered through the same middleware for the same
  signed-in user as the page it is compared with.
* ``/__bench_floor__``: a constant response, the floor of machine interfaces
  (Open311, map data, ingest) that have no layout.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


def layout_floor(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/layout_floor.html")


urlpatterns = [
    path("__bench_floor__", floor),
    path("bench/layout-floor/", layout_floor),
    path("", include("dimos.urls")),
]
handler404 = "dimos.core.views.error_404"
handler500 = "dimos.core.views.error_500"
