from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "benvung.bench"
    label = "bench"
    verbose_name = "Đo hiệu năng"
