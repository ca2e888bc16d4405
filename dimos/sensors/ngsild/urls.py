from django.urls import path, re_path

from dimos.sensors.ngsild import views

app_name = "ngsild"

urlpatterns = [
    path("entities", views.entities, name="entities"),
    re_path(r"^entities/(?P<entity_id>[^/]+)/attrs/?$", views.entity_attrs, name="entity_attrs"),
    re_path(r"^entities/(?P<entity_id>[^/]+)$", views.entity, name="entity"),
    path("entityOperations/create", views.entity_operations_create, name="batch_create"),
    path("entityOperations/upsert", views.entity_operations_upsert, name="batch_upsert"),
    re_path(r"^temporal/entities/(?P<entity_id>[^/]+)$", views.temporal_entity, name="temporal_entity"),
]
