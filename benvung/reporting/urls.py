"""Routes of the reporting cycle (namespace `reporting`).

/bao-cao/?nam=&don-vi=                              overview: the user's forms, the review queue
/bao-cao/<data set>/<period>/<unit>/                entry form of a unit (and its subtree)
/bao-cao/nop/<id>/                                  a report: values, timeline, decisions
/bao-cao/lich-su/<unit>/                            every change of a unit's values
/bao-cao/lich-su/<element>/<unit>/<period>/         every change of one value
/bao-cao/tien-do-nop/                               completeness (`monitoring.py`)
/bao-cao/mau-excel/                                 Excel template (`monitoring.py`)
"""

from django.urls import path

from benvung.reporting import monitoring, views

app_name = "reporting"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("tien-do-nop/", monitoring.CompletenessView.as_view(), name="completeness"),
    path("mau-excel/", monitoring.TemplateDownloadView.as_view(), name="template"),
    path("nop/<int:submission_id>/", views.SubmissionView.as_view(), name="submission"),
    path("lich-su/<str:unit_code>/", views.UnitHistoryView.as_view(), name="unit-history"),
    path(
        "lich-su/<str:element_code>/<str:unit_code>/<str:period>/",
        views.ValueHistoryView.as_view(),
        name="value-history",
    ),
    path(
        "<str:data_set_code>/<str:period>/<str:unit_code>/",
        views.EntryView.as_view(),
        name="entry",
    ),
]
