from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "benvung.api"
    label = "api"
    verbose_name = "API"
