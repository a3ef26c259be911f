"""Routes of the account pages (namespace `accounts`), under /accounts/.

/accounts/tai-khoan/                      my account: roles, two-factor status
/accounts/hai-buoc/dang-ky/               enrol a TOTP device (QR code, confirm with a code)
/accounts/hai-buoc/xac-thuc/?next=        the code asked after the password
/accounts/hai-buoc/tat/                   remove my device (POST)
/accounts/quen-mat-khau/                  password reset by e-mail, then …/da-gui/,
/accounts/dat-lai/<uid>/<token>/          the link in the e-mail, and …/dat-lai/xong/
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from benvung.accounts import views

app_name = "accounts"

urlpatterns = [
    path("tai-khoan/", views.AccountView.as_view(), name="account"),
    path("hai-buoc/dang-ky/", views.OtpEnrolView.as_view(), name="otp-enrol"),
    path("hai-buoc/xac-thuc/", views.OtpVerifyView.as_view(), name="otp-verify"),
    path("hai-buoc/tat/", views.OtpDisableView.as_view(), name="otp-disable"),
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "dat-lai/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "dat-lai/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]
