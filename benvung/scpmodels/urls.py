"""Routes of the SCP model register (namespace `scpmodels`).

/mo-hinh/                          list (?q=&loai=&nam=&huyen=&trang=)
/mo-hinh/them-moi/                 new model (co-ordinator)
/mo-hinh/minh-chung/<pk>/          evidence file download (signed-in users)
/mo-hinh/<code>/                   a model, its files and history
/mo-hinh/<code>/sua/               edit (co-ordinator)
"""

from django.urls import path

from benvung.scpmodels import views

app_name = "scpmodels"

urlpatterns = [
    path("", views.ModelListView.as_view(), name="list"),
    path("them-moi/", views.ModelCreateView.as_view(), name="create"),
    path("minh-chung/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("<str:code>/", views.ModelDetailView.as_view(), name="detail"),
    path("<str:code>/sua/", views.ModelUpdateView.as_view(), name="update"),
]
