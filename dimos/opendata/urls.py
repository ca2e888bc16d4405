from django.urls import path, re_path

from dimos.opendata import views
from dimos.opendata.ckan import api

app_name = "opendata"

urlpatterns = [
    path("opendata/", views.index, name="index"),
    path("opendata/catalog", views.catalogue, name="catalogue"),
    re_path(r"^opendata/catalog\.(?P<suffix>ttl|rdf|jsonld)$", views.catalogue, name="catalogue-format"),
    path("opendata/dataset/<slug:name>/", views.dataset_detail, name="dataset"),
    re_path(
        r"^opendata/dataset/(?P<name>[-\w]+)/download\.(?P<fmt>csv|json|geojson)$",
        views.download,
        name="download",
    ),
    re_path(
        r"^opendata/dataset/(?P<name>[-\w]+)/v(?P<number>[0-9]{1,9})/download\.(?P<fmt>csv|json|geojson)$",
        views.download,
        name="download-version",
    ),
]

api_urlpatterns = [
    path("api/3/action/<slug:name>", api.action, name="ckan-action"),
    path("api/action/<slug:name>", api.action, name="ckan-action-unversioned"),
]
