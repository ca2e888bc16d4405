from django.urls import re_path

from dimos.sensors.ngsild import views

app_name = "ngsild"

# A trailing slash is tolerated on every resource (clients such as ngsildclient send one).
urlpatterns = [
    re_path(r"^entities/?$", views.entities, name="entities"),
    re_path(r"^entities/(?P<entity_id>[^/]+)/attrs/?$", views.entity_attrs, name="entity_attrs"),
    re_path(
        r"^entities/(?P<entity_id>[^/]+)/attrs/(?P<attr_id>[^/]+)/?$", views.entity_attr, name="entity_attr"
    ),
    re_path(r"^entities/(?P<entity_id>[^/]+)/?$", views.entity, name="entity"),
    re_path(r"^entityOperations/create/?$", views.entity_operations_create, name="batch_create"),
    re_path(r"^entityOperations/upsert/?$", views.entity_operations_upsert, name="batch_upsert"),
    re_path(r"^entityOperations/update/?$", views.entity_operations_update, name="batch_update"),
    re_path(r"^entityOperations/delete/?$", views.entity_operations_delete, name="batch_delete"),
    re_path(r"^entityOperations/query/?$", views.entity_operations_query, name="batch_query"),
    re_path(r"^temporal/entities/?$", views.temporal_entities, name="temporal_entities"),
    re_path(r"^temporal/entities/(?P<entity_id>[^/]+)/?$", views.temporal_entity, name="temporal_entity"),
    re_path(r"^.*$", views.not_found),
]
