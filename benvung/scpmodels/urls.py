"""Routes of the SCP model register."""

from django.urls import path

from benvung.scpmodels import views

app_name = "scpmodels"

urlpatterns = [
    path("", views.ModelListView.as_view(), name="list"),
]
