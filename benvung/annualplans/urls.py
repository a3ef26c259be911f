"""Routes of the annual cycle (namespace `annualplans`).

/ke-hoach-trien-khai/                                   years
/ke-hoach-trien-khai/lap-moi/                           POST: new draft plan (co-ordinator)
/ke-hoach-trien-khai/<year>/                            the plan: activities, budget, history
/ke-hoach-trien-khai/<year>/tong-hop/                   summary by source, agency, task group
/ke-hoach-trien-khai/<year>/du-toan.xlsx                budget table
/ke-hoach-trien-khai/<year>/trinh/ | phe-duyet/ | tra-lai/ | chuyen-tiep/   POST: workflow
/ke-hoach-trien-khai/<year>/hoat-dong/them/             new activity
/ke-hoach-trien-khai/<year>/hoat-dong/<code>/           activity and progress reports
/ke-hoach-trien-khai/<year>/hoat-dong/<code>/sua/ | xoa/
"""

from django.urls import path

from benvung.annualplans import views

app_name = "annualplans"

urlpatterns = [
    path("", views.YearListView.as_view(), name="years"),
    path("lap-moi/", views.PlanCreateView.as_view(), name="create"),
    path("<int:year>/", views.PlanDetailView.as_view(), name="plan"),
    path("<int:year>/tong-hop/", views.SummaryView.as_view(), name="summary"),
    path("<int:year>/du-toan.xlsx", views.BudgetXlsxView.as_view(), name="xlsx"),
    path("<int:year>/trinh/", views.PlanActionView.as_view(action="submit"), name="submit"),
    path("<int:year>/phe-duyet/", views.PlanActionView.as_view(action="approve"), name="approve"),
    path("<int:year>/tra-lai/", views.PlanActionView.as_view(action="return"), name="return"),
    path("<int:year>/chuyen-tiep/", views.PlanActionView.as_view(action="carry"), name="carry"),
    path("<int:year>/hoat-dong/them/", views.ActivityFormView.as_view(), name="activity-create"),
    path("<int:year>/hoat-dong/<str:code>/", views.ActivityDetailView.as_view(), name="activity"),
    path(
        "<int:year>/hoat-dong/<str:code>/sua/",
        views.ActivityFormView.as_view(),
        name="activity-update",
    ),
    path(
        "<int:year>/hoat-dong/<str:code>/xoa/",
        views.ActivityDeleteView.as_view(),
        name="activity-delete",
    ),
]
