from django.urls import path

from dimos.eservices import api, views

app_name = "services"

urlpatterns = [
    path("services/", views.catalogue, name="catalogue"),
    path("services/my/", views.my_applications, name="my_applications"),
    path("services/my/<int:pk>/", views.my_application, name="my_application"),
    path("services/my/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("services/my/<int:pk>/review/", views.application_review, name="application_review"),
    path("services/my/<int:pk>/receipt/", views.application_receipt, name="application_receipt"),
    path("services/my/<int:pk>/receipt.pdf", views.application_receipt_pdf, name="application_receipt_pdf"),
    path("services/my/<int:pk>/files/<int:attachment_pk>/", views.my_attachment, name="my_attachment"),
    path("services/my/<int:pk>/documents/<int:document_pk>/", views.my_document, name="my_document"),
    path("services/<slug:slug>/", views.service_detail, name="service_detail"),
    path("services/<slug:slug>/apply/", views.apply, name="apply"),
    # Staff
    path("staff/services/", views.staff_queue, name="staff_queue"),
    path("staff/services/applications/<int:pk>/", views.staff_application, name="staff_application"),
    path(
        "staff/services/applications/<int:pk>/action/",
        views.staff_application_action,
        name="staff_application_action",
    ),
    path(
        "staff/services/applications/<int:pk>/issue/",
        views.staff_issue_confirm,
        name="staff_issue_confirm",
    ),
    path(
        "staff/services/applications/<int:pk>/files/<int:attachment_pk>/",
        views.staff_attachment,
        name="staff_attachment",
    ),
    path("staff/services/documents/<int:pk>/", views.staff_document, name="staff_document"),
    path(
        "staff/services/documents/<int:pk>/revoke/", views.staff_document_revoke, name="staff_document_revoke"
    ),
    path("staff/services/register/", views.register, name="register"),
    path("staff/services/register/export.csv", views.register_csv, name="register_csv"),
    path("staff/services/register/export.pdf", views.register_pdf_view, name="register_pdf"),
    path("staff/services/register/<int:pk>/void/", views.register_void, name="register_void"),
]

verify_urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<str:code>/", views.verify_document, name="document"),
]

api_urlpatterns = [
    path("services/catalogue/", api.CatalogueApi.as_view(), name="catalogue"),
    path("services/applications/", api.MyApplicationsApi.as_view(), name="my_applications"),
    path("services/applications/<int:pk>/", api.MyApplicationApi.as_view(), name="my_application"),
    path(
        "services/applications/<int:pk>/submit/",
        api.MyApplicationSubmitApi.as_view(),
        name="my_application_submit",
    ),
    path("services/staff/applications/", api.StaffApplicationListApi.as_view(), name="staff_applications"),
    path(
        "services/staff/applications/<int:pk>/", api.StaffApplicationApi.as_view(), name="staff_application"
    ),
    path(
        "services/staff/applications/<int:pk>/transitions/",
        api.StaffTransitionApi.as_view(),
        name="staff_transition",
    ),
    path("services/staff/register/", api.RegisterEntriesApi.as_view(), name="register_entries"),
    path("services/verify/<str:code>/", api.VerifyApi.as_view(), name="verify"),
]
