"""URL routes of the whole site.

/                                         → /ke-hoach/
/accounts/login/, /accounts/logout/       sign in and out (logout by POST)
/ke-hoach/                                → /ke-hoach/KH-2627/
/ke-hoach/<plan>/?nam=&don-vi=            plan page
/ke-hoach/<plan>/chi-tieu/<indicator>/    indicator page
/don-vi/?ngay=&loai=&q=                   unit tree as of a day
/don-vi/<code>/                           unit page
/nhap-du-lieu/                            file import
/bao-cao/                                 reporting: forms, review, completeness, templates
/mo-hinh/                                 SCP model register
/admin/                                   Django admin (staff)
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("Quản trị hệ thống theo dõi Kế hoạch SXTDBV")
admin.site.site_title = _("Quản trị SXTDBV")
admin.site.index_title = _("Dữ liệu danh mục")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="plans:plan-default"), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("ke-hoach/", include("benvung.plans.urls")),
    path("don-vi/", include("benvung.orgunits.urls")),
    path("nhap-du-lieu/", include("benvung.core.urls")),
    path("bao-cao/", include("benvung.reporting.urls")),
    path("mo-hinh/", include("benvung.scpmodels.urls")),
    path("admin/", admin.site.urls),
]
