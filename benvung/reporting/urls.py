"""Routes of the reporting cycle.

Data entry, review and history are in `views.py`; completeness and the Excel template in
`monitoring.py`.
"""

from django.urls import path

from benvung.reporting import monitoring, views

app_name = "reporting"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("tien-do-nop/", monitoring.CompletenessView.as_view(), name="completeness"),
    path("mau-excel/", monitoring.TemplateDownloadView.as_view(), name="template"),
]
