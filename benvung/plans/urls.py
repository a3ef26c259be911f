"""Routes of the plan and indicator pages (namespace `plans`)."""

from django.urls import path

from benvung.indicators.views import IndicatorView
from benvung.plans.views import (
    PlanCompareView,
    PlanDefaultView,
    PlanView,
    QualitativeAssessmentView,
)

app_name = "plans"

urlpatterns = [
    path("", PlanDefaultView.as_view(), name="plan-default"),
    path("so-sanh/", PlanCompareView.as_view(), name="compare"),
    path("<str:plan_code>/", PlanView.as_view(), name="plan"),
    path(
        "<str:plan_code>/chi-tieu/<str:indicator_code>/",
        IndicatorView.as_view(),
        name="indicator",
    ),
    path(
        "<str:plan_code>/chi-tieu/<str:indicator_code>/danh-gia/<int:year>/",
        QualitativeAssessmentView.as_view(),
        name="assessment",
    ),
]
