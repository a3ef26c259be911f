"""Routes of the REST API (/api/v1/), its OpenAPI schema and docs.

/api/schema/                                    OpenAPI 3 schema (YAML; ?format=json for JSON)
/api/docs/                                      Swagger UI (served locally)
/api/v1/auth/token/                             POST username, password → token
/api/v1/plans/                                  plans
/api/v1/plans/<code>/                           a plan with objectives, indicators, targets
/api/v1/plans/<code>/progress/?year=&org_unit=&approved_only=
/api/v1/plans/<plan_code>/indicators/<code>/    an indicator
/api/v1/indicators/?plan=&code=&objective=&formula=
/api/v1/targets/?plan=&indicator=&year=
/api/v1/org-units/?date=&type=&sector=&parent=  units valid on a day, with their parent
/api/v1/org-units/<code>/                       a unit with its dated parent links
/api/v1/data-values/?data_element=&org_unit=&period=&year=   GET read, POST write (token)
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from benvung.api import views
from benvung.api.converters import CodeConverter

app_name = "api"

register_converter(CodeConverter, "code")

v1 = [
    path("auth/token/", views.TokenObtain.as_view(), name="token"),
    path("plans/", views.PlanList.as_view(), name="plan-list"),
    path("plans/<code:code>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("plans/<code:code>/progress/", views.PlanProgress.as_view(), name="plan-progress"),
    path(
        "plans/<code:plan_code>/indicators/<code:code>/",
        views.IndicatorDetail.as_view(),
        name="indicator-detail",
    ),
    path("indicators/", views.IndicatorList.as_view(), name="indicator-list"),
    path("targets/", views.TargetList.as_view(), name="target-list"),
    path("org-units/", views.OrgUnitList.as_view(), name="orgunit-list"),
    path("org-units/<code:code>/", views.OrgUnitDetail.as_view(), name="orgunit-detail"),
    path("data-values/", views.DataValueList.as_view(), name="datavalue-list"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its start-up script from a second request (no inline script);
    # Swagger UI's page keeps one small inline <style>, allowed on this page only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("v1/", include(v1)),
]
