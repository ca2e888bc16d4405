from django.urls import path

from dimos.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/totp/", views.totp_view, name="totp"),
    path("login/totp/setup/", views.totp_enrol_view, name="totp_enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("idp/<slug:provider_id>/start/", views.provider_start, name="provider_start"),
    path("idp/<slug:provider_id>/callback/", views.provider_callback, name="provider_callback"),
    path("demo-taxisnet/", views.dev_authorize, name="dev_authorize"),
    path("me/", views.account_view, name="account"),
    path("me/email/", views.email_view, name="email"),
    path("me/email/verify/<str:token>/", views.email_verify_view, name="email_verify"),
    path("me/phone/", views.phone_view, name="phone"),
    path("me/phone/verify/", views.phone_verify_view, name="phone_verify"),
]
