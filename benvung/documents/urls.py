"""Routes of the documents page (namespace `documents`).

/van-ban/?nam=&du-lieu=                          the page; POST saves the year's header values
/van-ban/<year>/<bao-cao|ke-hoach|du-toan>.<docx|xlsx>   a document
/van-ban/mau/<slug>/<mac-dinh|dang-dung>.docx    the default or the active template
/van-ban/mau/tep/<pk>.docx                       an uploaded template
/van-ban/mau/tai-len/                            POST: upload a template (co-ordinator)
/van-ban/mau/<slug>/mac-dinh/                    POST: back to the default (co-ordinator)
"""

from django.urls import path, re_path

from benvung.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentsView.as_view(), name="index"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<slug>bao-cao|ke-hoach|du-toan)\.(?P<fmt>docx|xlsx)$",
        views.DocumentDownloadView.as_view(),
        name="download",
    ),
    path("mau/tai-len/", views.TemplateUploadView.as_view(), name="template-upload"),
    path("mau/tep/<int:pk>.docx", views.TemplateDownloadView.as_view(), name="template-file"),
    re_path(
        r"^mau/(?P<slug>bao-cao|ke-hoach|du-toan)/(?P<which>mac-dinh|dang-dung)\.docx$",
        views.TemplateDownloadView.as_view(),
        name="template",
    ),
    path("mau/<str:slug>/mac-dinh/", views.TemplateResetView.as_view(), name="template-reset"),
]
