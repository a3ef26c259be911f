"""Routes of the import page (namespace `core`)."""

from django.urls import path

from benvung.core.views import ImportView

app_name = "core"

urlpatterns = [
    path("", ImportView.as_view(), name="import"),
]
