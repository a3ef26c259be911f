"""Routes of the plan's tasks (namespace `tasks`).

/nhiem-vu/?q=&co_quan=       tasks by group, filter by agency, accent-insensitive search
"""

from django.urls import path

from benvung.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
]
