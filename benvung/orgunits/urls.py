"""Routes of the unit tree and unit pages (namespace `orgunits`)."""

from django.urls import path

from benvung.orgunits.views import (
    AreaSeriesView,
    OrgUnitTreeView,
    OrgUnitView,
    ParentProposalsView,
)

app_name = "orgunits"

urlpatterns = [
    path("", OrgUnitTreeView.as_view(), name="tree"),
    path("sap-xep/de-xuat-cap-tren/", ParentProposalsView.as_view(), name="proposals"),
    path("<str:code>/", OrgUnitView.as_view(), name="unit"),
    path("<str:code>/chuoi-so-sanh/", AreaSeriesView.as_view(), name="series"),
]
