"""URL routes of the whole site.

/                                         public portal home (name `home`); the portal's
                                          /tin-tuc/, /tim-kiem/, /tien-do/, /du-lieu-mo/, /rss/
                                          are listed in benvung/portal/urls.py
/sitemap.xml                              sitemap of the portal (articles, indicators)
/media/<path>                             uploaded files (news images)
/accounts/login/, /accounts/logout/       sign in and out (logout by POST)
/accounts/tai-khoan/, …/hai-buoc/…        my account, two-factor sign-in, password reset
/ke-hoach/                                → /ke-hoach/KH-2627/
/ke-hoach/<plan>/?nam=&don-vi=            plan page
/ke-hoach/<plan>/chi-tieu/<indicator>/    indicator page
/don-vi/?ngay=&loai=&q=                   unit tree as of a day
/don-vi/<code>/                           unit page
/nhap-du-lieu/                            file import
/bao-cao/                                 reporting: forms, review, completeness, templates
/mo-hinh/                                 SCP model register
/nhiem-vu/                                tasks of the plan by group
/ke-hoach-trien-khai/                     annual implementation plans, execution, summaries
/van-ban/                                 annual report, next year's plan, budget estimate
/admin/                                   Django admin (staff)
/healthz                                  health check for monitoring (JSON, no sign-in)
/i18n/setlang/                            language switch (POST, sets the language cookie)
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from benvung.ops.views import healthz
from benvung.portal.sitemaps import SITEMAPS
from benvung.portal.views import HomeView, media

admin.site.site_header = _("Quản trị hệ thống theo dõi Kế hoạch SXTDBV")
admin.site.site_title = _("Quản trị SXTDBV")
admin.site.index_title = _("Dữ liệu danh mục")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("benvung.portal.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/", include("benvung.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("benvung.accounts.urls")),
    path("ke-hoach/", include("benvung.plans.urls")),
    path("don-vi/", include("benvung.orgunits.urls")),
    path("nhap-du-lieu/", include("benvung.core.urls")),
    path("bao-cao/", include("benvung.reporting.urls")),
    path("mo-hinh/", include("benvung.scpmodels.urls")),
    path("nhiem-vu/", include("benvung.tasks.urls")),
    path("ke-hoach-trien-khai/", include("benvung.annualplans.urls")),
    path("van-ban/", include("benvung.documents.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Uploaded news images (see `portal.views.media`).
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media, name="media"),
]
