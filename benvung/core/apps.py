from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "benvung.core"
    label = "core"
    verbose_name = "Hệ thống"
