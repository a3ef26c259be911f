"""Routes of the unit tree and unit pages (namespace `orgunits`)."""

from django.urls import path

from benvung.orgunits.views import OrgUnitTreeView, OrgUnitView

app_name = "orgunits"

urlpatterns = [
    path("", OrgUnitTreeView.as_view(), name="tree"),
    path("<str:code>/", OrgUnitView.as_view(), name="unit"),
]
