from django.urls import path

from dimos.schools import views

app_name = "schools"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("my-school/", views.my_school, name="my_school"),
    path("schools/new/", views.school_edit, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("schools/<int:pk>/year/", views.school_year, name="school_year"),
    path("schools/<int:pk>/labels.pdf", views.labels_pdf, name="labels_pdf"),
    path("schools/<int:pk>/audit/", views.audit, name="audit"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("standards/", views.standards, name="standards"),
    path("assets/", views.asset_list, name="asset_list"),
    path("assets/new/", views.asset_create, name="asset_create"),
    path("assets/import/", views.asset_import, name="asset_import"),
    path("assets/export.csv", views.asset_export, {"fmt": "csv"}, name="asset_export_csv"),
    path("assets/export.xlsx", views.asset_export, {"fmt": "xlsx"}, name="asset_export_xlsx"),
    path("assets/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("assets/<int:pk>/status/", views.asset_status, name="asset_status"),
    path("assets/<int:pk>/move/", views.asset_move, name="asset_move"),
    path("assets/<int:pk>/loan/", views.loan_create, name="loan_create"),
    path("assets/<int:pk>/report/", views.repair_report, name="repair_report"),
    path("licences/", views.licences, name="licences"),
    path("licences/<int:pk>/", views.licence_detail, name="licence_detail"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/status/", views.proposal_status, name="proposal_status"),
    path("proposals/<int:pk>/v/<int:number>/proposal.pdf", views.proposal_pdf, name="proposal_pdf"),
    path("proposals/<int:pk>/v/<int:number>/proposal.xlsx", views.proposal_xlsx, name="proposal_xlsx"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("loans/", views.loans, name="loans"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    path("loans/<int:pk>/agreement.pdf", views.loan_pdf, name="loan_pdf"),
    path("repairs/", views.repairs, name="repairs"),
    path("repairs/<int:pk>/", views.repair_detail, name="repair_detail"),
    path("repairs/<int:pk>/photo", views.repair_photo, name="repair_photo"),
]
