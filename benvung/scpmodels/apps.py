from django.apps import AppConfig


class ScpModelsConfig(AppConfig):
    name = "benvung.scpmodels"
    label = "scpmodels"
    verbose_name = "Mô hình SXTDBV"
